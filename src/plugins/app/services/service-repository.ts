import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ServiceKind } from '../../../generated/prisma/client.ts'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { ServiceInclude } from '../../../schemas/facts.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'
import { serviceJson } from './service-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    serviceRepository: ServiceRepository
  }
}

export const serviceListSpec: ListSpec = {
  resource: 'services',
  sort: {
    name: { field: 'name', type: 'string' },
    slug: { field: 'slug', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'name'
}

export interface ServiceFilters {
  /** A unit slug or alias slug. */
  department?: string
  /** A service belongs to a unit; the hospital is the unit's. */
  hospital?: string
  kind?: ServiceKind
}

const sortColumns = { name: sql`sv.name`, slug: sql`sv.slug`, updatedAt: sql`sv.updated_at` }

/** The filters of the service list in SQL, over `sv` (service). */
function filterSql ({ department, hospital, kind }: ServiceFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (department !== undefined) conditions.push(unitWithSlug(sql`sv.unit_id`, department))
  if (hospital !== undefined) {
    conditions.push(sql`sv.unit_id IN (SELECT u.id FROM unit u JOIN hospital h ON h.id = u.hospital_id WHERE h.slug = ${hospital})`)
  }
  if (kind !== undefined) conditions.push(sql`sv.kind = ${kind}::"ServiceKind"`)
  return join(conditions, ' AND ')
}

export function createServiceRepository (fastify: FastifyInstance) {
  const { database, paging } = fastify

  return {
    /** One page of services, each written as JSON by PostgreSQL with the references `includes` expands, in one statement. */
    async list (filters: ServiceFilters, page: PageRequest & { count?: boolean }, includes: ServiceInclude[] = [], fields: string[] = []) {
      const where = filterSql(filters)
      const item = serviceJson('sv', includes, fields)
      return await paging.listJson(serviceListSpec, page, {
        columns: { id: sql`sv.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT sv.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM service sv WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM service sv WHERE ${where}`)
          return row!.total
        }
      })
    }
  }
}

export type ServiceRepository = ReturnType<typeof createServiceRepository>

export default fp(async (fastify) => {
  fastify.decorate('serviceRepository', createServiceRepository(fastify))
}, { name: 'service-repository', dependencies: ['prisma', 'paging'] })
