import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Prisma, UnitKind } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { department, departmentInclude, type DepartmentRow } from '../../../lib/representation.ts'
import type { DepartmentInclude } from '../../../schemas/departments.ts'

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
  kind?: UnitKind
  parent?: string
}

function filterWhere (filters: DepartmentFilters): Prisma.UnitWhereInput {
  return {
    ...(filters.hospital === undefined ? {} : { hospital: { slug: filters.hospital } }),
    ...(filters.kind === undefined ? {} : { kind: filters.kind }),
    ...(filters.parent === undefined ? {} : { parent: { slug: filters.parent } })
  }
}

export function createDepartmentRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: DepartmentFilters, page: PageRequest & { count?: boolean }, includes: DepartmentInclude[]) {
      const where = filterWhere(filters)
      return await paging.list(departmentListSpec, page, {
        find: async (keyset) => prisma.unit.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.UnitOrderByWithRelationInput[],
          take: keyset.take,
          include: departmentInclude(includes)
        }),
        count: async () => prisma.unit.count({ where }),
        present: (row) => department(row as unknown as DepartmentRow)
      })
    },

    /** The unit with this slug, or where the slug is an alias, the unit's canonical slug. */
    async findBySlug (slug: string, includes: DepartmentInclude[]) {
      const row = await prisma.unit.findUnique({ where: { slug }, include: departmentInclude(includes) })
      if (row !== null) return { department: department(row as unknown as DepartmentRow) }
      return this.resolveAlias(slug)
    },

    async resolveAlias (slug: string): Promise<{ canonicalSlug: string } | null> {
      const alias = await prisma.unitAlias.findUnique({ where: { slug }, select: { unit: { select: { slug: true } } } })
      return alias === null ? null : { canonicalSlug: alias.unit.slug }
    },

    /** The unit's id for a slug or alias, for routes that list a unit's facts. */
    async idForSlug (slug: string): Promise<string | null> {
      const unit = await prisma.unit.findFirst({
        where: { OR: [{ slug }, { aliases: { some: { slug } } }] },
        select: { id: true }
      })
      return unit?.id ?? null
    }
  }
}

export type DepartmentRepository = ReturnType<typeof createDepartmentRepository>

export default fp(async (fastify) => {
  fastify.decorate('departmentRepository', createDepartmentRepository(fastify))
}, { name: 'department-repository', dependencies: ['prisma', 'paging'] })
