import { Prisma, type MetricCategory, type PeriodKind, type PrismaClient, type UnitKind } from '../../../generated/prisma/client.ts'
import type { ComparatorSymbol } from '../../../lib/qualified.ts'

// The statistics read the database with hand-written SQL, one statement per step. A figure is joined to its unit,
// hospital, metric and source in the statement that finds it (an include sends one query per relation), PostgreSQL
// keeps only the latest figure where a unit states one more than once (DISTINCT ON), and coverage is counted with
// array_agg rather than by reading every figure. The arithmetic on the figures stays in lib/qualified.ts. This module
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
const latestFirst = Prisma.sql`o.stated_on DESC NULLS LAST, o.created_at DESC, o.id`

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
  hospital?: string
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

function figureWhere (filters: FigureFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = []
  if (filters.hospital !== undefined) conditions.push(Prisma.sql`h.slug = ${filters.hospital}`)
  if (filters.unitIds !== undefined) conditions.push(within(Prisma.sql`o.unit_id`, filters.unitIds))
  if (filters.metricCodes !== undefined) conditions.push(within(Prisma.sql`m.code`, filters.metricCodes))
  if (filters.metricId !== undefined) conditions.push(Prisma.sql`o.metric_id = ${filters.metricId}::uuid`)
  if (filters.category !== undefined) conditions.push(Prisma.sql`m.category = ${filters.category}::"MetricCategory"`)
  if (filters.periodKind !== undefined) conditions.push(Prisma.sql`o.period_kind = ${filters.periodKind}::"PeriodKind"`)
  return where(conditions)
}

/**
 * Each unit's latest figure per metric and period (kind, duration and window), in one statement. A missing duration
 * and an empty one are one period, as they are one group in the summary.
 */
export async function latestFiguresPerPeriod (db: Database, filters: FigureFilters): Promise<FigureRow[]> {
  const period = Prisma.sql`o.metric_id, o.period_kind, COALESCE(o.period_duration, ''), o.period_start, o.period_end, o.unit_id`
  const rows = await db.$queryRaw<FigureColumns[]>`
    SELECT DISTINCT ON (${period}) ${figureSelect}
    ${figureWhere(filters)}
    ORDER BY ${period}, ${latestFirst}`
  return rows.map(figureRow)
}

/** Each unit's latest figure per metric, whatever its period, in one statement. */
export async function latestFiguresPerMetric (db: Database, filters: FigureFilters): Promise<FigureRow[]> {
  const rows = await db.$queryRaw<FigureColumns[]>`
    SELECT DISTINCT ON (o.unit_id, o.metric_id) ${figureSelect}
    ${figureWhere(filters)}
    ORDER BY o.unit_id, o.metric_id, ${latestFirst}`
  return rows.map(figureRow)
}

/** Every figure matching the filters, in no particular order. */
export async function figures (db: Database, filters: FigureFilters): Promise<FigureRow[]> {
  const rows = await db.$queryRaw<FigureColumns[]>`SELECT ${figureSelect} ${figureWhere(filters)}`
  return rows.map(figureRow)
}

/**
 * The ids of the unit with this slug (or alias) and of every unit below it, so a division's statistics cover its
 * departments; empty when no unit has the slug.
 */
export async function unitTreeIds (db: Database, slug: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH RECURSIVE root AS (
      SELECT u.id, u.hospital_id FROM unit u
      WHERE u.slug = ${slug} OR EXISTS (SELECT 1 FROM unit_alias a WHERE a.unit_id = u.id AND a.slug = ${slug})
      ORDER BY u.slug = ${slug} DESC
      LIMIT 1
    ), tree AS (
      SELECT id, hospital_id FROM root
      UNION
      SELECT child.id, child.hospital_id FROM unit child JOIN tree ON child.parent_id = tree.id AND child.hospital_id = tree.hospital_id
    )
    SELECT id FROM tree`
  return rows.map((row) => row.id)
}

export interface UnitCoverageRow {
  slug: string
  name: string
  kind: UnitKind
  hospital: { slug: string, name: string, shortName: string | null }
  /** The codes of every metric the unit has at least one figure for. */
  metricCodes: string[]
}

/** Every unit matching the filters, ordered by slug, with the metrics it reports: one grouped statement. */
export async function unitCoverage (db: Database, filters: { hospital?: string, unitIds?: string[] }): Promise<UnitCoverageRow[]> {
  const conditions: Prisma.Sql[] = []
  if (filters.hospital !== undefined) conditions.push(Prisma.sql`h.slug = ${filters.hospital}`)
  if (filters.unitIds !== undefined) conditions.push(within(Prisma.sql`u.id`, filters.unitIds))
  const rows = await db.$queryRaw<Array<Omit<UnitCoverageRow, 'hospital'> & { hospitalSlug: string, hospitalName: string, hospitalShortName: string | null }>>`
    SELECT u.slug, u.name, u.kind::text AS kind,
      h.slug AS "hospitalSlug", h.name AS "hospitalName", h.short_name AS "hospitalShortName",
      COALESCE(array_agg(DISTINCT m.code) FILTER (WHERE m.code IS NOT NULL), '{}') AS "metricCodes"
    FROM unit u
    JOIN hospital h ON h.id = u.hospital_id
    LEFT JOIN metric_observation o ON o.unit_id = u.id
    LEFT JOIN metric_definition m ON m.id = o.metric_id
    ${where(conditions)}
    GROUP BY u.id, h.id
    ORDER BY u.slug`
  return rows.map(({ hospitalSlug, hospitalName, hospitalShortName, ...unit }) => ({
    ...unit, hospital: { slug: hospitalSlug, name: hospitalName, shortName: hospitalShortName }
  }))
}
