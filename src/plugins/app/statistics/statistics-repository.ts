import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { MetricCategory, PeriodKind } from '../../../generated/prisma/client.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { describe, fromStated, ratio, sum } from '../../../lib/qualified.ts'
import { createQueryCache, queryKey } from '../../../lib/query-cache.ts'
import { ratioDefinitions } from '../../../lib/ratios.ts'
import { isoDate, sourceReference } from '../../../lib/representation.ts'
import type { Coverage, SummaryGroup, Timeseries, UnitRatios } from '../../../schemas/statistics.ts'
import { figures, latestFiguresPerMetric, latestFiguresPerPeriod, unitCoverage, unitTreeIds, type FigureRow } from './statistics-sql.ts'

declare module 'fastify' {
  interface FastifyInstance {
    statisticsRepository: StatisticsRepository
  }
}

export interface SummaryFilters {
  hospital?: string
  department?: string
  category?: MetricCategory
  metric?: string[]
  periodKind?: PeriodKind
}

/** The unit and every unit below it, so a division's summary covers its departments. */
async function unitAndDescendants (prisma: FastifyInstance['prisma'], slug: string): Promise<string[]> {
  const found = await unitTreeIds(prisma, slug)
  if (found.length === 0) throw new ProblemError('notFound', `No department, division or center has the slug "${slug}".`)
  return found
}

function figureOf (row: FigureRow) {
  return fromStated(row.value.toNumber(), row.comparator, row.approximate)
}

function groupOf (rows: FigureRow[]): Static<typeof SummaryGroup> {
  const first = rows[0]!
  const figures = rows.map(figureOf)
  const additive = first.metric.additive
  return {
    hospital: first.unit.hospital,
    metric: { code: first.metric.code, name: first.metric.name, unit: first.metric.unit, unitLabel: first.metric.unitLabel, category: first.metric.category },
    additive,
    period: { kind: first.periodKind, duration: first.periodDuration, start: isoDate(first.periodStart), end: isoDate(first.periodEnd) },
    total: additive ? describe(sum(figures)) : null,
    totalAbsent: additive ? null : `${first.metric.name} is an average or a rate: it cannot be summed across units.`,
    units: rows.map((row, index) => ({
      department: { slug: row.unit.slug, name: row.unit.name, kind: row.unit.kind },
      figure: describe(figures[index]!),
      statedValue: row.statedValue,
      statedOn: isoDate(row.statedOn),
      observationId: row.id,
      source: sourceReference(row.source, row.quote)
    })),
    observationIds: rows.map((row) => row.id)
  }
}

/**
 * The statistics, computed from the database on every call: at most three statements each (the unit tree for a
 * department filter, a metric's definition for a timeseries or the metric list for coverage, then the figures).
 */
