import { readFile } from 'node:fs/promises'
import { isDeepStrictEqual } from 'node:util'
import t, { type Test } from 'tap'
import { parse, stringify } from 'yaml'
import { generateOpenApi, openApiPath } from '../src/lib/openapi.ts'
import { problemTypes } from '../src/lib/problem.ts'
import { swaggerUiConfig, withProblemResponses } from '../src/plugins/external/swagger.ts'
import type { ProblemBody } from '../src/schemas/common.ts'
import { buildTestApp } from './helper.ts'

interface MediaTypeObject { schema?: unknown, examples?: Record<string, { $ref?: string }> }
interface ResponseObject { description: string, headers?: Record<string, unknown>, content?: Record<string, MediaTypeObject> }
interface ReferenceObject { $ref: string, description?: string }
interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string, summary?: string, tags?: string[], responses: Record<string, ResponseObject | ReferenceObject> }>>
  components: {
    responses: Record<string, ResponseObject>
    examples: Record<string, { summary?: string, value: ProblemBody }>
    schemas: Record<string, { properties: Record<string, Record<string, unknown>> }>
  }
}

const committedDocument = async (): Promise<OpenApiDocument> => parse(await readFile(openApiPath, 'utf8')) as OpenApiDocument

/** The component a response refers to (`#/components/responses/NotFound` → `NotFound`), or undefined when it is inline. */
const componentName = (response: ResponseObject | ReferenceObject): string | undefined =>
  '$ref' in response ? /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1] : undefined

/** The Response Object an operation documents: its component, with the description the reference gives, when it refers to one. */
function resolved (spec: OpenApiDocument, response: ResponseObject | ReferenceObject): ResponseObject {
  if (!('$ref' in response)) return response
  const component = spec.components.responses[componentName(response) ?? '']
  if (component === undefined) throw new Error(`unresolvable response $ref ${response.$ref}`)
  return { ...component, description: response.description ?? component.description }
}

/** Every operation's responses, named `GET /v1/departments 404`. */
const documentedResponses = (spec: OpenApiDocument) => Object.entries(spec.paths).flatMap(([route, methods]) =>
  Object.entries(methods).flatMap(([method, operation]) => Object.entries(operation.responses).map(([status, response]) =>
    ({ name: `${method.toUpperCase()} ${route} ${status}`, route, status: Number(status), response, responses: operation.responses }))))

t.test('the committed openapi.yaml is what the routes generate', async (t) => {
  const generated = await generateOpenApi()
  const committed = await readFile(openApiPath, 'utf8')
  t.equal(committed, generated, 'openapi.yaml is stale: run `npm run openapi` and commit it')
})

t.test('every parameter has an example or an enumeration, except the opaque cursor and generated ids', async (t) => {
  const spec = parse(await readFile(openApiPath, 'utf8')) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string, in: string, description?: string, example?: unknown, examples?: unknown, schema: Record<string, unknown> }> }>>
  }
  // No static cursor or generated id is valid (cursors are signed per deployment), and Swagger UI pre-fills
  // examples in "Try it out", where an invalid one would turn a working call into a 400 or 404.
  const opaque = new Set(['cursor', '_cursor', 'id'])
  for (const [route, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const parameter of operation.parameters ?? []) {
        t.ok(parameter.description, `${method.toUpperCase()} ${route} ${parameter.name} has a description`)
        if (opaque.has(parameter.name)) continue
        const schema = parameter.schema
        const illustrated = parameter.example !== undefined || parameter.examples !== undefined || schema.examples !== undefined ||
          schema.example !== undefined ||
          schema.enum !== undefined || schema.type === 'boolean'
        t.ok(illustrated, `${method.toUpperCase()} ${route} ${parameter.name} has an example or enumeration`)
      }
    }
  }
})

t.test('every operation is documented: id, summary, tags and its error responses', async (t) => {
  const spec = await committedDocument()
  const operations = Object.entries(spec.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation })))
  t.ok(operations.length >= 4)
  const ids = new Set<string>()
  for (const { name, operation } of operations) {
    t.ok(operation.operationId, `${name} has an operationId`)
    t.notOk(ids.has(operation.operationId!), `${name} operationId is unique`)
    ids.add(operation.operationId!)
    t.ok(operation.summary, `${name} has a summary`)
    t.ok((operation.tags ?? []).length > 0, `${name} has a tag`)
    for (const [status, response] of Object.entries(operation.responses)) {
      t.not(response.description, 'Default Response', `${name} ${status} has a real description`)
      if (Number(status) >= 400) {
        const errorType = name.includes(' /fhir/') ? 'application/fhir+json' : 'application/problem+json'
        t.ok(resolved(spec, response).content?.[errorType], `${name} ${status} is documented as ${errorType}`)
      }
    }
  }
})

