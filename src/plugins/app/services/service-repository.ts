import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Prisma, ServiceKind } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { service, serviceInclude } from '../../../lib/representation.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'

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

function filterWhere ({ department, hospital, kind }: ServiceFilters): Prisma.ServiceWhereInput {
  return {
    AND: [
      department === undefined ? {} : { unit: unitWithSlug(department) },
      hospital === undefined ? {} : { unit: { hospital: { slug: hospital } } },
      kind === undefined ? {} : { kind }
    ]
  }
}

export function createServiceRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: ServiceFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(serviceListSpec, page, {
        find: async (keyset) => prisma.service.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.ServiceOrderByWithRelationInput[],
          take: keyset.take,
          include: serviceInclude
        }),
        count: async () => prisma.service.count({ where }),
        present: service
      })
    }
  }
}

export type ServiceRepository = ReturnType<typeof createServiceRepository>

export default fp(async (fastify) => {
  fastify.decorate('serviceRepository', createServiceRepository(fastify))
}, { name: 'service-repository', dependencies: ['prisma', 'paging'] })
