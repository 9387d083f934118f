import type { Static } from 'typebox'
import { periodColumns, qualifierColumns, sourceColumns } from '../metrics/observation-csv.ts'
import type { CsvColumn } from '../../../lib/csv.ts'
import type { Analytics, Coverage, Ratios, Summary, Timeseries } from '../../../schemas/statistics.ts'
import { dimensionNames } from './analytics-dimensions.ts'

// The statistics as CSV rows: one row per fact, with the qualifier columns every figure has (lib/csv-tables.ts).

type Column<Row> = CsvColumn<Row>

type SummaryGroupBody = Static<typeof Summary>['data'][number]
type SummaryUnitBody = SummaryGroupBody['units'][number]
/** A summary row: a group's total (unit absent) or one unit's contribution to it. */
export interface SummaryRow { group: SummaryGroupBody, unit: SummaryUnitBody | null }

export const summaryColumns: Array<Column<SummaryRow>> = [
  { name: 'hospital', description: 'hospital slug', value: (row) => row.group.hospital.slug },
  { name: 'metric', description: 'metric code', value: (row) => row.group.metric.code },
  { name: 'metricName', description: 'metric name', value: (row) => row.group.metric.name },
  { name: 'unit', description: 'UCUM unit', value: (row) => row.group.metric.unit },
  ...periodColumns((row: SummaryRow) => row.group.period),
  { name: 'scope', description: '`total` for the group\'s total, `department` for one unit\'s figure', value: (row) => (row.unit === null ? 'total' : 'department') },
  { name: 'department', description: 'unit slug, empty on a total row', value: (row) => row.unit?.department.slug ?? null },
  { name: 'departmentName', description: 'unit name, empty on a total row', value: (row) => row.unit?.department.name ?? null },
  { name: 'statedValue', description: 'the unit\'s figure as written, empty on a total row', value: (row) => row.unit?.statedValue ?? null },
  ...qualifierColumns((row: SummaryRow) => (row.unit === null ? row.group.total : row.unit.figure)),
  { name: 'totalAbsent', description: 'on a total row without a total, why', value: (row) => (row.unit === null ? row.group.totalAbsent : null) },
  { name: 'statedOn', description: 'YYYY-MM-DD the unit\'s source states', value: (row) => row.unit?.statedOn ?? null },
  { name: 'observationIds', description: 'the figures used, space-separated', value: (row) => (row.unit === null ? row.group.units.map((unit) => unit.observationId).join(' ') : row.unit.observationId) },
  ...sourceColumns((row: SummaryRow) => row.unit?.source ?? null)
]

/** A group's total row, then one row per unit: every unit, as the CSV asks PostgreSQL for them all. */
export function summaryRows (groups: readonly SummaryGroupBody[]): SummaryRow[] {
  return groups.flatMap((group) => [{ group, unit: null }, ...group.units.map((unit) => ({ group, unit }))])
}

type UnitRatiosBody = Static<typeof Ratios>['data'][number]
export interface RatioRow { unit: UnitRatiosBody, ratio: UnitRatiosBody['ratios'][number] }

export const ratioColumns: Array<Column<RatioRow>> = [
  { name: 'hospital', description: 'hospital slug', value: (row) => row.unit.hospital.slug },
  { name: 'department', description: 'unit slug', value: (row) => row.unit.department.slug },
  { name: 'departmentName', description: 'unit name', value: (row) => row.unit.department.name },
  { name: 'ratio', description: 'ratio code', value: (row) => row.ratio.code },
  { name: 'ratioName', description: 'ratio name', value: (row) => row.ratio.name },
  { name: 'formula', description: 'numerator / denominator metric codes', value: (row) => row.ratio.formula },
  { name: 'unit', description: 'UCUM unit of the ratio', value: (row) => row.ratio.unit },
  ...qualifierColumns((row: RatioRow) => row.ratio.value),
  { name: 'absent', description: 'why there is no value, when there is none', value: (row) => row.ratio.absent },
  { name: 'numeratorStatedValue', description: 'the numerator as written', value: (row) => row.ratio.inputs[0]?.statedValue ?? null },
  { name: 'numeratorQuote', description: 'the numerator\'s source sentence', value: (row) => row.ratio.inputs[0]?.source.quote ?? null },
  { name: 'denominatorStatedValue', description: 'the denominator as written', value: (row) => row.ratio.inputs[1]?.statedValue ?? null },
  { name: 'denominatorQuote', description: 'the denominator\'s source sentence', value: (row) => row.ratio.inputs[1]?.source.quote ?? null },
  { name: 'observationIds', description: 'the numerator\'s and denominator\'s figure ids, space-separated', value: (row) => row.ratio.inputs.map((input) => input.observationId).join(' ') }
]

export function ratioRows (units: readonly UnitRatiosBody[]): RatioRow[] {
  return units.flatMap((unit) => unit.ratios.map((ratio) => ({ unit, ratio })))
}

type TimeseriesBody = Static<typeof Timeseries>
export interface TimeseriesRow { metric: TimeseriesBody['metric'], point: TimeseriesBody['data'][number] }

