import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { problemTypes } from '../../lib/problem.ts'

const problemList = Object.values(problemTypes)
  .map((problem) => `- \`${problem.type}\` (${problem.status}): ${problem.title}`)
  .join('\n')

export const apiDescription = [
  'Open API for a hospital\'s organisational units (divisions, departments, centers), their figures, honors, ' +
  'services, timeline and news. Every figure carries its qualifier (FHIR comparator and an approximate flag), ' +
  'its period and the verbatim sentence of the source document it came from.',
  'Errors are RFC 9457 `application/problem+json`; the problem types are:',
  problemList
].join('\n\n')

// Registered before the routes so every route is captured; shared schemas with an $id become components.
export default fp(async (fastify) => {
  const { config } = fastify
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hospital Departments API',
        version: '1.0.0',
        description: apiDescription,
        license: { name: 'MIT', identifier: 'MIT' }
      },
      ...(config.PUBLIC_URL === undefined ? {} : { servers: [{ url: config.PUBLIC_URL }] }),
      tags: [
        { name: 'departments', description: 'Organisational units: divisions, departments and centers' },
        { name: 'health', description: 'Liveness and readiness probes' }
      ]
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => typeof json.$id === 'string' ? json.$id : `def-${index}`
    }
  })
  await fastify.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, tryItOutEnabled: true }
  })
}, { name: 'swagger' })
