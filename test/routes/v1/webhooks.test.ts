import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Webhooks end to end, through a real HTTP receiver: subscriptions (admin only, secret shown once), deliveries signed
// per Standard Webhooks and verified with that library's own verifier, retries that keep the webhook-id, the
// delivery log, redelivery, redirects not followed, automatic disabling, the retry window, and the outbox written in
// the transaction of the change.

interface Received { id: string, timestamp: string, signature: string, body: string, status: number }

/** A receiver whose answer to each request `respond` decides (a status, or a redirect); it records every request. */
async function receiver (t: Test, respond: (request: Omit<Received, 'status'>, index: number) => number | { redirect: string }) {
  const received: Received[] = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => { body += chunk })
    request.on('end', () => {
      const entry = {
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        body
      }
      const answer = respond(entry, received.length)
      if (typeof answer === 'number') {
        received.push({ ...entry, status: answer })
        response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'not now')
      } else {
        received.push({ ...entry, status: 302 })
        response.writeHead(302, { location: answer.redirect }).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received }
}

async function until (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const note = { note: 'Stated by the ward office' }
const fastRetries = { WEBHOOK_ALLOW_ADDRESSES: 'loopback', WEBHOOK_RETRY_BASE_MS: '40', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_LEASE_MS: '5000' }

t.test('subscriptions: admin only, validated, the secret shown once', async (t) => {
  const app = await buildTestApp(t)
  const { key: admin } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  const { key: writer } = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
  const auth = { authorization: `Bearer ${admin}` }

  const forbidden = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${writer}` }, payload: { url: 'https://93.184.215.14/hooks' } })
  t.equal(forbidden.statusCode, 403, 'a write key cannot subscribe')
  t.equal((await app.inject({ url: '/v1/webhooks' })).statusCode, 401, 'nor can an anonymous reader list')

  // Loopback, private, link-local and unresolvable destinations are refused (this app allows no extra range).
  for (const [url, expected] of [
    ['http://127.0.0.1:9/hooks', /loopback/], ['http://localhost:9/hooks', /loopback/], ['http://[::1]:9/', /loopback/],
    ['http://10.1.2.3/hooks', /private/], ['http://169.254.169.254/latest/meta-data', /linkLocal/],
    ['http://[::ffff:192.168.0.1]/', /private/], ['ftp://93.184.215.14/', /http or https/],
    ['https://user:pw@93.184.215.14/', /user name/], ['https://no-such-host.invalid/', /does not resolve/]
  ] as const) {
    const refused = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url } })
    t.equal(refused.statusCode, 422, `${url} refused`)
    t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(refused.json(), { errors: [{ in: 'body', field: '/url', message: expected }] })
  }
  for (const [request, field] of [
    [{ method: 'GET', url: '/v1/webhooks/not-a-uuid' }, '/id'],
    [{ method: 'GET', url: '/v1/webhooks?limit=5' }, '/limit'],
    [{ method: 'POST', url: '/v1/webhooks', payload: { url: 'https://93.184.215.14/', secret: 'mine' } }, '/secret'],
    [{ method: 'PATCH', url: `/v1/webhooks/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, headers: { 'if-match': '*' }, payload: {} }, ''],
    [{ method: 'GET', url: `/v1/webhooks/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/deliveries?state=lost` }, '/state'],
    [{ method: 'POST', url: `/v1/webhooks/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/deliveries/msg_1/redeliver` }, '/deliveryId']
  ] as const) {
    const refused = await app.inject({ ...request, headers: { ...auth, ...('headers' in request ? request.headers : {}) } })
    t.equal(refused.statusCode, 400, `${request.method} ${request.url} is refused`)
    t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8')
    if (field !== '') t.match(refused.json(), { errors: [{ field }] }, `naming ${field}`)
  }
  const badEvent = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url: 'https://93.184.215.14/', events: ['departments.deleted'] } })
  t.equal(badEvent.statusCode, 400, 'an event type that does not exist is a 400')

  const created = await app.inject({
    method: 'POST',
    url: '/v1/webhooks',
    headers: auth,
    payload: { url: 'https://93.184.215.14/hooks', description: 'District portal', events: ['departments.*', '*.archived'] }
  })
  t.equal(created.statusCode, 201, 'subscribed')
  const body = created.json<{ id: string, secret: string, version: number, enabled: boolean }>()
  t.match(body.secret, /^whsec_[A-Za-z0-9+/]+=*$/)
  t.equal(Buffer.from(body.secret.slice(6), 'base64').length, 24, 'a 24-byte secret')
  t.equal(created.headers.location, `/v1/webhooks/${body.id}`)
  t.equal(body.enabled, true)

  const read = await app.inject({ url: `/v1/webhooks/${body.id}`, headers: auth })
  t.equal(read.statusCode, 200)
  t.notOk('secret' in read.json(), 'the secret is not shown again')
  t.equal(read.headers.etag, '"1"')
  t.equal(read.headers['cache-control'], 'no-store')
  t.match(read.json(), { events: ['departments.*', '*.archived'], description: 'District portal', deliveries: { pending: 0, delivered: 0, failed: 0 } })
  const list = await app.inject({ url: '/v1/webhooks', headers: auth })
  t.same(list.json<{ data: Array<{ id: string }> }>().data.map((item) => item.id), [body.id])

  t.equal((await app.inject({ method: 'PATCH', url: `/v1/webhooks/${body.id}`, headers: auth, payload: { description: 'x' } })).statusCode, 428, 'PATCH needs If-Match')
  const stale = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${body.id}`, headers: { ...auth, 'if-match': '"7"' }, payload: { description: 'x' } })
  t.equal(stale.statusCode, 412)
  const patched = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${body.id}`, headers: { ...auth, 'if-match': '"1"' }, payload: { enabled: false } })
  t.equal(patched.statusCode, 200, patched.body)
  t.match(patched.json(), { enabled: false, disabledReason: 'switched off', version: 2 })
  t.equal(patched.headers.etag, '"2"')

  const rotated = await app.inject({ method: 'POST', url: `/v1/webhooks/${body.id}/secret`, headers: auth })
  t.equal(rotated.statusCode, 200)
  t.not(rotated.json<{ secret: string }>().secret, body.secret, 'a new secret')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${body.id}`, headers: auth })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/webhooks/${body.id}`, headers: auth })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/webhooks/${body.id}`, headers: auth })).statusCode, 404)
})

t.test('a receiver that fails its first deliveries gets every change, signed, with a stable webhook-id', async (t) => {
  const app = await buildTestApp(t, fastRetries)
  const { key: admin } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  const auth = { authorization: `Bearer ${admin}` }
  const failures = 3
  const hook = await receiver(t, (_request, index) => index < failures ? 503 : 204)

  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url: hook.url, events: ['departments.updated'] } })
  t.equal(created.statusCode, 201, 'subscribed')
  const { id, secret } = created.json<{ id: string, secret: string }>()

  // Three updates of a unit (delivered) and a change to a figure (not subscribed to).
  const cursors: string[] = []
  for (const year of [1981, 1982, 1983]) {
    const written = await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: { ...auth, 'if-match': '*' }, payload: { establishedYear: year, provenance: note } })
    t.equal(written.statusCode, 200, 'written')
  }
  const feed = await app.inject({ url: '/v1/changes?since=0&resource=departments' })
  for (const change of feed.json<{ data: Array<{ cursor: string, action: string }> }>().data) cursors.push(change.cursor)
  t.equal(cursors.length, 3)
  const metric = await app.inject({ url: '/v1/metrics?limit=1' })
  const figure = metric.json<{ data: Array<{ id: string }> }>().data[0]!
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/metrics/${figure.id}`, headers: { ...auth, 'if-match': '*' }, payload: { note: 'Checked against the annual report', provenance: note } })).statusCode, 200)

  const delivered = (): Set<string> => new Set(hook.received.filter((entry) => entry.status < 300).map((entry) => entry.id))
  await until('every change delivered', () => delivered().size === 3)
  await new Promise((resolve) => setTimeout(resolve, 200))

  const verifier = new Webhook(secret)
  const bodies = new Map<string, string>()
  for (const entry of hook.received) {
    const payload = verifier.verify(entry.body, { 'webhook-id': entry.id, 'webhook-timestamp': entry.timestamp, 'webhook-signature': entry.signature }) as
      { type: string, timestamp: string, data: { cursor: string, action: string, key: string, record: { establishedYear: number } } }
    t.equal(payload.type, 'departments.updated')
    t.match(payload.data, { action: 'update', key: 'general-gynecology' })
    if (bodies.has(entry.id)) t.equal(entry.body, bodies.get(entry.id), 'a retry sends the same body under the same id')
    bodies.set(entry.id, entry.body)
  }
  t.equal(hook.received.length, 3 + failures, 'each failed attempt retried, nothing sent twice once received')
  const retried = hook.received.slice(0, failures).map((entry) => entry.id)
  t.ok(retried.every((failedId) => delivered().has(failedId)), 'the failed deliveries arrived later under the same webhook-id')
  const deliveredCursors = [...bodies.values()].map((text) => (JSON.parse(text) as { data: { cursor: string } }).data.cursor).sort()
  t.same(deliveredCursors, [...cursors].sort(), 'every subscribed change arrived, and only those')
  t.throws(() => new Webhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`).verify(hook.received[0]!.body, {
    'webhook-id': hook.received[0]!.id, 'webhook-timestamp': hook.received[0]!.timestamp, 'webhook-signature': hook.received[0]!.signature
  }), 'another secret does not verify')

  // The log: each delivery with its attempts, oldest first.
  const log = await app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: auth })
  t.equal(log.statusCode, 200, log.body)
  const deliveries = log.json<{ data: Array<{ id: string, state: string, attempts: number, cursor: string, attemptLog: Array<{ statusCode: number | null, responseBody: string | null }> }> }>().data
  t.equal(deliveries.length, 3)
  t.ok(deliveries.every((delivery) => delivery.state === 'delivered'))
  const attempts = deliveries.flatMap((delivery) => delivery.attemptLog.map((attempt) => attempt.statusCode))
  t.same(attempts.filter((status) => status === 503).length, failures, 'the failed attempts are logged with their status')
  t.same(attempts.filter((status) => status === 204).length, 3)
  const subscription = await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })
  t.match(subscription.json(), { deliveries: { pending: 0, delivered: 3, failed: 0 }, failingSince: null, enabled: true })

  // Redelivery sends the same id and body again.
  const first = deliveries[0]!
  const before = hook.received.length
  const redelivered = await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/${first.id}/redeliver`, headers: auth })
  t.equal(redelivered.statusCode, 202)
  await until('the redelivery', () => hook.received.length > before)
  t.equal(hook.received.at(-1)!.id, first.id)
  t.equal(hook.received.at(-1)!.body, bodies.get(first.id))
  t.equal((await app.inject({ method: 'POST', url: `/v1/webhooks/${id}/deliveries/msg_${'0'.repeat(32)}/redeliver`, headers: auth })).statusCode, 404)
  const paged = await app.inject({ url: `/v1/webhooks/${id}/deliveries?limit=2`, headers: auth })
  const page = paged.json<{ data: Array<{ id: string }>, page: { nextCursor: string | null } }>()
  t.equal(page.data.length, 2)
  const rest = await app.inject({ url: `/v1/webhooks/${id}/deliveries?limit=2&cursor=${page.page.nextCursor}`, headers: auth })
  t.same([...page.data, ...rest.json<{ data: Array<{ id: string }> }>().data].map((item) => item.id).sort(), deliveries.map((item) => item.id).sort(), 'pages cover the log')
})

