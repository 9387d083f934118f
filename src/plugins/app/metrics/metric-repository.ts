import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Comparator, MetricCategory, PeriodKind, Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { metricDefinition, observation, observationInclude } from '../../../lib/representation.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'

declare module 'fastify' {
  interface FastifyInstance {
    metricRepository: MetricRepository
  }
}

/** A metric code: lower-case words, digits and underscores joined by dots ("beds", "staff.total"). */
export const metricCodePattern = '[a-z0-9_]+(?:\\.[a-z0-9_]+)*'

// /v1/metrics and /v1/departments/{slug}/metrics are one list with different filters, so they share the spec and
// a cursor from one is valid on the other with the same sort.
export const observationListSpec: ListSpec = {
  resource: 'metrics',
  sort: {
    statedOn: { field: 'statedOn', type: 'date', nullable: true },
    value: { field: 'value', type: 'decimal' },
    createdAt: { field: 'createdAt', type: 'date' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'statedOn'
}

export const metricDefinitionListSpec: ListSpec = {
  resource: 'metric-definitions',
  sort: {
    code: { field: 'code', type: 'string' },
    name: { field: 'name', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'code'
}

export interface ObservationFilters {
  /** The unit's id: the per-unit route resolves the slug first, so that a missing unit is a 404, not an empty page. */
  unitId?: string
  /** A unit's slug or one of its aliases. */
  department?: string
  hospital?: string
  /** Metric codes; a figure of any of them matches. */
  metrics?: string[]
  category?: MetricCategory
  periodKind?: PeriodKind
  /** null: only figures stated without a comparator. */
  comparator?: Comparator | null
  approximate?: boolean
  /** true: no comparator and not approximate; false: either hedge. */
  exact?: boolean
  /** Inclusive bounds on statedOn; a figure whose source gives no date never falls inside a range. */
  statedFrom?: Date
  statedTo?: Date
}

export interface MetricDefinitionFilters {
  category?: MetricCategory
  additive?: boolean
}

type ListPage = PageRequest & { count?: boolean }

// A list of conditions rather than one object: several filters constrain the same relation (unit, metric), and
// object keys would overwrite each other.
function observationWhere (filters: ObservationFilters): Prisma.MetricObservationWhereInput {
  const conditions: Prisma.MetricObservationWhereInput[] = []
  if (filters.unitId !== undefined) conditions.push({ unitId: filters.unitId })
  if (filters.department !== undefined) conditions.push({ unit: unitWithSlug(filters.department) })
  if (filters.hospital !== undefined) conditions.push({ unit: { hospital: { slug: filters.hospital } } })
  if (filters.metrics !== undefined) conditions.push({ metric: { code: { in: filters.metrics } } })
  if (filters.category !== undefined) conditions.push({ metric: { category: filters.category } })
  if (filters.periodKind !== undefined) conditions.push({ periodKind: filters.periodKind })
  if (filters.comparator !== undefined) conditions.push({ comparator: filters.comparator })
  if (filters.approximate !== undefined) conditions.push({ approximate: filters.approximate })
  if (filters.exact === true) conditions.push({ comparator: null, approximate: false })
  if (filters.exact === false) conditions.push({ OR: [{ comparator: { not: null } }, { approximate: true }] })
  if (filters.statedFrom !== undefined) conditions.push({ statedOn: { gte: filters.statedFrom } })
  if (filters.statedTo !== undefined) conditions.push({ statedOn: { lte: filters.statedTo } })
  return { AND: conditions }
}

function metricDefinitionWhere (filters: MetricDefinitionFilters): Prisma.MetricDefinitionWhereInput {
  return {
    ...(filters.category === undefined ? {} : { category: filters.category }),
    ...(filters.additive === undefined ? {} : { additive: filters.additive })
  }
}

export function createMetricRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    /** Figures matching every filter given, one page at a time. */
    async listObservations (filters: ObservationFilters, page: ListPage) {
      const where = observationWhere(filters)
      return await paging.list(observationListSpec, page, {
        find: async (keyset) => prisma.metricObservation.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.MetricObservationOrderByWithRelationInput[],
          take: keyset.take,
          include: observationInclude
        }),
        count: async () => prisma.metricObservation.count({ where }),
        present: observation
      })
    },

    async listDefinitions (filters: MetricDefinitionFilters, page: ListPage) {
      const where = metricDefinitionWhere(filters)
      return await paging.list(metricDefinitionListSpec, page, {
        find: async (keyset) => prisma.metricDefinition.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.MetricDefinitionOrderByWithRelationInput[],
          take: keyset.take,
        }),
        count: async () => prisma.metricDefinition.count({ where }),
        present: metricDefinition
      })
    },

    async findDefinition (code: string) {
      const row = await prisma.metricDefinition.findUnique({ where: { code } })
      return row === null ? null : metricDefinition(row)
    }
  }
}

export type MetricRepository = ReturnType<typeof createMetricRepository>

export default fp(async (fastify) => {
  fastify.decorate('metricRepository', createMetricRepository(fastify))
}, { name: 'metric-repository', dependencies: ['prisma', 'paging'] })
