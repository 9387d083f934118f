import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, includeParameter, listResponse, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { eventListSpec } from '../../../plugins/app/events/event-repository.ts'
import { yearRangeParameters } from '../../../plugins/app/facts/fact-filters.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Event, eventIncludes, EventKind, type EventInclude } from '../../../schemas/facts.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

const eventFields = Object.keys(Event.properties).filter((name) => name !== 'id')

const EventList = listResponse(Event, 'EventList', 'One page of timeline events')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(EventList)
  await fastify.register(writeRoutes(writableResources.events, { detail: true }))

  fastify.get('/', {
    schema: {
      tags: ['events'],
      operationId: 'listEvents',
      summary: 'List timeline events',
      description: 'Foundings, designations, partnerships, milestones, equipment and recognitions of the units and ' +
        'hospitals, each with the sentence that states it. By default in chronological order, with events whose ' +
        'date is not stated last; `datePrecision` says how much of `occurredOn` the source states. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page. `include` expands the ' +
        '`hospital`, `department` or `source` reference in place into the full resource; `fields` trims each item.',
      querystring: Type.Object({
        department: Type.Optional(slug({ description: 'Only events of this unit (its slug or an alias slug)', examples: ['perinatal-medical-center'] })),
        hospital: Type.Optional(slug({ description: 'Only events of this hospital, its own and its units\'', examples: ['cqhcwc'] })),
        kind: Type.Optional(Type.Enum(EventKind.enum, { description: 'Only events of this kind', examples: ['partnership'] })),
        ...yearRangeParameters('events'),
        ...pagingParameters(eventListSpec),
        include: includeParameter(eventIncludes),
        fields: fieldsParameter(eventFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(EventList, { description: 'One page of events' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, yearFrom is after yearTo, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, include, fields, ...filters } = request.query
    const includes = parseNames(include, eventIncludes, 'include') as EventInclude[]
    const selected = parseNames(fields, eventFields, 'fields')
    const page = await fastify.eventRepository.list(filters, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })
}

export default plugin
