/** A date as `YYYY-MM-DD` in UTC (null stays null): how the API writes calendar dates. */
export function isoDate (value: Date | null): string | null {
  return value === null ? null : value.toISOString().slice(0, 10)
}
