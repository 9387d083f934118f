import { once } from 'node:events'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { databaseKind, buildTestApp, nextDataChange as nextChange } from '../../helper.ts'

// Statistics are cached per query until the data changes. A change is whatever commits to the database, through
// this process or another one, so nothing stale is served after a write.

// The response cache in front would answer repeated requests before they reach the statistics cache; these tests
// are about the one behind it (test/app/response-cache.test.ts covers the one in front).
const statisticsOnly = { RESPONSE_CACHE_MAX_MB: '0' }

interface Summary { data: Array<{ metric: { code: string }, total: { value: number } | null }> }

const bedsQuery = '/v1/statistics/summary?metric=beds'

async function bedsTotal (app: Awaited<ReturnType<typeof buildTestApp>>): Promise<number | undefined> {
  const response = await app.inject(bedsQuery)
  return response.json<Summary>().data[0]?.total?.value
}

async function setBeds (prisma: Awaited<ReturnType<typeof buildTestApp>>['prisma'], value: number): Promise<void> {
  await prisma.metricObservation.updateMany({
    where: { metric: { code: 'beds' }, unit: { slug: 'general-gynecology' } },
    data: { value, statedValue: String(value) }
  })
}

t.test('a repeated query is answered from the cache; a committed write empties it', async (t) => {
  const app = await buildTestApp(t, statisticsOnly)
  const { cache } = app.statisticsRepository
  t.ok(app.dataChanges.listening, 'the app hears data changes')
  t.equal(await bedsTotal(app), 88)
  const before = cache.stats()
  t.equal(await bedsTotal(app), 88)
  t.match(cache.stats(), { hits: before.hits + 1, misses: before.misses }, 'the second read is a hit')

  const changed = nextChange(app)
  await setBeds(app.prisma, 95)
  await changed
  t.equal(await bedsTotal(app), 95, 'the figure after the write, not the cached one')
  t.match(cache.stats(), { misses: before.misses + 1 }, 'recomputed once')
  t.equal(await bedsTotal(app), 95)

  const etag = (await app.inject(bedsQuery)).headers.etag
  const changedAgain = nextChange(app)
  await setBeds(app.prisma, 90)
  await changedAgain
  const revalidated = await app.inject({ url: bedsQuery, headers: { 'if-none-match': String(etag) } })
  t.equal(revalidated.statusCode, 200, 'an ETag from before the write no longer matches')
  t.equal(revalidated.json<Summary>().data[0]?.total?.value, 90)
})

t.test('every statistics endpoint is cached and invalidated', async (t) => {
  const app = await buildTestApp(t, statisticsOnly)
  const urls = ['/v1/statistics/summary?hospital=cqhcwc', '/v1/statistics/ratios', '/v1/statistics/timeseries?metric=beds', '/v1/statistics/coverage']
  const first = await Promise.all(urls.map(async (url) => (await app.inject(url)).body))
  const { hits } = app.statisticsRepository.cache.stats()
  const second = await Promise.all(urls.map(async (url) => (await app.inject(url)).body))
  t.same(second, first)
  t.equal(app.statisticsRepository.cache.stats().hits, hits + urls.length)
  const changed = nextChange(app)
  await setBeds(app.prisma, 44)
  await changed
  const third = await Promise.all(urls.map(async (url) => (await app.inject(url)).body))
  for (const [index, url] of urls.entries()) {
    if (url.includes('coverage')) t.equal(third[index], first[index], `${url}: the same coverage, recomputed`)
    else t.not(third[index], first[index], `${url} shows the new bed count`)
  }
  t.match(third[0], /"value" ?: ?44\b/, "PostgreSQL writes the summary's JSON, with a space around each colon")
})

t.test('STATISTICS_CACHE_ENTRIES=0 turns the cache off', async (t) => {
  const app = await buildTestApp(t, { ...statisticsOnly, STATISTICS_CACHE_ENTRIES: '0' })
  await bedsTotal(app)
  await bedsTotal(app)
  t.match(app.statisticsRepository.cache.stats(), { hits: 0, misses: 0, bypasses: 2, entries: 0 })
})

t.test('another instance\'s write reaches this instance\'s cache', { skip: databaseKind === 'pglite' && 'an in-memory PGlite has one process' }, async (t) => {
  const app = await buildTestApp(t, statisticsOnly)
  const other = await buildApp(app.config)
  t.after(() => other.close())
  await other.ready()
  t.equal(await bedsTotal(app), 88)
  t.equal(await bedsTotal(other), 88)
  const heardHere = nextChange(app)
  const heardThere = nextChange(other)
  await setBeds(other.prisma, 120)
  await Promise.all([heardHere, heardThere])
  t.equal(await bedsTotal(app), 120, 'the instance that did not write')
  t.equal(await bedsTotal(other), 120, 'the instance that wrote')
})

t.test('without its listening connection the cache steps aside, and comes back with it', { skip: databaseKind === 'pglite' && 'PGlite listens in process' }, async (t) => {
  const app = await buildTestApp(t, statisticsOnly)
  await bedsTotal(app)
  const lost = once(app.dataChanges, 'listening', { signal: AbortSignal.timeout(5000) })
  await app.prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'hospital-departments-api listener'`
  t.same(await lost, [false])
  const { bypasses } = app.statisticsRepository.cache.stats()
  // A write nobody hears while the listener is down must still show.
  await setBeds(app.prisma, 77)
  t.equal(await bedsTotal(app), 77)
  t.equal(app.statisticsRepository.cache.stats().bypasses, bypasses + 1, 'computed without the cache')

  const back = once(app.dataChanges, 'listening', { signal: AbortSignal.timeout(5000) })
  t.same(await back, [true], 'reconnected on its own')
  const { misses, hits } = app.statisticsRepository.cache.stats()
  t.equal(await bedsTotal(app), 77)
  t.equal(await bedsTotal(app), 77)
  t.match(app.statisticsRepository.cache.stats(), { misses: misses + 1, hits: hits + 1 }, 'cached again')
})
