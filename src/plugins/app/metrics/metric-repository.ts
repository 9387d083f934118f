import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Comparator, MetricCategory, PeriodKind, Prisma } from '../../../generated/prisma/client.ts'
import { join, jsonObject, memoisedSql, selectFields, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import { comparatorSymbols, metricDefinition } from './metric-definition-presenter.ts'
import type { ObservationInclude } from '../../../schemas/metrics.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'
import { observationFields } from './observation-json.ts'
import { hospitalInRegion } from '../regions/region-sql.ts'

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
    statedOn: { field: 'statedOn', type: 'date', nullable: true, dateOnly: true },
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
  /** Units' slugs or aliases: a figure of any of them matches. */
  department?: string[]
  /** Hospital slugs: a figure of a unit of any of them matches. */
  hospital?: string[]
  /** A region's slug: figures of the units of hospitals in it or below it. */
  region?: string
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

const observationSortColumns = { statedOn: sql`o.stated_on`, value: sql`o.value`, createdAt: sql`o.created_at`, updatedAt: sql`o.updated_at` }

/** The filters of a figure list in SQL, over `o` (metric_observation) and `om` (its metric_definition). */
function observationSql (filters: ObservationFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (filters.unitId !== undefined) conditions.push(sql`o.unit_id = ${filters.unitId}::uuid`)
  if (filters.department !== undefined) conditions.push(sql`(${join(filters.department.map((slug) => unitWithSlug(sql`o.unit_id`, slug)), ' OR ')})`)
  if (filters.hospital !== undefined) {
    conditions.push(sql`o.unit_id IN (SELECT u.id FROM unit u JOIN hospital h ON h.id = u.hospital_id WHERE h.slug IN (${join(filters.hospital)}))`)
  }
  if (filters.region !== undefined) {
    conditions.push(sql`o.unit_id IN (SELECT ru.id FROM unit ru WHERE ${hospitalInRegion(sql`ru.hospital_id`, filters.region)})`)
  }
  if (filters.metrics !== undefined) conditions.push(sql`om.code IN (${join(filters.metrics)})`)
  if (filters.category !== undefined) conditions.push(sql`om.category = ${filters.category}::"MetricCategory"`)
  if (filters.periodKind !== undefined) conditions.push(sql`o.period_kind = ${filters.periodKind}::"PeriodKind"`)
  if (filters.comparator === null) conditions.push(sql`o.comparator IS NULL`)
  else if (filters.comparator !== undefined) conditions.push(sql`o.comparator = ${comparatorSymbols[filters.comparator]}::"Comparator"`)
  if (filters.approximate !== undefined) conditions.push(sql`o.approximate = ${filters.approximate}`)
  if (filters.exact === true) conditions.push(sql`(o.comparator IS NULL AND NOT o.approximate)`)
  if (filters.exact === false) conditions.push(sql`(o.comparator IS NOT NULL OR o.approximate)`)
  if (filters.statedFrom !== undefined) conditions.push(sql`o.stated_on >= ${filters.statedFrom.toISOString().slice(0, 10)}::date`)
  if (filters.statedTo !== undefined) conditions.push(sql`o.stated_on <= ${filters.statedTo.toISOString().slice(0, 10)}::date`)
  return join(conditions, ' AND ')
}

function metricDefinitionWhere (filters: MetricDefinitionFilters): Prisma.MetricDefinitionWhereInput {
  return {
    ...(filters.category === undefined ? {} : { category: filters.category }),
    ...(filters.additive === undefined ? {} : { additive: filters.additive })
  }
}

/** A figure of a list, as JSON, for the row `o` and its definition `om`. */
const observationItemJson = memoisedSql((includes: readonly ObservationInclude[], fields: readonly string[]) =>
  jsonObject(selectFields(observationFields('o', 'om', includes), fields)))

export function createMetricRepository (fastify: FastifyInstance) {
  const { prisma, paging, database } = fastify

  return {
    /**
     * Figures matching every filter given, one page at a time, each written as JSON by PostgreSQL with the references
     * `includes` expands.
     */
    async listObservations (filters: ObservationFilters, page: ListPage, includes: ObservationInclude[] = [], fields: string[] = []) {
      const where = observationSql(filters)
      const item = observationItemJson(includes, fields)
      return await paging.listJson(observationListSpec, page, {
        columns: { id: sql`o.id`, sort: observationSortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT o.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM metric_observation o JOIN metric_definition om ON om.id = o.metric_id
          WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`
            SELECT count(*)::int AS total FROM metric_observation o JOIN metric_definition om ON om.id = o.metric_id WHERE ${where}`)
          return row!.total
        }
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
