import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, listResponse, pagingParameters, sendPage } from '../../../lib/listing.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { newsListSpec } from '../../../plugins/app/news/news-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { NewsArticle, NewsSummary } from '../../../schemas/news.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const newsFields = fieldNames(NewsSummary)

const NewsList = listResponse(NewsSummary, 'NewsList', 'One page of news articles')

/** An empty range is a mistake worth reporting, not a silent empty list. */
function assertRange (from: string | undefined, to: string | undefined): void {
  // YYYY-MM-DD strings (the schema enforces the format) compare as the dates they name.
  if (from === undefined || to === undefined || from <= to) return
  throw new ProblemError('invalidRequest',
    `from (${from}) is after to (${to}); both bounds are inclusive, so from must be on or before to.`, {
      errors: [
        { in: 'querystring', field: '/from', message: 'must be on or before to' },
        { in: 'querystring', field: '/to', message: 'must be on or after from' }
      ]
    })
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(NewsList)
  await fastify.register(writeRoutes(writableResources.news, { detail: false }))

  fastify.get('/', {
    schema: {
      tags: ['news'],
      operationId: 'listNews',
      summary: 'List news articles',
      description: 'News about the hospitals and their units, newest first by default, without their bodies; filter ' +
        'by unit, hospital or publication date. Follow `page.nextCursor` (or the `Link: rel="next"` header) for the ' +
        'next page.',
      querystring: Type.Object({
        department: Type.Optional(slug({
          description: 'Only articles about this unit (its slug or one of its aliases)',
          examples: ['twins-department']
        })),
        hospital: Type.Optional(slug({ description: 'Only articles of this hospital', examples: ['cqhcwc'] })),
        from: Type.Optional(Type.String({
          format: 'date', description: 'Only articles published on or after this date', examples: ['2021-01-01']
        })),
        to: Type.Optional(Type.String({
          format: 'date', description: 'Only articles published on or before this date', examples: ['2021-12-31']
        })),
        ...pagingParameters(newsListSpec),
        fields: fieldsParameter(newsFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(NewsList, { description: 'One page of news articles' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, from is after to, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { department, hospital, from, to, limit, cursor, sort, count, fields } = request.query
    assertRange(from, to)
    const page = await fastify.newsRepository.list({ department, hospital, from, to }, { limit, cursor, sort, count })
    return sendPage(request, reply, page, { requested: fields, allowed: newsFields })
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['news'],
      operationId: 'getNews',
      summary: 'Get one news article',
      description: 'The article with its body, the units it is about and the source it was taken from.',
      params: Type.Object({
        slug: slug({ description: 'The article\'s slug', examples: ['twins-department-recognized-nationally'] })
      }, { additionalProperties: false }),
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(NewsArticle, { description: 'The article' }),
        400: problemResponse('The slug is malformed or a parameter is unknown'),
        404: problemResponse('No news article has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.newsRepository.findBySlug(request.params.slug)
    if (found === null) throw new ProblemError('notFound', `No news article has the slug "${request.params.slug}".`)
    reply.header('last-modified', new Date(found.updatedAt).toUTCString())
    reply.header('etag', request.entityTag(found.version))
    return found
  })
}

export default plugin
