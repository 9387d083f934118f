import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'
import { generateOpenApi, openApiPath } from '../src/lib/openapi.ts'
import { problemTypes } from '../src/lib/problem.ts'
import { swaggerUiConfig } from '../src/plugins/external/swagger.ts'
import type { ProblemBody } from '../src/schemas/common.ts'
import { buildTestApp } from './helper.ts'

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
  const spec = parse(await readFile(openApiPath, 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string, summary?: string, tags?: string[], responses: Record<string, { description: string, content?: Record<string, unknown> }> }>>
  }
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
        t.ok(response.content?.[errorType], `${name} ${status} is documented as ${errorType}`)
      }
    }
  }
})

t.test('every problem response shows an example of each problem type its status can carry, and of no other', async (t) => {
  const spec = parse(await readFile(openApiPath, 'utf8')) as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { examples?: Record<string, { $ref?: string }> }> }> }>>
    components: { examples: Record<string, { summary?: string, value: ProblemBody }>, schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> }
  }
  const types = new Map<string, { status: number }>(Object.values(problemTypes).map((problem) => [problem.type, problem]))
  let checked = 0
  for (const [route, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/problem+json']
        if (media === undefined) continue
        const name = `${method.toUpperCase()} ${route} ${status}`
        const examples = Object.values(media.examples ?? {}).map((example) => {
          const target = /^#\/components\/examples\/(.+)$/.exec(example.$ref ?? '')?.[1]
          return target === undefined ? undefined : spec.components.examples[target]?.value
        })
        t.ok(examples.length > 0, `${name} has an example`)
        for (const example of examples) {
          t.equal(example?.status, Number(status), `${name}: its example has status ${status}`)
          t.equal(types.get(example?.type ?? '')?.status, Number(status), `${name}: its example's type ${example?.type} is a problem type of status ${status}`)
        }
        const expected = Object.values(problemTypes).filter((problem) => problem.status === Number(status)).map((problem) => problem.type)
        t.same(examples.map((example) => example?.type).sort(), expected.sort(), `${name}: one example per problem type of ${status}`)
        checked++
      }
    }
  }
  t.ok(checked > 500, `${checked} problem responses checked`)
  // Swagger UI would build one example from per-property examples and show it for every status.
  for (const [property, schema] of Object.entries(spec.components.schemas.Problem?.properties ?? {})) {
    t.notOk('examples' in schema || 'example' in schema, `Problem.${property} has no example of its own`)
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
