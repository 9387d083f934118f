import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, includeParameter, listResponse, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { yearRangeParameters } from '../../../plugins/app/facts/fact-filters.ts'
import { honorListSpec } from '../../../plugins/app/honors/honor-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Honor, honorIncludes, HonorKind, HonorLevel, type HonorInclude } from '../../../schemas/facts.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const honorFields = Object.keys(Honor.properties).filter((name) => name !== 'id')

const HonorList = listResponse(Honor, 'HonorList', 'One page of honors')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(HonorList)
  await fastify.register(writeRoutes(writableResources.honors, { detail: true }))

  fastify.get('/', {
    schema: {
      tags: ['honors'],
      operationId: 'listHonors',
      summary: 'List honors',
      description: 'Designations, accreditations, recognitions, memberships and distinctions of the units and of the ' +
        'hospitals as a whole, each with the sentence that states it. Filter by unit, hospital, issuer, level, kind or ' +
        'year; `hospitalWide=true` keeps only the honors of a hospital as a whole. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page. `include` expands the ' +
        '`hospital`, `department` or `source` reference in place into the full resource; `fields` trims each item.',
      querystring: Type.Object({
        department: Type.Optional(slug({ description: 'Only honors of this unit (its slug or an alias slug)', examples: ['general-gynecology'] })),
        hospital: Type.Optional(slug({ description: 'Only honors of this hospital, its own and its units\'', examples: ['cqhcwc'] })),
        issuer: Type.Optional(Type.String({
          minLength: 1,
          maxLength: 200,
          description: 'Only honors whose issuer contains this text, ignoring case; honors with no stated issuer are left out',
          examples: ['China Maternal and Child Health Association']
        })),
        level: Type.Optional(Type.Enum(HonorLevel.enum, { description: 'Only honors at this level', examples: ['national'] })),
        kind: Type.Optional(Type.Enum(HonorKind.enum, { description: 'Only honors of this kind', examples: ['accreditation'] })),
        ...yearRangeParameters('honors awarded'),
        hospitalWide: Type.Optional(Type.Boolean({
          description: '`true`: only honors of a hospital as a whole (no unit); `false`: only honors of a unit',
          examples: [true]
        })),
        ...pagingParameters(honorListSpec),
        include: includeParameter(honorIncludes),
        fields: fieldsParameter(honorFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(HonorList, { description: 'One page of honors' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, yearFrom is after yearTo, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, include, fields, ...filters } = request.query
    const includes = parseNames(include, honorIncludes, 'include') as HonorInclude[]
    const selected = parseNames(fields, honorFields, 'fields')
    const page = await fastify.honorRepository.list(filters, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })
}

export default plugin
