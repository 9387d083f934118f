import type { Comparator, MetricCategory } from '../generated/prisma/client.ts'
import type { ObservationBody } from '../schemas/metrics.ts'

// Turns database rows into the public JSON shapes: camelCase, ISO dates, numbers, and provenance on every fact.

const comparatorSymbols: Record<Comparator, '<' | '<=' | '>=' | '>'> = { lt: '<', le: '<=', ge: '>=', gt: '>' }

export function isoDate (value: Date | null): string | null {
  return value === null ? null : value.toISOString().slice(0, 10)
}

export interface SourceRow {
  id: string
  title: string
  statedOn: Date | null
}

export function sourceReference (source: SourceRow, quote: string) {
  return { id: source.id, title: source.title, statedOn: isoDate(source.statedOn), quote }
}

export interface ObservationRow {
  id: string
  value: { toNumber(): number }
  comparator: Comparator | null
  approximate: boolean
  statedValue: string
  periodKind: ObservationBody['period']['kind']
  periodDuration: string | null
  periodStart: Date | null
  periodEnd: Date | null
  periodLabel: string | null
  statedOn: Date | null
  note: string | null
  quote: string
  metric: { code: string, name: string, unit: string, unitLabel: string, category: MetricCategory }
  source: SourceRow
}

export function observation (row: ObservationRow): ObservationBody {
  return {
    id: row.id,
    metric: {
      code: row.metric.code,
      name: row.metric.name,
      unit: row.metric.unit,
      unitLabel: row.metric.unitLabel,
      category: row.metric.category
    },
    value: row.value.toNumber(),
    comparator: row.comparator === null ? null : comparatorSymbols[row.comparator],
    approximate: row.approximate,
    exact: row.comparator === null && !row.approximate,
    statedValue: row.statedValue,
    period: {
      kind: row.periodKind,
      duration: row.periodDuration,
      start: isoDate(row.periodStart),
      end: isoDate(row.periodEnd),
      label: row.periodLabel
    },
    statedOn: isoDate(row.statedOn),
    note: row.note,
    source: sourceReference(row.source, row.quote)
  }
}
