import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createGuardedPool } from '../../src/db/postgres-pool.ts'
import { databaseKind, freshDatabaseEnv, testConfig } from '../helper.ts'
import { startTcpProxy } from '../tcp-proxy.ts'

// A timeout means the database was slow or gone, never that this process was busy: a CPU-bound request that blocks
// the event loop for a second while other requests' queries are in flight turns none of them into a 503, although
// every database timeout is far shorter; a query the database itself takes too long over is still a 503 that says so;
// and a pool taken up by this process's own work is answered as overload, not as a database that is down.

/** Blocks the event loop, as a large serialisation or any CPU-bound work would. */
function blockEventLoop (ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) { /* busy */ }
}

const shortTimeouts = {
  DATABASE_QUERY_TIMEOUT_MS: '200',
  DATABASE_NETWORK_TIMEOUT_MS: '100',
  DATABASE_CONNECT_TIMEOUT_MS: '200',
  RESPONSE_CACHE_MAX_MB: '0',
  STATISTICS_CACHE_ENTRIES: '0'
}

// One app for the two tests that need a route of their own and these timeouts, built before them. Its connections
// may take 500 ms to open: on a machine busy with the rest of the suite, PostgreSQL can take longer than 200 ms to
// start a backend, which failed the build itself; the loop is still held for twice that (and five times the query
// timeout).
const sharedApp = (async () => {
  const app = await buildApp(await testConfig(t, { ...shortTimeouts, DATABASE_CONNECT_TIMEOUT_MS: '500', DATABASE_POOL_SIZE: '4' }))
  t.teardown(() => app.close())
  app.get('/test/cpu-bound', async () => {
    // Wait until every connection is busy with another request's query and more requests wait for one, then hold the
    // loop for five times the query timeout.
    const started = Date.now()
    while (Date.now() - started < 5000) {
      const { open, idle, waiting } = app.database.poolStats()
      if (app.database.kind === 'pglite' || (open - (idle ?? 0) >= 4 && (waiting ?? 0) > 0)) break
      await sleep(1)
    }
    blockEventLoop(1000)
    return { blocked: true }
  })
  app.get('/test/slow-query', async () => app.prisma.$queryRaw`SELECT pg_sleep(2)::text AS slept`)
  await app.ready()
  return app
})()

t.test('a blocked event loop turns no request in flight into a 503', async (t) => {
  const app = await sharedApp
  const urls = ['/v1/departments?limit=50', '/v1/search?q=surgery', '/v1/statistics/summary', '/v1/hospitals', '/v1/metrics']
  // Three times the pool on PostgreSQL, so that requests also wait for a connection; the embedded database runs its
  // queries on the event loop itself, one at a time, and one of each is enough there.
  const inFlight = app.database.kind === 'pglite' ? urls.length : 12
  const requests = Array.from({ length: inFlight }, (_, index) => app.inject(urls[index % urls.length]!))
  const blocker = app.inject('/test/cpu-bound')
  const responses = await Promise.all(requests)
  t.equal((await blocker).statusCode, 200)
  t.same(responses.map((response) => response.statusCode), Array(inFlight).fill(200),
    'every request whose query was in flight, or waited for a connection, answered 200')
})

