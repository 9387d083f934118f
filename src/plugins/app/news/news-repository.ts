import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { NewsInclude } from '../../../schemas/news.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'
import { newsArticleJson, newsSummaryJson } from './news-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    newsRepository: NewsRepository
  }
}

export const newsListSpec: ListSpec = {
  resource: 'news',
  sort: {
    publishedOn: { field: 'publishedOn', type: 'date', dateOnly: true },
    title: { field: 'title', type: 'string' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: '-publishedOn'
}

export interface NewsFilters {
  /** A unit slug or one of its aliases. */
  department?: string
  hospital?: string
  /** Inclusive bounds on publishedOn, as YYYY-MM-DD. */
  from?: string
  to?: string
}

const sortColumns = { publishedOn: sql`na.published_on`, title: sql`na.title`, updatedAt: sql`na.updated_at` }

/** The filters of the news list in SQL, over `na` (news_article). */
function filterSql ({ department, hospital, from, to }: NewsFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (department !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM news_article_unit nl WHERE nl.article_id = na.id AND ${unitWithSlug(sql`nl.unit_id`, department)})`)
  }
  if (hospital !== undefined) conditions.push(sql`na.hospital_id = (SELECT id FROM hospital WHERE slug = ${hospital})`)
  if (from !== undefined) conditions.push(sql`na.published_on >= ${from}::date`)
  if (to !== undefined) conditions.push(sql`na.published_on <= ${to}::date`)
  return join(conditions, ' AND ')
}

export function createNewsRepository (fastify: FastifyInstance) {
  const { database, paging } = fastify

  return {
    /**
     * One page of articles without their bodies (the statement never reads them), each written as JSON by PostgreSQL
     * with the references `includes` expands.
     */
    async list (filters: NewsFilters, page: PageRequest & { count?: boolean }, includes: NewsInclude[] = [], fields: string[] = []) {
      const where = filterSql(filters)
      const item = newsSummaryJson('na', includes, fields)
      return await paging.listJson(newsListSpec, page, {
        columns: { id: sql`na.id`, sort: sortColumns },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT na.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM news_article na WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM news_article na WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** The article with this slug as JSON text, with its version and last change; null when there is none. */
    async findBySlug (slug: string, includes: NewsInclude[] = []) {
      const [row] = await database.query<{ version: number, updatedAt: Date, body: string }>(sql`
        SELECT na.version, na.updated_at AS "updatedAt", ${newsArticleJson('na', includes)}::text AS body
        FROM news_article na WHERE na.slug = ${slug}`)
      return row ?? null
    }
  }
}

export type NewsRepository = ReturnType<typeof createNewsRepository>

export default fp(async (fastify) => {
  fastify.decorate('newsRepository', createNewsRepository(fastify))
}, { name: 'news-repository', dependencies: ['prisma', 'paging'] })
