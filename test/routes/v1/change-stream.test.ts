import net from 'node:net'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp, databaseKind, testConfig } from '../../helper.ts'

// The change feed as Server-Sent Events, through a real listening server: events as writes commit, heartbeats,
// resuming with Last-Event-ID, a server that ends its streams telling clients where to resume, a client too slow to
// keep up, and (PostgreSQL) a write through one instance on another instance's stream.

interface SseEvent { id?: string, event?: string, data?: string, comment?: string, retry?: string }

/** Reads a text/event-stream response event by event. */
function eventReader (body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  const parse = (block: string): SseEvent => {
    const event: SseEvent = {}
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) event.comment = line.slice(1).trim()
      const match = /^(id|event|data|retry): ?(.*)$/.exec(line)
      if (match !== null) {
        const field = match[1] as 'id' | 'event' | 'data' | 'retry'
        event[field] = field === 'data' && event.data !== undefined ? `${event.data}\n${match[2]}` : match[2]
      }
    }
    return event
  }
  return {
    /** The next event (or comment), or null when the stream ended. */
    async next (timeoutMs = 5000): Promise<SseEvent | null> {
      const deadline = AbortSignal.timeout(timeoutMs)
      while (!buffered.includes('\n\n')) {
        const chunk = await Promise.race([reader.read(), new Promise<never>((_resolve, reject) => {
          deadline.addEventListener('abort', () => { reject(new Error(`no event within ${timeoutMs} ms`)) })
        })])
        if (chunk.done) return null
        buffered += chunk.value
      }
      const end = buffered.indexOf('\n\n')
      const block = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      return parse(block)
    },
    /** The next `event: change` (heartbeats skipped). */
    async change (timeoutMs = 5000): Promise<SseEvent> {
      for (;;) {
        const event = await this.next(timeoutMs)
        if (event === null) throw new Error('the stream ended')
        if (event.event !== undefined) return event
      }
    },
    cancel: () => reader.cancel()
  }
}

const note = { note: 'Stated by the ward office' }

t.test('a stream of changes as they commit, with heartbeats, resumable, ended with where to resume', async (t) => {
  const app = await buildTestApp(t, { EVENT_STREAM_HEARTBEAT_MS: '100' })
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const { key } = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
  const writer = { authorization: `Bearer ${key}`, 'if-match': '*' }

  const response = await fetch(`${origin}/v1/changes?since=now`, { headers: { accept: 'text/event-stream' } })
  t.equal(response.status, 200)
  t.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.equal(response.headers.get('cache-control'), 'no-store')
  t.ok(response.headers.get('x-request-id'), 'with the headers every answer has')
  t.notOk(response.headers.get('etag'), 'and no ETag: a stream is not a document')
  const events = eventReader(response.body!)
  t.same(await events.next(), { retry: '2000' }, 'it opens with the reconnection delay')
  t.same(await events.next(), { comment: 'heartbeat' }, 'while nothing changes, heartbeats')

  const sent = performance.now()
  const patched = await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: writer, payload: { establishedYear: 1980, provenance: note } })
  t.equal(patched.statusCode, 200, patched.body)
  const answered = performance.now()
  const first = await events.change()
  t.comment(`PATCH answered in ${Math.round(answered - sent)} ms; its change was on the stream ${Math.round(performance.now() - answered)} ms later`)
  t.equal(first.event, 'change')
  const change = JSON.parse(first.data!) as { cursor: string, action: string, key: string, record: unknown }
  t.match(change, { action: 'update', key: 'general-gynecology' })
  t.equal(first.id, change.cursor, 'the event id is the change\'s cursor')
  t.same(change.record, patched.json(), 'carrying the record the write answered')
  const feed = await app.inject(`/v1/changes?since=${BigInt(change.cursor) - 1n}`)
  t.same(feed.json<{ data: unknown[] }>().data[0], change, 'the same change as the JSON feed lists')

  // Two more writes, then a client that lost its connection after the first one resumes with Last-Event-ID.
  for (const year of [1981, 1982]) {
    const written = await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: writer, payload: { establishedYear: year, provenance: note } })
    t.equal(written.statusCode, 200)
  }
  const second = await events.change()
  const third = await events.change()
  t.ok(BigInt(second.id!) > BigInt(first.id!) && BigInt(third.id!) > BigInt(second.id!), 'in order')
  const resumed = await fetch(`${origin}/v1/changes?since=0`, { headers: { accept: 'text/event-stream', 'last-event-id': first.id! } })
  const again = eventReader(resumed.body!)
  await again.next()
  t.same([(await again.change()).id, (await again.change()).id], [second.id, third.id], 'Last-Event-ID resumes right after it, over since')

  // Closing the app ends both streams, each with where to resume.
  const closing = app.close()
  t.same(await events.change(), { event: 'resume', data: JSON.stringify({ cursor: third.id }) }, 'the server ends the stream naming the cursor to resume from')
  t.equal(await events.next(), null, 'and ends it')
  t.equal((await again.change()).event, 'resume')
  await closing
})

t.test('a stream outlives HANDLER_TIMEOUT_MS: it is answering, not late', async (t) => {
  const app = await buildTestApp(t, { EVENT_STREAM_HEARTBEAT_MS: '100', HANDLER_TIMEOUT_MS: '200' })
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const response = await fetch(`${origin}/v1/changes?since=now`, { headers: { accept: 'text/event-stream' } })
  const events = eventReader(response.body!)
  t.same(await events.next(), { retry: '2000' })
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.same(await events.next(), { comment: 'heartbeat' })
  t.same(await events.next(), { comment: 'heartbeat' }, 'still sending after the handler timeout has passed')
  await events.cancel()
})