t.test('every problem response shows an example of each problem type its status can carry, and of no other', async (t) => {
  const spec = await committedDocument()
  const types = new Map<string, { status: number }>(Object.values(problemTypes).map((problem) => [problem.type, problem]))
  const checkExamples = (t: Test, name: string, status: number, media: MediaTypeObject): void => {
    const examples = Object.values(media.examples ?? {}).map((example) => {
      const target = /^#\/components\/examples\/(.+)$/.exec(example.$ref ?? '')?.[1]
      return target === undefined ? undefined : spec.components.examples[target]?.value
    })
    t.ok(examples.length > 0, `${name} has an example`)
    for (const example of examples) {
      t.equal(example?.status, status, `${name}: its example has status ${status}`)
      t.equal(types.get(example?.type ?? '')?.status, status, `${name}: its example's type ${example?.type} is a problem type of status ${status}`)
    }
    const expected = Object.values(problemTypes).filter((problem) => problem.status === status).map((problem) => problem.type)
    t.same(examples.map((example) => example?.type).sort(), expected.sort(), `${name}: one example per problem type of ${status}`)
  }
  let checked = 0
  const statusesByComponent = new Map<string, Set<number>>()
  for (const { name, status, response } of documentedResponses(spec)) {
    const media = resolved(spec, response).content?.['application/problem+json']
    if (media === undefined) continue
    checkExamples(t, name, status, media)
    checked++
    const component = componentName(response)
    if (component !== undefined) statusesByComponent.set(component, (statusesByComponent.get(component) ?? new Set()).add(status))
  }
  t.ok(checked > 500, `${checked} problem responses checked`)
  for (const [component, response] of Object.entries(spec.components.responses)) {
    const statuses = [...statusesByComponent.get(component) ?? []]
    t.equal(statuses.length, 1, `components/responses/${component} is referred to, by responses of one status (${statuses.join(', ')})`)
    const media = response.content?.['application/problem+json']
    t.ok(media, `components/responses/${component} is a problem response`)
    if (statuses[0] !== undefined && media !== undefined) checkExamples(t, `components/responses/${component}`, statuses[0], media)
  }
  // Swagger UI would build one example from per-property examples and show it for every status.
  for (const [property, schema] of Object.entries(spec.components.schemas.Problem?.properties ?? {})) {
    t.notOk('examples' in schema || 'example' in schema, `Problem.${property} has no example of its own`)
  }
})

t.test('every problem response refers to its status\'s component, keeping its own description', async (t) => {
  const spec = await committedDocument()
  const errors = documentedResponses(spec).filter(({ status }) => status >= 400)
  const componentsByStatus = new Map<number, Set<string>>()
  for (const { status, response } of errors) {
    const component = componentName(response)
    if (component !== undefined) componentsByStatus.set(status, (componentsByStatus.get(status) ?? new Set()).add(component))
  }
  for (const [status, components] of componentsByStatus) t.equal(components.size, 1, `every ${status} refers to one component (${[...components].join(', ')})`)
  const withoutDescription = ({ description: _description, ...rest }: ResponseObject) => rest
  let references = 0
  for (const { name, route, status, response } of errors) {
    if (route.startsWith('/fhir/')) {
      t.notOk('$ref' in response, `${name}: a FHIR OperationOutcome stays inline, out of the problem components`)
      continue
    }
    const component = componentName(response)
    if (component === undefined) {
      // Inline only when it documents more than its status's component (another header, say): never a copy of it.
      const shared = spec.components.responses[[...componentsByStatus.get(status) ?? []][0] ?? '']
      t.notOk(shared !== undefined && isDeepStrictEqual(withoutDescription(response as ResponseObject), withoutDescription(shared)),
        `${name} is inline, and not a copy of its status's component`)
      continue
    }
    references++
    t.ok(spec.components.responses[component], `${name} refers to components/responses/${component}, which exists`)
    t.ok(response.description && response.description !== spec.components.responses[component]?.description,
      `${name} keeps its own description ("${response.description}")`)
  }
  t.ok(references > 500, `${references} problem responses are references`)
  t.same(spec.paths['/v1/departments/{slug}']?.get?.responses['404'],
    { $ref: '#/components/responses/NotFound', description: 'No unit or alias has this slug' }, 'a 404, for one')

  // The same document with every reference replaced by a copy of its component, as it was written before.
  const inlined = structuredClone(spec)
  for (const { status, response, responses } of documentedResponses(inlined)) {
    if ('$ref' in response) responses[status] = structuredClone(resolved(spec, response))
  }
  const { responses: _responses, ...components } = inlined.components
  const size = Buffer.byteLength(await readFile(openApiPath, 'utf8'))
  const inlinedSize = Buffer.byteLength(stringify({ ...inlined, components }, { strict: false }))
  t.comment(`openapi.yaml: ${size} bytes; ${inlinedSize} with every problem response copied inline`)
  t.ok(inlinedSize - size > 100 * references, `components/responses saves ${inlinedSize - size} bytes (${references} references)`)
})

