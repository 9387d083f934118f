import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, listResponse, pagingParameters, sendPage } from '../../../lib/listing.ts'
import { serviceListSpec } from '../../../plugins/app/services/service-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Service, ServiceKind } from '../../../schemas/facts.ts'
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
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.',
      querystring: Type.Object({
        department: Type.Optional(slug({ description: 'Only services of this unit (its slug or an alias slug)', examples: ['medical-examination-center'] })),
        hospital: Type.Optional(slug({ description: 'Only services of this hospital\'s units', examples: ['cqhcwc'] })),
        kind: Type.Optional(Type.Enum(ServiceKind.enum, { description: 'Only services of this kind', examples: ['screening'] })),
        ...pagingParameters(serviceListSpec),
        fields: fieldsParameter(serviceFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(ServiceList, { description: 'One page of services' }),
        400: problemResponse('A filter, limit, sort, cursor or field is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, fields, ...filters } = request.query
    const page = await fastify.serviceRepository.list(filters, { limit, cursor, sort, count })
    return sendPage(request, reply, page, { requested: fields, allowed: serviceFields })
  })
}

export default plugin
