import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import t, { type Test } from 'tap'
import serviceApp, { serverOptions, trustProxyOption } from '../../src/app.ts'
import { buildTestApp, testConfig } from '../helper.ts'

// Limits that protect the process from its clients: body size, timeouts, and whose address a request comes from.

t.test('the defaults reach the server: 1 MiB bodies, 30 s requests, 72 s keep-alive, 10 s handlers', async (t) => {
  const app = await buildTestApp(t)
  t.match(app.initialConfig, { bodyLimit: 1_048_576, requestTimeout: 30_000, keepAliveTimeout: 72_000 })
  t.equal(app.config.HANDLER_TIMEOUT_MS, 10_000, 'the handler timeout (plugins/app/handler-timeout.ts)')
  t.equal(app.server.requestTimeout, 30_000, 'Node enforces the request timeout')
  t.equal(app.server.keepAliveTimeout, 72_000, 'and the keep-alive timeout')

  const tooLarge = await app.inject({ method: 'POST', url: '/health', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(2_000_000) })
  t.equal(tooLarge.statusCode, 413)
  t.match(tooLarge.json(), { detail: 'The request body is larger than the limit of 1048576 bytes.' })
})

// There are no write routes to post to in every version of this app, but every GET-only path has a 405 route for
// the other methods (src/app.ts), and Fastify reads and parses a body before any handler runs. So a POST to /health
// exercises the real app's body handling: a body it accepts reaches the handler (405), one it refuses never does.
t.test('request bodies: a size limit, JSON only, and problems that say what is wrong', async (t) => {
  const app = await buildTestApp(t, { BODY_LIMIT_BYTES: '1024' })
  const post = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/health', headers: { 'content-type': contentType }, payload })

  const body = (bytes: number) => JSON.stringify({ note: 'x'.repeat(bytes - '{"note":""}'.length) })
  t.equal(Buffer.byteLength(body(1024)), 1024)
  const atTheLimit = await post(body(1024))
  t.equal(atTheLimit.statusCode, 405, 'a body of exactly the limit is read and reaches the handler')

  const overTheLimit = await post(body(1025))
  t.equal(overTheLimit.statusCode, 413, 'one byte more is refused')
  t.match(overTheLimit.headers['content-type'], /^application\/problem\+json/)
  t.equal(overTheLimit.headers['cache-control'], 'no-store')
  t.match(overTheLimit.json(), {
    type: '/problems/payload-too-large',
    title: 'Payload too large',
    status: 413,
    detail: 'The request body is larger than the limit of 1024 bytes.',
    instance: '/health',
    requestId: overTheLimit.headers['x-request-id']
  })

  const form = await post('name=x', 'application/x-www-form-urlencoded; charset=utf-8')
  t.equal(form.statusCode, 415)
  t.match(form.headers['content-type'], /^application\/problem\+json/)
  t.match(form.json(), {
    type: '/problems/unsupported-media-type',
    title: 'Unsupported media type',
    status: 415,
    detail: 'This API does not read request bodies of type "application/x-www-form-urlencoded"; send JSON, with the Content-Type the operation documents.'
  })

  const malformed = await post('{"name": ')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.headers['content-type'], /^application\/problem\+json/)
  t.match(malformed.json(), { type: '/problems/invalid-request', status: 400, detail: 'The request body is not valid JSON.' })

  const empty = await post('')
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), {
    type: '/problems/invalid-request',
    detail: 'The request body is empty but its Content-Type says JSON; send a JSON document.'
  })
})

interface RawAnswer { statusLine: string, headers: Record<string, string>, body: string }

/** Writes `request` as raw bytes on a new connection and reads the answer until the server closes it. */
async function rawRequest (port: number, request: string): Promise<RawAnswer> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    // The server may close while the client is still writing: a reset after the answer is not a failure.
    socket.on('error', (error) => { if (chunks.length === 0) reject(error) })
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')))
    socket.write(request)
  })
  const [head = '', body = ''] = text.split(/\r\n\r\n(.*)/s)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':')
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
  }))
  return { statusLine, headers, body }
}

