import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, listResponse, pagingParameters, sendPage } from '../../../lib/listing.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { metricCodePattern, metricDefinitionListSpec } from '../../../plugins/app/metrics/metric-repository.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { MetricCategory, MetricDefinition } from '../../../schemas/metrics.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const metricDefinitionFields = fieldNames(MetricDefinition)

const MetricDefinitionList = listResponse(MetricDefinition, 'MetricDefinitionList', 'One page of metric definitions')

const MetricDefinitionParams = Type.Object({
  code: Type.String({
    pattern: `^${metricCodePattern}$`,
    maxLength: 120,
    description: 'The metric\'s code: lower-case words, digits and underscores joined by dots',
    examples: ['staff.total']
  })
}, { additionalProperties: false })

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(MetricDefinitionList)
  await fastify.register(writeRoutes(writableResources.metricDefinitions, { detail: false }))

  fastify.get('/', {
    schema: {
      tags: ['metrics'],
      operationId: 'listMetricDefinitions',
      summary: 'List metric definitions',
      description: 'What each figure measures: its code (the `metric` filter of `GET /v1/metrics`), name, UCUM unit, ' +
        'category and whether values may be summed across units. Sorted by code unless `sort` says otherwise.',
      querystring: Type.Object({
        category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only metrics in this category', examples: ['outcome'] })),
        additive: Type.Optional(Type.Boolean({ description: 'Only metrics whose values may (true) or may not (false) be summed across units' })),
        ...pagingParameters(metricDefinitionListSpec),
        fields: fieldsParameter(metricDefinitionFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(MetricDefinitionList, { description: 'One page of metric definitions' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { category, additive, limit, cursor, sort, count, fields } = request.query
    const page = await fastify.metricRepository.listDefinitions({ category, additive }, { limit, cursor, sort, count })
    return sendPage(request, reply, page, { requested: fields, allowed: metricDefinitionFields })
  })

  fastify.get('/:code', {
    schema: {
      tags: ['metrics'],
      operationId: 'getMetricDefinition',
      summary: 'Get one metric definition',
      description: 'What the metric measures, its unit and category.',
      params: MetricDefinitionParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(MetricDefinition, { description: 'The metric definition' }),
        400: problemResponse('The code is malformed or a parameter is unknown'),
        404: problemResponse('No metric has this code'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { code } = request.params
    const definition = await fastify.metricRepository.findDefinition(code)
    if (definition === null) throw new ProblemError('notFound', `No metric has the code "${code}".`)
    reply.header('last-modified', new Date(definition.updatedAt).toUTCString())
    reply.header('etag', request.entityTag(definition.version))
    return definition
  })
}

export default plugin
