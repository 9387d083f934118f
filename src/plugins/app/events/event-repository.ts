import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { EventKind, Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { event, eventInclude } from '../../../lib/representation.ts'
import { unitWithSlug, yearWithin, type YearRange } from '../facts/fact-filters.ts'

declare module 'fastify' {
  interface FastifyInstance {
    eventRepository: EventRepository
  }
}

export const eventListSpec: ListSpec = {
  resource: 'events',
  sort: {
    // Nullable keys sort last in both directions, so undated events end the timeline either way.
    occurredOn: { field: 'occurredOn', type: 'date', nullable: true, dateOnly: true },
    year: { field: 'year', type: 'number', nullable: true },
    title: { field: 'title', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'occurredOn'
}

export interface EventFilters extends YearRange {
  /** A unit slug or alias slug. */
  department?: string
  hospital?: string
  kind?: EventKind
}

function filterWhere (filters: EventFilters): Prisma.EventWhereInput {
  const { department, hospital, kind } = filters
  return {
    AND: [
      department === undefined ? {} : { unit: unitWithSlug(department) },
      hospital === undefined ? {} : { hospital: { slug: hospital } },
      kind === undefined ? {} : { kind },
      yearWithin(filters)
    ]
  }
}

export function createEventRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: EventFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(eventListSpec, page, {
        find: async (keyset) => prisma.event.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.EventOrderByWithRelationInput[],
          take: keyset.take,
          include: eventInclude
        }),
        count: async () => prisma.event.count({ where }),
        present: event
      })
    }
  }
}

export type EventRepository = ReturnType<typeof createEventRepository>

export default fp(async (fastify) => {
  fastify.decorate('eventRepository', createEventRepository(fastify))
}, { name: 'event-repository', dependencies: ['prisma', 'paging'] })
