import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { HonorKind, HonorLevel, Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { honor, honorInclude } from '../../../lib/representation.ts'
import { containsText, unitWithSlug, yearWithin, type YearRange } from '../facts/fact-filters.ts'

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

function filterWhere (filters: HonorFilters): Prisma.HonorWhereInput {
  const { department, hospital, issuer, level, kind, hospitalWide } = filters
  return {
    AND: [
      department === undefined ? {} : { unit: unitWithSlug(department) },
      hospital === undefined ? {} : { hospital: { slug: hospital } },
      issuer === undefined ? {} : { issuer: containsText(issuer) },
      level === undefined ? {} : { level },
      kind === undefined ? {} : { kind },
      hospitalWide === undefined ? {} : { unitId: hospitalWide ? null : { not: null } },
      yearWithin(filters)
    ]
  }
}

export function createHonorRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: HonorFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(honorListSpec, page, {
        find: async (keyset) => prisma.honor.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.HonorOrderByWithRelationInput[],
          take: keyset.take,
          include: honorInclude
        }),
        count: async () => prisma.honor.count({ where }),
        present: honor
      })
    }
  }
}

export type HonorRepository = ReturnType<typeof createHonorRepository>

export default fp(async (fastify) => {
  fastify.decorate('honorRepository', createHonorRepository(fastify))
}, { name: 'honor-repository', dependencies: ['prisma', 'paging'] })
