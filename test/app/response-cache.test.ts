import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildTestApp, databaseKind, nextDataChange } from '../helper.ts'

// The response cache through HTTP: what a hit looks like, that it never serves what a write has changed (in this
// instance at once, in another once it hears the commit), that it keeps authorization, negotiation and errors as
// they are, and that concurrent misses compute once.

type App = Awaited<ReturnType<typeof buildTestApp>>

const list = '/v1/departments?hospital=cqhcwc&limit=2&count=true'
const detail = '/v1/departments/general-gynecology'
const note = { note: 'Checked with the ward office' }

async function writerKey (app: App) {
  const key = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
  return { authorization: `Bearer ${key.key}` }
}

async function focusOf (app: App): Promise<string | null> {
  return (await app.inject(detail)).json<{ focus: string | null }>().focus
}

// One app for the tests that need no configuration of their own; each reads URLs of its own or writes what it reads.
const shared = buildTestApp(t)

t.test('a repeated GET is a hit: same status, body, ETag and describing headers, no query', async (t) => {
  const app = await shared
  const miss = await app.inject(list)
  t.equal(miss.statusCode, 200)
  t.equal(miss.headers['x-cache'], 'miss')
  const { hits } = app.responseCache.stats()
  const hit = await app.inject(list)
  t.equal(hit.statusCode, 200)
  t.equal(hit.headers['x-cache'], 'hit')
  t.equal(app.responseCache.stats().hits, hits + 1)
  t.equal(hit.body, miss.body)
  for (const header of ['etag', 'content-type', 'link', 'x-total-count', 'cache-control', 'vary']) {
    t.equal(hit.headers[header], miss.headers[header], header)
  }
  t.ok(hit.headers.link, 'the list has a next link')
  t.not(hit.headers['x-request-id'], miss.headers['x-request-id'], 'the request id is each request\'s own')
  t.ok(hit.headers['content-security-policy'], 'security headers are set on hits too')

  const revalidated = await app.inject({ url: list, headers: { 'if-none-match': String(miss.headers.etag) } })
  t.equal(revalidated.statusCode, 304, 'If-None-Match is answered from the cached ETag')
  t.equal(revalidated.body, '')
  t.equal(revalidated.headers.etag, miss.headers.etag)

  const compressed = await app.inject({ url: '/v1/departments?hospital=cqhcwc&limit=20', headers: { 'accept-encoding': 'gzip' } })
  const compressedHit = await app.inject({ url: '/v1/departments?hospital=cqhcwc&limit=20', headers: { 'accept-encoding': 'gzip' } })
  t.equal(compressedHit.headers['x-cache'], 'hit')
  t.equal(compressedHit.headers['content-encoding'], 'gzip', 'a hit is compressed like a miss')
  t.equal(compressedHit.headers.etag, compressed.headers.etag)
})

t.test('no stale read after a write, through the API or behind its back', async (t) => {
  const app = await shared
  const writer = await writerKey(app)
  const before = await app.inject(detail)
  t.equal((await app.inject(detail)).headers['x-cache'], 'hit', 'cached')

  const patched = await app.inject({
    method: 'PATCH', url: detail, headers: { ...writer, 'if-match': String(before.headers.etag) }, payload: { focus: 'Minimally invasive surgery', provenance: note }
  })
  t.equal(patched.statusCode, 200, patched.body)
  const after = await app.inject(detail)
  t.equal(after.headers['x-cache'], 'miss', 'the write emptied the cache before it answered')
  t.equal(after.json<{ focus: string }>().focus, 'Minimally invasive surgery')
  t.equal(after.headers.etag, patched.headers.etag, 'the GET has the ETag the write returned')
  const stale = await app.inject({ url: detail, headers: { 'if-none-match': String(before.headers.etag) } })
  t.equal(stale.statusCode, 200, 'the ETag from before the write no longer matches')

  // A change committed by something other than this API (a migration, an administrator's SQL) arrives as a
  // notification a moment later.
  const heard = nextDataChange(app)
  await app.prisma.unit.update({ where: { slug: 'general-gynecology' }, data: { focus: 'Changed in SQL' } })
  await heard
  t.equal(await focusOf(app), 'Changed in SQL')
})

