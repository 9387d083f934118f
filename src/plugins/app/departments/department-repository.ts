import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { UnitKind } from '../../../generated/prisma/client.ts'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { DepartmentInclude } from '../../../schemas/departments.ts'
import { departmentJson } from './department-json.ts'
import { hospitalInRegion } from '../regions/region-sql.ts'

declare module 'fastify' {
  interface FastifyInstance {
    departmentRepository: DepartmentRepository
  }
}

export const departmentListSpec: ListSpec = {
  resource: 'departments',
  sort: {
    slug: { field: 'slug', type: 'string' },
    name: { field: 'name', type: 'string' },
    establishedYear: { field: 'establishedYear', type: 'number', nullable: true },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'slug'
}

export interface DepartmentFilters {
  hospital?: string
  /** A region's slug: units of the hospitals in it or below it. */
  region?: string
  kind?: UnitKind
  parent?: string
}

const sortColumns = { slug: sql`u.slug`, name: sql`u.name`, establishedYear: sql`u.established_year`, updatedAt: sql`u.updated_at` }

function filterSql (filters: DepartmentFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (filters.hospital !== undefined) conditions.push(sql`u.hospital_id = (SELECT id FROM hospital WHERE slug = ${filters.hospital})`)
  if (filters.region !== undefined) conditions.push(hospitalInRegion(sql`u.hospital_id`, filters.region))
  if (filters.kind !== undefined) conditions.push(sql`u.kind = ${filters.kind}::"UnitKind"`)
  if (filters.parent !== undefined) conditions.push(sql`u.parent_id = (SELECT id FROM unit WHERE slug = ${filters.parent})`)
  return join(conditions, ' AND ')
}

export function createDepartmentRepository (fastify: FastifyInstance) {
  const { prisma, paging, database } = fastify

  return {
    /** One page of units, each written as JSON by PostgreSQL with its embeds, in one statement. */
    async list (filters: DepartmentFilters, page: PageRequest & { count?: boolean }, includes: DepartmentInclude[], fields: string[] = []) {
      const where = filterSql(filters)
      const item = departmentJson('u', includes, fields)
      return await paging.listJson(departmentListSpec, page, {
        columns: { id: sql`u.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT u.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM unit u WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM unit u WHERE ${where}`)
          return row!.total
        }
      })
    },

    /**
     * The unit with this slug as JSON text with its version and last change, or where the slug is an alias, the
     * unit's canonical slug.
     */
    async findBySlug (slug: string, includes: DepartmentInclude[]) {
      const [row] = await database.query<{ version: number, updatedAt: Date, body: string }>(sql`
        SELECT u.version, u.updated_at AS "updatedAt", ${departmentJson('u', includes)}::text AS body
        FROM unit u WHERE u.slug = ${slug}`)
      if (row !== undefined) return { department: row }
      return this.resolveAlias(slug)
    },

    async resolveAlias (slug: string): Promise<{ canonicalSlug: string } | null> {
      const alias = await prisma.unitAlias.findUnique({ where: { slug }, select: { unit: { select: { slug: true } } } })
      return alias === null ? null : { canonicalSlug: alias.unit.slug }
    },

    /** The id of the unit with this slug (its own: an alias answers 301 to the unit's URL), for its sub-resources. */
    async idForSlug (slug: string): Promise<string | null> {
      const unit = await prisma.unit.findUnique({ where: { slug }, select: { id: true } })
      return unit?.id ?? null
    }
  }
}

export type DepartmentRepository = ReturnType<typeof createDepartmentRepository>

export default fp(async (fastify) => {
  fastify.decorate('departmentRepository', createDepartmentRepository(fastify))
}, { name: 'department-repository', dependencies: ['prisma', 'paging'] })
