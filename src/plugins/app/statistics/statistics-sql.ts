import { Prisma, type MetricCategory, type PeriodKind, type PrismaClient, type UnitKind } from '../../../generated/prisma/client.ts'
import type { ComparatorSymbol } from './qualified.ts'
import { latestFirst as latestFigureFirst } from '../metrics/figure-groups.ts'

// The ratios, time series and coverage read the database with hand-written SQL, one statement per page. A figure is
// joined to its unit, hospital, metric and source in the statement that finds it (an include sends one query per
// relation), PostgreSQL keeps only the latest figure where a unit states one more than once (DISTINCT ON), and every
// statement reads one page (keyset on a unique order), so its cost does not grow with the data. Their arithmetic stays
// in lib/qualified.ts, run on a page at a time; the summary is built by PostgreSQL itself (summary-sql.ts). This module
// exports no plugin, so autoload passes over it.

type Database = Pick<PrismaClient, '$queryRaw'>

/** A figure with everything a statistic shows about it, shaped like the Prisma rows the presenters were written for. */
export interface FigureRow {
  id: string
  unitId: string
  value: Prisma.Decimal
  comparator: ComparatorSymbol | null
  approximate: boolean
  statedValue: string
  statedOn: Date | null
  quote: string
  periodKind: PeriodKind
  periodDuration: string | null
  periodStart: Date | null
  periodEnd: Date | null
  unit: { slug: string, name: string, kind: UnitKind, hospital: { slug: string, name: string, shortName: string | null } }
  metric: { code: string, name: string, unit: string, unitLabel: string, category: MetricCategory, additive: boolean }
  source: { id: string, title: string, statedOn: Date | null }
}

type FigureColumns = Omit<FigureRow, 'unit' | 'metric' | 'source'> & {
  unitSlug: string
  unitName: string
  unitKind: UnitKind
  hospitalSlug: string
  hospitalName: string
  hospitalShortName: string | null
  metricCode: string
  metricName: string
  metricUnit: string
  metricUnitLabel: string
  metricCategory: MetricCategory
  metricAdditive: boolean
  sourceId: string
  sourceTitle: string
  sourceStatedOn: Date | null
}

const figureSelect = Prisma.sql`
  o.id, o.unit_id AS "unitId", o.value, o.comparator::text AS comparator, o.approximate, o.stated_value AS "statedValue",
  o.stated_on AS "statedOn", o.quote, o.period_kind::text AS "periodKind", o.period_duration AS "periodDuration",
  o.period_start AS "periodStart", o.period_end AS "periodEnd",
  u.slug AS "unitSlug", u.name AS "unitName", u.kind::text AS "unitKind",
  h.slug AS "hospitalSlug", h.name AS "hospitalName", h.short_name AS "hospitalShortName",
  m.code AS "metricCode", m.name AS "metricName", m.unit AS "metricUnit", m.unit_label AS "metricUnitLabel",
  m.category::text AS "metricCategory", m.additive AS "metricAdditive",
  s.id AS "sourceId", s.title AS "sourceTitle", s.stated_on AS "sourceStatedOn"
FROM metric_observation o
JOIN unit u ON u.id = o.unit_id
JOIN hospital h ON h.id = u.hospital_id
JOIN metric_definition m ON m.id = o.metric_id
JOIN source_document s ON s.id = o.source_id`

/** The figure that counts when a unit states one more than once: the latest stated, then the latest entered. */
const latestFirst = latestFigureFirst('o')

function figureRow (row: FigureColumns): FigureRow {
  return {
    id: row.id,
    unitId: row.unitId,
    value: row.value,
    comparator: row.comparator,
    approximate: row.approximate,
    statedValue: row.statedValue,
    statedOn: row.statedOn,
    quote: row.quote,
    periodKind: row.periodKind,
    periodDuration: row.periodDuration,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    unit: {
      slug: row.unitSlug,
      name: row.unitName,
      kind: row.unitKind,
      hospital: { slug: row.hospitalSlug, name: row.hospitalName, shortName: row.hospitalShortName }
    },
    metric: {
      code: row.metricCode,
      name: row.metricName,
      unit: row.metricUnit,
      unitLabel: row.metricUnitLabel,
      category: row.metricCategory,
      additive: row.metricAdditive
    },
    source: { id: row.sourceId, title: row.sourceTitle, statedOn: row.sourceStatedOn }
  }
}

export interface FigureFilters {
  /** Hospital slugs: units of any of them. */
  hospitals?: string[]
  unitIds?: string[]
  metricCodes?: string[]
  metricId?: string
  category?: MetricCategory
  periodKind?: PeriodKind
}

/** `column IN (...)`; an empty list matches nothing, as Prisma's `in: []` does. */
function within (column: Prisma.Sql, values: readonly string[]): Prisma.Sql {
  return values.length === 0 ? Prisma.sql`FALSE` : Prisma.sql`${column} IN (${Prisma.join(values)})`
}