t.test('a problem response that documents more than its status\'s component keeps it, inline', async (t) => {
  const problem = (description: string, headers?: Record<string, unknown>): ResponseObject =>
    ({ description, ...(headers === undefined ? {} : { headers }), content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } })
  const retryAfter = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } }
  const paths: Record<string, Record<string, { responses: Record<string, ResponseObject | ReferenceObject> }>> = {
    '/a': { post: { responses: { 409: problem('The slug is taken') } } },
    '/b': { post: { responses: { 409: problem('The code is taken') } } },
    '/c': { post: { responses: { 409: problem('Still in progress; Retry-After says when', retryAfter) } } }
  }
  const document = withProblemResponses({ paths, components: {} as Record<string, unknown> })
  const examples = { conflict: { $ref: '#/components/examples/Conflict' }, requestInProgress: { $ref: '#/components/examples/RequestInProgress' } }
  t.same(document.paths['/a']?.post?.responses, { 409: { $ref: '#/components/responses/Conflict', description: 'The slug is taken' } },
    'the 409s that document the same refer to one component')
  t.same(document.paths['/b']?.post?.responses, { 409: { $ref: '#/components/responses/Conflict', description: 'The code is taken' } },
    'each with its own description')
  t.same(document.paths['/c']?.post?.responses, {
    409: { description: 'Still in progress; Retry-After says when', headers: retryAfter, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, examples } } }
  }, 'the one with a header keeps it, inline, with its examples')
  const components = document.components.responses as Record<string, ResponseObject>
  t.same(Object.keys(components), ['Conflict'], 'the component is what most 409s document')
  t.notOk('headers' in components.Conflict!, 'without the header')
})

t.test('every 429 and 503 documents Retry-After, which each of them sends', async (t) => {
  const document = parse(await readFile(openApiPath, 'utf8')) as { components: { responses: Record<string, { headers?: Record<string, { schema: unknown }> }> } }
  for (const name of ['TooManyRequests', 'ServiceUnavailable']) {
    t.match(document.components.responses[name]?.headers?.['Retry-After'], { schema: { type: 'integer', minimum: 0 } }, name)
  }
})

t.test('Swagger UI leaves "Try it out" off until its button is pressed', async (t) => {
  t.notOk('tryItOutEnabled' in swaggerUiConfig, 'tryItOutEnabled is not pre-set: the button turns it on, as the README says')
})

t.test('every problem type has a page at its URI, public and cacheable, in JSON or in HTML for a browser', async (t) => {
  // Reads need a key here: the pages must still be public, since a client refused for want of a key needs them most.
  const app = await buildTestApp(t, { READS_REQUIRE_KEY: 'true' })
  t.equal((await app.inject('/v1/departments')).statusCode, 401, 'reads need a key')
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
  for (const [kind, problem] of Object.entries(problemTypes)) {
    const json = await app.inject(problem.type)
    t.equal(json.statusCode, 200, `${problem.type} (${kind})`)
    t.match(json.headers['content-type'], /^application\/json/, `${problem.type}: JSON to a client that accepts anything`)
    t.match(json.json(), { type: problem.type, title: problem.title, status: problem.status, example: { type: problem.type, status: problem.status } })
    for (const field of ['description', 'when', 'whatToDo']) t.ok(json.json()[field], `${problem.type} says ${field}`)
    t.match(json.headers['cache-control'], /^public, max-age=\d+/, `${problem.type} is cacheable`)
    t.match(json.headers.vary, /accept/)

    const html = await app.inject({ url: problem.type, headers: { accept: browser } })
    t.equal(html.statusCode, 200)
    t.match(html.headers['content-type'], /^text\/html/, `${problem.type}: HTML to a browser`)
    t.match(html.body, `<h1>${problem.title}</h1>`, `${problem.type}'s page names its title`)
    t.match(html.body, `<strong>${problem.status}</strong>`, `${problem.type}'s page names its status`)
    t.not(json.headers.etag, html.headers.etag, 'each representation has its own ETag')
    const revalidated = await app.inject({ url: problem.type, headers: { accept: browser, 'if-none-match': String(html.headers.etag) } })
    t.equal(revalidated.statusCode, 304, `${problem.type} revalidates with its ETag`)
  }

  const index = await app.inject('/problems')
  t.equal(index.statusCode, 200)
  t.same(index.json().data.map((problem: { type: string }) => problem.type), Object.values(problemTypes).map((problem) => problem.type),
    '/problems lists every type')
  const indexPage = await app.inject({ url: '/problems', headers: { accept: browser } })
  for (const problem of Object.values(problemTypes)) t.match(indexPage.body, `<a href="${problem.type}">`, `the index links ${problem.type}`)

  const unknown = await app.inject({ url: '/problems/no-such-problem', headers: { accept: browser } })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.headers['content-type'], /^application\/problem\+json/)
  t.match(unknown.json(), { type: problemTypes.notFound.type, status: 404, instance: '/problems/no-such-problem' })
  const unacceptable = await app.inject({ url: problemTypes.notFound.type, headers: { accept: 'application/xml' } })
  t.equal(unacceptable.statusCode, 406, 'neither JSON nor HTML accepted')

  const document = app.swagger() as { paths: Record<string, unknown> }
  t.notOk(Object.keys(document.paths).some((path) => path.startsWith('/problems')), 'the pages are documentation, not API operations')
})
