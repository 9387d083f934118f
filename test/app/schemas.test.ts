import type { RouteOptions } from 'fastify'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import t from 'tap'
import serviceApp, { serverOptions } from '../../src/app.ts'
import { createApiKey } from '../../src/db/api-keys.ts'
import { compilerStats, eagerCompilers, serializerKey } from '../../src/lib/lazy-compilers.ts'
import { buildTestApp, testConfig } from '../helper.ts'

// The app compiles each schema the first time a request needs it (src/lib/lazy-compilers.ts). Here every schema of
// every route is compiled at once, with the same compilers and options, so a schema that cannot compile fails the
// suite instead of a client's first request.

t.test('every route\'s request and response schemas compile', async (t) => {
  const config = await testConfig(t)
  const options = serverOptions(config)
  const app = Fastify(options)
  // Each route with the shared schemas of the context it is declared in (an area adds its list envelopes there).
  const routes: Array<{ route: RouteOptions, shared: Record<string, unknown> }> = []
  app.addHook('onRoute', function (route) { routes.push({ route, shared: this.getSchemas() }) })
  await app.register(fp(serviceApp), { config })
  t.after(() => app.close())
  await app.ready()

  let compiled = 0
  for (const { route, shared } of routes) {
    const validator = eagerCompilers.buildValidator(shared, options.ajv)
    const serializer = eagerCompilers.buildSerializer(shared, {})
    const schema = route.schema as Record<string, unknown> | undefined
    if (schema === undefined) continue
    const method = [route.method].flat().join(',')
    for (const httpPart of ['params', 'querystring', 'headers', 'body']) {
      if (schema[httpPart] === undefined) continue
      // A body may have a schema per media type (`content`), each compiled on its own, as Fastify does.
      const content = httpPart === 'body' ? (schema.body as { content?: Record<string, { schema: unknown }> }).content : undefined
      const variants = content === undefined ? [[undefined, schema[httpPart]] as const] : Object.entries(content).map(([type, body]) => [type, body.schema] as const)
      for (const [contentType, part] of variants) {
        t.doesNotThrow(() => validator({ schema: part, method, url: route.url, httpPart }), `${method} ${route.url} ${httpPart} ${contentType ?? ''}`)
        compiled++
      }
    }
    for (const [httpStatus, response] of Object.entries((schema.response ?? {}) as Record<string, Record<string, unknown>>)) {
      const content = response.content as Record<string, { schema: unknown }> | undefined
      const variants = content === undefined ? [[undefined, response] as const] : Object.entries(content).map(([type, body]) => [type, body.schema] as const)
      for (const [contentType, body] of variants) {
        t.doesNotThrow(() => serializer({ schema: body, method, url: route.url, httpStatus, contentType }), `${method} ${route.url} ${httpStatus} ${contentType ?? ''}`)
        compiled++
      }
    }
  }
  t.ok(compiled > 500, `${compiled} schemas compiled`)
})

t.test('routes answering the same representation share one serializer, compiled on first use', async (t) => {
  t.equal(serializerKey({ $ref: 'Department#', description: 'The unit as changed' }), serializerKey({ $ref: 'Department#' }))
  t.not(serializerKey({ $ref: 'Department#' }), serializerKey({ $ref: 'Hospital#' }))
  const withProperty = { type: 'object', properties: { description: { type: 'string' } } }
  t.not(serializerKey(withProperty), serializerKey({ type: 'object', properties: {} }), 'a property named description is kept')

  const app = await buildTestApp(t)
  const writer = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write', 'admin'] })
  const start = compilerStats().serializersCompiled
  const read = await app.inject('/v1/metric-definitions/beds')
  t.equal(read.statusCode, 200)
  const afterRead = compilerStats().serializersCompiled
  t.equal(afterRead, start + 1, 'the detail compiled the definition\'s serializer')

  const written = await app.inject({
    method: 'PATCH',
    url: '/v1/metric-definitions/beds',
    headers: { authorization: `Bearer ${writer.key}`, 'if-match': read.headers.etag as string },
    payload: { description: 'Beds open to inpatients' }
  })
  t.equal(written.statusCode, 200)
  t.equal(written.json().description, 'Beds open to inpatients', 'the PATCH answered through the shared serializer')
  t.equal(compilerStats().serializersCompiled, afterRead, 'the PATCH compiled nothing new')
  t.same(Object.keys(written.json()).sort(), Object.keys(read.json()).sort(), 'and the same fields as the detail')

  // A unit is written as JSON by PostgreSQL and sent as that text: its GET compiles no serializer; its PATCH, whose
  // answer is built in JavaScript from the same SQL, compiles the unit's.
  const unit = await app.inject('/v1/departments/general-gynecology')
  t.equal(unit.statusCode, 200)
  t.equal(compilerStats().serializersCompiled, afterRead, 'a detail sent as PostgreSQL wrote it compiles nothing')
  const patched = await app.inject({
    method: 'PATCH',
    url: '/v1/departments/general-gynecology',
    headers: { authorization: `Bearer ${writer.key}`, 'if-match': unit.headers.etag as string },
    payload: { focus: 'Gynecological oncology', provenance: { note: 'Stated in the 2026 annual report' } }
  })
  t.equal(patched.statusCode, 200)
  t.equal(compilerStats().serializersCompiled, afterRead + 1, 'another representation compiles its own')
  t.same(Object.keys(patched.json()).sort(), Object.keys(unit.json()).sort(), 'the PATCH answers the fields the GET does')
})
