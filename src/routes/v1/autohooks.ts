import type { FastifyInstance } from 'fastify'
import { rejectUnacceptable } from '../../lib/negotiation.ts'
import { rejectInvalidText } from '../../lib/text-input.ts'
import { problemResponse } from '../../schemas/common.ts'

/** Methods whose request body Fastify reads (and so can refuse) before any handler runs. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// Every /v1 route negotiates its media type (406 when the client accepts none of them) and refuses text it cannot keep
// in its input: NUL, lone surrogates, a query string that is not percent-encoded UTF-8 (400, lib/text-input.ts).
// Refusals that come from this hook and from Fastify's body parsing, not from a handler, are documented here on every
// operation they can reach, so a route added later cannot forget them.
export default async function (fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRoute', (route) => {
    if (route.schema === undefined || route.schema.hide === true) return
    const responses = (route.schema.response ??= {}) as Record<string, unknown>
    responses[406] ??= problemResponse('The Accept header admits none of the media types this operation answers in')
    if ([route.method].flat().some((method) => bodyMethods.has(method))) {
      responses[413] ??= problemResponse('The body is larger than the server accepts')
      responses[415] ??= problemResponse('A body was sent in a media type this API does not read (it reads JSON only)')
    }
  })
  fastify.addHook('onRequest', rejectUnacceptable)
  fastify.addHook('preValidation', rejectInvalidText)
}
