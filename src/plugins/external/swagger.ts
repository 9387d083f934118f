import { STATUS_CODES } from 'node:http'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { keyRequirement, securitySchemes } from '../../lib/api-keys.ts'
import { problemExample, problemTypes, type ProblemType } from '../../lib/problem.ts'
import { documentHelmetOptions, securityHeaders } from './helmet.ts'

// Each type links to its page, which the API serves at the type's URI (routes/problems.ts).
const problemList = Object.values(problemTypes)
  .map((problem) => `- [\`${problem.type}\`](${problem.type}) (${problem.status}): ${problem.title}`)
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
  'Every successful GET has an `ETag` (send it back in `If-None-Match` for a 304) and `Cache-Control`; detail ' +
  'routes also send `Last-Modified`. A stored record\'s ETag is strong, `"<version>.<digest>"`: writes (write scope) ' +
  'need it in `If-Match` (428 without, 412 when stale), and a POST may carry an `Idempotency-Key`. A fact written ' +
  'through the API cites a document and its sentence, or a note kept as a `manual_entry` source. DELETE archives; ' +
  'an admin can restore from /v1/archive. Every write is audited (/v1/audit, /v1/{resource}/{key}/history). Larger bodies are compressed (br, gzip). A wrong method answers 405 with ' +
  '`Allow`, and an `Accept` header that admits none of a resource\'s formats answers 406.',
  'The statistics and the lists of figures also answer CSV, to `Accept: text/csv` or `?format=csv`: RFC 4180, a ' +
  'header row, UTF-8 (`bom=true` adds a byte order mark for Excel), one row per fact with the qualifier columns ' +
  '`comparator`, `lower`, `upper`, `approximate`, the period and the source quote. Each operation lists its columns.',
  'Statistics carry qualifiers through the arithmetic. Every aggregate is `{ value, lower, upper, comparator, ' +
  'approximate, exact }`. Exact + exact is exact. A `>` input makes the total a lower bound (`lower` known, `upper` ' +
  'null), and a `<` input an upper bound. An approximate input makes the result approximate. A ratio divides the ' +
  'crossed bounds: a lower bound over an exact figure is a lower bound, and an open upper bound in the denominator ' +
  'opens the lower side. A ratio never divides by zero; it is absent, with the reason. Figures for different periods ' +
  'are never summed together.',
  'Responses are cached in process until the data changes (`X-Cache: hit` or `miss` says which); a change committed ' +
  'by any instance empties every instance\'s cache, and a write answers only after its own instance\'s cache is empty.',
  'Errors are RFC 9457 `application/problem+json`; each error response below shows an example of each problem type ' +
  'it can carry. A problem\'s `type` is a relative URI: on this server it is a page that says what the problem means, ' +
  'when the API answers it and what to do (JSON, or HTML to a browser; [`/problems`](/problems) lists them all). ' +
  'The problem types are:',
  problemList
].join('\n\n')

const problemMediaType = 'application/problem+json'

/** The problem types each status can carry, in the order of problemTypes (a 409 is a conflict or a request in progress). */
const problemKindsByStatus = new Map<number, ProblemType[]>()
for (const kind of Object.keys(problemTypes) as ProblemType[]) {
  const status = problemTypes[kind].status
  problemKindsByStatus.set(status, [...(problemKindsByStatus.get(status) ?? []), kind])
}

/** `notFound` → `NotFound`: the name of a problem type's Example Object under components/examples. */
function exampleName (kind: ProblemType): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

/**
 * `404` → `NotFound`: the name of a status's problem response under components/responses, from its reason phrase
 * (RFC 9110's for 422, which Node.js still calls "Unprocessable Entity").
 */
function responseName (status: number): string {
  const reason = status === 422 ? 'Unprocessable Content' : STATUS_CODES[status] ?? `Status ${status}`
  return reason.split(/[^A-Za-z0-9]+/).map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')
}

interface MediaTypeObject { schema?: unknown, examples?: Record<string, unknown> }
interface ResponseObject { description: string, headers?: Record<string, unknown>, content?: Record<string, MediaTypeObject> }
interface ReferenceObject { $ref: string, description?: string }
interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, ResponseObject | ReferenceObject> }>>
  components?: Record<string, unknown>
}

/** The statuses whose every answer says when to try again, and what their Retry-After means. */
const retryAfter: Record<number, { description: string, schema: { type: 'integer', minimum: number }, example: number }> = {
  429: { description: 'Seconds until the rate limit allows this caller another request', schema: { type: 'integer', minimum: 0 }, example: 42 },
  503: {
    description: 'Seconds to wait before trying again: 2 when the database is not answering, 1 when the request outlasted ' +
      'HANDLER_TIMEOUT_MS or the server is shutting down, 5 when the process is overloaded or /ready fails',
    schema: { type: 'integer', minimum: 0 },
    example: 2
  }
}

