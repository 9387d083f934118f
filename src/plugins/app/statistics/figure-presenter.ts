import { isoDate } from '../../../lib/iso-date.ts'

// The pieces of a figure the statistics show beside their arithmetic, from the rows statistics-sql.ts reads.

export { isoDate }

/** How a figure cites its source: { id, title, statedOn, quote }. */
export function sourceReference (source: { id: string, title: string, statedOn: Date | null }, quote: string) {
  return { id: source.id, title: source.title, statedOn: isoDate(source.statedOn), quote }
}
