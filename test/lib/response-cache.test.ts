import t from 'tap'
import { DataChanges } from '../../src/lib/data-changes.ts'
import { createResponseCache, type CachedResponse } from '../../src/lib/response-cache.ts'

// The response cache on its own, driven by a DataChanges that the test moves by hand.

function listeningChanges (): DataChanges {
  const changes = new DataChanges()
  changes.setListening(true)
  return changes
}

function response (body: string): CachedResponse {
  return { body: Buffer.from(body), etag: `W/"${body}"`, headers: { 'content-type': 'application/json; charset=utf-8' }, encoded: {} }
}

t.test('a filled miss is a hit for the next lookup; a change empties the cache', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = await cache.lookup('/v1/a')
  t.equal(first.kind, 'miss')
  if (first.kind === 'miss') first.slot.fill(response('{"a":1}'))
  t.match(await cache.lookup('/v1/a'), { kind: 'hit', response: { body: Buffer.from('{"a":1}') } })
  t.match(cache.stats(), { hits: 1, misses: 1, entries: 1 })

  changes.changed('unit')
  t.equal((await cache.lookup('/v1/a')).kind, 'miss', 'gone after a change')
  t.equal(cache.stats().entries, 0)
})

t.test('hits, misses and bypasses answer at once; only a lookup that must wait for another request is a promise', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = cache.lookup('/v1/a')
  t.notOk(first instanceof Promise, 'a miss')
  const waiter = cache.lookup('/v1/a')
  t.ok(waiter instanceof Promise, 'a lookup while the miss is computed')
  if (!(first instanceof Promise) && first.kind === 'miss') first.slot.fill(response('{"a":1}'))
  t.match(await waiter, { kind: 'hit' })
  const hit = cache.lookup('/v1/a')
  t.notOk(hit instanceof Promise, 'a hit')
  t.match(hit, { kind: 'hit', response: { body: Buffer.from('{"a":1}') } })
  changes.setListening(false)
  const bypass = cache.lookup('/v1/a')
  t.notOk(bypass instanceof Promise, 'a bypass')
  t.match(bypass, { kind: 'bypass' })
})

t.test('a response computed across a change is not stored', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = await cache.lookup('/v1/a')
  changes.changed('unit')
  if (first.kind === 'miss') first.slot.fill(response('old'))
  t.equal((await cache.lookup('/v1/a')).kind, 'miss', 'the old response was not kept')
})

t.test('concurrent lookups of one key wait for the first; a failed first lets them compute', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = await cache.lookup('/v1/a')
  const waiting = Promise.all([cache.lookup('/v1/a'), cache.lookup('/v1/a')])
  if (first.kind === 'miss') first.slot.fill(response('shared'))
  t.match(await waiting, [{ kind: 'hit', response: { body: Buffer.from('shared') } }, { kind: 'hit', response: { body: Buffer.from('shared') } }])
  t.match(cache.stats(), { misses: 1, hits: 2 })

  const second = await cache.lookup('/v1/b')
  const waiter = cache.lookup('/v1/b')
  if (second.kind === 'miss') second.slot.abandon()
  t.equal((await waiter).kind, 'bypass', 'computes on its own')
  t.equal((await cache.lookup('/v1/b')).kind, 'miss', 'and the next request tries the cache again')
})

t.test('a change while others wait releases them to compute; they never receive the older response', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = await cache.lookup('/v1/a')
  const waiter = cache.lookup('/v1/a')
  changes.changed('unit')
  if (first.kind === 'miss') first.slot.fill(response('old'))
  t.equal((await waiter).kind, 'bypass')
})

t.test('while changes are not heard, the cache steps aside', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024 })
  const first = await cache.lookup('/v1/a')
  if (first.kind === 'miss') first.slot.fill(response('a'))
  changes.setListening(false)
  t.equal((await cache.lookup('/v1/a')).kind, 'bypass')
  const during = await cache.lookup('/v1/b')
  t.equal(during.kind, 'bypass')
  changes.setListening(true)
  t.equal((await cache.lookup('/v1/a')).kind, 'miss', 'what was cached before is gone')
})

t.test('an encoded body is made once, kept with its response and counted against the bound', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 1024 * 1024, ttlMs: 60_000 })
  const first = await cache.lookup('/v1/a')
  if (first.kind === 'miss') first.slot.fill(response('x'.repeat(2000)))
  const found = await cache.lookup('/v1/a')
  if (found.kind !== 'hit') throw new Error('expected a hit')
  const bytesBefore = cache.stats().bytes
  let made = 0
  const encode = (body: Buffer) => { made++; return Buffer.from(`encoded ${body.length}`) }
  t.equal(cache.encoded('/v1/a', found.response, 'br', encode).toString(), 'encoded 2000')
  t.equal(cache.encoded('/v1/a', found.response, 'br', encode).toString(), 'encoded 2000')
  t.equal(made, 1, 'made once')
  t.equal(cache.stats().bytes, bytesBefore + 'encoded 2000'.length, 'its bytes are counted')
  const again = await cache.lookup('/v1/a')
  t.match(again, { kind: 'hit' }, 'still cached')
  if (again.kind === 'hit') t.equal(again.response.encoded.br?.toString(), 'encoded 2000', 'with the encoded body')
  cache.encoded('/v1/a', found.response, 'gzip', encode)
  t.equal(made, 2, 'each coding is made once')
  t.equal(cache.stats().bytes, bytesBefore + 2 * 'encoded 2000'.length, 'from the response a lookup returned earlier too')

  changes.changed('unit')
  const off = createResponseCache(changes, { maxBytes: 0 })
  const response_ = response('y'.repeat(2000))
  off.encoded('/v1/b', response_, 'br', encode)
  t.equal(made, 3, 'a cache that is off encodes for the request at hand')
})

t.test('bounded by the bytes of its bodies; 0 turns it off', async (t) => {
  const changes = listeningChanges()
  const cache = createResponseCache(changes, { maxBytes: 10_000 })
  for (let index = 0; index < 50; index++) {
    const found = await cache.lookup(`/v1/${index}`)
    if (found.kind === 'miss') found.slot.fill(response('x'.repeat(1000)))
  }
  t.ok(cache.stats().bytes <= 10_000, `${cache.stats().bytes} bytes`)
  t.ok(cache.stats().entries < 50 && cache.stats().entries > 0, `${cache.stats().entries} entries`)
  t.equal((await cache.lookup('/v1/49')).kind, 'hit', 'the most recent stay')
  t.equal((await cache.lookup('/v1/0')).kind, 'miss', 'the least recent went')

  const huge = await cache.lookup('/v1/huge')
  if (huge.kind === 'miss') huge.slot.fill(response('x'.repeat(20_000)))
  t.equal((await cache.lookup('/v1/huge')).kind, 'miss', 'a body larger than the cache is not kept')

  const off = createResponseCache(changes, { maxBytes: 0 })
  t.equal((await off.lookup('/v1/a')).kind, 'bypass')
  t.equal((await off.lookup('/v1/a')).kind, 'bypass')
})
