import { readFile } from 'node:fs/promises'
import t from 'tap'
import { parse } from 'yaml'
import { generateOpenApi, openApiPath } from '../src/lib/openapi.ts'

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
