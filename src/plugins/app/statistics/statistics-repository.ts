import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { MetricCategory, PeriodKind } from '../../../generated/prisma/client.ts'
import type { CursorCodec } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { describe, fromStated, ratio } from './qualified.ts'
import { createQueryCache, queryKey } from '../../../lib/query-cache.ts'
import { ratioDefinitions } from './ratios.ts'
import { isoDate, sourceReference } from './figure-presenter.ts'
import type { Coverage, Timeseries, UnitRatios } from '../../../schemas/statistics.ts'
import { isGroupKey, keyCursor, type KeyCursor } from './statistics-cursor.ts'
import { ratioInputsPage, timeseriesPage, unitCoverage, type FigureRow, type PointKey } from './statistics-sql.ts'
import { refuseUnknown, resolveScope } from './scope-sql.ts'
import { analyticsPage, type AnalyticsSlice } from './analytics-sql.ts'
import { firstGroupKey, summaryPage, summaryUnitsPage, type GroupIdentity } from './summary-sql.ts'

declare module 'fastify' {
  interface FastifyInstance {
    statisticsRepository: StatisticsRepository
  }
}

/** Hospital and department slugs (each department with the units below it): a figure of any of them counts. */
export interface PlaceFilters {
  hospital?: string[]
  department?: string[]
}

export interface SummaryFilters extends PlaceFilters {
  category?: MetricCategory
  metric?: string[]
  periodKind?: PeriodKind
}

function figureOf (row: FigureRow) {
  return fromStated(row.value.toNumber(), row.comparator, row.approximate)
}