t.test('another instance\'s write reaches this instance\'s response cache', { skip: databaseKind === 'pglite' && 'an in-memory PGlite has one process' }, async (t) => {
  const app = await buildTestApp(t)
  const other = await buildApp(app.config)
  t.after(() => other.close())
  await other.ready()
  const writer = await writerKey(app)
  t.equal(await focusOf(app), await focusOf(other))
  t.equal((await app.inject(detail)).headers['x-cache'], 'hit', 'cached in the instance that will not write')

  const heard = nextDataChange(app)
  const patched = await other.inject({ method: 'PATCH', url: detail, headers: { ...writer, 'if-match': '*' }, payload: { focus: 'Written elsewhere', provenance: note } })
  t.equal(patched.statusCode, 200, patched.body)
  t.equal(await focusOf(other), 'Written elsewhere', 'the writing instance at once')
  await heard
  const read = await app.inject(detail)
  t.equal(read.headers['x-cache'], 'miss')
  t.equal(read.json<{ focus: string }>().focus, 'Written elsewhere', 'the other instance once it hears the commit')
  t.equal(read.headers.etag, patched.headers.etag)
})

t.test('a hit is compressed as a miss would be, once per coding, not on every request', async (t) => {
  const app = await shared
  const url = '/v1/departments?hospital=cqhcwc&limit=15'
  const plain = await app.inject(url)
  t.equal(plain.headers['x-cache'], 'miss')
  t.equal(plain.headers['content-encoding'], undefined)
  const asked = async (headers: Record<string, string>) => app.inject({ url, headers })

  const brotli = await asked({ 'accept-encoding': 'gzip, deflate, br' })
  t.equal(brotli.headers['x-cache'], 'hit')
  t.equal(brotli.headers['content-encoding'], 'br', 'br where the client takes it')
  t.match(brotli.headers.vary, /accept-encoding/)
  t.equal(brotli.headers.etag, plain.headers.etag, 'the ETag does not depend on the coding')
  t.equal(Number(brotli.headers['content-length']), brotli.rawPayload.length)
  t.equal(brotliDecompressSync(brotli.rawPayload).toString(), plain.body)
  const bytes = app.responseCache.stats().bytes
  const again = await asked({ 'accept-encoding': 'br' })
  t.same(again.rawPayload, brotli.rawPayload, 'the same bytes again')
  t.equal(app.responseCache.stats().bytes, bytes, 'made once and kept')

  const gzip = await asked({ 'accept-encoding': 'br;q=0.5, gzip' })
  t.equal(gzip.headers['content-encoding'], 'gzip', 'the client\'s preference counts')
  t.equal(gunzipSync(gzip.rawPayload).toString(), plain.body)
  t.ok(app.responseCache.stats().bytes > bytes, 'the gzip body is counted against the cache\'s bound')
  t.equal((await asked({ 'accept-encoding': 'x-gzip' })).headers['content-encoding'], 'gzip', 'x-gzip is gzip')
  const uncompressed: Array<Record<string, string>> = [
    { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }, { 'accept-encoding': 'br', 'x-no-compression': '1' }
  ]
  for (const headers of uncompressed) {
    const sent = await asked(headers)
    t.equal(sent.headers['x-cache'], 'hit')
    t.equal(sent.headers['content-encoding'], undefined, `as it is for ${JSON.stringify(headers)}`)
    t.equal(sent.body, plain.body)
  }
  const revalidated = await asked({ 'accept-encoding': 'br', 'if-none-match': String(plain.headers.etag) })
  t.equal(revalidated.statusCode, 304, 'a compressed hit revalidates too')
  t.equal(revalidated.rawPayload.length, 0)
  t.equal(revalidated.headers['content-encoding'], undefined, 'a 304 has no body and so no content coding')
  t.match(revalidated.headers.vary, /accept-encoding/)

  const small = '/v1/departments?hospital=cqhcwc&limit=1&fields=slug'
  await app.inject(small)
  const smallHit = await app.inject({ url: small, headers: { 'accept-encoding': 'br' } })
  t.equal(smallHit.headers['x-cache'], 'hit')
  t.equal(smallHit.headers['content-encoding'], undefined, 'a body under 1 KB is sent as it is, as on a miss')
})