/** A documented problem response: where it is, its own description, and the rest, which operations may share. */
interface ProblemResponse {
  responses: Record<string, ResponseObject | ReferenceObject>
  status: number
  description: string
  shared: Omit<ResponseObject, 'description'>
  /** What it documents beside its description (content with its examples, headers), as a key to compare. */
  shape: string
}

/**
 * Writes each problem response once, under components/responses, and gives it the example of every problem type its
 * status can carry: a 404 shows a 404, not the one example Swagger UI would build from the Problem schema for every
 * status. Each type's example body is written once too, under components/examples.
 *
 * An operation's problem response becomes a Reference Object to its status's component (`NotFound`, `Conflict`, ...)
 * with the description the route gives it ("No hospital has this slug"): OpenAPI 3.1 lets a Reference Object override
 * the description, and Swagger UI shows the override. A status's component is what most of its responses document
 * beside their description; a response that documents something else (another header, say) stays whole, inline, as do
 * responses in other media types besides application/problem+json and FHIR's OperationOutcomes. A status without a
 * problem type keeps no example and no component, which test/openapi.test.ts reports.
 */
export function withProblemResponses<Document extends OpenApiDocument> (document: Document): Document {
  const found: ProblemResponse[] = []
  const statuses = new Set<number>()
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const { responses = {} } of Object.values(pathItem)) {
      for (const [status, response] of Object.entries(responses)) {
        if ('$ref' in response) continue
        const media = response.content?.[problemMediaType]
        const kinds = problemKindsByStatus.get(Number(status))
        if (media === undefined || kinds === undefined) continue
        const examples = Object.fromEntries(kinds.map((kind) => [kind, { $ref: `#/components/examples/${exampleName(kind)}` }]))
        const { description, ...rest } = response
        const shared = { ...rest, content: { ...rest.content, [problemMediaType]: { ...media, examples } } }
        statuses.add(Number(status))
        if (Object.keys(shared.content).length > 1) responses[status] = { description, ...shared }
        else found.push({ responses, status: Number(status), description, shared, shape: JSON.stringify(shared) })
      }
    }
  }

  const shapeCounts = new Map<number, Map<string, number>>()
  for (const { status, shape } of found) {
    const counts = shapeCounts.get(status) ?? new Map<string, number>()
    shapeCounts.set(status, counts.set(shape, (counts.get(shape) ?? 0) + 1))
  }
  const componentShape = new Map([...shapeCounts].map(([status, counts]) =>
    [status, [...counts].reduce((most, entry) => entry[1] > most[1] ? entry : most)[0]]))
  const components = new Map<number, Omit<ResponseObject, 'description'>>()
  for (const { responses, status, description, shared, shape } of found) {
    if (shape === componentShape.get(status)) {
      components.set(status, shared)
      responses[status] = { $ref: `#/components/responses/${responseName(status)}`, description }
    } else {
      responses[status] = { description, ...shared }
    }
  }

  const problemResponses = [...components].sort(([a], [b]) => a - b).map(([status, shared]) => {
    const kinds = problemKindsByStatus.get(status) ?? []
    const types = kinds.map((kind) => `${problemTypes[kind].title} (\`${problemTypes[kind].type}\`)`).join(' or ')
    const headers = retryAfter[status] === undefined ? {} : { headers: { ...shared.headers, 'Retry-After': retryAfter[status] } }
    return [responseName(status), { description: `A problem of status ${status}: ${types}`, ...shared, ...headers }] as const
  })
  const examples = (Object.keys(problemTypes) as ProblemType[]).filter((kind) => statuses.has(problemTypes[kind].status)).map((kind) => {
    const { status, title, type } = problemTypes[kind]
    return [exampleName(kind), { summary: `${status} ${title} (${type})`, value: problemExample(kind) }] as const
  })
  document.components = { ...document.components, responses: Object.fromEntries(problemResponses), examples: Object.fromEntries(examples) }
  return document
}

/**
 * Swagger UI's settings. "Try it out" stays off until the reader presses its button, as the README describes (set on,
 * the button would turn it off). No validator badge: it would send the document's URL to a third party and load an
 * image from there.
 */
export const swaggerUiConfig = { deepLinking: true, persistAuthorization: false, validatorUrl: null }

/**
 * The Content-Security-Policy of /docs, in place of the API's (which allows nothing). Swagger UI loads its own scripts,
 * styles and images from this server, sets inline styles, uses data: images, and fetches the document here and
 * "Try it out" calls from the advertised server (PUBLIC_URL, when that is another origin). Nothing else is allowed.
 */
export function docsContentSecurityPolicy (publicUrl: string | undefined): Record<string, string[]> {
  const apiOrigin = publicUrl === undefined ? [] : [new URL(publicUrl).origin]
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'connect-src': ["'self'", ...apiOrigin],
    'font-src': ["'self'", 'data:'],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"]
  }
}

