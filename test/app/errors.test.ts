import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../helper.ts'

t.test('unknown routes are 404 problems', async (t) => {
  const app = await buildApp(await testConfig(t))
  t.after(() => app.close())
  const response = await app.inject('/v2/nothing?x=1')
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No route for GET /v2/nothing.', instance: '/v2/nothing?x=1' })
})

t.test('an unexpected error is a 500 problem that leaks nothing and carries the request id', async (t) => {
  const app = await buildApp(await testConfig(t))
  t.after(() => app.close())
  app.get('/v1/explode', async () => {
    throw new Error('connection to 10.0.0.5 failed: password authentication failed for user "admin"')
  })
  const response = await app.inject({ url: '/v1/explode', headers: { 'x-request-id': 'trace-123' } })
  t.equal(response.statusCode, 500)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.equal(response.headers['x-request-id'], 'trace-123', 'the caller\'s request id is honoured and returned')
  const body = response.json<{ detail: string, requestId: string }>()
  t.match(body, { type: '/problems/internal-error', status: 500, requestId: 'trace-123' })
  t.match(body.detail, /trace-123/)
  t.notMatch(response.body, /10\.0\.0\.5|password|admin|stack|Error:/, 'no internals in the body')
})

t.test('every response carries a request id', async (t) => {
  const app = await buildApp(await testConfig(t))
  t.after(() => app.close())
  const response = await app.inject('/health')
  t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('a request id that is not a plausible id is replaced, never logged or returned', async (t) => {
  const app = await buildApp(await testConfig(t))
  t.after(() => app.close())
  for (const hostile of ['x'.repeat(129), 'two words', 'forged\tline', '\u00e9t\u00e9']) {
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': hostile } })
    t.equal(response.statusCode, 200)
    t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${JSON.stringify(hostile.slice(0, 20))} is replaced by a UUID`)
  }
  const kept = await app.inject({ url: '/health', headers: { 'x-request-id': 'a'.repeat(128) } })
  t.equal(kept.headers['x-request-id'], 'a'.repeat(128), '128 printable characters are kept')
})

t.test('Swagger UI and the JSON document are served', async (t) => {
  const app = await buildApp(await testConfig(t))
  t.after(() => app.close())
  const ui = await app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  const json = await app.inject('/docs/json')
  t.equal(json.statusCode, 200)
  t.match(json.json(), { openapi: '3.1.0', paths: { '/v1/departments': {}, '/v1/departments/{slug}': {} } })
})
