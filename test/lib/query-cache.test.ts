import t from 'tap'
import { DataChanges } from '../../src/lib/data-changes.ts'
import { createQueryCache, queryKey } from '../../src/lib/query-cache.ts'

function listeningChanges (): DataChanges {
  const changes = new DataChanges()
  changes.setListening(true)
  return changes
}

/** A computation the test finishes when it chooses, counting how often it was started. */
function controlled (value: { n: number }) {
  let release: () => void = () => {}
  let starts = 0
  return {
    compute: async () => {
      starts++
      await new Promise<void>((resolve) => { release = resolve })
      return { ...value }
    },
    release: () => { release() },
    starts: () => starts
  }
}

t.test('serves a stored result until the data changes', async (t) => {
  const changes = listeningChanges()
  const cache = createQueryCache<{ n: number }>(changes, { maxEntries: 10, ttlMs: 60_000 })
  let computed = 0
  const compute = async () => ({ n: ++computed })
  t.same(await cache.get('a', compute), { n: 1 })
  t.same(await cache.get('a', compute), { n: 1 }, 'the second call is answered from the cache')
  t.same(await cache.get('b', compute), { n: 2 }, 'another key is computed')
  t.match(cache.stats(), { hits: 1, misses: 2, bypasses: 0, entries: 2 })
  changes.changed('metric_observation')
  t.same(await cache.get('a', compute), { n: 3 }, 'a change empties the cache')
  t.match(cache.stats(), { misses: 3, entries: 1 })
})

t.test('concurrent misses for one key share one computation', async (t) => {
  const cache = createQueryCache<{ n: number }>(listeningChanges(), { maxEntries: 10, ttlMs: 60_000 })
  const work = controlled({ n: 7 })
  const calls = Array.from({ length: 5 }, async () => cache.get('a', work.compute))
  await new Promise((resolve) => setImmediate(resolve))
  work.release()
  t.same(await Promise.all(calls), Array.from({ length: 5 }, () => ({ n: 7 })))
  t.equal(work.starts(), 1, 'computed once')
  t.match(cache.stats(), { hits: 4, misses: 1, entries: 1 })
})

t.test('a result computed across a change is returned but never stored, and later callers do not join it', async (t) => {
  const changes = listeningChanges()
  const cache = createQueryCache<{ n: number }>(changes, { maxEntries: 10, ttlMs: 60_000 })
  const before = controlled({ n: 1 })
  const first = cache.get('a', before.compute)
  await new Promise((resolve) => setImmediate(resolve))
  changes.changed('metric_observation')
  const after = controlled({ n: 2 })
  const second = cache.get('a', after.compute)
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(after.starts(), 1, 'the caller after the change computes afresh')
  before.release()
  after.release()
  t.same(await first, { n: 1 })
  t.same(await second, { n: 2 })
  let computed = 0
  t.same(await cache.get('a', async () => ({ n: 100 + ++computed })), { n: 2 }, 'only the post-change result was stored')
  t.equal(computed, 0)
})

t.test('while changes are not heard, every call is computed; hearing them again starts from empty', async (t) => {
  const changes = listeningChanges()
  const cache = createQueryCache<{ n: number }>(changes, { maxEntries: 10, ttlMs: 60_000 })
  let computed = 0
  const compute = async () => ({ n: ++computed })
  await cache.get('a', compute)
  changes.setListening(false)
  t.same(await cache.get('a', compute), { n: 2 })
  t.same(await cache.get('a', compute), { n: 3 })
  t.match(cache.stats(), { bypasses: 2, entries: 0 })
  changes.setListening(true)
  t.same(await cache.get('a', compute), { n: 4 })
  t.same(await cache.get('a', compute), { n: 4 })
})

t.test('a failed computation is not stored', async (t) => {
  const cache = createQueryCache<{ n: number }>(listeningChanges(), { maxEntries: 10, ttlMs: 60_000 })
  await t.rejects(cache.get('a', async () => { throw new Error('no such unit') }), /no such unit/)
  t.same(await cache.get('a', async () => ({ n: 1 })), { n: 1 })
  t.match(cache.stats(), { misses: 2, entries: 1 })
})

t.test('bounded: the least recently used entry goes first; 0 entries turns it off', async (t) => {
  const cache = createQueryCache<{ key: string }>(listeningChanges(), { maxEntries: 2, ttlMs: 60_000 })
  const compute = (key: string) => async () => ({ key })
  await cache.get('a', compute('a'))
  await cache.get('b', compute('b'))
  await cache.get('a', compute('a'))
  await cache.get('c', compute('c'))
  t.equal(cache.stats().entries, 2)
  let recomputed = false
  await cache.get('b', async () => { recomputed = true; return { key: 'b' } })
  t.ok(recomputed, 'b was evicted')

  const off = createQueryCache<{ n: number }>(listeningChanges(), { maxEntries: 0, ttlMs: 60_000 })
  let computed = 0
  await off.get('a', async () => ({ n: ++computed }))
  await off.get('a', async () => ({ n: ++computed }))
  t.equal(computed, 2)
  t.match(off.stats(), { bypasses: 2, hits: 0, entries: 0 })
})

t.test('keys do not depend on parameter order and ignore undefined parameters', async (t) => {
  t.equal(queryKey('summary', { hospital: 'a', metric: ['beds'] }), queryKey('summary', { metric: ['beds'], hospital: 'a', department: undefined }))
  t.not(queryKey('summary', { hospital: 'a' }), queryKey('ratios', { hospital: 'a' }))
  t.not(queryKey('summary', { hospital: 'a' }), queryKey('summary', { department: 'a' }))
})
