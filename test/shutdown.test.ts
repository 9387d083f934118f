import { spawn } from 'node:child_process'
import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { packageRoot } from '../src/paths.ts'
import { freshDatabaseEnv } from './helper.ts'

// SIGTERM under keep-alive load, against the real process (src/server.ts): /ready fails first while everything else
// is still served, a client that stops sending when /ready fails loses nothing and sees no 5xx, the server closes the
// keep-alive connections itself, and the process exits 0 well within 10 s.

interface Outcome { status?: number, error?: string, connection?: string }

function get (agent: http.Agent, origin: string, urlPath: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}${urlPath}`, { agent }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection }))
      response.on('error', (error) => resolve({ error: error.message }))
    })
    request.on('error', (error) => resolve({ error: error.message }))
  })
}

t.test('SIGTERM: not ready first, in-flight and keep-alive requests served, clean close, exit 0', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-api-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  const database = process.env.TEST_DATABASE_URL === undefined ? { PGLITE_DATA_DIR: dataDir } : await freshDatabaseEnv(t)
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageRoot,
    // No rate limit: every request comes from one address, far faster than a client's.
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '1500', RATE_LIMIT_PER_IP: '0', ...database },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  const exited = new Promise<{ code: number | null, at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })))
  let log = ''
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${log}`)), 90_000)
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (match !== null) { clearTimeout(timer); resolve(match[1]!) }
    })
  })

  // Ten keep-alive connections, each sending requests back to back, as a partner app behind a balancer would.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 })
  const closedSockets: Array<{ hadError: boolean }> = []
  agent.on('free', (socket) => {
    if ((socket as { tracked?: boolean }).tracked === true) return
    ;(socket as { tracked?: boolean }).tracked = true
    socket.on('close', (hadError: boolean) => closedSockets.push({ hadError }))
  })
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
  t.match(log, /"msg":"shutting down: not ready, draining"/)
  t.match(log, /"msg":"closed"/)
})