if (databaseKind !== 'postgresql') {
  t.pass('The rest is PostgreSQL only: the embedded database has no timeouts, no pool and no network')
} else {
  t.test('a query the database takes too long over is a 503 that says the database was slow', async (t) => {
    const app = await sharedApp
    const started = Date.now()
    const response = await app.inject('/test/slow-query')
    const elapsed = Date.now() - started
    t.equal(response.statusCode, 503)
    t.ok(elapsed < 1000, `answered when the 200 ms statement timeout expired on the server (${elapsed} ms)`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.equal(response.headers['retry-after'], '2')
    t.match(response.json(), {
      type: '/problems/service-unavailable',
      status: 503,
      detail: 'The database did not finish the query within its time limit; try again in a few seconds.'
    })
    t.equal((await app.inject('/v1/hospitals')).statusCode, 200, 'the next request is served')
  })

  t.test('connections all taken by this process\'s own work are overload, not an unavailable database', async (t) => {
    const app = await buildApp(await testConfig(t, { ...shortTimeouts, DATABASE_POOL_SIZE: '1' }))
    t.teardown(() => app.close())
    // Holds the only connection for 600 ms with a transaction whose short queries keep being answered.
    app.get('/test/hold-connection', async () => app.prisma.$transaction(async (transaction) => {
      const started = Date.now()
      while (Date.now() - started < 600) {
        await transaction.$queryRaw`SELECT 1`
        await sleep(10)
      }
      return { held: true }
    }))
    await app.ready()
    const holder = app.inject('/test/hold-connection')
    while (app.database.poolStats().idle !== 0) await sleep(1)
    const response = await app.inject('/v1/hospitals')
    t.equal(response.statusCode, 503)
    t.equal(response.headers['retry-after'], '1')
    t.match(response.json(), {
      type: '/problems/service-unavailable',
      detail: 'The server is overloaded: all its database connections are busy; try again in a second.'
    })
    t.notMatch(response.body, /not answering/, 'the database is not said to be down')
    t.equal((await holder).statusCode, 200)
  })

  t.test('waiting for a connection while the database sends nothing is an unavailable database, not overload', async (t) => {
    const env = await freshDatabaseEnv(t, { seeded: true })
    const direct = new URL(env.DATABASE_URL!)
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) })
    t.teardown(() => proxy.close())
    const proxied = new URL(direct)
    proxied.port = String(proxy.port)
    const app = await buildApp(await testConfig(t, { ...shortTimeouts, DATABASE_URL: proxied.toString(), DATABASE_POOL_SIZE: '1' }))
    t.teardown(() => app.close())
    await app.ready()
    t.equal((await app.inject('/v1/hospitals')).statusCode, 200)
    proxy.setMode('blackhole')
    // The first request's query takes the only connection and gets no answer; the second waits for that connection.
    const [first, second] = await Promise.all([app.inject('/v1/hospitals'), app.inject('/v1/metrics')])
    for (const response of [first, second]) {
      t.equal(response.statusCode, 503)
      t.match(response.json(), { detail: 'The database is not answering; try again in a few seconds.' })
    }
  })

  t.test('the pool, on its own: an answer that waited out a blocked loop is taken; pg\'s own timer drops it', async (t) => {
    const { DATABASE_URL: connectionString } = await freshDatabaseEnv(t)
    const guarded = createGuardedPool({
      connectionString: connectionString!,
      max: 2,
      applicationName: 'timeouts test',
      statementTimeoutMs: 200,
      noAnswerTimeoutMs: 300,
      connectTimeoutMs: 200
    })
    // The control: node-postgres with its own client-side timer, as the pool was configured before.
    const plain = new pg.Pool({ connectionString, max: 2, query_timeout: 300, connectionTimeoutMillis: 200 })
    t.teardown(async () => { await Promise.all([guarded.end(), plain.end()]) })
    // Connections checked out first, so that each query is on the wire before the loop blocks.
    const [guardedClient, plainClient] = await Promise.all([guarded.connect(), plain.connect()])
    plainClient.on('error', () => {})
    const guardedAnswer = guardedClient.query('SELECT 42 AS answer')
    const plainAnswer = plainClient.query('SELECT 42 AS answer').catch((error: unknown) => error)
    blockEventLoop(700)
    t.same((await guardedAnswer).rows, [{ answer: 42 }], 'the guarded pool reads the answer that arrived meanwhile')
    t.match(await plainAnswer, { message: 'Query read timeout' }, 'pg\'s plain timer fires first and declares it lost (the old 503)')
    guardedClient.release()
    plainClient.release(true)

    // A database that really sends nothing is still given up on: with the server-side limit lifted for one session,
    // a 5 s sleep stands in for a dead network path, and the backstop takes the connection down after 300 ms.
    const holder = await guarded.connect()
    await holder.query('SET statement_timeout = 0')
    const started = Date.now()
    const silent = await holder.query('SELECT pg_sleep(5)').catch((error: unknown) => error)
    const elapsed = Date.now() - started
    holder.release(silent instanceof Error ? silent : undefined)
    t.match(silent, { name: 'DatabaseNoAnswerError' })
    t.ok(elapsed >= 300 && elapsed < 1500, `the backstop fired after about 300 ms (${elapsed} ms)`)
  })
}
