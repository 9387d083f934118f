import { Prisma, type MetricCategory, type PeriodKind, type PrismaClient } from '../../../generated/prisma/client.ts'
import { withLiterals } from '../../../lib/json-sql.ts'
import { intervalColumns, intervalFrom, qualifiedJson, statedInterval, sumInterval } from './qualified-sql.ts'
import { latestFirst as latestFigureFirst } from '../metrics/figure-groups.ts'

// The summary, built by PostgreSQL as JSON text: one statement per page of groups and one per page of a group's
// units. A group is a hospital, a metric and a period (kind, duration, window); it totals each unit's latest figure
// for that period. Groups are ordered by hospital, then metric code, period kind, duration, start and end, and the
// page is found hospital by hospital: PostgreSQL walks the hospitals in slug order (their unique index), totals one
// hospital's figures at a time (a lateral subquery, which sorts that hospital's groups) and stops once the page is
// full, so a page costs a few hospitals' figures however many hospitals there are. The page has no ORDER BY of its own:
// the nested loop yields the groups in order already (hospitals by slug, each one's groups as its subquery sorts
// them), and a sort on top, even an incremental one, reads the first group of the hospital after the page to see
// where the last one ends, which costs that whole hospital's totals (half of a page's time at 500 hospitals).

type Database = Pick<PrismaClient, '$queryRaw' | '$queryRawUnsafe'>

export interface SummaryScope {
  /** Hospital slugs: groups of any of them. */
  hospitals?: string[]
  /** The units a department filter covers (the unit and those below it). */
  unitIds?: string[]
  category?: MetricCategory
  metricCodes?: string[]
  periodKind?: PeriodKind
}

/**
 * Where a page starts: the key of the last group of the previous page (hospital slug, metric code, period kind,
 * duration or '', start and end as YYYY-MM-DD or -infinity when not stated).
 */
export type GroupKey = [string, string, string, string, string, string]

export const firstGroupKey: GroupKey = ['', '', '', '', '-infinity', '-infinity']

/** Passing no limit on a group's units: every unit (CSV). */
export const allUnits = 2_147_483_647

/** The figure that counts when a unit states one more than once: the latest stated, then the latest entered. */
const latestFirst = latestFigureFirst('o')

function within (column: Prisma.Sql, values: readonly string[]): Prisma.Sql {
  return values.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`${column} IN (${Prisma.join(values)})`
}

/** The conditions on a figure (alias o) of a unit (alias u) that the filters set, as a list to AND together. */
function figureConditions (scope: SummaryScope): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = []
  if (scope.unitIds !== undefined) conditions.push(within(Prisma.sql`u.id`, scope.unitIds.map(String)))
  if (scope.periodKind !== undefined) conditions.push(Prisma.sql`o.period_kind = ${scope.periodKind}::"PeriodKind"`)
  const metric: Prisma.Sql[] = []
  if (scope.metricCodes !== undefined) metric.push(within(Prisma.sql`code`, scope.metricCodes))
  if (scope.category !== undefined) metric.push(Prisma.sql`category = ${scope.category}::"MetricCategory"`)
  if (metric.length > 0) conditions.push(Prisma.sql`o.metric_id IN (SELECT id FROM metric_definition WHERE ${Prisma.join(metric, ' AND ')})`)
  return conditions
}

function and (conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}`
}

/** Why a metric that is an average or a rate (not additive) has no total, for its name. */
export function notSummed (metricName: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${metricName} || ' is an average or a rate: it cannot be summed across units.'`
}

/** One unit's contribution to a group, as the API shows it, for the figure with id `id`. */
function unitFigureJson (id: Prisma.Sql): Prisma.Sql {
  const figure = qualifiedJson(statedInterval(Prisma.sql`f.value`, Prisma.sql`f.comparator::text`, Prisma.sql`f.approximate`))
  return Prisma.sql`(SELECT json_build_object(
      'department', json_build_object('slug', fu.slug, 'name', fu.name, 'kind', fu.kind),
      'figure', ${figure},
      'statedValue', f.stated_value,
      'statedOn', f.stated_on,
      'observationId', f.id,
      'source', json_build_object('id', fs.id, 'title', fs.title, 'statedOn', fs.stated_on, 'quote', f.quote))
    FROM metric_observation f JOIN unit fu ON fu.id = f.unit_id JOIN source_document fs ON fs.id = f.source_id
    WHERE f.id = ${id})`
}

