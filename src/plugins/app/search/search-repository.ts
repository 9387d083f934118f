import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import { ProblemError } from '../../../lib/problem.ts'
import type { searchKinds, SearchHit } from '../../../schemas/search.ts'
import { countSql, pageSql, wordsSql, type SearchPosition } from './search-sql.ts'

declare module 'fastify' {
  interface FastifyInstance {
    searchRepository: SearchRepository
  }
}

export type SearchKind = (typeof searchKinds)[number]

export interface SearchQuery {
  q: string
  kinds: SearchKind[]
  hospital?: string
  limit: number
  cursor?: string
  count?: boolean
}

interface HitRow {
  kind: SearchKind
  id: string
  title: string
  target: string
  snippet: string
  /** ts_rank as shown; rank_key is the same float4 as float8 text, exact in a cursor. */
  rank: string
  rank_key: string
  more: boolean
  unit_slug: string | null
  unit_name: string | null
  unit_kind: 'division' | 'department' | 'center' | null
}

// PostgreSQL full-text search over units (and their aliases), services, conditions, honors and news, ranked by
// ts_rank over stored, weighted vectors and paged by (rank desc, kind, id) with a signed cursor bound to the query
// text. The SQL, and why a page costs what it shows rather than everything that matches, is in search-sql.ts.

function selfLink (row: HitRow): string {
  switch (row.kind) {
    case 'department': return `/v1/departments/${row.target}`
    case 'service': return `/v1/services?department=${row.target}`
    case 'condition': return `/v1/conditions/${row.target}`
    case 'honor': return row.target === '' ? '/v1/honors?hospitalWide=true' : `/v1/honors?department=${row.target}`
    case 'news': return `/v1/news/${row.target}`
  }
}

export function createSearchRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  function position (query: SearchQuery): SearchPosition | undefined {
    if (query.cursor === undefined) return undefined
    const cursor = paging.codec.decode(query.cursor)
    const [kind, id] = cursor.i.split(':')
    if (cursor.r !== 'search' || cursor.s !== query.q || typeof cursor.v !== 'string' || !Number.isFinite(Number(cursor.v)) ||
      kind === undefined || id === undefined) {
      throw new ProblemError('invalidRequest', 'The cursor belongs to another search; start again without it.', {
        errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor for this search' }]
      })
    }
    return { rank: cursor.v, kind, id }
  }

  async function requireWords (q: string): Promise<void> {
    const [parsed] = await prisma.$queryRaw<Array<{ words: number }>>(wordsSql(q))
    if ((parsed?.words ?? 0) === 0) {
      throw new ProblemError('invalidRequest', `The query "${q}" has no searchable words (only stop words or punctuation).`, {
        errors: [{ in: 'querystring', field: '/q', message: 'has no searchable words' }]
      })
    }
  }

  return {
    async search (query: SearchQuery): Promise<{ data: Array<Static<typeof SearchHit>>, nextCursor: string | null, total?: number }> {
      const after = position(query)
      const page = pageSql(query.q, query.kinds, query.limit, { hospital: query.hospital, after })
      const [rows, total] = await Promise.all([
        page === null ? Promise.resolve([]) : prisma.$queryRaw<HitRow[]>(page),
        query.count === true
          ? prisma.$queryRaw<Array<{ total: number }>>(countSql(query.q, query.kinds, query.hospital))
          : Promise.resolve(undefined)
      ])
      // A query of stop words matches nothing, so only an empty page needs asking whether that is why.
      if (rows.length === 0) await requireWords(query.q)

      const last = rows.at(-1)
      return {
        data: rows.map((row) => ({
          kind: row.kind,
          id: row.id,
          title: row.title,
          snippet: row.snippet,
          rank: Number(row.rank),
          department: row.unit_slug === null ? null : { slug: row.unit_slug, name: row.unit_name!, kind: row.unit_kind! },
          links: { self: selfLink(row) }
        })),
        nextCursor: last?.more === true
          ? paging.codec.encode({ r: 'search', s: query.q, v: last.rank_key, i: `${last.kind}:${last.id}` })
          : null,
        ...(total === undefined ? {} : { total: total[0]?.total ?? 0 })
      }
    }
  }
}

export type SearchRepository = ReturnType<typeof createSearchRepository>

export default fp(async (fastify) => {
  fastify.decorate('searchRepository', createSearchRepository(fastify))
}, { name: 'search-repository', dependencies: ['prisma', 'paging'] })