function where (conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`
}

function figureConditions (filters: FigureFilters): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = []
  if (filters.hospitals !== undefined) conditions.push(within(Prisma.sql`h.slug`, filters.hospitals))
  if (filters.unitIds !== undefined) conditions.push(within(Prisma.sql`o.unit_id`, filters.unitIds))
  if (filters.metricCodes !== undefined) conditions.push(within(Prisma.sql`m.code`, filters.metricCodes))
  if (filters.metricId !== undefined) conditions.push(Prisma.sql`o.metric_id = ${filters.metricId}::uuid`)
  if (filters.category !== undefined) conditions.push(Prisma.sql`m.category = ${filters.category}::"MetricCategory"`)
  if (filters.periodKind !== undefined) conditions.push(Prisma.sql`o.period_kind = ${filters.periodKind}::"PeriodKind"`)
  return conditions
}

/**
 * Each unit's latest figure of each of `metricCodes`, whatever its period, for the first `limit` units (by slug) after
 * `after` that have both inputs of at least one of the ratios `pairs`: one page of the ratios, in one statement.
 */
export async function ratioInputsPage (db: Database, filters: { hospitals?: string[], unitIds?: string[], pairs: Array<[string, string]> },
  page: { after: string, limit: number }): Promise<FigureRow[]> {
  const states = (code: string) => Prisma.sql`EXISTS (SELECT 1 FROM metric_observation i
    WHERE i.unit_id = u.id AND i.metric_id = (SELECT id FROM metric_definition WHERE code = ${code}))`
  const conditions: Prisma.Sql[] = [Prisma.sql`u.slug > ${page.after}`]
  if (filters.hospitals !== undefined) conditions.push(Prisma.sql`u.hospital_id IN (SELECT id FROM hospital WHERE ${within(Prisma.sql`slug`, filters.hospitals)})`)
  if (filters.unitIds !== undefined) conditions.push(within(Prisma.sql`u.id`, filters.unitIds))
  conditions.push(filters.pairs.length === 0
    ? Prisma.sql`FALSE`
    : Prisma.sql`(${Prisma.join(filters.pairs.map(([numerator, denominator]) => Prisma.sql`(${states(numerator)} AND ${states(denominator)})`), ' OR ')})`)
  const metricCodes = [...new Set(filters.pairs.flat())]
  const rows = await db.$queryRaw<FigureColumns[]>`
    WITH page_units AS (SELECT u.id FROM unit u ${where(conditions)} ORDER BY u.slug LIMIT ${page.limit + 1}::int)
    SELECT DISTINCT ON (u.slug, o.metric_id) ${figureSelect}
    WHERE o.unit_id IN (SELECT id FROM page_units) AND ${within(Prisma.sql`m.code`, metricCodes)}
    ORDER BY u.slug, o.metric_id, ${latestFirst}`
  return rows.map(figureRow)
}

/** Where a time series point is plotted: its period's end, else the date its source states. */
const plottedAt = Prisma.sql`COALESCE(o.period_end, o.stated_on)`

/** A time series point's key: where it is plotted (null when undated), its unit's slug and its id. */
export type PointKey = [string | null, string, string]

/**
 * The figures of one metric after `after` in plotting order (oldest first, undated last, then by unit slug and id):
 * one page of a time series, `limit` + 1 rows to tell whether another page follows.
 */
export async function timeseriesPage (db: Database, filters: FigureFilters, page: { after: PointKey | null, limit: number }): Promise<FigureRow[]> {
  const conditions = figureConditions(filters)
  if (page.after !== null) {
    const [at, slug, id] = page.after
    const sameDay = Prisma.sql`(u.slug, o.id) > (${slug}, ${id}::uuid)`
    conditions.push(at === null
      ? Prisma.sql`(${plottedAt} IS NULL AND ${sameDay})`
      : Prisma.sql`(${plottedAt} > ${at}::date OR ${plottedAt} IS NULL OR (${plottedAt} = ${at}::date AND ${sameDay}))`)
  }
  const rows = await db.$queryRaw<FigureColumns[]>`
    SELECT ${figureSelect} ${where(conditions)}
    ORDER BY ${plottedAt} NULLS LAST, u.slug, o.id
    LIMIT ${page.limit + 1}::int`
  return rows.map(figureRow)
}

export interface UnitCoverageRow {
  slug: string
  name: string
  kind: UnitKind
  hospital: { slug: string, name: string, shortName: string | null }
  /** The codes of every metric the unit has at least one figure for. */
  metricCodes: string[]
}

/**
 * The units matching the filters after the slug `after`, ordered by slug, `limit` + 1 of them, each with the metrics it
 * reports: one statement, which reads only the page's units' figures.
 */
export async function unitCoverage (db: Database, filters: { hospitals?: string[], unitIds?: string[] },
  page: { after: string, limit: number }): Promise<UnitCoverageRow[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`u.slug > ${page.after}`]
  if (filters.hospitals !== undefined) conditions.push(within(Prisma.sql`h.slug`, filters.hospitals))
  if (filters.unitIds !== undefined) conditions.push(within(Prisma.sql`u.id`, filters.unitIds))
  const rows = await db.$queryRaw<Array<Omit<UnitCoverageRow, 'hospital'> & { hospitalSlug: string, hospitalName: string, hospitalShortName: string | null }>>`
    SELECT u.slug, u.name, u.kind::text AS kind,
      h.slug AS "hospitalSlug", h.name AS "hospitalName", h.short_name AS "hospitalShortName",
      ARRAY(SELECT DISTINCT m.code FROM metric_observation o JOIN metric_definition m ON m.id = o.metric_id
        WHERE o.unit_id = u.id ORDER BY m.code) AS "metricCodes"
    FROM unit u
    JOIN hospital h ON h.id = u.hospital_id
    ${where(conditions)}
    ORDER BY u.slug
    LIMIT ${page.limit + 1}::int`
  return rows.map(({ hospitalSlug, hospitalName, hospitalShortName, ...unit }) => ({
    ...unit, hospital: { slug: hospitalSlug, name: hospitalName, shortName: hospitalShortName }
  }))
}