/** The link to every unit of a group: /v1/statistics/summary/units with the group's key (and the department filter). */
function unitsLink (department: string | undefined): Prisma.Sql {
  return Prisma.sql`'/v1/statistics/summary/units?hospital=' || p.hospital_slug || '&metric=' || p.metric_code ||
    '&periodKind=' || p.period_kind ||
    CASE WHEN p.duration_key <> '' THEN '&periodDuration=' || p.duration_key ELSE '' END ||
    CASE WHEN p.period_start IS NOT NULL THEN '&periodStart=' || to_char(p.period_start, 'YYYY-MM-DD') ELSE '' END ||
    CASE WHEN p.period_end IS NOT NULL THEN '&periodEnd=' || to_char(p.period_end, 'YYYY-MM-DD') ELSE '' END ||
    ${department === undefined ? '' : `&department=${department}`}`
}

export interface SummaryPage {
  /** The page's groups: a JSON array, as PostgreSQL wrote it. */
  data: string
  /** The key of the page's last group when another page follows. */
  nextKey: GroupKey | null
}

/**
 * A page of groups after `after`, each with its total over every unit, its unit count and its first `units` units
 * (by slug).
 */
export async function summaryPage (db: Database, scope: SummaryScope & { department?: string },
  page: { after: GroupKey, limit: number, units: number }): Promise<SummaryPage> {
  const row = statedInterval(Prisma.sql`l.value`, Prisma.sql`l.comparator::text`, Prisma.sql`l.approximate`)
  const total = intervalFrom('p', 'total')
  const [after0, after1, after2, after3, after4, after5] = page.after
  const rows = await db.$queryRawUnsafe<Array<{ data: string | null, nextKey: GroupKey | null }>>(withLiterals(Prisma.sql`
    WITH page AS (SELECT groups.*, row_number() OVER () AS ordinal FROM (
      SELECT h.slug AS hospital_slug, h.name AS hospital_name, h.short_name AS hospital_short_name, g.*
      FROM (SELECT * FROM hospital ORDER BY slug) h
      CROSS JOIN LATERAL (
        SELECT m.code AS metric_code, m.name AS metric_name, m.unit AS metric_unit, m.unit_label AS metric_unit_label,
          m.category::text AS metric_category, m.additive,
          l.period_kind::text AS period_kind, l.duration_key, l.period_start, l.period_end,
          COALESCE(l.period_start, '-infinity'::date) AS start_key, COALESCE(l.period_end, '-infinity'::date) AS end_key,
          count(*)::int AS unit_count,
          ${intervalColumns(sumInterval(row), 'total')},
          json_agg(${unitFigureJson(Prisma.sql`l.id`)} ORDER BY l.unit_slug) FILTER (WHERE l.position <= ${page.units}::int) AS units
        FROM (
          SELECT latest.*, row_number() OVER (
            PARTITION BY latest.metric_id, latest.period_kind, latest.duration_key, latest.period_start, latest.period_end
            ORDER BY latest.unit_slug) AS position
          FROM (
            SELECT DISTINCT ON (o.metric_id, o.period_kind, COALESCE(o.period_duration, ''), o.period_start, o.period_end, o.unit_id)
              o.id, o.metric_id, o.period_kind, COALESCE(o.period_duration, '') AS duration_key, o.period_start, o.period_end,
              o.value, o.comparator, o.approximate, u.slug AS unit_slug
            FROM unit u JOIN metric_observation o ON o.unit_id = u.id
            WHERE u.hospital_id = h.id ${and(figureConditions(scope))}
            ORDER BY o.metric_id, o.period_kind, COALESCE(o.period_duration, ''), o.period_start, o.period_end, o.unit_id, ${latestFirst}
          ) latest
        ) l
        JOIN metric_definition m ON m.id = l.metric_id
        GROUP BY m.id, l.period_kind, l.duration_key, l.period_start, l.period_end
        ORDER BY m.code, l.period_kind::text, l.duration_key, start_key, end_key
      ) g
      WHERE h.slug >= ${after0} ${scope.hospitals === undefined ? Prisma.empty : Prisma.sql`AND ${within(Prisma.sql`h.slug`, scope.hospitals)}`}
        AND (h.slug, g.metric_code, g.period_kind, g.duration_key, g.start_key, g.end_key) >
          (${after0}, ${after1}, ${after2}, ${after3}, ${after4}::date, ${after5}::date)
      LIMIT ${page.limit + 1}::int
    ) groups)
    SELECT
      (SELECT json_agg(json_build_object(
        'hospital', json_build_object('slug', p.hospital_slug, 'name', p.hospital_name, 'shortName', p.hospital_short_name),
        'metric', json_build_object('code', p.metric_code, 'name', p.metric_name, 'unit', p.metric_unit,
          'unitLabel', p.metric_unit_label, 'category', p.metric_category),
        'additive', p.additive,
        'period', json_build_object('kind', p.period_kind, 'duration', NULLIF(p.duration_key, ''), 'start', p.period_start, 'end', p.period_end),
        'total', CASE WHEN p.additive THEN ${qualifiedJson(total)} END,
        'totalAbsent', CASE WHEN NOT p.additive THEN ${notSummed(Prisma.sql`p.metric_name`)} END,
        'unitCount', p.unit_count,
        'units', COALESCE(p.units, '[]'::json),
        'links', json_build_object('units', ${unitsLink(scope.department)})
      ) ORDER BY p.ordinal) FROM page p WHERE p.ordinal <= ${page.limit}::int)::text AS data,
      (SELECT json_build_array(p.hospital_slug, p.metric_code, p.period_kind, p.duration_key, p.start_key::text, p.end_key::text)
        FROM page p WHERE p.ordinal = ${page.limit}::int AND EXISTS (SELECT 1 FROM page q WHERE q.ordinal > ${page.limit}::int)) AS "nextKey"`))
  const result = rows[0]
  return { data: result?.data ?? '[]', nextKey: result?.nextKey ?? null }
}

