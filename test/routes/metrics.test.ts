import t from 'tap'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildTestApp, databaseKind } from '../helper.ts'

// GET /metrics: Prometheus text with request counts and latencies per route, the database pool and the caches.

/** The value of one sample line, e.g. `http_requests_total{method="GET",route="/v1/departments",status_code="200"}`. */
function sample (text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('admin scope by default; counts, latencies, pool and caches in the Prometheus text format', async (t) => {
  const app = await buildTestApp(t)
  const admin = { authorization: `Bearer ${(await createApiKey(app.prisma, { name: 'Monitoring', scopes: ['admin'] })).key}` }
  const reader = { authorization: `Bearer ${(await createApiKey(app.prisma, { name: 'Partner', scopes: ['read'] })).key}` }

  t.equal((await app.inject('/metrics')).statusCode, 401, 'no key')
  t.equal((await app.inject({ url: '/metrics', headers: reader })).statusCode, 403, 'a read key is not enough')

  const scrape = async (): Promise<string> => {
    const response = await app.inject({ url: '/metrics', headers: admin })
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8')
    t.equal(response.headers['cache-control'], 'no-store')
    return response.body
  }
  const list = 'http_requests_total{method="GET",route="/v1/departments",status_code="200"}'
  const before = sample(await scrape(), list) ?? 0

  t.equal((await app.inject('/v1/departments')).headers['x-cache'], 'miss')
  t.equal((await app.inject('/v1/departments')).headers['x-cache'], 'hit')
  t.equal((await app.inject('/v1/departments?limit=1')).statusCode, 200)
  t.equal((await app.inject('/no/such/path')).statusCode, 404)
  const text = await scrape()

  t.equal(sample(text, list), before + 3, 'three requests to one route template, whatever their query')
  t.equal(sample(text, 'http_requests_total{method="GET",route="unmatched",status_code="404"}'), 1, 'an unknown path is "unmatched", never its URL')
  t.notMatch(text, /no\/such\/path/)
  t.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/v1/departments",status_code="200"}'), before + 3)
  t.equal(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/departments",status_code="200"}'), before + 3)
  t.match(text, /# TYPE http_request_duration_seconds histogram/)

  t.equal(sample(text, 'response_cache_hits_total'), 1)
  t.equal(sample(text, 'response_cache_misses_total'), 2, 'the two different URLs')
  t.equal(sample(text, 'response_cache_hit_ratio'), 1 / 3)
  t.equal(sample(text, 'response_cache_entries'), 2)
  t.ok((sample(text, 'response_cache_bytes') ?? 0) > 1000, 'the bodies kept')
  t.equal(sample(text, 'statistics_cache_hits_total'), 0)

  t.equal(sample(text, 'db_pool_max_connections'), databaseKind === 'pglite' ? 1 : app.config.DATABASE_POOL_SIZE)
  t.ok((sample(text, 'db_pool_open_connections') ?? 0) >= 1)
  if (databaseKind === 'postgresql') t.equal(sample(text, 'db_pool_waiting_queries'), 0)
  t.match(text, /^process_resident_memory_bytes \d+/m, 'and the process')
  t.match(text, /^nodejs_eventloop_lag_seconds /m)

  const json = await app.inject({ url: '/metrics', headers: { ...admin, accept: 'application/json' } })
  t.equal(json.statusCode, 406)
  t.match(json.headers['content-type'], /^application\/problem\+json/)
})

t.test('METRICS_PUBLIC=true serves them without a key', async (t) => {
  const app = await buildTestApp(t, { METRICS_PUBLIC: 'true' })
  const response = await app.inject({ url: '/metrics', headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' } })
  t.equal(response.statusCode, 200, 'what Prometheus sends is accepted')
  t.match(response.body, /# TYPE http_requests_total counter/)
})
