import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ConditionRelation } from '../../../generated/prisma/client.ts'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { ConditionLinkInclude } from '../../../schemas/facts.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'
import { conditionJson, conditionLastModified, conditionLinkJson } from './condition-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    conditionRepository: ConditionRepository
  }
}

export const conditionListSpec: ListSpec = {
  resource: 'conditions',
  sort: {
    name: { field: 'name', type: 'string' },
    slug: { field: 'slug', type: 'string' }
  },
  defaultSort: 'name'
}

export const conditionLinkListSpec: ListSpec = {
  resource: 'condition-links',
  sort: {
    createdAt: { field: 'createdAt', type: 'date' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'createdAt'
}

export interface ConditionLinkFilters {
  condition?: string
  /** A unit slug or alias slug. */
  department?: string
  relation?: ConditionRelation
}

const linkSortColumns = { createdAt: sql`uc.created_at`, updatedAt: sql`uc.updated_at` }

/** The filters of the link list in SQL, over `uc` (unit_condition). */
function linkSql ({ condition, department, relation }: ConditionLinkFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (condition !== undefined) conditions.push(sql`uc.condition_id = (SELECT id FROM condition WHERE slug = ${condition})`)
  if (department !== undefined) conditions.push(unitWithSlug(sql`uc.unit_id`, department))
  if (relation !== undefined) conditions.push(sql`uc.relation = ${relation}::"ConditionRelation"`)
  return join(conditions, ' AND ')
}

export interface ConditionFilters {
  /** A unit slug or alias slug: conditions linked to that unit. */
  department?: string
  relation?: ConditionRelation
}

const sortColumns = { name: sql`c.name`, slug: sql`c.slug` }

/** The filters of the condition list in SQL, over `c` (condition). */
function filterSql ({ department, relation }: ConditionFilters): Sql {
  if (department === undefined && relation === undefined) return sql`TRUE`
  // One link for both, so department=x&relation=screened means "x screens for it", not "x has some link to it
  // and some unit screens for it".
  const link: Sql[] = [sql`fl.condition_id = c.id`]
  if (department !== undefined) link.push(unitWithSlug(sql`fl.unit_id`, department))
  if (relation !== undefined) link.push(sql`fl.relation = ${relation}::"ConditionRelation"`)
  return sql`EXISTS (SELECT 1 FROM unit_condition fl WHERE ${join(link, ' AND ')})`
}

export function createConditionRepository (fastify: FastifyInstance) {
  const { database, paging } = fastify

  return {
    /** One page of conditions, each written as JSON by PostgreSQL with all its links, in one statement. */
    async list (filters: ConditionFilters, page: PageRequest & { count?: boolean }, fields: string[] = []) {
      const where = filterSql(filters)
      const item = conditionJson('c', fields)
      return await paging.listJson(conditionListSpec, page, {
        columns: { id: sql`c.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT c.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM condition c WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM condition c WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** One page of links, each written as JSON by PostgreSQL with the references `includes` expands. */
    async listLinks (filters: ConditionLinkFilters, page: PageRequest & { count?: boolean }, includes: ConditionLinkInclude[] = [], fields: string[] = []) {
      const where = linkSql(filters)
      const item = conditionLinkJson('uc', includes, fields)
      return await paging.listJson(conditionLinkListSpec, page, {
        columns: { id: sql`uc.id`, sort: linkSortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT uc.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM unit_condition uc WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM unit_condition uc WHERE ${where}`)
          return row!.total
        }
      })
    },

    /**
     * The condition with this slug as JSON text, with its version and when it or any of its links last changed;
     * null when there is none.
     */
    async findBySlug (slug: string) {
      const [row] = await database.query<{ version: number, lastModified: Date, body: string }>(sql`
        SELECT c.version, ${conditionLastModified('c')} AS "lastModified", ${conditionJson('c')}::text AS body
        FROM condition c WHERE c.slug = ${slug}`)
      return row ?? null
    }
  }
}

export type ConditionRepository = ReturnType<typeof createConditionRepository>

export default fp(async (fastify) => {
  fastify.decorate('conditionRepository', createConditionRepository(fastify))
}, { name: 'condition-repository', dependencies: ['prisma', 'paging'] })
