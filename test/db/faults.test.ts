import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildTestApp, databaseKind, freshDatabaseEnv } from '../helper.ts'
import { startTcpProxy, type ProxyMode } from '../tcp-proxy.ts'

// PostgreSQL stopped, refusing, or silently partitioned, through a TCP proxy between the app and the server: every
// request is answered with a 503 problem and Retry-After within 2.5 s (the production timeouts: a connection that
// gets no answer is given up 1 s past the 1 s statement timeout, a new one after 1 s), /ready fails while /health
// does not, and requests succeed again within 5 s of the database coming back, with no restart.

if (databaseKind !== 'postgresql') {
  t.pass('PostgreSQL only: the embedded database runs in the process and has no network to fail')
} else {
  const env = await freshDatabaseEnv(t)
  const direct = new URL(env.DATABASE_URL!)
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) })
  t.teardown(() => proxy.close())
  const proxied = new URL(direct)
  proxied.port = String(proxy.port)
  // Production timeouts (the test helper raises them for the rest of the suite); no response cache, so that every
  // request needs the database.
  const app = await buildTestApp(t, {
    DATABASE_URL: proxied.toString(),
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    DATABASE_QUERY_TIMEOUT_MS: '1000',
    DATABASE_NETWORK_TIMEOUT_MS: '1000',
    RESPONSE_CACHE_MAX_MB: '0',
    STATISTICS_CACHE_ENTRIES: '0'
  })
  const { key } = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })

  const requests = [
    { url: '/v1/departments' },
    { url: '/v1/departments/general-gynecology?include=metrics,honors' },
    { url: '/v1/statistics/summary' },
    { url: '/v1/search?q=surgery' },
    { method: 'PATCH' as const, url: '/v1/departments/general-gynecology', headers: { authorization: `Bearer ${key}`, 'if-match': '*' }, payload: { focus: 'During an outage', provenance: { note: 'fault test' } } }
  ]

  for (const mode of ['reset', 'blackhole'] satisfies ProxyMode[]) {
    t.test(`database ${mode === 'reset' ? 'refusing and resetting connections' : 'silently partitioned'}`, async (t) => {
      proxy.setMode('pass')
      t.equal((await app.inject('/v1/departments')).statusCode, 200, 'served while the database answers')
      proxy.setMode(mode)

      for (const request of requests) {
        const started = Date.now()
        const response = await app.inject(request)
        const elapsed = Date.now() - started
        t.equal(response.statusCode, 503, `${request.method ?? 'GET'} ${request.url}: 503`)
        t.ok(elapsed < 2500, `within 2.5 s (${elapsed} ms)`)
        t.match(response.headers['content-type'], /^application\/problem\+json/)
        t.equal(response.headers['retry-after'], '2')
        t.match(response.json(), { type: '/problems/service-unavailable', status: 503, detail: 'The database is not answering; try again in a few seconds.' })
        t.notMatch(response.body, /prisma|Prisma|ECONN|at \//, 'no internals')
      }
      const ready = await app.inject('/ready')
      t.equal(ready.statusCode, 503, '/ready fails')
      t.equal((await app.inject('/health')).statusCode, 200, '/health does not')

      proxy.setMode('pass')
      const back = Date.now()
      let recovered = false
      while (!recovered && Date.now() - back < 5000) {
        recovered = (await app.inject('/v1/departments')).statusCode === 200
        if (!recovered) await sleep(100)
      }
      t.ok(recovered, `200 again ${Date.now() - back} ms after the database came back, without a restart`)
      t.equal((await app.inject('/ready')).statusCode, 200)
      const write = await app.inject(requests[4]!)
      t.equal(write.statusCode, 200, 'and writes go through')
    })
  }
}