// Requests Node cannot parse never reach Fastify's handlers; inject() cannot send them either, so these go over a socket.
t.test('requests Node refuses before routing are problems too, and close the connection', async (t) => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as net.AddressInfo
  const headerFields = (count: number) => Array.from({ length: count }, (_, index) => `x${index}: v\r\n`).join('')
  const cases = [
    {
      name: 'a 20 KB header',
      request: `GET /v1/departments HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      status: '431 Request Header Fields Too Large',
      body: { type: '/problems/request-header-fields-too-large', title: 'Request header fields too large', status: 431, detail: 'The request\'s header section is larger than the server reads: at most 16384 bytes, in at most 100 fields.', instance: '/v1/departments' }
    },
    { // Under 16 KB: Node 20 reads about 1,000 of them and the app counts them; newer versions refuse the overflow
      name: '1,500 header fields',
      request: `GET /v1/departments HTTP/1.1\r\nHost: localhost\r\n${headerFields(1_500)}\r\n`,
      status: '431 Request Header Fields Too Large',
      body: { type: '/problems/request-header-fields-too-large', status: 431, detail: /^The request.* at most 16384 bytes, in at most 100 fields\.$/, instance: '/v1/departments' }
    },
    {
      name: '101 header fields',
      request: `GET /health HTTP/1.1\r\nHost: localhost\r\n${headerFields(100)}\r\n`,
      status: '431 Request Header Fields Too Large',
      body: { type: '/problems/request-header-fields-too-large', status: 431, detail: 'The request has more than 100 header fields; the server reads at most 16384 bytes, in at most 100 fields.' }
    },
    {
      name: 'a method that is not a token',
      request: 'G@T /v1/departments HTTP/1.1\r\nHost: localhost\r\n\r\n',
      status: '400 Bad Request',
      body: { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail: 'The request line does not start with an HTTP method the server knows.' }
    },
    {
      name: 'a negative Content-Length',
      request: 'POST /v1/conditions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}',
      status: '400 Bad Request',
      body: { type: '/problems/invalid-request', status: 400, detail: 'The Content-Length header is not a non-negative decimal number.', instance: '/v1/conditions' }
    },
    {
      name: 'Transfer-Encoding and Content-Length',
      request: 'POST /v1/conditions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 7\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      status: '400 Bad Request',
      body: { type: '/problems/invalid-request', status: 400, detail: /Transfer-Encoding/, instance: '/v1/conditions' }
    },
    {
      name: 'a control character in a header value',
      request: 'GET /health HTTP/1.1\r\nHost: localhost\r\nX-Note: a\x01b\r\n\r\n',
      status: '400 Bad Request',
      body: { type: '/problems/invalid-request', status: 400, detail: /contains a character HTTP does not allow there, such as a control character/ }
    },
    {
      name: 'an HTTP/1.1 request without Host',
      request: 'GET /v1/departments HTTP/1.1\r\n\r\n',
      status: '400 Bad Request',
      body: { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail: 'An HTTP/1.1 request must carry a Host header.', instance: '/v1/departments' }
    }
  ]
  for (const { name, request, status, body } of cases) {
    const answer = await rawRequest(port, request)
    t.equal(answer.statusLine, `HTTP/1.1 ${status}`, name)
    t.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8', `${name}: a problem`)
    t.equal(answer.headers.connection, 'close', `${name}: the connection is closed`)
    t.equal(answer.headers['cache-control'], 'no-store')
    t.equal(answer.headers['x-content-type-options'], 'nosniff', `${name}: with the security headers`)
    const problem = JSON.parse(answer.body) as Record<string, unknown>
    t.match(problem, { ...body, requestId: answer.headers['x-request-id'] }, `${name}: the problem says what is wrong`)
    t.match(problem.requestId, /^[0-9a-f-]{36}$/)
    t.notMatch(answer.body, /Parse Error|HPE_|rawPacket|"statusCode"/, `${name}: no internals`)
  }

  const hundred = await rawRequest(port, `GET /health HTTP/1.1\r\nHost: localhost\r\n${headerFields(98)}Connection: close\r\n\r\n`)
  t.equal(hundred.statusLine, 'HTTP/1.1 200 OK', '100 header fields are read')
  const http10 = await rawRequest(port, 'GET /health HTTP/1.0\r\n\r\n')
  t.equal(http10.statusLine, 'HTTP/1.1 200 OK', 'HTTP/1.0 needs no Host')

  // The request timeout takes Node up to 30 s to notice; the answer it gets is the listener's, given the same error.
  app.server.once('connection', (socket: net.Socket) => {
    socket.once('data', () => app.server.emit('clientError', Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket))
  })
  const timeout = await rawRequest(port, 'GET /v1/departments HTTP/1.1\r\nHost: localhost\r\n')
  t.equal(timeout.statusLine, 'HTTP/1.1 408 Request Timeout')
  t.equal(timeout.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(JSON.parse(timeout.body), { type: '/problems/request-timeout', title: 'Request timeout', status: 408, detail: 'The request was not received in full within 30 s; send it without pausing.' })
})

interface LogLine { level: number, msg?: string, err?: { code?: string } }

/**
 * The real app with one slow route added, built as buildApp builds it but with its log lines collected: the same
 * server options, only the log destination differs. Any test route has to be added this way, before ready().
 */
async function appWithSlowRoute (t: Test, env: Record<string, string>, slowMs: number):
Promise<{ app: FastifyInstance, logs: LogLine[], handler: { finished: boolean } }> {
  const config = await testConfig(t, { LOG_LEVEL: 'warn', ...env })
  const options = serverOptions(config)
  const logs: LogLine[] = []
  const handler = { finished: false }
  const stream = { write: (line: string) => { logs.push(JSON.parse(line) as LogLine) } }
  const app = Fastify({ ...options, logger: { ...(options.logger as object), stream } })
  await app.register(fp(serviceApp), { config })
  app.get('/test/slow', { schema: { hide: true } }, async () => {
    await sleep(slowMs)
    handler.finished = true
    return { finished: true }
  })
  t.after(() => app.close())
  await app.ready()
  return { app, logs, handler }
}

t.test('a request that outlasts HANDLER_TIMEOUT_MS is answered with a 503 problem and Retry-After', async (t) => {
  const { app, logs, handler } = await appWithSlowRoute(t, { HANDLER_TIMEOUT_MS: '200' }, 600)
  // The list asked for after the timeout is asked for once before it too: its first answer compiles its schemas and
  // prepares its statement, which on a busy machine can itself take longer than this test's 200 ms limit.
  for (let attempt = 0; attempt < 10 && (await app.inject('/v1/hospitals')).statusCode !== 200; attempt++) await sleep(100)
  const started = Date.now()
  const response = await app.inject('/test/slow')
  const elapsed = Date.now() - started
  t.equal(response.statusCode, 503)
  t.ok(elapsed >= 190, `answered after ${elapsed} ms`)
  t.notOk(handler.finished, 'without waiting for the handler')
  t.equal(response.headers['retry-after'], '1')
  t.equal(response.headers['cache-control'], 'no-store')
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), {
    type: '/problems/service-unavailable',
    title: 'Service unavailable',
    status: 503,
    detail: 'The server did not complete the request within 200 ms; try again.',
    instance: '/test/slow'
  })

  // The handler carries on (the timeout is cooperative) and its late result is dropped, not sent a second time.
  while (!handler.finished) await sleep(50)
  await sleep(50)
  t.same(logs.filter((line) => line.msg === 'request timed out: answered 503').length, 1, 'one warning for the timeout')
  t.ok(logs.some((line) => line.err?.code === 'FST_ERR_REP_ALREADY_SENT' && line.level === 40),
    'Fastify notes the late result as a warning')
  t.same(logs.filter((line) => line.level >= 50), [], 'and nothing is logged as an error')

  const next = await app.inject('/v1/hospitals')
  t.equal(next.statusCode, 200, 'the app serves the next request as usual')
})

t.test('one log line per request, when it is answered, with route, status and duration, and no key', async (t) => {
  const { app, logs } = await appWithSlowRoute(t, { LOG_LEVEL: 'info' }, 0)
  const secret = 'hda_0123456789ab_' + 'x'.repeat(40)
  const response = await app.inject({ url: '/v1/hospitals?limit=1', headers: { authorization: `Bearer ${secret}`, 'x-request-id': 'trace-me' } })
  t.equal(response.statusCode, 401, 'an unknown key')
  t.equal(response.headers['x-request-id'], 'trace-me')
  const lines = logs.filter((line) => (line as { reqId?: string }).reqId === 'trace-me')
  t.equal(lines.length, 1, 'one line')
  t.match(lines[0], { level: 30, msg: 'request completed', method: 'GET', url: '/v1/hospitals?limit=1', route: '/v1/hospitals', statusCode: 401, durationMs: Number })
  t.notOk(JSON.stringify(logs).includes(secret), 'the key appears in no log line')
})

t.test('HANDLER_TIMEOUT_MS=0 lets a handler take its time', async (t) => {
  const { app } = await appWithSlowRoute(t, { HANDLER_TIMEOUT_MS: '0' }, 300)
  const response = await app.inject('/test/slow')
  t.equal(response.statusCode, 200)
  t.same(response.json(), { finished: true })
})

// Rate limits per address key on request.ip, which is the forwarded client address only behind trusted proxies.
// inject() connects from 127.0.0.1, so that address plays the load balancer.
t.test('TRUST_PROXY: forwarded addresses get budgets of their own only when the proxy is trusted', async (t) => {
  const forwardedFor = (address: string) => ({ url: '/v1/hospitals', headers: { 'x-forwarded-for': address } })
  const statuses = async (app: FastifyInstance, addresses: string[]) => {
    const result = []
    for (const address of addresses) result.push((await app.inject(forwardedFor(address))).statusCode)
    return result
  }

  const trusted = await buildTestApp(t, { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_IP: '1' })
  t.same(await statuses(trusted, ['203.0.113.7', '198.51.100.9', '203.0.113.7']), [200, 200, 429],
    'each client address has its own budget')

  const untrusted = await buildTestApp(t, { RATE_LIMIT_PER_IP: '1' })
  t.same(await statuses(untrusted, ['203.0.113.7', '198.51.100.9']), [200, 429],
    'by default X-Forwarded-For is ignored: every request counts against the connecting address')

  const otherProxies = await buildTestApp(t, { TRUST_PROXY: '10.0.0.0/8, 192.168.0.1', RATE_LIMIT_PER_IP: '1' })
  t.same(await statuses(otherProxies, ['203.0.113.7', '198.51.100.9']), [200, 429],
    'a client that is not one of the trusted proxies cannot choose its address by sending the header')
})

t.test('TRUST_PROXY maps onto Fastify\'s trustProxy', async (t) => {
  t.equal(trustProxyOption(''), false)
  t.equal(trustProxyOption('false'), false)
  t.equal(trustProxyOption('true'), true)
  t.same(trustProxyOption('127.0.0.1'), ['127.0.0.1'])
  t.same(trustProxyOption('10.0.0.0/8, fd00::/8,loopback'), ['10.0.0.0/8', 'fd00::/8', 'loopback'])
})