t.test('20 concurrent misses for one URL compute it once', async (t) => {
  const app = await shared
  const url = '/v1/departments/general-gynecology?include=children,metrics,honors,services'
  const { misses, hits } = app.responseCache.stats()
  const responses = await Promise.all(Array.from({ length: 20 }, () => app.inject(url)))
  t.same([...new Set(responses.map((response) => response.statusCode))], [200])
  t.equal(new Set(responses.map((response) => response.body)).size, 1, 'one body')
  t.equal(app.responseCache.stats().misses, misses + 1, 'one computation')
  t.equal(app.responseCache.stats().hits, hits + 19, 'the others waited for it')
})

t.test('what a GET depends on besides its URL is kept apart, and errors are not cached', async (t) => {
  const app = await shared
  const url = '/v1/metrics?department=general-gynecology&limit=5'
  const json = await app.inject(url)
  const csv = await app.inject({ url, headers: { accept: 'text/csv' } })
  const csvAgain = await app.inject({ url, headers: { accept: 'text/csv' } })
  t.match(json.headers['content-type'], /^application\/json/)
  t.match(csvAgain.headers['content-type'], /^text\/csv/, 'the CSV variant is cached as CSV')
  t.equal(csvAgain.headers['x-cache'], 'hit')
  t.equal(csvAgain.body, csv.body)
  t.equal(csvAgain.headers['content-disposition'], csv.headers['content-disposition'])
  t.equal((await app.inject({ url, headers: { accept: 'image/png' } })).statusCode, 406, 'negotiation still runs on every request')

  const writer = await writerKey(app)
  const missing = await app.inject('/v1/conditions/no-such-condition')
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['x-cache'], undefined)
  const created = await app.inject({ method: 'POST', url: '/v1/conditions', headers: writer, payload: { slug: 'no-such-condition', name: 'Now there is' } })
  t.equal(created.statusCode, 201)
  t.equal((await app.inject('/v1/conditions/no-such-condition')).statusCode, 200, 'a 404 was never cached')

  t.equal((await app.inject('/v1/departments?limit=0')).statusCode, 400)
  t.equal((await app.inject('/v1/departments?limit=0')).statusCode, 400, 'an invalid URL is validated every time')

  const audit = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  const first = await app.inject({ url: '/v1/audit', headers: { authorization: `Bearer ${audit.key}` } })
  const second = await app.inject({ url: '/v1/audit', headers: { authorization: `Bearer ${audit.key}` } })
  t.equal(second.statusCode, 200)
  t.equal(second.headers['x-cache'], undefined, 'the audit trail is never served from the cache')
  t.equal(second.body.length > 0 && first.statusCode, 200)
})

t.test('authorization and rate limits apply to hits', async (t) => {
  const app = await buildTestApp(t, { READS_REQUIRE_KEY: 'true', RATE_LIMIT_PER_KEY: '3' })
  const reader = await createApiKey(app.prisma, { name: 'Partner app', scopes: ['read'] })
  const headers = { authorization: `Bearer ${reader.key}` }
  t.equal((await app.inject({ url: list, headers })).statusCode, 200)
  t.equal((await app.inject({ url: list, headers })).headers['x-cache'], 'hit')
  const anonymous = await app.inject(list)
  t.equal(anonymous.statusCode, 401, 'a cached response is no reason to skip the key')
  t.match(anonymous.headers['content-type'], /^application\/problem\+json/)
  t.equal((await app.inject({ url: list, headers })).statusCode, 200)
  const limited = await app.inject({ url: list, headers })
  t.equal(limited.statusCode, 429, 'the fourth request in the minute is over the key\'s limit, cached or not')
  t.ok(limited.headers['retry-after'])
})

t.test('RESPONSE_CACHE_MAX_MB=0 turns the cache off', async (t) => {
  const app = await buildTestApp(t, { RESPONSE_CACHE_MAX_MB: '0' })
  await app.inject(list)
  const again = await app.inject(list)
  t.equal(again.statusCode, 200)
  t.equal(again.headers['x-cache'], undefined)
  t.match(app.responseCache.stats(), { hits: 0, misses: 0, entries: 0 })
})
