import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { regionListSpec } from '../../../plugins/app/regions/region-repository.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Region, regionLevels } from '../../../schemas/regions.ts'

const regionFields = fieldNames(Region)

const RegionList = listResponse(Region, 'RegionList', 'One page of regions')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(RegionList)
  await fastify.register(writeRoutes(writableResources.regions, { detail: false }))

  fastify.get('/', {
    schema: {
      tags: ['regions'],
      operationId: 'listRegions',
      summary: 'List regions',
      description: 'The administrative areas hospitals belong to (country → province or municipality → district), ' +
        'filtered by parent or level, each with its ancestors, children and how many hospitals it holds (regions ' +
        'below it included). Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.',
      querystring: Type.Object({
        parent: Type.Optional(slug({ description: 'Only the regions directly under this one', examples: ['china'] })),
        level: Type.Optional(Type.Enum([...regionLevels], { description: 'Only regions of this level', examples: ['municipality'] })),
        ...pagingParameters(regionListSpec),
        fields: fieldsParameter(regionFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(RegionList, { description: 'One page of regions' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { parent, level, limit, cursor, sort, count, fields } = request.query
    const selected = parseNames(fields, regionFields, 'fields')
    const page = await fastify.regionRepository.list({ parent, level }, { limit, cursor, sort, count }, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['regions'],
      operationId: 'getRegion',
      summary: 'Get one region',
      description: 'The region with its ancestors (from the top down), its children and how many hospitals it holds, ' +
        'regions below it included; `links.hospitals` lists them.',
      params: Type.Object({ slug: slug({ description: 'The region\'s slug', examples: ['chongqing'] }) }, { additionalProperties: false }),
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(Region, { description: 'The region' }),
        400: problemResponse('The slug is malformed or a parameter is unknown'),
        404: problemResponse('No region has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.regionRepository.findBySlug(request.params.slug)
    if (found === null) throw new ProblemError('notFound', `No region has the slug "${request.params.slug}".`)
    reply.header('last-modified', found.updatedAt.toUTCString())
    reply.header('etag', request.entityTag(found.version))
    sendJson(reply, found.body)
    return reply
  })
}

export default plugin