t.test('redirects are not followed; a subscriber failing too long is disabled, then re-enabled; the window ends in failed', async (t) => {
  const app = await buildTestApp(t, { ...fastRetries, WEBHOOK_DISABLE_AFTER_MS: '400', WEBHOOK_RETRY_WINDOW_MS: '600000' })
  const { key: admin } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  const auth = { authorization: `Bearer ${admin}` }
  const elsewhere = await receiver(t, () => 200)
  let accept = false
  const hook = await receiver(t, () => accept ? 200 : { redirect: elsewhere.url })
  const created = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url: hook.url } })
  const { id } = created.json<{ id: string }>()

  const written = await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: { ...auth, 'if-match': '*' }, payload: { establishedYear: 1990, provenance: note } })
  t.equal(written.statusCode, 200)
  await until('the subscription disabled', async () =>
    (await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })).json<{ enabled: boolean }>().enabled === false)
  t.equal(elsewhere.received.length, 0, 'the redirect was never followed')
  const disabled = (await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })).json<{ disabledReason: string, failingSince: string, deliveries: { pending: number } }>()
  t.match(disabled.disabledReason, /failed for 400 ms/)
  t.equal(disabled.deliveries.pending, 1, 'its delivery waits, neither lost nor sent')
  const log = (await app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: auth })).json<{ data: Array<{ attemptLog: Array<{ statusCode: number, error: string }> }> }>()
  t.match(log.data[0]!.attemptLog[0], { statusCode: 302, error: /redirects are not followed/ })

  // Changes made while it is disabled are not queued for it.
  await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: { ...auth, 'if-match': '*' }, payload: { establishedYear: 1991, provenance: note } })
  const sentBefore = hook.received.length
  accept = true
  const enabled = await app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers: { ...auth, 'if-match': '*' }, payload: { enabled: true } })
  t.match(enabled.json(), { enabled: true, failingSince: null, disabledReason: null })
  await until('the pending delivery sent', () => hook.received.slice(sentBefore).some((entry) => entry.status === 200))
  await until('the log to say delivered', async () =>
    (await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })).json<{ deliveries: { delivered: number, pending: number } }>().deliveries.delivered === 1)
  t.match((await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })).json(), { deliveries: { delivered: 1, pending: 0, failed: 0 } })
})