function statisticsQueries (prisma: FastifyInstance['prisma']) {
  return {
    /**
     * Totals per hospital, metric and period. Figures for different periods (kind, duration and window) are never summed
     * together; where a unit states a metric more than once for the same period, its latest figure counts.
     */
    async summary (filters: SummaryFilters): Promise<Array<Static<typeof SummaryGroup>>> {
      const unitIds = filters.department === undefined ? undefined : await unitAndDescendants(prisma, filters.department)
      // One figure per unit, metric and period: the database has already dropped the older ones.
      const rows = await latestFiguresPerPeriod(prisma, {
        hospital: filters.hospital,
        unitIds,
        periodKind: filters.periodKind,
        category: filters.category,
        metricCodes: filters.metric
      })

      const groups = new Map<string, FigureRow[]>()
      for (const row of rows) {
        const key = [row.unit.hospital.slug, row.metric.code, row.periodKind, row.periodDuration ?? '',
          isoDate(row.periodStart) ?? '', isoDate(row.periodEnd) ?? ''].join('\u0000')
        const group = groups.get(key)
        if (group === undefined) groups.set(key, [row])
        else group.push(row)
      }
      return [...groups.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, group]) => groupOf(group.sort((a, b) => (a.unit.slug < b.unit.slug ? -1 : 1))))
    },

    /** Derived indicators per unit where their inputs exist, each with its formula and its inputs' provenance. */
    async ratios (filters: RatioFilters): Promise<Array<Static<typeof UnitRatios>>> {
      const codes = new Set(filters.ratio ?? ratioDefinitions.map((definition) => definition.code))
      const metrics = [...new Set(ratioDefinitions.filter((definition) => codes.has(definition.code))
        .flatMap((definition) => [definition.numerator, definition.denominator]))]
      const unitIds = filters.department === undefined ? undefined : await unitAndDescendants(prisma, filters.department)
      const rows = await latestFiguresPerMetric(prisma, { hospital: filters.hospital, unitIds, metricCodes: metrics })
      const byUnit = new Map<string, FigureRow[]>()
      for (const row of rows) byUnit.set(row.unit.slug, [...(byUnit.get(row.unit.slug) ?? []), row])
      return [...byUnit.keys()].sort().flatMap((slug) => {
        const result = unitRatios(byUnit.get(slug)!, codes)
        return result === null ? [] : [result]
      })
    },

    /** Every figure of one metric placed in time (period end, else the date stated), oldest first. */
    async timeseries (filters: TimeseriesFilters): Promise<Static<typeof Timeseries>> {
      const metric = await prisma.metricDefinition.findUnique({ where: { code: filters.metric } })
      if (metric === null) throw new ProblemError('notFound', `No metric has the code "${filters.metric}"; see /v1/metric-definitions.`)
      const unitIds = filters.department === undefined ? undefined : await unitAndDescendants(prisma, filters.department)
      const rows = await figures(prisma, { metricId: metric.id, hospital: filters.hospital, unitIds })
      const at = (row: FigureRow): string | null => isoDate(row.periodEnd ?? row.statedOn)
      const points = rows.map((row) => ({
        department: { slug: row.unit.slug, name: row.unit.name, kind: row.unit.kind },
        at: at(row),
        period: { kind: row.periodKind, duration: row.periodDuration, start: isoDate(row.periodStart), end: isoDate(row.periodEnd) },
        statedOn: isoDate(row.statedOn),
        figure: describe(figureOf(row)),
        statedValue: row.statedValue,
        observationId: row.id,
        source: sourceReference(row.source, row.quote)
      }))
      // Oldest first, undated last; then by unit and id so the order is stable.
      points.sort((a, b) => (a.at ?? '\uffff').localeCompare(b.at ?? '\uffff') ||
        a.department.slug.localeCompare(b.department.slug) || a.observationId.localeCompare(b.observationId))
      return {
        metric: { code: metric.code, name: metric.name, unit: metric.unit, unitLabel: metric.unitLabel, category: metric.category },
        data: points
      }
    },

    /** For each unit, which of the metrics (of a category, if given) it reports and which are missing. */
    async coverage (filters: CoverageFilters): Promise<Static<typeof Coverage>> {
      const unitIds = filters.department === undefined ? undefined : await unitAndDescendants(prisma, filters.department)
      const [definitions, units] = await Promise.all([
        prisma.metricDefinition.findMany({
          where: filters.category === undefined ? {} : { category: filters.category },
          select: { code: true },
          orderBy: { code: 'asc' }
        }),
        unitCoverage(prisma, { hospital: filters.hospital, unitIds })
      ])
      const codes = definitions.map((definition) => definition.code)
      return {
        metrics: codes,
        data: units.map((unit) => {
          const has = new Set(unit.metricCodes)
          const reported = codes.filter((code) => has.has(code))
          return {
            hospital: unit.hospital,
            department: { slug: unit.slug, name: unit.name, kind: unit.kind },
            reported,
            missing: codes.filter((code) => !has.has(code)),
            completeness: codes.length === 0 ? 0 : reported.length / codes.length
          }
        })
      }
    }
  }
}

export interface RatioFilters {
  hospital?: string
  department?: string
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

export interface TimeseriesFilters {
  metric: string
  hospital?: string
  department?: string
}

export interface CoverageFilters {
  hospital?: string
  department?: string
  category?: MetricCategory
}

/** How long a cached statistic may live even if no change is heard: a bound on staleness, should one go unheard. */
const cacheTtlMs = 10 * 60_000

/** The statistics, each cached per query until the data changes (whoever changes it). */
export function createStatisticsRepository (fastify: FastifyInstance) {
  const queries = statisticsQueries(fastify.prisma)
  const cache = createQueryCache<object>(fastify.dataChanges, { maxEntries: fastify.config.STATISTICS_CACHE_ENTRIES, ttlMs: cacheTtlMs })
  function cached<Parameters extends object, Result extends object> (name: string, query: (parameters: Parameters) => Promise<Result>) {
    return async (parameters: Parameters): Promise<Result> =>
      cache.get(queryKey(name, parameters), async () => query(parameters)) as Promise<Result>
  }
  return {
    summary: cached('summary', queries.summary),
    ratios: cached('ratios', queries.ratios),
    timeseries: cached('timeseries', queries.timeseries),
    coverage: cached('coverage', queries.coverage),
    cache
  }
}

export type StatisticsRepository = ReturnType<typeof createStatisticsRepository>

export default fp(async (fastify) => {
  fastify.decorate('statisticsRepository', createStatisticsRepository(fastify))
}, { name: 'statistics-repository', dependencies: ['prisma', 'data-changes'] })
