import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { keyRequirement, securitySchemes } from '../../lib/api-keys.ts'
import { problemTypes } from '../../lib/problem.ts'

const problemList = Object.values(problemTypes)
  .map((problem) => `- \`${problem.type}\` (${problem.status}): ${problem.title}`)
  .join('\n')

export const apiDescription = [
  'Open API for a hospital\'s organisational units (divisions, departments, centers), their figures, honors, ' +
  'services, timeline and news. Every figure carries its qualifier (FHIR comparator and an approximate flag), ' +
  'its period and the verbatim sentence of the source document it came from.',
  'Lists share one set of conventions. The envelope is `{ data, page: { limit, nextCursor } }`, with a ' +
  '`Link: <…>; rel="next"` header while more pages follow. `limit` is 1 to 100 (default 20). `cursor` is the opaque, ' +
  'signed `nextCursor` of the previous page: keyset paging, so rows inserted meanwhile are never skipped or repeated. ' +
  '`sort` takes a documented key, with a leading `-` for descending, and ties are broken by id. `count=true` adds ' +
  '`page.total`; `include` embeds related resources and `fields` trims items, where offered. Unknown parameters are ' +
  'rejected with 400.',
  'Every successful GET has a weak `ETag` (send it back in `If-None-Match` for a 304) and `Cache-Control`; detail ' +
  'routes also send `Last-Modified`. Larger bodies are compressed (br, gzip). A wrong method answers 405 with ' +
  '`Allow`, and an `Accept` header that admits none of a resource\'s formats answers 406.',
  'The statistics and the lists of figures also answer CSV, to `Accept: text/csv` or `?format=csv`: RFC 4180, a ' +
  'header row, UTF-8 (`bom=true` adds a byte order mark for Excel), one row per fact with the qualifier columns ' +
  '`comparator`, `lower`, `upper`, `approximate`, the period and the source quote. Each operation lists its columns.',
  'Statistics carry qualifiers through the arithmetic. Every aggregate is `{ value, lower, upper, comparator, ' +
  'approximate, exact }`. Exact + exact is exact. A `>` input makes the total a lower bound (`lower` known, `upper` ' +
  'null), and a `<` input an upper bound. An approximate input makes the result approximate. A ratio divides the ' +
  'crossed bounds: a lower bound over an exact figure is a lower bound, and an open upper bound in the denominator ' +
  'opens the lower side. A ratio never divides by zero; it is absent, with the reason. Figures for different periods ' +
  'are never summed together. Statistics are cached in process until the data changes; a change committed by any ' +
  'instance empties every instance\'s cache.',
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
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Hospital Departments API maintainers' }
      },
      // A relative server keeps Swagger UI's "Try it out" on whichever host serves the docs.
      servers: [config.PUBLIC_URL === undefined
        ? { url: '/', description: 'The server that serves this document' }
        : { url: config.PUBLIC_URL }],
      // Reads are public unless READS_REQUIRE_KEY: the empty requirement says a key is optional. Writes state their own.
      security: config.READS_REQUIRE_KEY ? keyRequirement : [{}, ...keyRequirement],
      components: { securitySchemes },
      tags: [
        { name: 'hospitals', description: 'Hospitals and their unit hierarchy' },
        { name: 'departments', description: 'Organisational units: divisions, departments and centers' },
        { name: 'metrics', description: 'Figures with their qualifiers, periods and sources, and what each measures' },
        { name: 'honors', description: 'Honors, designations, accreditations, memberships and distinctions' },
        { name: 'services', description: 'Scope of diagnosis and treatment, screening and management programs' },
        { name: 'conditions', description: 'Conditions treated, managed or screened, and by which units' },
        { name: 'events', description: 'The timeline' },
        { name: 'news', description: 'News articles' },
        { name: 'sources', description: 'The source documents and the facts each one backs' },
        { name: 'search', description: 'Full-text search across units, services, conditions, honors and news' },
        { name: 'statistics', description: 'Aggregates for dashboards, with qualifiers carried through the arithmetic' },
        { name: 'health', description: 'Liveness and readiness probes' }
      ]
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => typeof json.$id === 'string' ? json.$id : `def-${index}`
    }
  })
  // The documentation is public, whatever the API requires.
  await fastify.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' }
    })
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, tryItOutEnabled: true, persistAuthorization: false }
    })
  })
}, { name: 'swagger' })