t.test('a delivery still failing when its retry window ends is marked failed', async (t) => {
  const app = await buildTestApp(t, { ...fastRetries, WEBHOOK_RETRY_WINDOW_MS: '2000' })
  const { key: admin } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  const auth = { authorization: `Bearer ${admin}` }
  const hook = await receiver(t, () => 500)
  const { id } = (await app.inject({ method: 'POST', url: '/v1/webhooks', headers: auth, payload: { url: hook.url } })).json<{ id: string }>()
  await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: { ...auth, 'if-match': '*' }, payload: { establishedYear: 1992, provenance: note } })
  await until('the delivery failed', async () =>
    (await app.inject({ url: `/v1/webhooks/${id}`, headers: auth })).json<{ deliveries: { failed: number } }>().deliveries.failed === 1)
  const log = (await app.inject({ url: `/v1/webhooks/${id}/deliveries?state=failed`, headers: auth })).json<{ data: Array<{ attempts: number, nextAttemptAt: null }> }>()
  t.ok(log.data[0]!.attempts >= 2, `retried (${log.data[0]!.attempts} attempts) before giving up`)
  t.equal(log.data[0]!.nextAttemptAt, null)
})

t.test('the outbox is written in the transaction of the change: a rolled-back change has no delivery', async (t) => {
  const app = await buildTestApp(t, { WEBHOOKS_SEND: 'false' })
  const { id: keyId } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  await app.prisma.webhookSubscription.create({ data: { url: 'https://93.184.215.14/hooks', secret: 'whsec_AAAA' } })
  const unit = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'general-gynecology' }, select: { id: true } })
  const insert = app.prisma.$executeRaw`
    INSERT INTO audit_event (api_key_id, resource, entity_id, action, version, key) VALUES (${keyId}::uuid, 'departments', ${unit.id}::uuid, 'update', 9, 'general-gynecology')`
  await t.rejects(app.prisma.$transaction(async (db) => {
    await db.$executeRaw`INSERT INTO audit_event (api_key_id, resource, entity_id, action, version, key) VALUES (${keyId}::uuid, 'departments', ${unit.id}::uuid, 'update', 9, 'general-gynecology')`
    t.equal(await db.webhookDelivery.count(), 1, 'inside the transaction, its delivery is there')
    throw new Error('rolled back')
  }))
  t.equal(await app.prisma.webhookDelivery.count(), 0, 'after the rollback, no delivery')
  await insert
  t.equal(await app.prisma.webhookDelivery.count(), 1, 'a committed change has its delivery')
})
