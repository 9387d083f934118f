import { spawn } from 'node:child_process'
import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { listeningOrigin } from './server-process.ts'
import t, { type Test } from 'tap'
import { packageRoot } from '../src/paths.ts'
import { freshDatabaseEnv } from './helper.ts'

// SIGTERM under keep-alive load, against the real process (src/server.ts): /ready fails first while everything else
// is still served, a client that stops sending when /ready fails loses nothing and sees no 5xx, a client that keeps
// sending through the close gets every request answered (200, or a 503 problem with Connection: close) and never a
// reset, the server closes the keep-alive connections itself, and the process exits 0 well within 10 s.

interface Outcome {
  status?: number
  error?: string
  connection?: string
  contentType?: string
  retryAfter?: string
  body?: string
}

function get (agent: http.Agent, origin: string, urlPath: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}${urlPath}`, { agent }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => { if (response.statusCode !== 200) body += chunk })
      response.on('end', () => resolve({
        status: response.statusCode,
        connection: response.headers.connection,
        contentType: response.headers['content-type'],
        retryAfter: response.headers['retry-after'] as string | undefined,
        body
      }))
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? ''} ${error.message}` }))
    })
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? ''} ${error.message}` }))
  })
}

/** A keep-alive agent that remembers how each of its connections ended. */
function trackedAgent (maxSockets: number): { agent: http.Agent, closedSockets: Array<{ hadError: boolean, error?: string }> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets })
  const closedSockets: Array<{ hadError: boolean, error?: string }> = []
  agent.on('free', (socket) => {
    if ((socket as { tracked?: boolean }).tracked === true) return
    ;(socket as { tracked?: boolean }).tracked = true
    let error: string | undefined
    socket.on('error', (caught: NodeJS.ErrnoException) => { error = caught.code })
    socket.on('close', (hadError: boolean) => closedSockets.push({ hadError, ...(error === undefined ? {} : { error }) }))
  })
  return { agent, closedSockets }
}

/** Waits until the condition holds, for up to 30 s: a cold process on a busy machine can take seconds to warm up. */
async function until (condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!condition() && Date.now() < deadline) await sleep(50)
}

// Both processes use the same database: the first seeds it, the second starts without seeding.
const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-api-'))
t.teardown(() => rm(dataDir, { recursive: true, force: true }))
const database = process.env.TEST_DATABASE_URL === undefined ? { PGLITE_DATA_DIR: dataDir } : await freshDatabaseEnv(t)

async function startServer (t: Test, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageRoot,
    // No rate limit: every request comes from one address, far faster than a client's. No load shedding and generous
    // PostgreSQL timeouts: a cold process on a busy machine would refuse its first requests, or time out on the
    // pool, which is not what these tests are about (test/helper.ts does the same).
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_IP: '0',
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      DATABASE_CONNECT_TIMEOUT_MS: '10000',
      DATABASE_QUERY_TIMEOUT_MS: '10000',
      ...database,
      ...env
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  const exited = new Promise<{ code: number | null, at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })))
  const output = { log: '' }
  const origin = await listeningOrigin(child.stdout, output)
  return { child, exited, origin, output }
}

t.test('SIGTERM: not ready first, in-flight and keep-alive requests served, clean close, exit 0', async (t) => {
  const { child, exited, origin, output } = await startServer(t, { SHUTDOWN_DRAIN_MS: '1500' })

  // Ten keep-alive connections, each sending requests back to back, as a partner app behind a balancer would.
  const { agent, closedSockets } = trackedAgent(10)
  const outcomes: Outcome[] = []
  let balancerSendsTraffic = true
  const urls = ['/v1/departments', '/v1/metrics?limit=50', '/v1/statistics/summary', '/v1/search?q=surgery']
  const workers = Array.from({ length: 10 }, async (_value, worker) => {
    for (let i = 0; balancerSendsTraffic; i++) outcomes.push(await get(agent, origin, urls[(worker + i) % urls.length]!))
  })

  // The balancer's probe: every 100 ms, and it takes the instance out of rotation on the first failure.
  const probeAgent = new http.Agent({ keepAlive: false })
  let notReadyAt: number | undefined
  const probe = (async () => {
    while (notReadyAt === undefined) {
      const ready = await get(probeAgent, origin, '/ready')
      if (ready.status !== 200) { notReadyAt = Date.now(); balancerSendsTraffic = false }
      await sleep(100)
    }
  })()

  await sleep(1000)
  await until(() => outcomes.length > 20)
  const servedBefore = outcomes.length
  const signalledAt = Date.now()
  child.kill('SIGTERM')
  await probe
  await Promise.all(workers)
  const { code, at } = await exited
  agent.destroy()

  t.ok(servedBefore > 20, `${servedBefore} requests served before SIGTERM`)
  t.equal(code, 0, 'the process exits 0')
  t.ok(at - signalledAt < 10_000, `within 10 s of SIGTERM (${at - signalledAt} ms)`)
  t.ok(notReadyAt !== undefined && notReadyAt - signalledAt < 1000, '/ready fails at once')
  t.ok(at - (notReadyAt ?? 0) >= 1000, 'and the server keeps running for the drain period after it does')
  t.same(outcomes.filter((outcome) => outcome.status !== 200), [], `all ${outcomes.length} requests answered 200: none dropped, none 5xx`)
  t.ok(closedSockets.length > 0 && closedSockets.every((socket) => !socket.hadError), 'the server closed the keep-alive connections cleanly')
  t.match(output.log, /"msg":"shutting down: not ready, draining"/)
  t.match(output.log, /"msg":"closed"/)
})

t.test('SIGTERM under 50 busy keep-alive connections that never stop: every request answered, no reset, exit 0', async (t) => {
  const { child, exited, origin, output } = await startServer(t, { SHUTDOWN_DRAIN_MS: '1000' })

  // Fifty connections sending back to back through the drain and the close, as a client that ignores the balancer
  // (or a balancer slow to notice) would. Each stops only when the server refuses a new connection. Every other
  // request is a search never asked before, which the response cache cannot answer, so that some are in flight when
  // the server closes.
  // The load starts once every connection is open and answered: a busy process accepts one waiting connection per
  // turn of its event loop, so fifty opened under load can take seconds to be accepted.
  const { agent, closedSockets } = trackedAgent(50)
  const outcomes: Outcome[] = []
  let opened = 0
  let allOpened!: () => void
  const allOpen = new Promise<void>((resolve) => { allOpened = resolve })
  let exitedYet = false
  const urls = ['/v1/departments', '/v1/hospitals']
  const workers = Array.from({ length: 50 }, async (_value, worker) => {
    outcomes.push(await get(agent, origin, urls[worker % urls.length]!))
    if (++opened === 50) allOpened()
    await allOpen
    for (let i = 0; !exitedYet; i++) {
      const urlPath = i % 2 === 0 ? urls[worker % urls.length]! : `/v1/search?q=ward${worker}x${i}`
      const outcome = await get(agent, origin, urlPath)
      if (outcome.error?.startsWith('ECONNREFUSED') === true) break
      outcomes.push(outcome)
    }
  })

  await allOpen
  await sleep(1000)
  await until(() => outcomes.length > 100)
  const servedBefore = outcomes.length
  const signalledAt = Date.now()
  child.kill('SIGTERM')
  const { code, at } = await exited
  exitedYet = true
  await Promise.all(workers)
  agent.destroy()

  const served = outcomes.filter((outcome) => outcome.status === 200)
  const refused = outcomes.filter((outcome) => outcome.status === 503)
  t.ok(servedBefore > 100, `${servedBefore} requests served before SIGTERM`)
  t.equal(code, 0, 'the process exits 0')
  t.ok(at - signalledAt < 10_000, `within 10 s of SIGTERM (${at - signalledAt} ms)`)
  t.same(outcomes.filter((outcome) => outcome.error !== undefined), [],
    `no request sent on an open connection was reset or hung up (${served.length} answered 200, ${refused.length} 503)`)
  t.same(outcomes.filter((outcome) => outcome.error === undefined && outcome.status !== 200 && outcome.status !== 503), [],
    'every answer is a 200 or a 503')
  t.same(refused.filter((outcome) => !outcome.contentType?.startsWith('application/problem+json') || outcome.retryAfter === undefined ||
    outcome.connection !== 'close' || (JSON.parse(outcome.body ?? '{}') as { type?: string }).type !== '/problems/service-unavailable'), [],
    'every 503 is a service-unavailable problem (application/problem+json), with Retry-After and Connection: close')
  t.ok(served.filter((outcome) => outcome.connection === 'close').length + refused.length >= 50,
    'each connection was told it closes, by its last answer')
  // A refused connection attempt shows up too (the agent frees its socket), as a connection the server never had.
  const connections = closedSockets.filter((socket) => socket.error !== 'ECONNREFUSED')
  t.ok(connections.length >= 50 && connections.every((socket) => !socket.hadError && socket.error === undefined),
    `the server closed all ${connections.length} connections cleanly, after an answer`)
  t.notMatch(output.log, /"level":(50|60)/, 'nothing logged as an error: the database closed after the last request')
  t.match(output.log, /"msg":"closed"/)
})
