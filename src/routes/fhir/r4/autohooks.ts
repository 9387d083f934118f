import type { FastifyInstance, FastifyRequest } from 'fastify'
import { fhirMediaType } from '../../../plugins/app/fhir/outcome.ts'
import { assertAcceptable } from '../../../lib/negotiation.ts'
import { rejectInvalidText } from '../../../lib/text-input.ts'

/** What a FHIR client may ask for in Accept; the answer is always application/fhir+json. */
const accepted = [fhirMediaType, 'application/json', 'application/json+fhir']

// The FHIR view negotiates like the native API, except that `_format` (which FHIR lets a client use when it cannot
// set Accept) takes precedence over the Accept header; its value is checked by each route's schema.
export default async function (fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRoute', (route) => {
    route.config = { ...route.config, produces: accepted }
  })
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if ((request.query as Record<string, unknown>)._format !== undefined) return
    assertAcceptable(request)
  })
  fastify.addHook('preValidation', rejectInvalidText)
}
