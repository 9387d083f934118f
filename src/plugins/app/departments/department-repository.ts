import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Prisma } from '../../../generated/prisma/client.ts'
import { decodeCursor, encodeCursor } from '../../../lib/cursor.ts'
import { observation, sourceReference } from '../../../lib/representation.ts'
import type { DepartmentBody, DepartmentDetailBody } from '../../../schemas/departments.ts'

declare module 'fastify' {
  interface FastifyInstance {
    departmentRepository: DepartmentRepository
  }
}

export interface DepartmentListQuery {
  hospital?: string
  kind?: string
  parent?: string
  limit?: number
  cursor?: string
}

const departmentInclude = {
  hospital: { select: { slug: true, name: true, shortName: true } },
  parent: { select: { slug: true, name: true, kind: true } },
  aliases: { select: { slug: true, name: true }, orderBy: { slug: 'asc' } },
  source: { select: { id: true, title: true, statedOn: true } }
} satisfies Prisma.UnitInclude

type DepartmentRow = Prisma.UnitGetPayload<{ include: typeof departmentInclude }>

function department (row: DepartmentRow): DepartmentBody {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    hospital: row.hospital,
    parent: row.parent,
    aliases: row.aliases,
    summary: row.summary,
    focus: row.focus,
    establishedYear: row.establishedYear,
    source: sourceReference(row.source, row.quote),
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    links: { self: `/v1/departments/${row.slug}` }
  }
}

export function createDepartmentRepository (fastify: FastifyInstance) {
  const { prisma } = fastify

  return {
    async list (query: DepartmentListQuery): Promise<{ data: DepartmentBody[], nextCursor: string | null }> {
      const limit = query.limit ?? 20
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['slug']).slug
      const rows = await prisma.unit.findMany({
        where: {
          ...(query.hospital === undefined ? {} : { hospital: { slug: query.hospital } }),
          ...(query.kind === undefined ? {} : { kind: query.kind as DepartmentRow['kind'] }),
          ...(query.parent === undefined ? {} : { parent: { slug: query.parent } }),
          ...(after === undefined ? {} : { slug: { gt: after } })
        },
        include: departmentInclude,
        orderBy: { slug: 'asc' },
        take: limit + 1
      })
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        data: page.map(department),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ slug: last.slug }) : null
      }
    },

    /** The unit with this slug, or where the slug is an alias, the unit's canonical slug. */
    async findBySlug (slug: string): Promise<{ department: DepartmentDetailBody } | { canonicalSlug: string } | null> {
      const row = await prisma.unit.findUnique({
        where: { slug },
        include: {
          ...departmentInclude,
          children: { select: { slug: true, name: true, kind: true }, orderBy: { slug: 'asc' } },
          observations: {
            include: { metric: true, source: { select: { id: true, title: true, statedOn: true } } },
            orderBy: [{ metric: { code: 'asc' } }, { id: 'asc' }]
          }
        }
      })
      if (row !== null) {
        return { department: { ...department(row), children: row.children, metrics: row.observations.map(observation) } }
      }
      const alias = await prisma.unitAlias.findUnique({ where: { slug }, select: { unit: { select: { slug: true } } } })
      return alias === null ? null : { canonicalSlug: alias.unit.slug }
    }
  }
}

export type DepartmentRepository = ReturnType<typeof createDepartmentRepository>

export default fp(async (fastify) => {
  fastify.decorate('departmentRepository', createDepartmentRepository(fastify))
}, { name: 'department-repository', dependencies: ['prisma'] })