/** A group, as the units link names it: the hospital, the metric and the period, every part of which must match. */
export interface GroupIdentity {
  hospital: string
  metric: string
  periodKind: PeriodKind
  /** '' when the group's figures state none. */
  periodDuration: string
  periodStart: string | null
  periodEnd: string | null
}

/** A page of a group's units (each unit's latest figure for the period) after the unit with slug `after`, by slug. */
export async function summaryUnitsPage (db: Database, group: GroupIdentity & { unitIds?: string[] },
  page: { after: string, limit: number }): Promise<{ data: string, nextKey: string | null }> {
  const unitCondition = group.unitIds === undefined ? Prisma.empty : Prisma.sql`AND ${within(Prisma.sql`u.id`, group.unitIds)}`
  const rows = await db.$queryRaw<Array<{ data: string | null, nextKey: string | null }>>`
    WITH page AS (
      SELECT latest.id, latest.unit_slug, row_number() OVER (ORDER BY latest.unit_slug) AS ordinal
      FROM (
        SELECT DISTINCT ON (u.slug) o.id, u.slug AS unit_slug
        FROM hospital h
        JOIN unit u ON u.hospital_id = h.id
        JOIN metric_observation o ON o.unit_id = u.id
        WHERE h.slug = ${group.hospital}
          AND o.metric_id = (SELECT id FROM metric_definition WHERE code = ${group.metric})
          AND o.period_kind = ${group.periodKind}::"PeriodKind"
          AND COALESCE(o.period_duration, '') = ${group.periodDuration}
          AND o.period_start IS NOT DISTINCT FROM ${group.periodStart}::date
          AND o.period_end IS NOT DISTINCT FROM ${group.periodEnd}::date
          AND u.slug > ${page.after}
          ${unitCondition}
        ORDER BY u.slug, ${latestFirst}
      ) latest
      ORDER BY latest.unit_slug
      LIMIT ${page.limit + 1}::int
    )
    SELECT
      (SELECT json_agg(${unitFigureJson(Prisma.sql`p.id`)} ORDER BY p.ordinal) FROM page p WHERE p.ordinal <= ${page.limit}::int)::text AS data,
      (SELECT p.unit_slug FROM page p WHERE p.ordinal = ${page.limit}::int AND EXISTS (SELECT 1 FROM page q WHERE q.ordinal > ${page.limit}::int)) AS "nextKey"`
  const result = rows[0]
  return { data: result?.data ?? '[]', nextKey: result?.nextKey ?? null }
}
