import { column, sql, type Sql } from '../../../lib/json-sql.ts'

// When a unit has more than one figure of a metric for the same period (several sources, or one updated by another),
// every one is kept; these say which figures are "the same figure" and which of them counts. The statistics total the
// one that counts, and the figures and /v1/conflicts show where they disagree.

/** The order in which the figure that counts comes first: the latest stated, then the latest entered. */
export function latestFirst (row = 'o'): Sql {
  return sql`${column(row, 'stated_on')} DESC NULLS LAST, ${column(row, 'created_at')} DESC, ${column(row, 'id')}`
}

/**
 * Where a figure's period ends: as stated, or, when the text states no end (a state such as "88 beds", a rate such as
 * "6,000 discharges annually", a total "to date"), the date it was stated: 88 beds on a 2021 page and 92 on a 2026 page
 * are a change, not two figures of one period that disagree.
 */
export function periodEnd (row: string): Sql {
  return sql`COALESCE(${column(row, 'period_end')}, ${column(row, 'stated_on')})`
}

/**
 * Whether a figure's period ends (as `periodEnd` says) on or after `from` and before `to` (YYYY-MM-DD), written as two
 * conditions on the columns rather than one on the COALESCE, so that PostgreSQL estimates how many rows match.
 */
export function periodEndWithin (row: string, from: string, to: string): Sql {
  const end = column(row, 'period_end')
  const stated = column(row, 'stated_on')
  return sql`((${end} >= ${from}::date AND ${end} < ${to}::date) OR (${end} IS NULL AND ${stated} >= ${from}::date AND ${stated} < ${to}::date))`
}

/** Whether the figures `a` and `b` are of the same unit, metric and period (kind, duration and window; not its wording). */
export function sameFigure (a: string, b: string): Sql {
  return sql`${column(a, 'unit_id')} = ${column(b, 'unit_id')} AND ${column(a, 'metric_id')} = ${column(b, 'metric_id')}
    AND ${column(a, 'period_kind')} = ${column(b, 'period_kind')}
    AND COALESCE(${column(a, 'period_duration')}, '') = COALESCE(${column(b, 'period_duration')}, '')
    AND ${column(a, 'period_start')} IS NOT DISTINCT FROM ${column(b, 'period_start')}
    AND ${periodEnd(a)} IS NOT DISTINCT FROM ${periodEnd(b)}`
}

/** What a figure states: its value and comparator. Two figures that state different things are in conflict. */
export function statement (row: string): Sql {
  return sql`(${column(row, 'value')}::text || '|' || COALESCE(${column(row, 'comparator')}::text, ''))`
}
