import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { hospital, sourceSelect, unitReferenceSelect } from '../../../lib/representation.ts'
import type { HospitalTree, TreeNode } from '../../../schemas/hospitals.ts'

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
}

const hospitalInclude = { source: { select: sourceSelect } } satisfies Prisma.HospitalInclude

function filterWhere (filters: HospitalFilters): Prisma.HospitalWhereInput {
  return {
    ...(filters.country === undefined ? {} : { country: filters.country }),
    ...(filters.city === undefined ? {} : { city: filters.city })
  }
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
  const { prisma, paging } = fastify

  return {
    async list (filters: HospitalFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(hospitalListSpec, page, {
        find: async (keyset) => prisma.hospital.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.HospitalOrderByWithRelationInput[],
          take: keyset.take,
          include: hospitalInclude
        }),
        count: async () => prisma.hospital.count({ where }),
        present: hospital
      })
    },

    async findBySlug (slug: string) {
      const row = await prisma.hospital.findUnique({ where: { slug }, include: hospitalInclude })
      return row === null ? null : hospital(row)
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