t.test('the streams of one instance share their reads of the feed, each keeping what its filters admit', async (t) => {
  const app = await buildTestApp(t)
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  const { key } = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
  const writer = { authorization: `Bearer ${key}`, 'if-match': '*' }
  const urls = ['since=now', 'since=now', 'since=now', 'since=now&resource=departments', 'since=now&resource=metrics', 'since=now&hospital=cqhcwc']
  const streams = await Promise.all(urls.map(async (query) => {
    const response = await fetch(`${origin}/v1/changes?${query}`, { headers: { accept: 'text/event-stream' } })
    const events = eventReader(response.body!)
    t.same(await events.next(), { retry: '2000' })
    return events
  }))
  const readsBefore = app.changeHub.reads
  const patched = await app.inject({ method: 'PATCH', url: '/v1/departments/general-gynecology', headers: writer, payload: { establishedYear: 1979, provenance: note } })
  t.equal(patched.statusCode, 200)
  const received = await Promise.all(streams.filter((_stream, index) => index !== 4).map(async (events) => JSON.parse((await events.change()).data!) as { key: string }))
  t.ok(received.every((change) => change.key === 'general-gynecology'), 'every stream whose filters admit the change has it')
  const reads = app.changeHub.reads - readsBefore
  t.ok(reads >= 1 && reads < urls.length, `${urls.length} streams, ${reads} read(s) of the feed`)
  await Promise.all(streams.map((events) => events.cancel()))
})

t.test('a client too slow to keep up is told to resume instead of being buffered for', async (t) => {
  const app = await buildTestApp(t, { EVENT_STREAM_BUFFER_LIMIT_BYTES: '65536', EVENT_STREAM_STALL_MS: '300' })
  const origin = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const { id: keyId } = await createApiKey(app.prisma, { name: 'Bulk loader', scopes: ['write'] })
  // 400 changes of about 25 KB each (10 MB): more than the connection's buffers hold for a client that reads nothing.
  const unit = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'general-gynecology' }, select: { id: true } })
  await app.prisma.$executeRaw`
    INSERT INTO audit_event (api_key_id, resource, entity_id, action, version, after, key, location)
    SELECT ${keyId}::uuid, 'departments', ${unit.id}::uuid, 'update', n, jsonb_build_object('note', repeat('x', 25000), 'version', n), 'general-gynecology', '/v1/departments/general-gynecology'
    FROM generate_series(1, 400) AS n`

  const socket = net.connect(Number(origin.port), origin.hostname)
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.pause()
  socket.write(`GET /v1/changes?since=0 HTTP/1.1\r\nHost: ${origin.host}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`)
  // Reads nothing until the server has given up on it: its backlog passed the limit and stayed there past the stall time.
  const until = async (condition: () => boolean): Promise<void> => {
    const deadline = performance.now() + 30_000
    while (!condition()) {
      if (performance.now() > deadline) throw new Error('the server did not end the stream of a client that reads nothing')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  await until(() => app.eventStreams.size === 1)
  await until(() => app.eventStreams.size === 0)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  socket.resume()
  await new Promise((resolve) => socket.once('end', resolve))
  const text = Buffer.concat(chunks).toString('utf8')
  const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => match[1]!)
  const resume = /event: resume\r?\ndata: (.*)\r?\n/.exec(text)
  t.ok(resume, 'the stream ends with a resume event')
  t.ok(ids.length > 0 && ids.length < 400, `having sent part of the backlog (${ids.length} of 400 changes)`)
  t.same(JSON.parse(resume![1]!), { cursor: ids.at(-1) }, 'naming the last change it sent')
  t.notMatch(text.slice(resume!.index + resume![0].length), /^id: /m, 'nothing after it')

  const rest = await app.inject(`/v1/changes?since=${ids.at(-1)}&limit=1`)
  t.equal(rest.json<{ data: Array<{ cursor: string }> }>().data[0]!.cursor, String(BigInt(ids.at(-1)!) + 1n), 'resuming there loses nothing')
})

t.test('a write through one instance is on another instance\'s stream', { skip: databaseKind === 'pglite' ? 'an embedded database belongs to one process' : false }, async (t) => {
  const config = await testConfig(t)
  const [one, two] = await Promise.all([buildApp(config), buildApp(config)])
  t.teardown(async () => { await Promise.all([one.close(), two.close()]) })
  const [oneUrl, twoUrl] = await Promise.all([one.listen({ port: 0, host: '127.0.0.1' }), two.listen({ port: 0, host: '127.0.0.1' })])
  const { key } = await createApiKey(one.prisma, { name: 'Ward office', scopes: ['write'] })

  const response = await fetch(`${twoUrl}/v1/changes?since=now`, { headers: { accept: 'text/event-stream' } })
  const events = eventReader(response.body!)
  await events.next()
  const sent = performance.now()
  const patched = await fetch(`${oneUrl}/v1/departments/general-gynecology`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${key}`, 'if-match': '*', 'content-type': 'application/json' },
    body: JSON.stringify({ focus: 'Written through the first instance', provenance: note })
  })
  t.equal(patched.status, 200)
  const event = await events.change()
  t.comment(`on the other instance's stream ${Math.round(performance.now() - sent)} ms after the PATCH was sent`)
  t.match(JSON.parse(event.data!), { action: 'update', key: 'general-gynecology', record: { focus: 'Written through the first instance' } })
  await events.cancel()
})
