import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { HonorKind, HonorLevel } from '../../../generated/prisma/client.ts'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { HonorInclude } from '../../../schemas/facts.ts'
import { containsText, unitWithSlug, yearWithin, type YearRange } from '../facts/fact-filters.ts'
import { honorJson } from './honor-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    honorRepository: HonorRepository
  }
}

export const honorListSpec: ListSpec = {
  resource: 'honors',
  sort: {
    title: { field: 'title', type: 'string' },
    year: { field: 'year', type: 'number', nullable: true },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'title'
}

export interface HonorFilters extends YearRange {
  /** A unit slug or alias slug. */
  department?: string
  hospital?: string
  /** A case-insensitive part of the issuer's name. */
  issuer?: string
  level?: HonorLevel
  kind?: HonorKind
  /** true: only honors of the hospital as a whole; false: only honors of a unit. */
  hospitalWide?: boolean
}

const sortColumns = { title: sql`hn.title`, year: sql`hn.year`, updatedAt: sql`hn.updated_at` }

/** The filters of the honor list in SQL, over `hn` (honor). */
function filterSql (filters: HonorFilters): Sql {
  const { department, hospital, issuer, level, kind, hospitalWide } = filters
  const conditions: Sql[] = [yearWithin(sql`hn.year`, filters)]
  if (department !== undefined) conditions.push(unitWithSlug(sql`hn.unit_id`, department))
  if (hospital !== undefined) conditions.push(sql`hn.hospital_id = (SELECT id FROM hospital WHERE slug = ${hospital})`)
  if (issuer !== undefined) conditions.push(containsText(sql`hn.issuer`, issuer))
  if (level !== undefined) conditions.push(sql`hn.level = ${level}::"HonorLevel"`)
  if (kind !== undefined) conditions.push(sql`hn.kind = ${kind}::"HonorKind"`)
  if (hospitalWide !== undefined) conditions.push(hospitalWide ? sql`hn.unit_id IS NULL` : sql`hn.unit_id IS NOT NULL`)
  return join(conditions, ' AND ')
}

export function createHonorRepository (fastify: FastifyInstance) {
  const { database, paging } = fastify

  return {
    /** One page of honors, each written as JSON by PostgreSQL with the references `includes` expands, in one statement. */
    async list (filters: HonorFilters, page: PageRequest & { count?: boolean }, includes: HonorInclude[] = [], fields: string[] = []) {
      const where = filterSql(filters)
      const item = honorJson('hn', includes, fields)
      return await paging.listJson(honorListSpec, page, {
        columns: { id: sql`hn.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT hn.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM honor hn WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM honor hn WHERE ${where}`)
          return row!.total
        }
      })
    }
  }
}

export type HonorRepository = ReturnType<typeof createHonorRepository>

export default fp(async (fastify) => {
  fastify.decorate('honorRepository', createHonorRepository(fastify))
}, { name: 'honor-repository', dependencies: ['prisma', 'paging'] })
