import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { sourceListSpec } from '../../../plugins/app/sources/source-repository.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { Source, SourceDetail } from '../../../schemas/sources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import candidateRoutes from './candidates.ts'
import createSourceRoute from './create.ts'

const sourceFields = fieldNames(Source)

const SourceList = listResponse(Source, 'SourceList', 'One page of source documents')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(SourceList)

  fastify.get('/', {
    schema: {
      tags: ['sources'],
      operationId: 'listSources',
      summary: 'List source documents',
      description: 'The documents every fact was taken from, without their text; filter by kind. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.',
      querystring: Type.Object({
        kind: Type.Optional(Type.Enum(['department_page', 'center_page', 'news_article'], {
          description: 'Only documents of this kind'
        })),
        ...pagingParameters(sourceListSpec),
        fields: fieldsParameter(sourceFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(SourceList, { description: 'One page of source documents' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { kind, limit, cursor, sort, count, fields } = request.query
    const selected = parseNames(fields, sourceFields, 'fields')
    const page = await fastify.sourceRepository.list({ kind }, { limit, cursor, sort, count }, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:id', {
    schema: {
      tags: ['sources'],
      operationId: 'getSource',
      summary: 'Get one source document and the facts it backs',
      description: 'The document with its full text and every fact taken from it: the units it introduces, figures, ' +
        'honors, services, conditions, timeline events and news. Each fact\'s `source.quote` occurs verbatim in ' +
        '`fullText`. The strong `ETag` names its version: send it as `If-Match` to change or archive it.',
      params: Type.Object({
        id: Type.String({ format: 'uuid', description: 'The document\'s id (the `source.id` of any fact)' })
      }, { additionalProperties: false }),
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(SourceDetail, { description: 'The document, its text and its facts' }),
        400: problemResponse('The id is not a UUID or a parameter is unknown'),
        404: problemResponse('No source document has this id'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.sourceRepository.findById(request.params.id)
    if (found === null) throw new ProblemError('notFound', `No source document has the id "${request.params.id}".`)
    reply.header('etag', request.entityTag(found.version))
    reply.header('last-modified', found.lastModified.toUTCString())
    sendJson(reply, found.body)
    return reply
  })

  await fastify.register(writeRoutes(writableResources.sources, { detail: false, create: false }))
  await fastify.register(createSourceRoute)
  await fastify.register(candidateRoutes)
}

export default plugin
