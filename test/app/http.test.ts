import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { buildTestApp } from '../helper.ts'

const app = await buildTestApp(t, { CORS_ORIGINS: 'https://partner.example,https://dashboard.example' })

t.test('successful GETs carry a weak ETag and Cache-Control; If-None-Match answers 304', async (t) => {
  const first = await app.inject('/v1/departments')
  t.equal(first.statusCode, 200)
  const etag = first.headers.etag as string
  t.match(etag, /^W\/"[A-Za-z0-9_-]+"$/)
  t.equal(first.headers['cache-control'], 'public, no-cache')

  for (const ifNoneMatch of [etag, etag.slice(2), `"other", ${etag}`, '*']) {
    const again = await app.inject({ url: '/v1/departments', headers: { 'if-none-match': ifNoneMatch } })
    t.equal(again.statusCode, 304, `If-None-Match: ${ifNoneMatch}`)
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
  }
  const changed = await app.inject({ url: '/v1/departments', headers: { 'if-none-match': 'W/"stale"' } })
  t.equal(changed.statusCode, 200, 'a different tag gets the body')
  t.not((await app.inject('/v1/departments?limit=1')).headers.etag, etag, 'another representation, another tag')
})

t.test('a 304 carries what the 200 says about caching and nothing about a body', async (t) => {
  const url = '/v1/metrics?department=general-gynecology&metric=beds'
  const full = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
  t.equal(full.statusCode, 200)
  t.ok(full.headers.vary, 'the 200 varies (on Accept)')
  for (const headers of [{}, { 'accept-encoding': 'br, gzip' }]) {
    const again = await app.inject({ url, headers: { ...headers, 'if-none-match': full.headers.etag as string } })
    t.equal(again.statusCode, 304)
    t.equal(again.rawPayload.length, 0)
    for (const name of ['etag', 'vary', 'cache-control']) t.equal(again.headers[name], full.headers[name], `${name} as the 200 sent it`)
    // RFC 9110 §8.6: a Content-Length on a 304 would have to be the 200's; 0 would tell a cache its body is empty.
    for (const name of ['content-length', 'content-type', 'content-encoding']) t.equal(again.headers[name], undefined, `no ${name}`)
  }
  const lastModified = (await app.inject('/v1/departments/general-gynecology')).headers['last-modified'] as string
  const since = await app.inject({ url: '/v1/departments/general-gynecology', headers: { 'if-modified-since': lastModified } })
  t.equal(since.statusCode, 304)
  t.equal(since.headers['last-modified'], lastModified)
  t.equal(since.headers['content-length'], undefined)
})

