import t from 'tap'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildApp } from '../../src/app.ts'
import { buildTestApp, testConfig } from '../helper.ts'

// One app for the tests that only send requests.
const app = await buildTestApp(t)

t.test('unknown routes are 404 problems', async (t) => {
  const response = await app.inject('/v2/nothing?x=1')
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No route for GET /v2/nothing.', instance: '/v2/nothing?x=1' })
})

t.test('an unexpected error is a 500 problem that leaks nothing and carries the request id', async (t) => {
  // It adds a route, so it gets an app of its own, not yet ready.
  const exploding = await buildApp(await testConfig(t))
  t.after(() => exploding.close())
  exploding.get('/v1/explode', async () => {
    throw new Error('connection to 10.0.0.5 failed: password authentication failed for user "admin"')
  })
  const response = await exploding.inject({ url: '/v1/explode', headers: { 'x-request-id': 'trace-123' } })
  t.equal(response.statusCode, 500)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.equal(response.headers['x-request-id'], 'trace-123', 'the caller\'s request id is honoured and returned')
  const body = response.json<{ detail: string, requestId: string }>()
  t.match(body, { type: '/problems/internal-error', status: 500, requestId: 'trace-123' })
  t.match(body.detail, /trace-123/)
  t.notMatch(response.body, /10\.0\.0\.5|password|admin|stack|Error:/, 'no internals in the body')
})

