import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, includeParameter, listResponse, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { conditionLinkListSpec } from '../../../plugins/app/conditions/condition-repository.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { ConditionLink, conditionLinkIncludes, ConditionRelation, type ConditionLinkInclude } from '../../../schemas/facts.ts'

// That a unit treats, manages or screens for a condition, each link with the sentence that says so. The links are
// also embedded in /v1/conditions and /v1/departments?include=conditions; here they can be listed flat and written.

const linkFields = Object.keys(ConditionLink.properties).filter((name) => name !== 'id')

const ConditionLinkList = listResponse(ConditionLink, 'ConditionLinkList', 'One page of condition links')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(ConditionLinkList)
  await fastify.register(writeRoutes(writableResources.conditionLinks, { detail: true }))

  fastify.get('/', {
    schema: {
      tags: ['conditions'],
      operationId: 'listConditionLinks',
      summary: 'List condition links',
      description: 'Which unit treats, manages or screens for which condition, one link per unit and condition, each ' +
        'with its source sentence, oldest first. Filter by condition, unit or relation. Follow `page.nextCursor` ' +
        '(or the `Link: rel="next"` header) for the next page. `include` expands the `condition`, `department` or ' +
        '`source` reference in place into the full resource; `fields` trims each item.',
      querystring: Type.Object({
        condition: Type.Optional(slug({ description: 'Only links to this condition', examples: ['lung-cancer'] })),
        department: Type.Optional(slug({ description: 'Only links of this unit (its slug or an alias slug)', examples: ['medical-examination-center'] })),
        relation: Type.Optional(Type.Enum(ConditionRelation.enum, { description: 'Only links of this relation', examples: ['screened'] })),
        ...pagingParameters(conditionLinkListSpec),
        include: includeParameter(conditionLinkIncludes),
        fields: fieldsParameter(linkFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(ConditionLinkList, { description: 'One page of condition links' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, include, fields, ...filters } = request.query
    const includes = parseNames(include, conditionLinkIncludes, 'include') as ConditionLinkInclude[]
    const selected = parseNames(fields, linkFields, 'fields')
    const page = await fastify.conditionRepository.listLinks(filters, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })
}

export default plugin