/** An analytics cell's key: its sort key's parts, as text. */
function isTextKey (value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= 16 && value.every((part) => typeof part === 'string')
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A page of a statistic: its items and the cursor to the next page (null on the last). */
export interface StatisticsPage<Item> {
  data: Item[]
  nextCursor: string | null
}

/** The JSON text of a page PostgreSQL built, and the cursor to the next page. */
export interface JsonPage {
  data: string
  nextCursor: string | null
}

export interface PageParameters {
  cursor?: string
  limit: number
}

/** What a page of groups shows of each group's units: the first `units` of them, by slug. */
export interface SummaryPageParameters extends PageParameters {
  units: number
}

export interface SummaryUnitsFilters extends Omit<GroupIdentity, 'periodDuration' | 'periodStart' | 'periodEnd'> {
  periodDuration?: string
  periodStart?: string
  periodEnd?: string
  department?: string[]
}

function pageOf<Row, Key> (rows: Row[], limit: number, cursor: KeyCursor<Key>, key: (row: Row) => Key): { rows: Row[], nextCursor: string | null } {
  const pageRows = rows.slice(0, limit)
  const last = pageRows.at(-1)
  return { rows: pageRows, nextCursor: rows.length > limit && last !== undefined ? cursor.encode(key(last)) : null }
}

/**
 * The statistics, computed from the database on every call, a page at a time: at most three statements each (the
 * unit tree for a department filter, a metric's definition for a timeseries or the metric list for coverage, then
 * the page).
 */
function statisticsQueries (prisma: FastifyInstance['prisma'], codec: CursorCodec) {
  const groupCursor = keyCursor(codec, 'statistics-summary', isGroupKey)
  const unitCursor = keyCursor(codec, 'statistics-summary-units', (value): value is string => typeof value === 'string')
  const ratioCursor = keyCursor(codec, 'statistics-ratios', (value): value is string => typeof value === 'string')
  const coverageCursor = keyCursor(codec, 'statistics-coverage', (value): value is string => typeof value === 'string')
  const pointCursor = keyCursor(codec, 'statistics-timeseries', (value): value is PointKey =>
    Array.isArray(value) && value.length === 3 && (value[0] === null || (typeof value[0] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value[0]))) &&
    typeof value[1] === 'string' && typeof value[2] === 'string' && uuidPattern.test(value[2]))

  return {
    /**
     * A page of totals per hospital, metric and period, as JSON text built by PostgreSQL. Figures for different periods
     * (kind, duration and window) are never summed together; where a unit states a metric more than once for the same
     * period, its latest figure counts.
     */
    async summary (filters: SummaryFilters & SummaryPageParameters): Promise<JsonPage> {
      const after = filters.cursor === undefined ? firstGroupKey : groupCursor.decode(filters.cursor)
      const { unitIds } = await resolveScope(prisma, filters)
      const page = await summaryPage(prisma, {
        hospitals: filters.hospital,
        department: filters.department?.join(','),
        unitIds,
        periodKind: filters.periodKind,
        category: filters.category,
        metricCodes: filters.metric
      }, { after, limit: filters.limit, units: filters.units })
      return { data: page.data, nextCursor: page.nextKey === null ? null : groupCursor.encode(page.nextKey) }
    },

    /** A page of one group's units: each unit's latest figure for the group's period, by unit slug. */
    async summaryUnits (filters: SummaryUnitsFilters & PageParameters): Promise<JsonPage> {
      const after = filters.cursor === undefined ? '' : unitCursor.decode(filters.cursor)
      const { unitIds } = await resolveScope(prisma, { department: filters.department })
      const page = await summaryUnitsPage(prisma, {
        hospital: filters.hospital,
        metric: filters.metric,
        periodKind: filters.periodKind,
        periodDuration: filters.periodDuration ?? '',
        periodStart: filters.periodStart ?? null,
        periodEnd: filters.periodEnd ?? null,
        ...(unitIds === undefined ? {} : { unitIds })
      }, { after, limit: filters.limit })
      return { data: page.data, nextCursor: page.nextKey === null ? null : unitCursor.encode(page.nextKey) }
    },

    /** A page of units' derived indicators, where their inputs exist, each with its formula and its inputs' provenance. */
    async ratios (filters: RatioFilters & PageParameters): Promise<StatisticsPage<Static<typeof UnitRatios>>> {
      const after = filters.cursor === undefined ? '' : ratioCursor.decode(filters.cursor)
      const codes = new Set(filters.ratio ?? ratioDefinitions.map((definition) => definition.code))
      const pairs = ratioDefinitions.filter((definition) => codes.has(definition.code))
        .map((definition): [string, string] => [definition.numerator, definition.denominator])
      const { unitIds } = await resolveScope(prisma, filters)
      const rows = await ratioInputsPage(prisma, { hospitals: filters.hospital, unitIds, pairs }, { after, limit: filters.limit })
      const byUnit = new Map<string, FigureRow[]>()
      for (const row of rows) byUnit.set(row.unit.slug, [...(byUnit.get(row.unit.slug) ?? []), row])
      const units = [...byUnit.values()]
      const page = pageOf(units, filters.limit, ratioCursor, (unit) => unit[0]!.unit.slug)
      return {
        data: page.rows.flatMap((unit) => {
          const result = unitRatios(unit, codes)
          return result === null ? [] : [result]
        }),
        nextCursor: page.nextCursor
      }
    },

    /** A page of one metric's figures placed in time (period end, else the date stated), oldest first, undated last. */
    async timeseries (filters: TimeseriesFilters & PageParameters): Promise<Omit<Static<typeof Timeseries>, 'page'> & { nextCursor: string | null }> {
      const after = filters.cursor === undefined ? null : pointCursor.decode(filters.cursor)
      const [metric, { unitIds }] = await Promise.all([
        prisma.metricDefinition.findUnique({ where: { code: filters.metric } }),
        resolveScope(prisma, { hospital: filters.hospital, department: filters.department })
      ])
      if (metric === null) throw new ProblemError('notFound', `No metric has the code "${filters.metric}"; see /v1/metric-definitions.`)
      const rows = await timeseriesPage(prisma, { metricId: metric.id, hospitals: filters.hospital, unitIds }, { after, limit: filters.limit })
      const at = (row: FigureRow): string | null => isoDate(row.periodEnd ?? row.statedOn)
      const page = pageOf(rows, filters.limit, pointCursor, (row): PointKey => [at(row), row.unit.slug, row.id])
      return {
        metric: { code: metric.code, name: metric.name, unit: metric.unit, unitLabel: metric.unitLabel, category: metric.category },
        data: page.rows.map((row) => ({
          department: { slug: row.unit.slug, name: row.unit.name, kind: row.unit.kind },
          at: at(row),
          period: { kind: row.periodKind, duration: row.periodDuration, start: isoDate(row.periodStart), end: isoDate(row.periodEnd) },
          statedOn: isoDate(row.statedOn),
          figure: describe(figureOf(row)),
          statedValue: row.statedValue,
          observationId: row.id,
          source: sourceReference(row.source, row.quote)
        })),
        nextCursor: page.nextCursor
      }
    },

    /**
     * A page of analytics cells (metric × year × the dimensions asked for), as JSON text built by PostgreSQL in one
     * statement; a 400 naming every filter value that names nothing. A cursor is bound to the grouping it was made for.
     */
    async analytics (parameters: AnalyticsSlice & PageParameters): Promise<JsonPage & { metrics: string }> {
      const { cursor, limit, ...slice } = parameters
      const cellCursor = keyCursor(codec, `statistics-analytics/${slice.groupBy.join(',')}`, isTextKey)
      const after = cursor === undefined ? null : cellCursor.decode(cursor)
      const page = await analyticsPage(prisma, slice, { after, limit })
      refuseUnknown(page.unknown)
      return { metrics: page.metrics, data: page.data, nextCursor: page.nextKey === null ? null : cellCursor.encode(page.nextKey) }
    },

    /** A page of units, each with which of the metrics (of a category, if given) it reports and which are missing. */
    async coverage (filters: CoverageFilters & PageParameters): Promise<Omit<Static<typeof Coverage>, 'page'> & { nextCursor: string | null }> {
      const after = filters.cursor === undefined ? '' : coverageCursor.decode(filters.cursor)
      const { unitIds } = await resolveScope(prisma, filters)
      const [definitions, units] = await Promise.all([
        prisma.metricDefinition.findMany({
          where: filters.category === undefined ? {} : { category: filters.category },
          select: { code: true },
          orderBy: { code: 'asc' }
        }),
        unitCoverage(prisma, { hospitals: filters.hospital, unitIds }, { after, limit: filters.limit })
      ])
      const codes = definitions.map((definition) => definition.code)
      const page = pageOf(units, filters.limit, coverageCursor, (unit) => unit.slug)
      return {
        metrics: codes,
        data: page.rows.map((unit) => {
          const has = new Set(unit.metricCodes)
          const reported = codes.filter((code) => has.has(code))
          return {
            hospital: unit.hospital,
            department: { slug: unit.slug, name: unit.name, kind: unit.kind },
            reported,
            missing: codes.filter((code) => !has.has(code)),
            completeness: codes.length === 0 ? 0 : reported.length / codes.length
          }
        }),
        nextCursor: page.nextCursor
      }
    }
  }
}

