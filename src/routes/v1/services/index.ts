import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, includeParameter, listResponse, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { serviceListSpec } from '../../../plugins/app/services/service-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Service, serviceIncludes, ServiceKind, type ServiceInclude } from '../../../schemas/facts.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const serviceFields = Object.keys(Service.properties).filter((name) => name !== 'id')

const ServiceList = listResponse(Service, 'ServiceList', 'One page of services')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(ServiceList)
  await fastify.register(writeRoutes(writableResources.services, { detail: true }))

  fastify.get('/', {
    schema: {
      tags: ['services'],
      operationId: 'listServices',
      summary: 'List services',
      description: 'What the units offer: procedures, treatments, clinics, screening and management programs, ' +
        'consultations and transport, each with the sentence that states it. Filter by unit, hospital or kind. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page. `include` expands the ' +
        '`department` or `source` reference in place into the full resource; `fields` trims each item.',
      querystring: Type.Object({
        department: Type.Optional(slug({ description: 'Only services of this unit (its slug or an alias slug)', examples: ['medical-examination-center'] })),
        hospital: Type.Optional(slug({ description: 'Only services of this hospital\'s units', examples: ['cqhcwc'] })),
        kind: Type.Optional(Type.Enum(ServiceKind.enum, { description: 'Only services of this kind', examples: ['screening'] })),
        ...pagingParameters(serviceListSpec),
        include: includeParameter(serviceIncludes),
        fields: fieldsParameter(serviceFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(ServiceList, { description: 'One page of services' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, include, fields, ...filters } = request.query
    const includes = parseNames(include, serviceIncludes, 'include') as ServiceInclude[]
    const selected = parseNames(fields, serviceFields, 'fields')
    const page = await fastify.serviceRepository.list(filters, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })
}

export default plugin