/**
 * OpenAPI 3.1's `webhooks`: what this server POSTs to a subscription's URL (POST /v1/webhooks), described like an
 * operation a subscriber implements, so that client generators and readers of the docs see the body and its headers.
 */
export function withWebhooks<Document extends OpenApiDocument> (document: Document): Document & { webhooks: Record<string, unknown> } {
  const header = (description: string, example: string) => ({ required: true, description, schema: { type: 'string' }, example })
  return {
    ...document,
    webhooks: {
      change: {
        post: {
          operationId: 'receiveChange',
          summary: 'A change, POSTed to a subscription\'s URL',
          description: 'Sent for each change of the feed (GET /v1/changes) whose type the subscription names, at least once: ' +
            'drop repeats by `webhook-id`, which every retry of a delivery keeps. Verify `webhook-signature` with the ' +
            'subscription\'s secret and any Standard Webhooks library (it signs `<webhook-id>.<webhook-timestamp>.<body>` ' +
            'with HMAC-SHA256, `v1,<base64>`), and refuse a timestamp far from now. Answer 2xx within 10 seconds; anything ' +
            'else, a redirect included, is retried with exponential backoff for 24 hours. Deliveries are not ordered: use ' +
            '`data.cursor` (commit order) to put them in order, or read the feed from the last cursor you hold.',
          tags: ['webhooks'],
          parameters: [
            { in: 'header', name: 'webhook-id', ...header('The delivery\'s id, the same on every attempt', 'msg_0f2c9d4e8b1a4c67a9e3d5f1b2c7a8e4') },
            { in: 'header', name: 'webhook-timestamp', ...header('When this attempt was signed, in Unix seconds', '1796630400') },
            { in: 'header', name: 'webhook-signature', ...header('Space-separated signatures, `v1,<base64 HMAC-SHA256>`', 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=') }
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookEvent' } } }
          },
          responses: {
            '2XX': { description: 'Received: the delivery is done' },
            default: { description: 'Not received: the delivery is tried again later' }
          }
        }
      }
    }
  }
}

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
        { name: 'regions', description: 'The administrative areas hospitals belong to: country, province or municipality, district' },
        { name: 'hospitals', description: 'Hospitals and their unit hierarchy' },
        { name: 'departments', description: 'Organisational units: divisions, departments and centers' },
        { name: 'metrics', description: 'Figures with their qualifiers, periods and sources, and what each measures' },
        { name: 'honors', description: 'Honors, designations, accreditations, memberships and distinctions' },
        { name: 'services', description: 'Scope of diagnosis and treatment, screening and management programs' },
        { name: 'conditions', description: 'Conditions treated, managed or screened, and by which units' },
        { name: 'events', description: 'The timeline' },
        { name: 'news', description: 'News articles' },
        { name: 'sources', description: 'The source documents and the facts each one backs' },
        { name: 'imports', description: 'Many figures at once, from CSV or JSON: a dry run reports every row, a commit writes all or none' },
        { name: 'search', description: 'Full-text search across units, services, conditions, honors and news' },
        { name: 'statistics', description: 'Aggregates for dashboards, with qualifiers carried through the arithmetic' },
        { name: 'fhir', description: 'A read-only HL7 FHIR R4 view of the same records (application/fhir+json; errors as OperationOutcome)' },
        { name: 'changes', description: 'The change feed: what changed since a cursor, for keeping a copy in step' },
        { name: 'webhooks', description: 'Changes POSTed to partners\' URLs as they commit, signed per Standard Webhooks (admin)' },
        { name: 'audit', description: 'Who changed what and when (admin)' },
        { name: 'archive', description: 'Deleted records, kept for restoring' },
        { name: 'health', description: 'Liveness and readiness probes' }
      ]
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => typeof json.$id === 'string' ? json.$id : `def-${index}`
    },
    transformObject: (document) => 'openapiObject' in document
      ? withWebhooks(withProblemResponses(document.openapiObject as OpenApiDocument)) as typeof document.openapiObject
      : document.swaggerObject
  })
  // The OpenAPI document above is generated either way (`npm run openapi` and the tests read it through
  // fastify.swagger()); DOCS_ENABLED only decides whether /docs serves it, with Swagger UI.
  if (!config.DOCS_ENABLED) return
  // The documentation is public, whatever the API requires.
  await fastify.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' }
    })
    // Its pages are HTML documents: they also get the headers only a document acts on (see helmet.ts).
    const { set: documentHeaders } = securityHeaders(documentHelmetOptions)
    docs.addHook('onRequest', (_request, reply, done) => {
      reply.headers(documentHeaders)
      done()
    })
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: swaggerUiConfig,
      staticCSP: docsContentSecurityPolicy(config.PUBLIC_URL)
    })
  })
}, { name: 'swagger' })