export interface RatioFilters extends PlaceFilters {
  ratio?: string[]
}


/** A unit's derived indicators from its latest figure of each input metric. */
function unitRatios (rows: FigureRow[], codes: Set<string>): Static<typeof UnitRatios> | null {
  const latest = new Map<string, FigureRow>()
  for (const row of rows) if (!latest.has(row.metric.code)) latest.set(row.metric.code, row)
  const input = (row: FigureRow) => ({
    metric: row.metric.code, observationId: row.id, statedValue: row.statedValue, source: sourceReference(row.source, row.quote)
  })
  const ratios = ratioDefinitions.filter((definition) => codes.has(definition.code)).flatMap((definition) => {
    const numerator = latest.get(definition.numerator)
    const denominator = latest.get(definition.denominator)
    if (numerator === undefined || denominator === undefined) return []
    const result = ratio(figureOf(numerator), figureOf(denominator))
    return [{
      code: definition.code,
      name: definition.name,
      formula: `${definition.numerator} / ${definition.denominator}`,
      unit: definition.unit,
      value: 'figure' in result ? describe(result.figure) : null,
      absent: 'absent' in result ? result.absent : null,
      inputs: [input(numerator), input(denominator)]
    }]
  })
  const first = rows[0]
  if (ratios.length === 0 || first === undefined) return null
  return { hospital: first.unit.hospital, department: { slug: first.unit.slug, name: first.unit.name, kind: first.unit.kind }, ratios }
}

export interface TimeseriesFilters extends PlaceFilters {
  metric: string
}

export interface CoverageFilters extends PlaceFilters {
  category?: MetricCategory
}

/** How long a cached statistic may live even if no change is heard: a bound on staleness, should one go unheard. */
const cacheTtlMs = 10 * 60_000

/**
 * Every page of a statistic, one after the other, fetched only as the consumer asks for the next (a CSV stream):
 * one page is in memory at a time.
 */
async function * everyPage<Parameters extends PageParameters, Result extends { nextCursor: string | null }> (
  query: (parameters: Parameters) => Promise<Result>, parameters: Omit<Parameters, 'cursor'>): AsyncGenerator<Result> {
  let cursor: string | undefined
  do {
    const page = await query({ ...parameters, ...(cursor === undefined ? {} : { cursor }) } as Parameters)
    yield page
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
}

/**
 * The statistics, each page cached per query until the data changes (whoever changes it); `pages` reads every page of
 * one past the cache, for CSV streams.
 */
export function createStatisticsRepository (fastify: FastifyInstance) {
  const queries = statisticsQueries(fastify.prisma, fastify.paging.codec)
  const cache = createQueryCache<object>(fastify.dataChanges, { maxEntries: fastify.config.STATISTICS_CACHE_ENTRIES, ttlMs: cacheTtlMs })
  function cached<Parameters extends object, Result extends object> (name: string, query: (parameters: Parameters) => Promise<Result>) {
    return async (parameters: Parameters): Promise<Result> =>
      cache.get(queryKey(name, parameters), async () => query(parameters)) as Promise<Result>
  }
  return {
    summary: cached('summary', queries.summary),
    summaryUnits: cached('summaryUnits', queries.summaryUnits),
    ratios: cached('ratios', queries.ratios),
    timeseries: cached('timeseries', queries.timeseries),
    coverage: cached('coverage', queries.coverage),
    analytics: cached('analytics', queries.analytics),
    pages: {
      analytics: (parameters: AnalyticsSlice & Omit<PageParameters, 'cursor'>) => everyPage(queries.analytics, parameters),
      summary: (parameters: SummaryFilters & Omit<SummaryPageParameters, 'cursor'>) => everyPage(queries.summary, parameters),
      ratios: (parameters: RatioFilters & Omit<PageParameters, 'cursor'>) => everyPage(queries.ratios, parameters),
      timeseries: (parameters: TimeseriesFilters & Omit<PageParameters, 'cursor'>) => everyPage(queries.timeseries, parameters),
      coverage: (parameters: CoverageFilters & Omit<PageParameters, 'cursor'>) => everyPage(queries.coverage, parameters)
    },
    cache
  }
}

export type StatisticsRepository = ReturnType<typeof createStatisticsRepository>

export default fp(async (fastify) => {
  fastify.decorate('statisticsRepository', createStatisticsRepository(fastify))
}, { name: 'statistics-repository', dependencies: ['prisma', 'data-changes', 'paging'] })
