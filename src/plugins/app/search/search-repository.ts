import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import { Prisma } from '../../../generated/prisma/client.ts'
import { ProblemError } from '../../../lib/problem.ts'
import type { searchKinds, SearchHit } from '../../../schemas/search.ts'

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
  rank: string
  unit_slug: string | null
  unit_name: string | null
  unit_kind: 'division' | 'department' | 'center' | null
}

// PostgreSQL full-text search over units (and their aliases), services, conditions, honors and news. Each branch
// matches with exactly the expression its GIN index was built on (migration 20261123070000_search_indexes), so the
// index serves it. Results are ranked by ts_rank_cd (rounded, so the keyset comparison is exact) and paged by
// (rank desc, kind, id) with a signed cursor bound to the query text.
const documents = Prisma.sql`
  SELECT 'department' AS kind, u.id, u.name AS title, u.slug AS target, u.id AS unit_id, u.hospital_id,
         u.name || ' ' || coalesce(u.summary, '') || ' ' || coalesce(u.focus, '') AS body,
         ts_rank_cd(to_tsvector('english', u.name || ' ' || coalesce(u.summary, '') || ' ' || coalesce(u.focus, '')), query.q) AS rank
  FROM unit u, query
  WHERE to_tsvector('english', u.name || ' ' || coalesce(u.summary, '') || ' ' || coalesce(u.focus, '')) @@ query.q
  UNION ALL
  SELECT 'department', u.id, u.name, u.slug, u.id, u.hospital_id, a.name,
         ts_rank_cd(to_tsvector('english', a.name), query.q)
  FROM unit_alias a JOIN unit u ON u.id = a.unit_id, query
  WHERE to_tsvector('english', a.name) @@ query.q
  UNION ALL
  SELECT 'service', s.id, s.name, su.slug, s.unit_id, su.hospital_id,
         s.name || ' ' || coalesce(s.description, ''),
         ts_rank_cd(to_tsvector('english', s.name || ' ' || coalesce(s.description, '')), query.q)
  FROM service s JOIN unit su ON su.id = s.unit_id, query
  WHERE to_tsvector('english', s.name || ' ' || coalesce(s.description, '')) @@ query.q
  UNION ALL
  SELECT 'condition', c.id, c.name, c.slug, NULL, NULL, c.name,
         ts_rank_cd(to_tsvector('english', c.name), query.q)
  FROM condition c, query
  WHERE to_tsvector('english', c.name) @@ query.q
  UNION ALL
  SELECT 'honor', h.id, h.title, coalesce(hu.slug, ''), h.unit_id, h.hospital_id,
         h.title || ' ' || coalesce(h.issuer, ''),
         ts_rank_cd(to_tsvector('english', h.title || ' ' || coalesce(h.issuer, '')), query.q)
  FROM honor h LEFT JOIN unit hu ON hu.id = h.unit_id, query
  WHERE to_tsvector('english', h.title || ' ' || coalesce(h.issuer, '')) @@ query.q
  UNION ALL
  SELECT 'news', n.id, n.title, n.slug, NULL, n.hospital_id,
         n.title || ' ' || coalesce(n.summary, '') || ' ' || n.body,
         ts_rank_cd(to_tsvector('english', n.title || ' ' || coalesce(n.summary, '') || ' ' || n.body), query.q)
  FROM news_article n, query
  WHERE to_tsvector('english', n.title || ' ' || coalesce(n.summary, '') || ' ' || n.body) @@ query.q`

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

  return {
    async search (query: SearchQuery): Promise<{ data: Array<Static<typeof SearchHit>>, nextCursor: string | null, total?: number }> {
      const [parsed] = await prisma.$queryRaw<Array<{ words: number }>>`
        SELECT numnode(websearch_to_tsquery('english', ${query.q}))::int AS words`
      if ((parsed?.words ?? 0) === 0) {
        throw new ProblemError('invalidRequest', `The query "${query.q}" has no searchable words (only stop words or punctuation).`, {
          errors: [{ in: 'querystring', field: '/q', message: 'has no searchable words' }]
        })
      }

      let after = Prisma.empty
      if (query.cursor !== undefined) {
        const cursor = paging.codec.decode(query.cursor)
        const [kind, id] = cursor.i.split(':')
        if (cursor.r !== 'search' || cursor.s !== query.q || typeof cursor.v !== 'string' || kind === undefined || id === undefined) {
          throw new ProblemError('invalidRequest', 'The cursor belongs to another search; start again without it.', {
            errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor for this search' }]
          })
        }
        after = Prisma.sql`AND (hit.rank < ${cursor.v}::numeric OR (hit.rank = ${cursor.v}::numeric AND (hit.kind, hit.id) > (${kind}, ${id}::uuid)))`
      }
      const filters = Prisma.sql`
        WHERE hit.kind = ANY(${query.kinds}::text[])
        ${query.hospital === undefined ? Prisma.empty : Prisma.sql`AND hit.hospital_id = (SELECT id FROM hospital WHERE slug = ${query.hospital})`}`

      // One row per resource: a unit matched by its name and by an alias keeps its best rank.
      const hits = Prisma.sql`
        WITH query AS (SELECT websearch_to_tsquery('english', ${query.q}) AS q),
        matches AS (${documents}),
        hit AS (
          SELECT DISTINCT ON (kind, id) kind, id, title, target, unit_id, hospital_id, body, round(rank::numeric, 6) AS rank
          FROM matches ORDER BY kind, id, rank DESC
        )`

      const [rows, total] = await Promise.all([
        prisma.$queryRaw<HitRow[]>`
          ${hits}
          SELECT hit.kind, hit.id, hit.title, hit.target, hit.rank::text AS rank,
                 ts_headline('english', hit.body, query.q, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=8') AS snippet,
                 u.slug AS unit_slug, u.name AS unit_name, u.kind::text AS unit_kind
          FROM hit CROSS JOIN query LEFT JOIN unit u ON u.id = hit.unit_id
          ${filters} ${after}
          ORDER BY hit.rank DESC, hit.kind, hit.id
          LIMIT ${query.limit + 1}`,
        query.count === true
          ? prisma.$queryRaw<Array<{ total: number }>>`${hits} SELECT count(*)::int AS total FROM hit ${filters}`
          : Promise.resolve(undefined)
      ])

      const page = rows.slice(0, query.limit)
      const last = page.at(-1)
      return {
        data: page.map((row) => ({
          kind: row.kind,
          id: row.id,
          title: row.title,
          snippet: row.snippet,
          rank: Number(row.rank),
          department: row.unit_slug === null ? null : { slug: row.unit_slug, name: row.unit_name!, kind: row.unit_kind! },
          links: { self: selfLink(row) }
        })),
        nextCursor: rows.length > query.limit && last !== undefined
          ? paging.codec.encode({ r: 'search', s: query.q, v: last.rank, i: `${last.kind}:${last.id}` })
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
