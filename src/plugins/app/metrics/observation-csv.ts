import type { Static } from 'typebox'
import type { CsvColumn } from '../../../lib/csv.ts'
import { describe, fromStated, type QualifiedValue } from '../statistics/qualified.ts'
import type { ObservationBody } from '../../../schemas/metrics.ts'

// The flat, one-row-per-fact views of the figures that CSV responses carry, and the column groups every view of a
// figure shares (the statistics' views are in plugins/app/statistics/statistics-csv.ts). Every row that holds a figure
// has the same qualifier columns, and every row that rests on one source sentence has its quote.

type Column<Row> = CsvColumn<Row>

export function qualifierColumns<Row> (figure: (row: Row) => QualifiedValue | null): Array<Column<Row>> {
  return [
    { name: 'value', description: 'the figure; for a total or ratio, computed from the stated values', value: (row) => figure(row)?.value ?? null },
    { name: 'comparator', description: '<, <=, >= or >, empty when none', value: (row) => figure(row)?.comparator ?? null },
    { name: 'lower', description: 'lower bound, empty when open or unknown', value: (row) => figure(row)?.lower ?? null },
    { name: 'upper', description: 'upper bound, empty when open or unknown', value: (row) => figure(row)?.upper ?? null },
    { name: 'lowerInclusive', description: 'true when the figure may equal lower', value: (row) => figure(row)?.lowerInclusive ?? null },
    { name: 'upperInclusive', description: 'true when the figure may equal upper', value: (row) => figure(row)?.upperInclusive ?? null },
    { name: 'approximate', description: 'true when the source hedges ("about", "nearly")', value: (row) => figure(row)?.approximate ?? null },
    { name: 'exact', description: 'true when stated (or computed from figures stated) without qualifier', value: (row) => figure(row)?.exact ?? null }
  ]
}

interface PeriodFields { kind: string, duration: string | null, start: string | null, end: string | null }

export function periodColumns<Row> (period: (row: Row) => PeriodFields): Array<Column<Row>> {
  return [
    { name: 'periodKind', description: 'annual, span, cumulative or point', value: (row) => period(row).kind },
    { name: 'periodDuration', description: 'ISO 8601 duration, when stated', value: (row) => period(row).duration },
    { name: 'periodStart', description: 'YYYY-MM-DD, when known', value: (row) => period(row).start },
    { name: 'periodEnd', description: 'YYYY-MM-DD, when known', value: (row) => period(row).end }
  ]
}

export function sourceColumns<Row> (source: (row: Row) => { title: string, quote: string } | null): Array<Column<Row>> {
  return [
    { name: 'sourceTitle', description: 'the source document', value: (row) => source(row)?.title ?? null },
    { name: 'sourceQuote', description: 'the sentence the figure was taken from, verbatim', value: (row) => source(row)?.quote ?? null }
  ]
}

/** A stated figure's bounds, as the statistics endpoints give them. */
function observationFigure (observation: ObservationBody): QualifiedValue {
  return describe(fromStated(observation.value, observation.comparator, observation.approximate))
}

export const observationColumns: Array<Column<ObservationBody>> = [
  { name: 'id', description: 'the figure\'s id', value: (row) => row.id },
  { name: 'department', description: 'unit slug', value: (row) => row.department.slug },
  { name: 'departmentName', description: 'unit name', value: (row) => row.department.name },
  { name: 'metric', description: 'metric code', value: (row) => row.metric.code },
  { name: 'metricName', description: 'metric name', value: (row) => row.metric.name },
  { name: 'unit', description: 'UCUM unit', value: (row) => row.metric.unit },
  { name: 'statedValue', description: 'the figure as written', value: (row) => row.statedValue },
  ...qualifierColumns(observationFigure),
  ...periodColumns((row: ObservationBody) => row.period),
  { name: 'periodLabel', description: 'the period as written', value: (row) => row.period.label },
  { name: 'statedOn', description: 'YYYY-MM-DD the source states, when it does', value: (row) => row.statedOn },
  { name: 'note', description: 'curator\'s note', value: (row) => row.note },
  ...sourceColumns((row: ObservationBody) => row.source),
  { name: 'sourceId', description: 'the source document\'s id: with sourceQuote, what an import of this row cites', value: (row) => row.source.id }
]