t.test('detail routes send Last-Modified and honour If-Modified-Since', async (t) => {
  const first = await app.inject('/v1/departments/general-gynecology')
  const lastModified = first.headers['last-modified'] as string
  t.ok(lastModified, 'Last-Modified is set')
  t.equal((await app.inject({ url: '/v1/departments/general-gynecology', headers: { 'if-modified-since': lastModified } })).statusCode, 304)
  t.equal((await app.inject({ url: '/v1/departments/general-gynecology', headers: { 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' } })).statusCode, 200)
  t.equal((await app.inject({
    url: '/v1/departments/general-gynecology',
    headers: { 'if-modified-since': lastModified, 'if-none-match': 'W/"stale"' }
  })).statusCode, 200, 'If-None-Match takes precedence over If-Modified-Since')
})

t.test('errors are never cached and never revalidated', async (t) => {
  const missing = await app.inject({ url: '/v1/departments/nowhere', headers: { 'if-none-match': '*' } })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['cache-control'], 'no-store')
  t.equal(missing.headers.etag, undefined)
})

t.test('larger bodies are compressed with br or gzip; the ETag does not depend on the encoding', async (t) => {
  const plain = await app.inject('/v1/departments/general-gynecology')
  const brotli = await app.inject({ url: '/v1/departments/general-gynecology', headers: { 'accept-encoding': 'br' } })
  const gzip = await app.inject({ url: '/v1/departments/general-gynecology', headers: { 'accept-encoding': 'gzip' } })
  t.equal(brotli.headers['content-encoding'], 'br')
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.match(brotli.headers.vary, /accept-encoding/i)
  t.equal(brotliDecompressSync(brotli.rawPayload).toString(), plain.body)
  t.equal(gunzipSync(gzip.rawPayload).toString(), plain.body)
  t.ok(brotli.rawPayload.length < plain.rawPayload.length / 3, 'much smaller')
  t.equal(brotli.headers.etag, plain.headers.etag)
  const small = await app.inject({ url: '/health', headers: { 'accept-encoding': 'br' } })
  t.equal(small.headers['content-encoding'], undefined, 'tiny bodies are sent as they are')
})

t.test('CORS: allowed origins only, with the headers a browser client needs', async (t) => {
  const allowed = await app.inject({ url: '/v1/departments', headers: { origin: 'https://partner.example' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://partner.example')
  t.match(allowed.headers['access-control-expose-headers'], /ETag/)
  t.match(allowed.headers['access-control-expose-headers'], /Link/)
  const denied = await app.inject({ url: '/v1/departments', headers: { origin: 'https://elsewhere.example' } })
  t.equal(denied.headers['access-control-allow-origin'], undefined)
  const preflight = await app.inject({
    method: 'OPTIONS', url: '/v1/departments',
    headers: { origin: 'https://dashboard.example', 'access-control-request-method': 'GET' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://dashboard.example')
})

t.test('no CORS headers at all when no origin is configured', async (t) => {
  const closed = await buildTestApp(t)
  const response = await closed.inject({ url: '/v1/departments', headers: { origin: 'https://partner.example' } })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['access-control-allow-origin'], undefined)
  t.equal(response.headers.vary, undefined, 'nothing varies by Origin')
  const preflight = await closed.inject({
    method: 'OPTIONS', url: '/v1/departments',
    headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET' }
  })
  t.equal(preflight.statusCode, 404, 'a preflight finds no route')
  t.match(preflight.headers['content-type'], /^application\/problem\+json/)
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
  t.equal(preflight.headers['access-control-allow-methods'], undefined)
})

t.test('a wrong method on a known path is 405 with Allow; on an unknown path 404', async (t) => {
  for (const [method, url, allow] of [
    ['PUT', '/v1/departments', 'GET, HEAD, POST'],
    ['PUT', '/v1/departments/general-gynecology', 'DELETE, GET, HEAD, PATCH'],
    ['PUT', '/v1/search', 'GET, HEAD'],
    ['PATCH', '/health', 'GET, HEAD']
  ] as const) {
    const response = await app.inject({ method, url })
    t.equal(response.statusCode, 405, `${method} ${url}`)
    t.equal(response.headers.allow, allow)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { type: '/problems/method-not-allowed', status: 405 })
  }
  t.equal((await app.inject({ method: 'POST', url: '/v1/nothing-here' })).statusCode, 404)
})

t.test('HEAD answers like GET without a body', async (t) => {
  const head = await app.inject({ method: 'HEAD', url: '/v1/departments' })
  t.equal(head.statusCode, 200)
  t.equal(head.body, '')
  t.ok(head.headers.etag)
})

t.test('an Accept header that admits no JSON is a 406 problem; */* and JSON are fine', async (t) => {
  const refused = await app.inject({ url: '/v1/departments', headers: { accept: 'text/csv' } })
  t.equal(refused.statusCode, 406)
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.json(), { type: '/problems/not-acceptable', detail: /application\/json/ })
  for (const accept of ['application/json', '*/*', 'application/*', 'text/html, application/json;q=0.5']) {
    t.equal((await app.inject({ url: '/v1/departments', headers: { accept } })).statusCode, 200, accept)
  }
})