t.test('every response carries a request id', async (t) => {
  const response = await app.inject('/health')
  t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('a request id that is not a plausible id is replaced, never logged or returned', async (t) => {
  for (const hostile of ['x'.repeat(129), 'two words', 'forged\tline', '\u00e9t\u00e9']) {
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': hostile } })
    t.equal(response.statusCode, 200)
    t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${JSON.stringify(hostile.slice(0, 20))} is replaced by a UUID`)
  }
  const kept = await app.inject({ url: '/health', headers: { 'x-request-id': 'a'.repeat(128) } })
  t.equal(kept.headers['x-request-id'], 'a'.repeat(128), '128 printable characters are kept')
})

t.test('Swagger UI and the JSON document are served', async (t) => {
  const ui = await app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  const json = await app.inject('/docs/json')
  t.equal(json.statusCode, 200)
  t.match(json.json(), { openapi: '3.1.0', paths: { '/v1/departments': {}, '/v1/departments/{slug}': {} } })
})

// Each of these was a 500 or a non-problem answer until the fuzz suite (test/fuzz) sent it.
t.test('input the router, the validator or the database would trip over is a 400 problem that names it', async (t) => {
  await app.ready()
  const expectProblem = async (url: string, detail: RegExp, errors?: unknown[]) => {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url.slice(0, 60))
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.headers['x-request-id'], /^[0-9a-f-]{36}$/)
    t.match(response.json(), { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail, ...(errors === undefined ? {} : { errors }) })
  }

  // Percent-encodings that decode to no UTF-8, in a path segment or a query string: the router refuses the path, the
  // text hook the query string (Fastify's parser would keep `%ED%A0%80`, a lone surrogate's bytes, as literal text).
  await expectProblem('/v1/departments/%E0%A4%A', /percent-encoded sequence does not decode to UTF-8/)
  await expectProblem('/v1/departments/%ED%A0%80', /percent-encoded sequence does not decode to UTF-8/)
  await expectProblem('/v1/departments?kind=%FF', /^querystring\/kind is not percent-encoded UTF-8 text, /,
    [{ in: 'querystring', field: '/kind', message: 'is not percent-encoded UTF-8 text' }])
  await expectProblem('/v1/hospitals?limit=5&city=a%ED%A0%80b', /^querystring\/city is not percent-encoded UTF-8 text, /,
    [{ in: 'querystring', field: '/city', message: 'is not percent-encoded UTF-8 text' }])
  await expectProblem('/v1/hospitals?city=100%', /^querystring\/city is not percent-encoded UTF-8 text, /)
  const fhir = await app.inject('/fhir/r4/Organization?name=%ED%A0%80')
  t.equal(fhir.statusCode, 400)
  t.match(fhir.headers['content-type'], /^application\/fhir\+json/)
  t.match(fhir.json(), { resourceType: 'OperationOutcome', issue: [{ code: 'invalid', diagnostics: 'querystring name is not percent-encoded UTF-8 text' }] })
  t.equal((await app.inject('/v1/hospitals?city=%F0%9F%98%80%20a+b')).statusCode, 200, 'well-formed UTF-8 (an emoji) is read')
  // A path segment longer than any identifier: the router refuses it past 200 characters, the schema up to there.
  await expectProblem(`/v1/departments/${'x'.repeat(201)}`, /path segment is longer than 200 characters/)
  await expectProblem(`/v1/departments/${'x'.repeat(150)}`, /params slug must NOT have more than 120 characters/)
  // NUL cannot be stored in PostgreSQL text: refused by name before it reaches the database.
  await expectProblem('/v1/hospitals?city=%00', /querystring\/city contains the NUL character/,
    [{ in: 'querystring', field: '/city', message: 'contains the NUL character (U+0000)' }])
  // Ajv turns these into Infinity and then skips `maximum`; they are refused as numbers that are not finite.
  await expectProblem(`/v1/departments?limit=${'9'.repeat(400)}`, /limit must be a finite number/)
  await expectProblem('/v1/departments?limit=1e400', /limit must be a finite number/)

  const ok = await app.inject('/v1/departments?limit=100')
  t.equal(ok.statusCode, 200, 'the largest documented limit still works')

  const admin = await createApiKey(app.prisma, { name: 'editor', scopes: ['admin'] })
  const before = await app.prisma.condition.count()
  const nul = await app.inject({
    method: 'POST',
    url: '/v1/conditions',
    headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ slug: 'nul-test', name: 'a\u0000b', provenance: { note: 'fuzz' } })
  })
  t.equal(nul.statusCode, 400)
  t.match(nul.json(), { detail: /body\/name contains the NUL character/, errors: [{ in: 'body', field: '/name' }] })
  t.equal(await app.prisma.condition.count(), before, 'nothing was written')

  // A lone surrogate has no UTF-8 form: JSON.parse reads the escape, and it would be stored as U+FFFD. Refused by name,
  // in a value or a key, however deep.
  const post = (payload: string) => app.inject({
    method: 'POST',
    url: '/v1/conditions',
    headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
    payload
  })
  const surrogate = await post('{"slug": "surrogate-test", "name": "a\\ud800b"}')
  t.equal(surrogate.statusCode, 400)
  t.match(surrogate.headers['content-type'], /^application\/problem\+json/)
  t.match(surrogate.json(), {
    type: '/problems/invalid-request',
    status: 400,
    detail: /^body\/name contains a lone surrogate \(U\+D800\), which is not a Unicode character/,
    errors: [{ in: 'body', field: '/name', message: 'contains a lone surrogate (U+D800)' }]
  })
  const inKey = await post('{"slug": "surrogate-test", "name": "x", "a\\udc00b": 1}')
  t.equal(inKey.statusCode, 400)
  t.match(inKey.json(), { errors: [{ in: 'body', field: '/a\ufffdb', message: 'contains a lone surrogate (U+DC00)' }] })
  const deep = await post(`{"slug": "surrogate-test", "name": ${'['.repeat(50_000)}"\\udbff"${']'.repeat(50_000)}}`)
  t.equal(deep.statusCode, 400)
  t.match(deep.json(), {
    detail: /^body\/name(\/0){15}\/… contains a lone surrogate \(U\+DBFF\)/,
    errors: [{ in: 'body', field: `/name${'/0'.repeat(15)}/…`, message: 'contains a lone surrogate (U+DBFF)' }]
  })
  t.ok(deep.body.length < 1000, 'the pointer to a value 50,000 levels deep is cut short')
  t.equal(await app.prisma.condition.count(), before, 'nothing was written')
  const pair = await post('{"slug": "surrogate-test", "name": "Pain \\ud83d\\ude00"}')
  t.equal(pair.statusCode, 201, 'a surrogate pair is one character, and is written')
  t.equal(pair.json<{ name: string }>().name, 'Pain \u{1F600}')
})

// A parsed JSON body is as deep as its size allows; every walk over it must survive that, and the schema names what is
// wrong. Until the text hook walked with a stack of its own, 10,000 levels overflowed the call stack: a 500.
t.test('a body nested 10,000 or 100,000 levels deep is a 400 problem that names what is wrong', async (t) => {
  await app.ready()
  const admin = await createApiKey(app.prisma, { name: 'editor', scopes: ['write'] })
  const target = await app.prisma.condition.findFirstOrThrow({ select: { slug: true } })
  const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
  const arrays = (levels: number) => `${'['.repeat(levels)}"\\u0000"${']'.repeat(levels)}`
  const send = (method: 'POST' | 'PATCH', url: string, payload: string) => app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json', 'if-match': '*' },
    payload
  })
  for (const levels of [10_000, 100_000]) {
    const cases = [
      [send('POST', '/v1/conditions', objects(levels)), 'body slug is required; body name is required; body a is not a known field'],
      [send('POST', '/v1/conditions', `{"slug": "deep", "name": ${objects(levels)}}`), 'body name must be string'],
      [send('PATCH', `/v1/conditions/${target.slug}`, `{"name": ${objects(levels)}}`), 'body name must be string'],
      [send('PATCH', `/v1/conditions/${target.slug}`, objects(levels)), 'body a is not a known field'],
      [send('PATCH', `/v1/conditions/${target.slug}`, arrays(levels)), /^body\/(0\/){16}… contains the NUL character/]
    ] as const
    for (const [answer, detail] of cases) {
      const response = await answer
      t.equal(response.statusCode, 400, `${levels} levels: ${String(detail)}`)
      t.match(response.headers['content-type'], /^application\/problem\+json/)
      t.match(response.json(), { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail })
    }
  }
  t.equal(await app.prisma.condition.count({ where: { slug: 'deep' } }), 0, 'nothing was written')

  // The FHIR view takes no bodies (a POST is a 405 once the body is read), and query strings do not nest: a[a][a]… is
  // one name, unknown.
  const fhir = await send('POST', '/fhir/r4/Organization', objects(100_000))
  t.equal(fhir.statusCode, 405)
  t.match(fhir.json(), { resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] })
  const query = await app.inject(`/v1/hospitals?${'a'.repeat(10)}${'[a]'.repeat(4_000)}=1`)
  t.equal(query.statusCode, 400)
  t.match(query.json(), { type: '/problems/invalid-request', errors: [{ in: 'querystring', message: 'is not a known parameter' }] })
})
