import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { capabilityStatement } from '../../../plugins/app/fhir/capability.ts'
import { fhirMediaType, outcomeResponse } from '../../../plugins/app/fhir/outcome.ts'
import { serviceBase } from '../../../plugins/app/fhir/routes.ts'
import { searchParameters } from '../../../plugins/app/fhir/search.ts'
import { ref } from '../../../schemas/common.ts'
import { FhirCapabilityStatement } from '../../../schemas/fhir.ts'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/metadata', {
    schema: {
      tags: ['fhir'],
      operationId: 'fhirCapabilities',
      summary: 'The FHIR CapabilityStatement',
      description: 'What the read-only FHIR R4 view supports: its resource types, read and search, and every search ' +
        'parameter and _include it takes. Nothing else is accepted.',
      querystring: Type.Object({ _format: Type.Optional(searchParameters._format) }, { additionalProperties: false }),
      response: {
        200: { description: 'The CapabilityStatement', content: { [fhirMediaType]: { schema: ref(FhirCapabilityStatement) } } },
        304: { description: 'Not modified since the ETag in If-None-Match' },
        400: outcomeResponse('A parameter is unknown or invalid'),
        406: outcomeResponse('The Accept header admits no FHIR JSON (this server serves no XML)'),
        500: outcomeResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => reply.type(fhirMediaType).send(capabilityStatement(serviceBase(request))))
}

export default plugin
