import { Prisma, type PrismaClient } from '../../../generated/prisma/client.ts'
import { withLiterals } from '../../../lib/json-sql.ts'
import { latestFirst, periodEnd, periodEndWithin } from '../metrics/figure-groups.ts'
import { analyticsDimensions, type DimensionName, type GroupByName } from './analytics-dimensions.ts'
import {
  certainlyAbove, differenceInterval, intervalColumns, intervalFrom, isExact, qualifiedJson, ratioAbsent, ratioInterval,
  statedInterval, sumInterval, type IntervalParts
} from './qualified-sql.ts'
import { unknownValues, type UnknownValue } from './scope-sql.ts'
import { notSummed } from './summary-sql.ts'

// The analytics: a slice of metric × year × dimension members (hospital, department, ...), one cell per group, in one
// statement per page. PostgreSQL
//   1. picks, for each unit, metric, year and period (kind and duration), the figure that counts: the one whose period
//      ends last in the year, then the latest stated, then the latest entered (figure-groups.ts's rule), read from
//      the covering index on (metric_id, unit_id) so that a metric over every hospital never touches the table;
//   2. totals them per cell (qualified-sql.ts's sum: bounds, qualifier, count, the ids of the first figures);
//   3. ranks the cells of each metric and year by value and counts, for each, the cells certainly above and below it
//      (window counts of lower and upper bounds at and beyond its value: qualified.ts's `certainlyAbove`, counted),
//      then, for the page's cells only, names the overlapping cells among the nearest places;
//   4. sets each cell beside the cell of the year before (read even when that year was not asked for) for the change,
//      as the interval of the difference and of the ratio;
//   5. writes the page as JSON text, with the key of its last cell when more follow, and the filter values that name
//      nothing (the caller answers 400 with them).
// A figure's year is the year its period ends (or, when it states no end, the year it was stated: periodEnd).

type Database = Pick<PrismaClient, '$queryRawUnsafe'>

/** How many figure ids a cell lists (every one when it has no more); `links.breakdown` lists every figure. */
export const idsPerCell = 20
/**
 * How many places either side of a cell its rank looks at to name the cells it overlaps (nearest in value first);
 * `overlapCount` counts every one. Looking further would compare each cell of a page with every cell of its year.
 */
export const overlapsPerCell = 10

export interface AnalyticsSlice {
  metrics: string[]
  /** Years to answer; undefined: every year. */
  years?: number[]
  filters: Partial<Record<DimensionName, string[]>>
  /** The cells' dimensions in sort order: always holds `metric` and `period`. */
  groupBy: GroupByName[]
}

export interface AnalyticsPage {
  unknown: UnknownValue[] | null
  /** The definitions of the metrics asked for, as a JSON array. */
  metrics: string
  /** The page's cells, as a JSON array. */
  data: string
  nextKey: string[] | null
}

/** The date ranges [from, to) that cover these years (consecutive years merged). */
function yearRanges (years: readonly number[]): Array<[string, string]> {
  const sorted = [...new Set(years)].sort((a, b) => a - b)
  const ranges: Array<[number, number]> = []
  for (const year of sorted) {
    const last = ranges.at(-1)
    if (last !== undefined && last[1] === year) last[1] = year + 1
    else ranges.push([year, year + 1])
  }
  const date = (year: number) => `${String(year).padStart(4, '0')}-01-01`
  return ranges.map(([from, to]) => [date(from), date(to)])
}

function dimensionColumn (name: DimensionName): Prisma.Sql {
  return Prisma.raw(`d_${name}`)
}

