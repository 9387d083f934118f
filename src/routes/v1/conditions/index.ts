import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { conditionListSpec } from '../../../plugins/app/conditions/condition-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Condition, ConditionRelation } from '../../../schemas/facts.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const conditionFields = Object.keys(Condition.properties).filter((name) => name !== 'id')

const ConditionList = listResponse(Condition, 'ConditionList', 'One page of conditions')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(ConditionList)
  await fastify.register(writeRoutes(writableResources.conditions, { detail: false }))

  fastify.get('/', {
    schema: {
      tags: ['conditions'],
      operationId: 'listConditions',
      summary: 'List conditions',
      description: 'The condition catalogue shared by every unit and hospital, each condition with the units that ' +
        'treat, manage or screen for it and the sentence that says so. `department` and `relation` choose which ' +
        'conditions are listed (together: that unit has that relation to it); each listed condition keeps all its ' +
        'links. Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.',
      querystring: Type.Object({
        department: Type.Optional(slug({ description: 'Only conditions linked to this unit (its slug or an alias slug)', examples: ['general-gynecology'] })),
        relation: Type.Optional(Type.Enum(ConditionRelation.enum, {
          description: 'Only conditions that some unit (or, with `department`, that unit) treats, manages or screens for',
          examples: ['screened']
        })),
        ...pagingParameters(conditionListSpec),
        fields: fieldsParameter(conditionFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(ConditionList, { description: 'One page of conditions' }),
        400: problemResponse('A filter, limit, sort, cursor or field is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, fields, ...filters } = request.query
    const selected = parseNames(fields, conditionFields, 'fields')
    const page = await fastify.conditionRepository.list(filters, { limit, cursor, sort, count }, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['conditions'],
      operationId: 'getCondition',
      summary: 'Get one condition',
      description: 'The condition with every unit that treats, manages or screens for it, and the source of each link.',
      params: Type.Object({
        slug: slug({ description: 'The condition\'s slug', examples: ['cesarean-scar-pregnancy'] })
      }, { additionalProperties: false }),
      // No parameters, but an unknown one is still an error rather than silently ignored.
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(Condition, { description: 'The condition with its units' }),
        400: problemResponse('The slug is malformed or a query parameter is unknown'),
        404: problemResponse('No condition has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.conditionRepository.findBySlug(request.params.slug)
    if (found === null) throw new ProblemError('notFound', `No condition has the slug "${request.params.slug}".`)
    reply.header('last-modified', found.lastModified.toUTCString())
    reply.header('etag', request.entityTag(found.version))
    sendJson(reply, found.body)
    return reply
  })
}

export default plugin
