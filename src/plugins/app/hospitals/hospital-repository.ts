import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { Prisma } from '../../../generated/prisma/client.ts'
import { join, jsonObject, selectFields, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import { hospitalFields, hospitalJson } from './hospital-json.ts'
import { regionIdInRegion } from '../regions/region-sql.ts'
import type { hospitalGrades, hospitalTypes } from '../../../schemas/hospitals.ts'
import type { HospitalTree, TreeNode } from '../../../schemas/hospitals.ts'

/** The columns of a unit the tree shows. */
const unitReferenceSelect = { slug: true, name: true, kind: true } as const

declare module 'fastify' {
  interface FastifyInstance {
    hospitalRepository: HospitalRepository
  }
}

export const hospitalListSpec: ListSpec = {
  resource: 'hospitals',
  sort: {
    slug: { field: 'slug', type: 'string' },
    name: { field: 'name', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'slug'
}

export interface HospitalFilters {
  /** ISO 3166-1 alpha-2, upper case, as stored. */
  country?: string
  city?: string
  /** A region's slug: hospitals in it or in any region below it. */
  region?: string
  grade?: (typeof hospitalGrades)[number]
  type?: (typeof hospitalTypes)[number]
}

function filterSql (filters: HospitalFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (filters.country !== undefined) conditions.push(sql`h.country = ${filters.country}`)
  if (filters.city !== undefined) conditions.push(sql`h.city = ${filters.city}`)
  if (filters.region !== undefined) conditions.push(regionIdInRegion(sql`h.region_id`, filters.region))
  if (filters.grade !== undefined) conditions.push(sql`h.grade = ${filters.grade}::"HospitalGrade"`)
  if (filters.type !== undefined) conditions.push(sql`h.type = ${filters.type}::"HospitalType"`)
  return join(conditions, ' AND ')
}

type TreeUnit = { id: string, parentId: string | null } & Prisma.UnitGetPayload<{ select: typeof unitReferenceSelect }>
type Node = Static<typeof TreeNode>

/**
 * Nests a hospital's units under their parents. `units` must be sorted by slug, so every children list (and the
 * top level) comes out in slug order. A unit whose parent is not among them (only possible if the parent belongs
 * to another hospital) is shown at the top level rather than dropped.
 */
export function buildTree (units: TreeUnit[]): Node[] {
  const nodes = new Map(units.map((unit) => [unit.id, { slug: unit.slug, name: unit.name, kind: unit.kind, children: [] as Node[] }]))
  const topLevel: Node[] = []
  for (const unit of units) {
    const node = nodes.get(unit.id)!
    const parent = unit.parentId === null ? undefined : nodes.get(unit.parentId)
    if (parent === undefined) topLevel.push(node)
    else parent.children.push(node)
  }
  return topLevel
}

export function createHospitalRepository (fastify: FastifyInstance) {
  const { prisma, paging, database } = fastify

  return {
    /** One page of hospitals, each written as JSON by PostgreSQL. */
    async list (filters: HospitalFilters, page: PageRequest & { count?: boolean }, fields: string[] = []) {
      const where = filterSql(filters)
      const item = jsonObject(selectFields(hospitalFields('h'), fields))
      return await paging.listJson(hospitalListSpec, page, {
        columns: { id: sql`h.id`, sort: { slug: sql`h.slug`, name: sql`h.name`, updatedAt: sql`h.updated_at` } },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT h.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM hospital h WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM hospital h WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** The hospital as JSON text, with its version and last change; null when no hospital has the slug. */
    async findBySlug (slug: string) {
      const [row] = await database.query<{ version: number, updatedAt: Date, body: string }>(sql`
        SELECT h.version, h.updated_at AS "updatedAt", ${hospitalJson('h')}::text AS body FROM hospital h WHERE h.slug = ${slug}`)
      return row ?? null
    },

    /** The hospital's slug now, for a former slug of it; null when no hospital had the slug. */
    async canonicalSlug (slug: string): Promise<string | null> {
      const alias = await prisma.hospitalAlias.findUnique({ where: { slug }, select: { hospital: { select: { slug: true } } } })
      return alias?.hospital.slug ?? null
    },

    /** The hospital's whole unit hierarchy, from one query for all its units; null when no hospital has the slug. */
    async tree (slug: string): Promise<Static<typeof HospitalTree> | null> {
      const row = await prisma.hospital.findUnique({
        where: { slug },
        select: {
          slug: true,
          name: true,
          units: { select: { id: true, parentId: true, ...unitReferenceSelect }, orderBy: [{ slug: 'asc' }, { id: 'asc' }] }
        }
      })
      if (row === null) return null
      return { hospital: { slug: row.slug, name: row.name }, units: buildTree(row.units) }
    }
  }
}

export type HospitalRepository = ReturnType<typeof createHospitalRepository>

export default fp(async (fastify) => {
  fastify.decorate('hospitalRepository', createHospitalRepository(fastify))
}, { name: 'hospital-repository', dependencies: ['prisma', 'paging'] })
