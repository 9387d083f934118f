import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { join, jsonObject, selectFields, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { regionLevels } from '../../../schemas/regions.ts'
import { regionFields, regionJson } from './region-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    regionRepository: RegionRepository
  }
}

export const regionListSpec: ListSpec = {
  resource: 'regions',
  sort: {
    slug: { field: 'slug', type: 'string' },
    name: { field: 'name', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'slug'
}

export interface RegionFilters {
  /** Only the regions directly under this one. */
  parent?: string
  level?: (typeof regionLevels)[number]
}

function filterSql (filters: RegionFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (filters.parent !== undefined) conditions.push(sql`r.parent_id = (SELECT id FROM region WHERE slug = ${filters.parent})`)
  if (filters.level !== undefined) conditions.push(sql`r.level = ${filters.level}::"RegionLevel"`)
  return join(conditions, ' AND ')
}

export function createRegionRepository (fastify: FastifyInstance) {
  const { paging, database } = fastify

  return {
    /** One page of regions, each written as JSON by PostgreSQL. */
    async list (filters: RegionFilters, page: PageRequest & { count?: boolean }, fields: string[] = []) {
      const where = filterSql(filters)
      const item = jsonObject(selectFields(regionFields('r'), fields))
      return await paging.listJson(regionListSpec, page, {
        columns: { id: sql`r.id`, sort: { slug: sql`r.slug`, name: sql`r.name`, updatedAt: sql`r.updated_at` } },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT r.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM region r WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM region r WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** The region as JSON text, with its version and last change; null when no region has the slug. */
    async findBySlug (slug: string) {
      const [row] = await database.query<{ version: number, updatedAt: Date, body: string }>(sql`
        SELECT r.version, r.updated_at AS "updatedAt", ${regionJson('r')}::text AS body FROM region r WHERE r.slug = ${slug}`)
      return row ?? null
    }
  }
}

export type RegionRepository = ReturnType<typeof createRegionRepository>

export default fp(async (fastify) => {
  fastify.decorate('regionRepository', createRegionRepository(fastify))
}, { name: 'region-repository', dependencies: ['prisma', 'paging'] })
