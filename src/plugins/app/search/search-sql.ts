import { Prisma } from '../../../generated/prisma/client.ts'
import type { SearchKind } from './search-repository.ts'

type Sql = Prisma.Sql

// The SQL of GET /v1/search. Every searched table has a stored, weighted `search_vector` with a GIN index (migration
// 20261207020000_search_vectors). A page is found in two steps:
//  1. each kind's branch finds its matches through the index, ranks them with ts_rank over the stored vector (no
//     text is parsed) and keeps its own best `limit + 1` after the cursor; the union of those short lists is sorted
//     and cut to `limit + 1` again. The page's hits are the best `limit + 1` overall, because each of them is among
//     the best `limit + 1` of its own kind.
//  2. only the `limit` hits shown read their text, and only they get a ts_headline.
// The order is (rank desc, kind, id): rank is ts_rank's float4, exact in the cursor (sent as float8 text).

export interface SearchPosition {
  /** The last hit's rank as float8 text, its kind and id. */
  rank: string
  kind: string
  id: string
}

export interface BranchOptions {
  /** A hospital's slug: only its hits. */
  hospital?: string
  after?: SearchPosition
  /** How many rows each branch (and the union) keeps. */
  take: number
}

const hospitalId = (slug: string): Sql => Prisma.sql`(SELECT id FROM hospital WHERE slug = ${slug})`

/** Rows after the cursor in (rank desc, kind, id) order; `kind` is the branch's own. */
function afterCursor (kind: SearchKind, after: SearchPosition | undefined): Sql {
  if (after === undefined) return Prisma.sql`TRUE`
  return Prisma.sql`(b.rank < ${after.rank}::float8
    OR (b.rank = ${after.rank}::float8 AND (${kind}::text, b.id) > (${after.kind}::text, ${after.id}::uuid)))`
}

/** One kind's best `take` matches after the cursor: (kind, id, rank). */
function branch (kind: SearchKind, matches: Sql, options: BranchOptions): Sql {
  return Prisma.sql`(SELECT ${kind}::text AS kind, b.id, b.rank FROM (${matches}) b
    WHERE ${afterCursor(kind, options.after)}
    ORDER BY b.rank DESC, b.id LIMIT ${options.take})`
}

/**
 * Each kind's matches with their rank. A unit is found by its own vector or by an alias's; it keeps the better
 * rank (a full join with the few units whose aliases match, so every unit match is looked up in a small hash table
 * instead of grouped).
 */
function matchesOf (kind: SearchKind, hospital: string | undefined): Sql | null {
  const inHospital = (column: Sql): Sql => hospital === undefined ? Prisma.empty : Prisma.sql`AND ${column} = ${hospitalId(hospital)}`
  const unitInHospital = (column: Sql): Sql => hospital === undefined
    ? Prisma.empty
    : Prisma.sql`AND ${column} IN (SELECT id FROM unit WHERE hospital_id = ${hospitalId(hospital)})`
  switch (kind) {
    case 'department': return Prisma.sql`
      SELECT coalesce(own.id, alias.unit_id) AS id, greatest(own.rank, alias.rank) AS rank
      FROM (SELECT u.id, ts_rank(u.search_vector, query.q) AS rank FROM unit u, query
            WHERE u.search_vector @@ query.q ${inHospital(Prisma.sql`u.hospital_id`)}) own
      FULL JOIN (SELECT a.unit_id, max(ts_rank(a.search_vector, query.q)) AS rank FROM unit_alias a, query
                 WHERE a.search_vector @@ query.q ${unitInHospital(Prisma.sql`a.unit_id`)} GROUP BY a.unit_id) alias
        ON alias.unit_id = own.id`
    case 'service': return Prisma.sql`
      SELECT s.id, ts_rank(s.search_vector, query.q) AS rank FROM service s, query
      WHERE s.search_vector @@ query.q ${unitInHospital(Prisma.sql`s.unit_id`)}`
    // Conditions are shared by every hospital: a search within one leaves them out.
    case 'condition': return hospital !== undefined ? null : Prisma.sql`
      SELECT c.id, ts_rank(c.search_vector, query.q) AS rank FROM condition c, query
      WHERE c.search_vector @@ query.q`
    case 'honor': return Prisma.sql`
      SELECT h.id, ts_rank(h.search_vector, query.q) AS rank FROM honor h, query
      WHERE h.search_vector @@ query.q ${inHospital(Prisma.sql`h.hospital_id`)}`
    case 'news': return Prisma.sql`
      SELECT n.id, ts_rank(n.search_vector, query.q) AS rank FROM news_article n, query
      WHERE n.search_vector @@ query.q ${inHospital(Prisma.sql`n.hospital_id`)}`
  }
}

