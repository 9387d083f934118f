import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { auditListSpec } from '../plugins/app/writes/audit-repository.ts'
import { beginIdempotentRequest, idempotencyKeyHeader, releaseIdempotencyKey } from '../plugins/app/writes/idempotency.ts'
import type { WritableResource } from '../plugins/app/writes/resources.ts'
import { problemResponse, slug } from '../schemas/common.ts'
import { metricCodeInput } from '../schemas/writes.ts'
import { pagingParameters, sendPage } from './listing.ts'

// The write routes of one resource, the same for every resource: POST (201, Location, ETag; Idempotency-Key), PATCH
// and DELETE by key (If-Match required), a detail GET where the area has none keyed the same way, and the entity's
// history from the audit trail. Each area's index.ts registers them beside its reads.

const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({
    maxLength: 1000,
    description: 'Required: the ETag of the version being changed (from a GET or the last write), or `*`. ' +
      'Missing → 428; another version → 412.',
    examples: ['"3.Hk2v0Yt1mQ8xZ4aB"']
  }))
})

export const etagHeader = { etag: Type.String({ description: 'Strong entity tag of the new version: send it as If-Match next time' }) }

function keyParams (resource: WritableResource) {
  const key = resource.key === 'id'
    ? Type.String({ format: 'uuid', description: `The ${resource.noun}'s id` })
    : resource.key === 'code'
      ? metricCodeInput
      : slug({ description: `The ${resource.noun}'s slug`, examples: [] })
  return Type.Object({ [resource.key]: key }, { additionalProperties: false })
}

function keyOf (resource: WritableResource, request: FastifyRequest): string {
  return (request.params as Record<string, string>)[resource.key]!
}

function sendWritten (reply: FastifyReply, written: { etag: string, location: string }, status: number) {
  reply.code(status).header('etag', written.etag)
  if (status === 201) reply.header('location', written.location)
}

/**
 * The write routes of `resource`. `detail: false` where the area has its own GET by key; `create: false` where its
 * POST reads more than a JSON body (sources take raw text and HTML too) and is declared by the area; `aliases` where
 * an alias slug answers 301 (lib/alias-redirect.ts), so that the history documents it.
 */
