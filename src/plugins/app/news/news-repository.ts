import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { newsArticle, newsInclude, newsSummary } from '../../../lib/representation.ts'

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

function calendarDate (value: string): Date {
  return new Date(`${value}T00:00:00.000Z`)
}

function filterWhere (filters: NewsFilters): Prisma.NewsArticleWhereInput {
  const { department, hospital, from, to } = filters
  const published: Prisma.DateTimeFilter = {
    ...(from === undefined ? {} : { gte: calendarDate(from) }),
    ...(to === undefined ? {} : { lte: calendarDate(to) })
  }
  return {
    ...(department === undefined
      ? {}
      : { units: { some: { unit: { OR: [{ slug: department }, { aliases: { some: { slug: department } } }] } } } }),
    ...(hospital === undefined ? {} : { hospital: { slug: hospital } }),
    ...(Object.keys(published).length === 0 ? {} : { publishedOn: published })
  }
}

export function createNewsRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: NewsFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(newsListSpec, page, {
        find: async (keyset) => prisma.newsArticle.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.NewsArticleOrderByWithRelationInput[],
          take: keyset.take,
          include: newsInclude,
          // A summary never shows the body, so a page does not read it.
          omit: { body: true }
        }),
        count: async () => prisma.newsArticle.count({ where }),
        present: newsSummary
      })
    },

    async findBySlug (slug: string) {
      const row = await prisma.newsArticle.findUnique({ where: { slug }, include: newsInclude })
      return row === null ? null : newsArticle(row)
    }
  }
}

export type NewsRepository = ReturnType<typeof createNewsRepository>

export default fp(async (fastify) => {
  fastify.decorate('newsRepository', createNewsRepository(fastify))
}, { name: 'news-repository', dependencies: ['prisma', 'paging'] })
