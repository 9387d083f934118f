import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, includeParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { newsListSpec } from '../../../plugins/app/news/news-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { NewsArticle, newsIncludes, NewsSummary, type NewsInclude } from '../../../schemas/news.ts'
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
        'next page. `include` expands the `hospital`, `departments` or `source` references in place into the full ' +
        'resources; `fields` trims each item.',
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
        include: includeParameter(newsIncludes),
        fields: fieldsParameter(newsFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(NewsList, { description: 'One page of news articles' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, from is after to, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { department, hospital, from, to, limit, cursor, sort, count, include, fields } = request.query
    assertRange(from, to)
    const includes = parseNames(include, newsIncludes, 'include') as NewsInclude[]
    const selected = parseNames(fields, newsFields, 'fields')
    const page = await fastify.newsRepository.list({ department, hospital, from, to }, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['news'],
      operationId: 'getNews',
      summary: 'Get one news article',
      description: 'The article with its body, the units it is about and the source it was taken from. `include` ' +
        'expands the `hospital`, `departments` or `source` references in place into the full resources.',
      params: Type.Object({
        slug: slug({ description: 'The article\'s slug', examples: ['twins-department-recognized-nationally'] })
      }, { additionalProperties: false }),
      querystring: Type.Object({
        include: includeParameter(newsIncludes)
      }, { additionalProperties: false }),
      response: {
        200: ref(NewsArticle, { description: 'The article' }),
        400: problemResponse('The slug is malformed, an include name is unknown or a parameter is unknown'),
        404: problemResponse('No news article has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const includes = parseNames(request.query.include, newsIncludes, 'include') as NewsInclude[]
    const found = await fastify.newsRepository.findBySlug(request.params.slug, includes)
    if (found === null) throw new ProblemError('notFound', `No news article has the slug "${request.params.slug}".`)
    reply.header('last-modified', found.updatedAt.toUTCString())
    reply.header('etag', request.entityTag(found.version))
    sendJson(reply, found.body)
    return reply
  })
}

export default plugin