export function writeRoutes (resource: WritableResource, options: { detail: boolean, create?: boolean, aliases?: boolean }): FastifyPluginAsync {
  const tag = ({ 'metric-definitions': 'metrics', 'condition-links': 'conditions', 'department-aliases': 'departments' } as Record<string, string>)[resource.name] ?? resource.name
  const representation = Type.Unsafe({ $ref: `${resource.representation}#` })
  const noun = resource.noun
  const path = `/:${resource.key}`
  const operation = resource.representation.replace(/^Observation$/, 'Metric')
  const provenanceNote = resource.sourced
    ? ' The body must say where the new state comes from: `provenance` with a source document\'s `source` id and the ' +
      '`quote` that states it (verbatim), or a `note` (kept as a source of kind `manual_entry`, entered by your key).'
    : ''
  const operationRefusals = {
    400: problemResponse('The body is invalid: a field is missing, malformed, unknown or set by the server'),
    413: problemResponse('The body is larger than the server accepts'),
    415: problemResponse('The body is not JSON'),
    500: problemResponse('Unexpected server error')
  }

  return async (fastify) => {
    // A failed write releases its Idempotency-Key, so the client's retry runs again instead of finding it in progress.
    fastify.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode >= 400) await releaseIdempotencyKey(request)
    })

    if (options.create !== false) fastify.post('/', {
      schema: {
        tags: [tag],
        operationId: `create${operation}`,
        summary: `Create a ${noun}`,
        description: `Creates a ${noun} (write scope). Answers 201 with the ${noun}, its URL in \`Location\` and its ` +
          '`ETag`. With `Idempotency-Key`, a retry returns the first response instead of writing twice.' + provenanceNote,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String(idempotencyKeyHeader['idempotency-key'])) }),
        body: Type.Unsafe({ $ref: `${(resource.bodies.create as { $id: string }).$id}#` }),
        response: {
          201: { description: `The new ${noun}`, headers: { location: Type.String(), ...etagHeader }, content: { 'application/json': { schema: representation } } },
          ...operationRefusals,
          409: problemResponse('A unique field is taken (named in `errors`), or the Idempotency-Key\'s first request is still running'),
          422: problemResponse('A reference names nothing (a hospital, unit, metric or source), the quote is not in the source, or the Idempotency-Key was used with another body')
        }
      }
    }, async (request, reply) => {
      if (await beginIdempotentRequest(request, reply)) return reply
      const written = await fastify.writer.create(request, resource, request.body as Record<string, unknown>)
      sendWritten(reply, written, 201)
      return written.representation
    })

    if (options.detail) {
      fastify.get(path, {
        schema: {
          tags: [tag],
          operationId: `get${operation}`,
          summary: `Get one ${noun}`,
          description: `The ${noun} with its source. The strong \`ETag\` names its version: send it as \`If-Match\` to change it.`,
          params: keyParams(resource),
          querystring: Type.Object({}, { additionalProperties: false }),
          response: {
            200: { description: `The ${noun}`, content: { 'application/json': { schema: representation } } },
            400: problemResponse('The id is malformed or a parameter is unknown'),
            404: problemResponse(`No ${noun} has this id`),
            406: problemResponse('The Accept header admits no JSON'),
            500: problemResponse('Unexpected server error')
          }
        }
      }, async (request, reply) => {
        const found = await fastify.writer.find(resource, keyOf(resource, request))
        reply.header('etag', request.entityTag(found.version))
        reply.header('last-modified', new Date((found as unknown as { updatedAt: string }).updatedAt).toUTCString())
        return found
      })
    }

    fastify.patch(path, {
      schema: {
        tags: [tag],
        operationId: `update${operation}`,
        summary: `Change a ${noun}`,
        description: `Applies a JSON merge patch (RFC 7396) to the ${noun} (write scope): only the fields given change, ` +
          'and `null` clears a field that may be empty. `If-Match` must carry the ETag of the current version.' + provenanceNote,
        consumes: ['application/merge-patch+json', 'application/json'],
        params: keyParams(resource),
        headers: IfMatchHeaders,
        body: Type.Unsafe({ $ref: `${(resource.bodies.patch as { $id: string }).$id}#` }),
        response: {
          200: { description: `The ${noun} as changed`, headers: etagHeader, content: { 'application/json': { schema: representation } } },
          ...operationRefusals,
          404: problemResponse(`No ${noun} has this ${resource.key}`),
          409: problemResponse('A unique field is taken (named in `errors`)'),
          412: problemResponse('If-Match names another version: someone changed it since you read it'),
          422: problemResponse('A reference names nothing, or the quote is not in the source'),
          428: problemResponse('If-Match is missing')
        }
      }
    }, async (request, reply) => {
      const written = await fastify.writer.update(request, resource, keyOf(resource, request), request.body as Record<string, unknown>)
      sendWritten(reply, written, 200)
      return written.representation
    })

    fastify.delete(path, {
      schema: {
        tags: [tag],
        operationId: `archive${operation}`,
        summary: `Archive a ${noun}`,
        description: `Archives the ${noun} (write scope): it disappears from every read, search and statistic, and an ` +
          'administrator can restore it (see /v1/archive). `If-Match` must carry the ETag of the current version. ' +
          'A record others still refer to (a unit with figures, a hospital with units) is refused with 409: archive those first.',
        params: keyParams(resource),
        headers: IfMatchHeaders,
        response: {
          204: { description: 'Archived', type: 'null' },
          400: problemResponse(`The ${resource.key} is malformed`),
          404: problemResponse(`No ${noun} has this ${resource.key}`),
          409: problemResponse('Other records still refer to it'),
          412: problemResponse('If-Match names another version: someone changed it since you read it'),
          428: problemResponse('If-Match is missing'),
          500: problemResponse('Unexpected server error')
        }
      }
    }, async (request, reply) => {
      await fastify.writer.archive(request, resource, keyOf(resource, request))
      return reply.code(204).send()
    })

    fastify.get(`${path}/history`, {
      // The audit trail has no change notifications of its own: never served from the response cache.
      config: { responseCache: false },
      schema: {
        tags: [tag],
        operationId: `get${operation}History`,
        summary: `A ${noun}'s change history`,
        description: `Every write to the ${noun}, newest first: who (the key's prefix and name), when, the action and ` +
          'its representation before and after. Follow `page.nextCursor` for older changes.',
        params: keyParams(resource),
        querystring: Type.Object({ ...pagingParameters(auditListSpec) }, { additionalProperties: false }),
        response: {
          200: { description: 'One page of changes', content: { 'application/json': { schema: Type.Unsafe({ $ref: 'AuditEventList#' }) } } },
          ...(options.aliases === true ? { 301: Type.Null({ description: `The slug is an alias of the ${noun}; \`Location\` holds its history's URL` }) } : {}),
          400: problemResponse('A parameter is invalid or unknown'),
          404: problemResponse(`No ${noun} has this ${resource.key}`),
          406: problemResponse('The Accept header admits no JSON'),
          500: problemResponse('Unexpected server error')
        }
      }
    }, async (request, reply) => {
      const found = await fastify.writer.find(resource, keyOf(resource, request))
      const { limit, cursor, sort, count } = request.query as { limit?: number, cursor?: string, sort?: string, count?: boolean }
      const page = await fastify.auditRepository.list({ resource: resource.name, entityId: found.id }, { limit, cursor, sort, count })
      return sendPage(request, reply, page)
    })
  }
}
