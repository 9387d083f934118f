import t from 'tap'
import { buildTestApp, databaseKind } from '../helper.ts'

t.test('/health and /ready answer 200 while the database is up', async (t) => {
  const app = await buildTestApp(t)
  const health = await app.inject('/health')
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready', database: databaseKind })
})

t.test('/ready is a 503 problem with Retry-After when the database is gone, while /health stays 200', async (t) => {
  const app = await buildTestApp(t)
  await app.database.close()
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 503)
  t.match(ready.headers['content-type'], /^application\/problem\+json/)
  t.equal(ready.headers['retry-after'], '5')
  t.match(ready.json(), { type: '/problems/service-unavailable', status: 503, detail: 'The database is not answering.' })
  t.equal((await app.inject('/health')).statusCode, 200)
})

t.test('the probes answer 406 to an Accept header that admits no JSON', async (t) => {
  const app = await buildTestApp(t)
  for (const url of ['/health', '/ready']) {
    const response = await app.inject({ url, headers: { accept: 'text/html' } })
    t.equal(response.statusCode, 406, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { type: '/problems/not-acceptable' })
  }
})
