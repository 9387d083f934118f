import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { pagingParameters, sendPage } from '../../../lib/listing.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { auditListSpec } from '../../../plugins/app/writes/audit-repository.ts'
import { auditedResources } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { AuditEventList } from '../../../schemas/writes.ts'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { scope: 'admin', responseCache: false },
    schema: {
      tags: ['audit'],
      operationId: 'listAuditEvents',
      summary: 'The audit trail',
      description: 'Every write, newest first (admin scope): the key that made it, when, the resource and entity, the ' +
        'action and the representation before and after. Each is recorded in the transaction of the write, so a ' +
        'write that failed has none. Filter by resource, entity, action, key prefix or time; follow `page.nextCursor`.',
      querystring: Type.Object({
        resource: Type.Optional(Type.Enum(auditedResources, { description: 'Only writes to this resource' })),
        entity: Type.Optional(Type.String({ format: 'uuid', description: 'Only writes to this entity (its id)', examples: ['3026767c-b9e3-4d63-adae-f5cef794a5d6'] })),
        action: Type.Optional(Type.Enum(['create', 'update', 'archive', 'restore'], { description: 'Only writes of this kind' })),
        key: Type.Optional(Type.String({ pattern: '^hda_[0-9a-f]{12}$', description: 'Only writes by the API key with this prefix', examples: ['hda_1f3a9c0b7e2d'] })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'Only writes at or after this time', examples: ['2026-11-01T00:00:00Z'] })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'Only writes before this time', examples: ['2026-12-01T00:00:00Z'] })),
        ...pagingParameters(auditListSpec)
      }, { additionalProperties: false }),
      response: {
        200: ref(AuditEventList, { description: 'One page of audit events' }),
        400: problemResponse('A filter, limit or cursor is invalid, from is after to, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { resource, entity, action, key, from, to, limit, cursor, sort, count } = request.query
    const fromTime = from === undefined ? undefined : new Date(from)
    const toTime = to === undefined ? undefined : new Date(to)
    if (fromTime !== undefined && toTime !== undefined && fromTime > toTime) {
      throw new ProblemError('invalidRequest', `from (${from}) is after to (${to}).`, {
        errors: [{ in: 'querystring', field: '/from', message: 'must not be after to' }]
      })
    }
    const page = await fastify.auditRepository.list({ resource, entityId: entity, action, key, from: fromTime, to: toTime }, { limit, cursor, sort, count })
    return sendPage(request, reply, page)
  })
}

export default plugin
