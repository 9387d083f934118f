import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { EventKind } from '../../../generated/prisma/client.ts'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { EventInclude } from '../../../schemas/facts.ts'
import { unitWithSlug, yearWithin, type YearRange } from '../facts/fact-filters.ts'
import { eventJson } from './event-json.ts'

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

const sortColumns = { occurredOn: sql`ev.occurred_on`, year: sql`ev.year`, title: sql`ev.title`, updatedAt: sql`ev.updated_at` }

/** The filters of the event list in SQL, over `ev` (event). */
function filterSql (filters: EventFilters): Sql {
  const { department, hospital, kind } = filters
  const conditions: Sql[] = [yearWithin(sql`ev.year`, filters)]
  if (department !== undefined) conditions.push(unitWithSlug(sql`ev.unit_id`, department))
  if (hospital !== undefined) conditions.push(sql`ev.hospital_id = (SELECT id FROM hospital WHERE slug = ${hospital})`)
  if (kind !== undefined) conditions.push(sql`ev.kind = ${kind}::"EventKind"`)
  return join(conditions, ' AND ')
}

export function createEventRepository (fastify: FastifyInstance) {
  const { database, paging } = fastify

  return {
    /** One page of events, each written as JSON by PostgreSQL with the references `includes` expands, in one statement. */
    async list (filters: EventFilters, page: PageRequest & { count?: boolean }, includes: EventInclude[] = [], fields: string[] = []) {
      const where = filterSql(filters)
      const item = eventJson('ev', includes, fields)
      return await paging.listJson(eventListSpec, page, {
        columns: { id: sql`ev.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT ev.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM event ev WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM event ev WHERE ${where}`)
          return row!.total
        }
      })
    }
  }
}

export type EventRepository = ReturnType<typeof createEventRepository>

export default fp(async (fastify) => {
  fastify.decorate('eventRepository', createEventRepository(fastify))
}, { name: 'event-repository', dependencies: ['prisma', 'paging'] })