function on (alias: string, column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}.${column}`
}

/** A cell's sort key, as text[] in `groupBy`'s order; the year is zero-padded so that it sorts as text. */
function sortKey (groupBy: readonly GroupByName[], alias: string): Prisma.Sql {
  const parts = groupBy.flatMap((name) => {
    if (name === 'metric') return [on(alias, Prisma.sql`metric_code`)]
    if (name === 'period') return [Prisma.sql`lpad(${on(alias, Prisma.sql`year`)}::text, 4, '0')`, Prisma.sql`${on(alias, Prisma.sql`period_kind`)}::text`, on(alias, Prisma.sql`duration_key`)]
    return [on(alias, dimensionColumn(name))]
  })
  return Prisma.sql`ARRAY[${Prisma.join(parts)}]::text[]`
}

/** The query string a cell's breakdown link starts with: its metric, year and members, the other filters as asked. */
function breakdownLink (slice: AnalyticsSlice, dimensions: readonly DimensionName[]): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`'/v1/statistics/analytics?metric=' || p.metric_code || '&period=' || p.year`
  ]
  for (const name of Object.keys(analyticsDimensions) as DimensionName[]) {
    if (dimensions.includes(name)) parts.push(Prisma.sql`${`&${name}=`} || ${on('p', dimensionColumn(name))}`)
    else if (slice.filters[name] !== undefined) parts.push(Prisma.sql`${`&${name}=${slice.filters[name].join(',')}`}`)
  }
  parts.push(Prisma.sql`'&groupBy=department'`)
  return Prisma.join(parts, ' || ')
}

/** A page of cells after the cell with key `after`, `limit` of them. */
export async function analyticsPage (db: Database, slice: AnalyticsSlice, page: { after: string[] | null, limit: number }): Promise<AnalyticsPage> {
  const dimensions = slice.groupBy.filter((name): name is DimensionName => name !== 'metric' && name !== 'period')
  const filtered = (Object.keys(slice.filters) as DimensionName[]).filter((name) => slice.filters[name] !== undefined)
  const checks = [
    unknownValues.metric(slice.metrics),
    ...filtered.map((name) => analyticsDimensions[name].unknown(slice.filters[name]!))
  ]
  const conditions: Prisma.Sql[] = []
  if (filtered.length > 0) {
    conditions.push(Prisma.sql`o.unit_id IN (SELECT u.id FROM unit u JOIN hospital h ON h.id = u.hospital_id
      WHERE ${Prisma.join(filtered.map((name) => analyticsDimensions[name].filter(slice.filters[name]!)), ' AND ')})`)
  }
  if (slice.years !== undefined) {
    // The year before each year asked for is read too, for the change from it.
    const ranges = yearRanges([...slice.years, ...slice.years.map((year) => year - 1)])
    conditions.push(Prisma.sql`(${Prisma.join(ranges.map(([from, to]) => periodEndWithin('o', from, to)), ' OR ')})`)
  } else {
    conditions.push(Prisma.sql`${periodEnd('o')} IS NOT NULL`)
  }
  const year = Prisma.sql`extract(year FROM ${periodEnd('o')})::int`
  const keys = dimensions.map((name) => Prisma.sql`${analyticsDimensions[name].key} AS ${dimensionColumn(name)}`)
  const keyColumns = dimensions.map((name) => dimensionColumn(name))
  const figure = statedInterval(Prisma.sql`f.value`, Prisma.sql`f.comparator::text`, Prisma.sql`f.approximate`)
  const total = intervalFrom('p', 'total')
  const previous = intervalFrom('b', 'total')
  const other = intervalFrom('q', 'total')
  const ranked = dimensions.length > 0
  const partition = (alias: string) => Prisma.sql`${Prisma.raw(alias)}.metric_id, ${Prisma.raw(alias)}.year, ${Prisma.raw(alias)}.period_kind, ${Prisma.raw(alias)}.duration_key`
  const samePartition = (a: string, b: string) => Prisma.sql`${Prisma.raw(a)}.metric_id = ${Prisma.raw(b)}.metric_id AND ${Prisma.raw(a)}.year = ${Prisma.raw(b)}.year
    AND ${Prisma.raw(a)}.period_kind = ${Prisma.raw(b)}.period_kind AND ${Prisma.raw(a)}.duration_key = ${Prisma.raw(b)}.duration_key`
  const tie = (a: IntervalParts, b: IntervalParts) => Prisma.sql`(${isExact(a)} AND ${isExact(b)} AND ${a.value} = ${b.value})`
  const overlapping = Prisma.sql`NOT ${certainlyAbove(other, total)} AND NOT ${certainlyAbove(total, other)} AND NOT ${tie(other, total)}`
  const label = dimensions.length === 0 ? Prisma.sql`''` : Prisma.sql`concat_ws('/', ${Prisma.join(keyColumns.map((column) => on('q', column)))})`
  const direction = Prisma.sql`CASE WHEN total_has_lower AND NOT total_has_upper THEN 1 WHEN total_has_upper AND NOT total_has_lower THEN -1 ELSE 0 END`
  const after = page.after === null ? Prisma.empty : Prisma.sql`WHERE sort_key > ARRAY[${Prisma.join(page.after)}]::text[] COLLATE "C"`
  const members = dimensions.map((name) => Prisma.sql`${name}, ${analyticsDimensions[name].member(on('p', dimensionColumn(name)))}`)

  const statement = Prisma.sql`
    WITH latest AS (${Prisma.join(slice.metrics.map((code) => Prisma.sql`(
      SELECT DISTINCT ON (o.unit_id, ${year}, o.period_kind, COALESCE(o.period_duration, ''))
        o.id, o.metric_id, o.unit_id, ${year} AS year, o.period_kind, COALESCE(o.period_duration, '') AS duration_key,
        o.value, o.comparator, o.approximate
      FROM metric_observation o
      WHERE o.metric_id = (SELECT id FROM metric_definition WHERE code = ${code}) AND ${Prisma.join(conditions, ' AND ')}
      ORDER BY o.unit_id, ${year}, o.period_kind, COALESCE(o.period_duration, ''), ${periodEnd('o')} DESC, ${latestFirst('o')})`), ' UNION ALL ')}
    ), figures AS (
      SELECT f.* ${keys.length === 0 ? Prisma.empty : Prisma.sql`, ${Prisma.join(keys)}`}
      FROM latest f
      JOIN unit u ON u.id = f.unit_id
      JOIN hospital h ON h.id = u.hospital_id
    ), cells AS (
      SELECT f.metric_id, f.year, f.period_kind, f.duration_key ${keyColumns.length === 0 ? Prisma.empty : Prisma.sql`, ${Prisma.join(keyColumns.map((column) => on('f', column)))}`},
        count(*)::int AS figure_count,
        ${intervalColumns(sumInterval(figure), 'total')}
      FROM figures f
      GROUP BY f.metric_id, f.year, f.period_kind, f.duration_key ${keyColumns.length === 0 ? Prisma.empty : Prisma.sql`, ${Prisma.join(keyColumns.map((column) => on('f', column)))}`}
    ), shown AS MATERIALIZED (
      SELECT c.*, m.code AS metric_code, m.name AS metric_name,
        (m.additive OR c.figure_count = 1) AS has_value
      FROM cells c JOIN metric_definition m ON m.id = c.metric_id
    ), ordered AS (
      SELECT s.*, ${sortKey(slice.groupBy, 's')} COLLATE "C" AS sort_key,
        CASE WHEN s.has_value THEN rank() OVER (PARTITION BY ${partition('s')}, s.has_value ORDER BY s.total_value DESC, ${direction} DESC) END AS position,
        count(*) FILTER (WHERE s.has_value) OVER (PARTITION BY ${partition('s')}) AS ranked_count,
        row_number() OVER (PARTITION BY ${partition('s')}, s.has_value ORDER BY s.total_value DESC, ${direction} DESC, ${sortKey(slice.groupBy, 's')} COLLATE "C") AS place,
        -- Cells with a lower (upper) bound above (below) this value, and at it: what certainlyAbove counts.
        count(*) FILTER (WHERE s.has_value AND s.total_has_lower) OVER (PARTITION BY ${partition('s')} ORDER BY s.total_value DESC RANGE UNBOUNDED PRECEDING) AS lower_from_top,
        count(*) FILTER (WHERE s.has_value AND s.total_has_upper) OVER (PARTITION BY ${partition('s')} ORDER BY s.total_value RANGE UNBOUNDED PRECEDING) AS upper_from_bottom,
        count(*) FILTER (WHERE s.has_value AND s.total_has_lower) OVER (PARTITION BY ${partition('s')}, s.total_value) AS lower_at,
        count(*) FILTER (WHERE s.has_value AND s.total_has_lower AND NOT s.total_lower_inclusive) OVER (PARTITION BY ${partition('s')}, s.total_value) AS strict_lower_at,
        count(*) FILTER (WHERE s.has_value AND s.total_has_upper) OVER (PARTITION BY ${partition('s')}, s.total_value) AS upper_at,
        count(*) FILTER (WHERE s.has_value AND s.total_has_upper AND NOT s.total_upper_inclusive) OVER (PARTITION BY ${partition('s')}, s.total_value) AS strict_upper_at,
        count(*) FILTER (WHERE s.has_value AND ${isExact(intervalFrom('s', 'total'))}) OVER (PARTITION BY ${partition('s')}, s.total_value) AS exact_at
      FROM shown s
      ${slice.years === undefined ? Prisma.empty : Prisma.sql`WHERE s.year IN (${Prisma.join(slice.years)})`}
    ), compared AS (
      SELECT o.*,
        CASE WHEN o.total_has_upper THEN o.lower_from_top - o.lower_at + CASE WHEN o.total_upper_inclusive THEN o.strict_lower_at ELSE o.lower_at END ELSE 0 END AS above,
        CASE WHEN o.total_has_lower THEN o.upper_from_bottom - o.upper_at + CASE WHEN o.total_lower_inclusive THEN o.strict_upper_at ELSE o.upper_at END ELSE 0 END AS below,
        CASE WHEN ${isExact(intervalFrom('o', 'total'))} THEN o.exact_at - 1 ELSE 0 END AS ties
      FROM ordered o
    ), page AS (
      SELECT * FROM compared ${after} ORDER BY sort_key LIMIT ${page.limit + 1}::int
    ), numbered AS (
      SELECT page.*, row_number() OVER (ORDER BY sort_key) AS ordinal FROM page
    ), page_ids AS MATERIALIZED (
      SELECT p.ordinal, (array_agg(f.id ORDER BY f.id))[1:${idsPerCell}::int] AS ids
      FROM numbered p JOIN figures f ON f.metric_id = p.metric_id AND f.year = p.year AND f.period_kind = p.period_kind
        AND f.duration_key = p.duration_key ${keyColumns.length === 0 ? Prisma.empty : Prisma.join(keyColumns.map((column) => Prisma.sql`AND ${on('f', column)} = ${on('p', column)}`), ' ')}
      GROUP BY p.ordinal
    )
    SELECT
      (SELECT json_agg(json_build_object('parameter', parameter, 'value', value)) FROM (${Prisma.join(checks, ' UNION ALL ')}) unknown) AS unknown,
      (SELECT json_agg(json_build_object('code', code, 'name', name, 'unit', unit, 'unitLabel', unit_label, 'category', category,
          'additive', additive) ORDER BY code)
        FROM metric_definition WHERE code IN (${Prisma.join(slice.metrics)}))::text AS metrics,
      (SELECT json_agg(json_build_object(
        'metric', p.metric_code,
        'period', json_build_object('year', p.year, 'kind', p.period_kind, 'duration', NULLIF(p.duration_key, '')),
        ${members.length === 0 ? Prisma.empty : Prisma.sql`${Prisma.join(members)},`}
        'value', CASE WHEN p.has_value THEN ${qualifiedJson(total)} END,
        'absent', CASE WHEN NOT p.has_value THEN ${notSummed(Prisma.sql`p.metric_name`)} END,
        'count', p.figure_count,
        'rank', ${ranked ? Prisma.sql`CASE WHEN p.has_value THEN json_build_object(
          'position', p.position, 'of', p.ranked_count,
          'best', 1 + p.above, 'worst', p.ranked_count - p.below - p.ties,
          'uncertain', p.ranked_count - 1 - p.above - p.below - p.ties > 0, 'overlapCount', p.ranked_count - 1 - p.above - p.below - p.ties,
          'overlaps', COALESCE(r.overlaps, ARRAY[]::text[])) END` : Prisma.sql`NULL`},
        'change', CASE WHEN p.has_value AND b.has_value THEN json_build_object(
          'fromYear', b.year, 'fromCount', b.figure_count, 'from', ${qualifiedJson(previous)},
          'difference', ${qualifiedJson(differenceInterval(total, previous))},
          'ratio', CASE WHEN ${previous.value} <> 0 THEN ${qualifiedJson(ratioInterval(total, previous))} END,
          'ratioAbsent', ${ratioAbsent(previous)}) END,
        'observationIds', (SELECT to_json(i.ids) FROM page_ids i WHERE i.ordinal = p.ordinal),
        'links', json_build_object('breakdown', ${dimensions.includes('department') ? Prisma.sql`NULL` : breakdownLink(slice, dimensions)})
      ) ORDER BY p.ordinal)
      FROM numbered p
      LEFT JOIN shown b ON b.year = p.year - 1 AND b.metric_id = p.metric_id AND b.period_kind = p.period_kind AND b.duration_key = p.duration_key
        ${keyColumns.length === 0 ? Prisma.empty : Prisma.join(keyColumns.map((column) => Prisma.sql`AND ${on('b', column)} = ${on('p', column)}`), ' ')}
      ${ranked
        ? Prisma.sql`LEFT JOIN LATERAL (
        SELECT (array_agg(${label} ORDER BY abs(q.total_value - p.total_value), q.sort_key))[1:${overlapsPerCell}::int] AS overlaps
        FROM ordered q WHERE ${samePartition('q', 'p')} AND q.has_value AND q.place <> p.place
          AND q.place BETWEEN p.place - ${overlapsPerCell}::int AND p.place + ${overlapsPerCell}::int AND ${overlapping}
      ) r ON p.has_value AND p.ranked_count - 1 - p.above - p.below - p.ties > 0`
        : Prisma.empty}
      WHERE p.ordinal <= ${page.limit}::int)::text AS data,
      (SELECT to_json(p.sort_key) FROM numbered p WHERE p.ordinal = ${page.limit}::int
        AND EXISTS (SELECT 1 FROM numbered q WHERE q.ordinal > ${page.limit}::int)) AS "nextKey"`
  const rows = await db.$queryRawUnsafe<Array<{ unknown: UnknownValue[] | null, metrics: string | null, data: string | null, nextKey: string[] | null }>>(withLiterals(statement))
  const row = rows[0]
  return { unknown: row?.unknown ?? null, metrics: row?.metrics ?? '[]', data: row?.data ?? '[]', nextKey: row?.nextKey ?? null }
}