export const timeseriesColumns: Array<Column<TimeseriesRow>> = [
  { name: 'metric', description: 'metric code', value: (row) => row.metric.code },
  { name: 'unit', description: 'UCUM unit', value: (row) => row.metric.unit },
  { name: 'at', description: 'YYYY-MM-DD where to plot the point; empty when undated', value: (row) => row.point.at },
  { name: 'department', description: 'unit slug', value: (row) => row.point.department.slug },
  { name: 'departmentName', description: 'unit name', value: (row) => row.point.department.name },
  { name: 'statedValue', description: 'the figure as written', value: (row) => row.point.statedValue },
  ...qualifierColumns((row: TimeseriesRow) => row.point.figure),
  ...periodColumns((row: TimeseriesRow) => row.point.period),
  { name: 'statedOn', description: 'YYYY-MM-DD the source states', value: (row) => row.point.statedOn },
  { name: 'observationId', description: 'the figure\'s id', value: (row) => row.point.observationId },
  ...sourceColumns((row: TimeseriesRow) => row.point.source)
]

export function timeseriesRows (series: Pick<TimeseriesBody, 'metric' | 'data'>): TimeseriesRow[] {
  return series.data.map((point) => ({ metric: series.metric, point }))
}

type UnitCoverageBody = Static<typeof Coverage>['data'][number]

export const coverageColumns: Array<Column<UnitCoverageBody>> = [
  { name: 'hospital', description: 'hospital slug', value: (row) => row.hospital.slug },
  { name: 'department', description: 'unit slug', value: (row) => row.department.slug },
  { name: 'departmentName', description: 'unit name', value: (row) => row.department.name },
  { name: 'kind', description: 'division, department or center', value: (row) => row.department.kind },
  { name: 'reportedCount', description: 'metrics reported', value: (row) => row.reported.length },
  { name: 'missingCount', description: 'metrics missing', value: (row) => row.missing.length },
  { name: 'completeness', description: 'reportedCount / (reportedCount + missingCount)', value: (row) => row.completeness },
  { name: 'reported', description: 'metric codes reported, space-separated', value: (row) => row.reported.join(' ') },
  { name: 'missing', description: 'metric codes missing, space-separated', value: (row) => row.missing.join(' ') }
]

type AnalyticsCellBody = Static<typeof Analytics>['data'][number]

/** One row per cell: a column for every dimension (empty when the cells are not grouped by it). */
export const analyticsColumns: Array<Column<AnalyticsCellBody>> = [
  { name: 'metric', description: 'metric code', value: (cell) => cell.metric },
  { name: 'year', description: 'the year the figures\' periods end in', value: (cell) => cell.period.year },
  { name: 'periodKind', description: 'annual, span, cumulative or point', value: (cell) => cell.period.kind },
  { name: 'periodDuration', description: 'ISO 8601 duration, when stated', value: (cell) => cell.period.duration },
  ...dimensionNames.map((name): Column<AnalyticsCellBody> => ({
    name, description: `${name} slug, empty when not grouped by ${name}`, value: (cell) => cell[name]?.slug ?? null
  })),
  ...qualifierColumns((cell: AnalyticsCellBody) => cell.value),
  { name: 'absent', description: 'why there is no value, when there is none', value: (cell) => cell.absent },
  { name: 'count', description: 'how many figures the cell totals', value: (cell) => cell.count },
  { name: 'rank', description: 'place by value among the cells of its metric and period', value: (cell) => cell.rank?.position ?? null },
  { name: 'rankOf', description: 'how many cells are ranked', value: (cell) => cell.rank?.of ?? null },
  { name: 'rankBest', description: 'the best place the intervals allow', value: (cell) => cell.rank?.best ?? null },
  { name: 'rankWorst', description: 'the worst place the intervals allow', value: (cell) => cell.rank?.worst ?? null },
  { name: 'rankUncertain', description: 'true when its interval overlaps another cell\'s', value: (cell) => cell.rank?.uncertain ?? null },
  { name: 'overlaps', description: 'the members it overlaps (at most 10), space-separated', value: (cell) => cell.rank?.overlaps.join(' ') ?? null },
  { name: 'changeFromYear', description: 'the year the change is from', value: (cell) => cell.change?.fromYear ?? null },
  { name: 'changeLower', description: 'lower bound of the difference, empty when unknown', value: (cell) => cell.change?.difference.lower ?? null },
  { name: 'changeValue', description: 'the difference of the values', value: (cell) => cell.change?.difference.value ?? null },
  { name: 'changeUpper', description: 'upper bound of the difference, empty when unknown', value: (cell) => cell.change?.difference.upper ?? null },
  { name: 'ratioLower', description: 'lower bound of this year over the previous, empty when unknown', value: (cell) => cell.change?.ratio?.lower ?? null },
  { name: 'ratioValue', description: 'this year\'s value over the previous', value: (cell) => cell.change?.ratio?.value ?? null },
  { name: 'ratioUpper', description: 'upper bound of this year over the previous, empty when unknown', value: (cell) => cell.change?.ratio?.upper ?? null },
  { name: 'observationIds', description: 'the figures totalled (the first 20), space-separated', value: (cell) => cell.observationIds.join(' ') }
]