const withQuery = (q: string): Sql => Prisma.sql`WITH query AS (SELECT websearch_to_tsquery('english', ${q}) AS q)`

/**
 * The page: `limit` hits in order, with their text, snippet and unit, and whether more follow. Null when no kind
 * asked for can match (conditions within a hospital).
 */
export function pageSql (q: string, kinds: SearchKind[], limit: number, options: Omit<BranchOptions, 'take'>): Sql | null {
  const branches = kinds.flatMap((kind) => {
    const matches = matchesOf(kind, options.hospital)
    return matches === null ? [] : [branch(kind, matches, { ...options, take: limit + 1 })]
  })
  if (branches.length === 0) return null
  return Prisma.sql`
    ${withQuery(q)},
    top AS (SELECT * FROM (${Prisma.join(branches, ' UNION ALL ')}) hit ORDER BY rank DESC, kind, id LIMIT ${limit + 1}),
    page AS (SELECT * FROM top ORDER BY rank DESC, kind, id LIMIT ${limit})
    SELECT page.kind, page.id, page.rank::text AS rank, page.rank::float8::text AS rank_key,
           (SELECT count(*) FROM top) > ${limit} AS more,
           coalesce(u.name, s.name, c.name, h.title, n.title) AS title,
           coalesce(u.slug, c.slug, n.slug, owner.slug, '') AS target,
           ts_headline('english', CASE page.kind
             WHEN 'department' THEN CASE WHEN u.search_vector @@ query.q AND ts_rank(u.search_vector, query.q) >= page.rank
               THEN u.name || ' ' || coalesce(u.summary, '') || ' ' || coalesce(u.focus, '')
               -- Found by an alias: show the alias that matched best.
               ELSE (SELECT a.name FROM unit_alias a WHERE a.unit_id = u.id AND a.search_vector @@ query.q
                     ORDER BY ts_rank(a.search_vector, query.q) DESC, a.id LIMIT 1) END
             WHEN 'service' THEN s.name || ' ' || coalesce(s.description, '')
             WHEN 'condition' THEN c.name
             WHEN 'honor' THEN h.title || ' ' || coalesce(h.issuer, '')
             ELSE n.title || ' ' || coalesce(n.summary, '') || ' ' || n.body END,
             query.q, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=25, MinWords=8') AS snippet,
           owner.slug AS unit_slug, owner.name AS unit_name, owner.kind::text AS unit_kind
    FROM page CROSS JOIN query
    LEFT JOIN unit u ON page.kind = 'department' AND u.id = page.id
    LEFT JOIN service s ON page.kind = 'service' AND s.id = page.id
    LEFT JOIN condition c ON page.kind = 'condition' AND c.id = page.id
    LEFT JOIN honor h ON page.kind = 'honor' AND h.id = page.id
    LEFT JOIN news_article n ON page.kind = 'news' AND n.id = page.id
    LEFT JOIN unit owner ON owner.id = coalesce(u.id, s.unit_id, h.unit_id)
    ORDER BY page.rank DESC, page.kind, page.id`
}

/** The exact number of hits (a unit once, however many of its names match): counted from the indexes, unranked. */
export function countSql (q: string, kinds: SearchKind[], hospital: string | undefined): Sql {
  const counts = kinds.flatMap((kind) => {
    const matches = matchesOf(kind, hospital)
    return matches === null ? [] : [Prisma.sql`(SELECT count(*) FROM (${matches}) m)`]
  })
  return Prisma.sql`${withQuery(q)} SELECT (${counts.length === 0 ? Prisma.sql`0` : Prisma.join(counts, ' + ')})::int AS total`
}

/** How many operands the query has: none when it is only stop words or punctuation. */
export const wordsSql = (q: string): Sql => Prisma.sql`SELECT numnode(websearch_to_tsquery('english', ${q}))::int AS words`
