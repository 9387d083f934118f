import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import { candidateJson } from './candidate-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    candidateRepository: CandidateRepository
  }
}

export const candidateListSpec: ListSpec = {
  resource: 'candidates',
  sort: {
    start: { field: 'start', type: 'number' },
    confidence: { field: 'confidence', type: 'number' },
    createdAt: { field: 'createdAt', type: 'date' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'start'
}

export interface CandidateFilters {
  status?: 'proposed' | 'accepted' | 'rejected'
  kind?: 'figure' | 'honor' | 'event'
}

const sortColumns = { start: sql`c.quote_start`, confidence: sql`c.confidence`, createdAt: sql`c.created_at`, updatedAt: sql`c.updated_at` }

function candidateSql (sourceId: string, filters: CandidateFilters): Sql {
  const conditions: Sql[] = [sql`c.source_id = ${sourceId}::uuid`]
  if (filters.status !== undefined) conditions.push(sql`c.status = ${filters.status}::"CandidateStatus"`)
  if (filters.kind !== undefined) conditions.push(sql`c.kind = ${filters.kind}::"CandidateKind"`)
  return join(conditions, ' AND ')
}

export function createCandidateRepository (fastify: FastifyInstance) {
  const { paging, database } = fastify

  return {
    /** One page of a source's candidates, each written as JSON by PostgreSQL. */
    async list (sourceId: string, filters: CandidateFilters, page: PageRequest & { count?: boolean }) {
      const where = candidateSql(sourceId, filters)
      return await paging.listJson(candidateListSpec, page, {
        columns: { id: sql`c.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT c.id, ${keyset.sortValue} AS "sortValue", ${candidateJson('c')}::text AS item
          FROM extraction_candidate c WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM extraction_candidate c WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** A candidate of the source as JSON text with its version; null when the source has no such candidate. */
    async find (sourceId: string, candidateId: string): Promise<{ body: string, version: number } | null> {
      const [row] = await database.query<{ body: string, version: number }>(sql`
        SELECT ${candidateJson('c')}::text AS body, c.version FROM extraction_candidate c
        WHERE c.id = ${candidateId}::uuid AND c.source_id = ${sourceId}::uuid`)
      return row ?? null
    },

    /** Whether a source has this id (a missing source is a 404, not an empty list). */
    async sourceExists (sourceId: string): Promise<boolean> {
      const rows = await database.query<{ id: string }>(sql`SELECT id FROM source_document WHERE id = ${sourceId}::uuid`)
      return rows.length > 0
    }
  }
}

export type CandidateRepository = ReturnType<typeof createCandidateRepository>

export default fp(async (fastify) => {
  fastify.decorate('candidateRepository', createCandidateRepository(fastify))
}, { name: 'candidate-repository', dependencies: ['prisma', 'paging'] })
