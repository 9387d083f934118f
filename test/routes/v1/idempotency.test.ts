import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp, databaseKind, testConfig } from '../../helper.ts'

// Idempotency-Key on POST: a retry gets the first response, a reused key with another body is refused, and
// duplicates sent at once write one row.

const honor = { hospital: 'cqhcwc', slug: 'retried-honor', title: 'Retried honor', kind: 'recognition', provenance: { note: 'From the award letter' } }

async function writerOf (app: Awaited<ReturnType<typeof buildTestApp>>) {
  const key = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
  return { authorization: `Bearer ${key.key}` }
}

t.test('a retry returns the original response; the same key with another body is a 422', async (t) => {
  const app = await buildTestApp(t)
  const writer = await writerOf(app)
  const headers = { ...writer, 'idempotency-key': 'c0ffee-1' }

  const first = await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: honor })
  t.equal(first.statusCode, 201)
  t.equal(first.headers['idempotent-replayed'], undefined)

  const retry = await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: { ...honor } })
  t.equal(retry.statusCode, 201)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.headers.location, first.headers.location)
  t.equal(retry.headers.etag, first.headers.etag)
  t.same(retry.json(), first.json(), 'the same body')
  t.equal(await app.prisma.honor.count({ where: { slug: 'retried-honor' } }), 1, 'written once')
  t.equal(await app.prisma.auditEvent.count(), 1, 'audited once')

  // Key order does not make a different body.
  const reordered = Object.fromEntries(Object.entries(honor).reverse())
  t.equal((await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: reordered })).headers['idempotent-replayed'], 'true')

  const other = await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: { ...honor, title: 'Another' } })
  t.equal(other.statusCode, 422)
  t.match(other.json(), { type: '/problems/idempotency-key-reused' })
  const event = { hospital: 'cqhcwc', slug: 'retried-event', title: 'Retried', kind: 'milestone', datePrecision: 'unknown', provenance: honor.provenance }
  const elsewhere = await app.inject({ method: 'POST', url: '/v1/events', headers, payload: event })
  t.equal(elsewhere.statusCode, 422, 'another path with the same key')

  // Keys belong to the API key that used them: another client's same key is a new request.
  const otherClient = await writerOf(app)
  const theirs = await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...otherClient, 'idempotency-key': 'c0ffee-1' }, payload: honor })
  t.equal(theirs.statusCode, 409, 'a new request: the slug is taken')
  t.equal(theirs.json<{ type: string }>().type, '/problems/conflict')

  t.equal((await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...writer, 'idempotency-key': 'has space' }, payload: honor })).statusCode, 400)
})

t.test('a failed request releases its key, so the retry runs again', async (t) => {
  const app = await buildTestApp(t)
  const writer = await writerOf(app)
  const headers = { ...writer, 'idempotency-key': 'retry-after-fix' }
  const failed = await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: { ...honor, hospital: 'no-such-hospital' } })
  t.equal(failed.statusCode, 422)
  t.equal(await app.prisma.idempotencyRecord.count(), 0, 'nothing kept for a failure')
  const fixed = await app.inject({ method: 'POST', url: '/v1/honors', headers, payload: honor })
  t.equal(fixed.statusCode, 201, 'the key is free: a corrected body goes through')
  const record = await app.prisma.idempotencyRecord.findFirstOrThrow()
  t.equal(record.status, 201)
  t.equal(record.location, fixed.headers.location)
})

