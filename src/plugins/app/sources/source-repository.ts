import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { Prisma, SourceKind } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import {
  conditionLink, conditionLinkInclude, event, eventInclude, honor, honorInclude, newsInclude, newsSummary, observation,
  observationInclude, service, serviceInclude, source, unitReferenceSelect
} from '../../../lib/representation.ts'
import type { SourceDetail } from '../../../schemas/sources.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sourceRepository: SourceRepository
  }
}

export const sourceListSpec: ListSpec = {
  resource: 'sources',
  sort: {
    fileName: { field: 'fileName', type: 'string' },
    title: { field: 'title', type: 'string' },
    statedOn: { field: 'statedOn', type: 'date', nullable: true, dateOnly: true },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'fileName'
}

export interface SourceFilters {
  kind?: SourceKind
}

type SourceRow = Prisma.SourceDocumentGetPayload<{ include: typeof enteredByInclude }>

const enteredByInclude = { enteredBy: { select: { prefix: true, name: true } } } satisfies Prisma.SourceDocumentInclude

// A list never shows a document's full text, so it is not read: documents can be long and a page holds up to 100.
// The `source` presenter does not read `fullText` either; its parameter type just does not say so yet.
const listOmit = { fullText: true } satisfies Prisma.SourceDocumentOmit

/** Everything the detail shows besides the document: the facts it backs, one query per fact table. */
async function findFacts (prisma: FastifyInstance['prisma'], sourceId: string) {
  const bySource = { sourceId }
  const [departments, observations, honors, services, conditions, events, news] = await Promise.all([
    prisma.unit.findMany({ where: bySource, select: { ...unitReferenceSelect, updatedAt: true }, orderBy: [{ slug: 'asc' }, { id: 'asc' }] }),
    prisma.metricObservation.findMany({
      where: bySource, include: observationInclude, orderBy: [{ unit: { slug: 'asc' } }, { metric: { code: 'asc' } }, { id: 'asc' }]
    }),
    prisma.honor.findMany({ where: bySource, include: honorInclude, orderBy: [{ slug: 'asc' }, { id: 'asc' }] }),
    prisma.service.findMany({ where: bySource, include: serviceInclude, orderBy: [{ slug: 'asc' }, { id: 'asc' }] }),
    prisma.unitCondition.findMany({
      where: bySource, include: conditionLinkInclude, orderBy: [{ condition: { slug: 'asc' } }, { unit: { slug: 'asc' } }, { id: 'asc' }]
    }),
    prisma.event.findMany({ where: bySource, include: eventInclude, orderBy: [{ occurredOn: { sort: 'asc', nulls: 'last' } }, { slug: 'asc' }, { id: 'asc' }] }),
    prisma.newsArticle.findMany({ where: bySource, include: newsInclude, omit: { body: true }, orderBy: [{ publishedOn: 'desc' }, { id: 'asc' }] })
  ])
  return { departments, observations, honors, services, conditions, events, news }
}

type FactRows = Awaited<ReturnType<typeof findFacts>>

/** The latest change to the document or to any fact it lists (a removed fact leaves no timestamp; the ETag covers it). */
function lastModified (document: SourceRow, facts: FactRows): Date {
  const times = Object.values(facts).flat().map((row) => row.updatedAt.getTime())
  return new Date(Math.max(document.updatedAt.getTime(), ...times))
}

export function createSourceRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: SourceFilters, page: PageRequest & { count?: boolean }) {
      const where: Prisma.SourceDocumentWhereInput = filters.kind === undefined ? {} : { kind: filters.kind }
      return await paging.list(sourceListSpec, page, {
        find: async (keyset) => prisma.sourceDocument.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.SourceDocumentOrderByWithRelationInput[],
          take: keyset.take,
          omit: listOmit,
          include: enteredByInclude
        }),
        count: async () => prisma.sourceDocument.count({ where }),
        present: source
      })
    },

    /** The document, its full text and every fact it backs, with the latest change among them; null when missing. */
    async findById (id: string): Promise<{ source: Static<typeof SourceDetail>, lastModified: Date } | null> {
      // The document and its facts are read together: a missing document costs seven empty queries, a found one
      // (the usual case) saves a round trip.
      const [document, facts] = await Promise.all([
        prisma.sourceDocument.findUnique({ where: { id }, include: enteredByInclude }),
        findFacts(prisma, id)
      ])
      if (document === null) return null
      return {
        source: {
          ...source(document),
          fullText: document.fullText,
          facts: {
            departments: facts.departments.map(({ slug, name, kind }) => ({ slug, name, kind })),
            observations: facts.observations.map(observation),
            honors: facts.honors.map(honor),
            services: facts.services.map(service),
            conditions: facts.conditions.map(conditionLink),
            events: facts.events.map(event),
            // A summary never shows the body, so it is not read (see listOmit).
            news: facts.news.map(newsSummary)
          }
        },
        lastModified: lastModified(document, facts)
      }
    }
  }
}

export type SourceRepository = ReturnType<typeof createSourceRepository>

export default fp(async (fastify) => {
  fastify.decorate('sourceRepository', createSourceRepository(fastify))
}, { name: 'source-repository', dependencies: ['prisma', 'paging'] })