t.test('a reservation left by a crash is taken over after a minute; a fresh one answers 409', async (t) => {
  const app = await buildTestApp(t)
  const writer = await writerOf(app)
  const apiKeyId = (await app.prisma.apiKey.findFirstOrThrow()).id
  // A completed request tells the hash of its body; reservations for the same body are planted with it.
  const probe = await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...writer, 'idempotency-key': 'probe' }, payload: honor })
  t.equal(probe.statusCode, 201)
  const { requestHash } = await app.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'probe' } })
  const second = { ...honor, slug: 'second-honor' }
  await app.prisma.idempotencyRecord.create({ data: { apiKeyId, key: 'running', requestHash } })
  const running = await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...writer, 'idempotency-key': 'running' }, payload: honor })
  t.equal(running.statusCode, 409)
  t.match(running.json(), { type: '/problems/request-in-progress' })
  t.equal(running.headers['retry-after'], '1')

  const secondHash = await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...writer, 'idempotency-key': 'measure' }, payload: second })
  t.equal(secondHash.statusCode, 201)
  const measured = await app.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'measure' } })
  await app.prisma.idempotencyRecord.create({ data: { apiKeyId, key: 'crashed', requestHash: measured.requestHash, createdAt: new Date(Date.now() - 5 * 60_000) } })
  await app.prisma.honor.deleteMany({ where: { slug: 'second-honor' } })
  const takeover = await app.inject({ method: 'POST', url: '/v1/honors', headers: { ...writer, 'idempotency-key': 'crashed' }, payload: second })
  t.equal(takeover.statusCode, 201, 'the abandoned reservation is taken over and the write runs')
})

t.test('20 concurrent identical POSTs with one key write one row', async (t) => {
  const app = await buildTestApp(t, { DATABASE_POOL_SIZE: '10' })
  const writer = await writerOf(app)
  const headers = { ...writer, 'idempotency-key': 'burst-1' }
  const responses = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/v1/honors', headers, payload: honor })))
  const statuses = responses.map((response) => response.statusCode)
  t.ok(statuses.every((status) => status === 201 || status === 409), `statuses: ${statuses.join(',')}`)
  const created = responses.filter((response) => response.statusCode === 201)
  t.equal(created.filter((response) => response.headers['idempotent-replayed'] === undefined).length, 1, 'one original response')
  t.ok(created.every((response) => response.headers.location === created[0]!.headers.location), 'replays point at the same record')
  for (const response of responses.filter((response) => response.statusCode === 409)) {
    t.match(response.json(), { type: '/problems/request-in-progress' })
  }
  t.equal(await app.prisma.honor.count({ where: { slug: 'retried-honor' } }), 1, 'one row')
  t.equal(await app.prisma.auditEvent.count({ where: { action: 'create' } }), 1, 'one audit row')
})

t.test('two instances on one PostgreSQL database: a write through one is read through the other', { skip: databaseKind !== 'postgresql' && 'needs PostgreSQL' }, async (t) => {
  const config = await testConfig(t)
  const first = await buildApp(config)
  t.after(() => first.close())
  await first.ready()
  const second = await buildApp({ ...config, MIGRATE_ON_START: false, SEED_ON_START: false })
  t.after(() => second.close())
  await second.ready()
  const writer = await writerOf(first)
  const total = async (app: typeof first) => (await app.inject('/v1/statistics/summary?metric=beds')).json<{ data: Array<{ total: { value: number } }> }>().data[0]!.total.value
  const before = await total(second)
  t.equal(await total(second), before, 'cached on the second instance')

  const changed = new Promise((resolve) => second.dataChanges.once('change', resolve))
  const created = await first.inject({
    method: 'POST',
    url: '/v1/metrics',
    headers: writer,
    payload: { department: 'twins-department', metric: 'beds', value: 40, statedValue: '40', period: { kind: 'point' }, provenance: { note: 'Ward count' } }
  })
  t.equal(created.statusCode, 201)
  await changed
  t.equal(await total(second), before + 40, 'the second instance no longer serves its cached total')

  const read = await second.inject(created.headers.location as string)
  t.equal(read.headers.etag, created.headers.etag, 'both instances give the same ETag')
  const archived = await second.inject({ method: 'DELETE', url: created.headers.location as string, headers: { ...writer, 'if-match': read.headers.etag as string } })
  t.equal(archived.statusCode, 204, 'a write through the second instance with the first one\'s ETag')
  t.equal((await first.inject(created.headers.location as string)).statusCode, 404)
})
