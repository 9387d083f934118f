import { execFile, spawn } from 'node:child_process'
import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { listeningOrigin } from './server-process.ts'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { packageRoot } from '../src/paths.ts'
import { freshDatabaseEnv } from './helper.ts'

// The server killed with SIGKILL while it is sending webhook deliveries: nothing it had not delivered is lost. The
// real process (src/server.ts) sends to a slow receiver; it is killed with deliveries in flight and others waiting in
// the outbox; a new process on the same database sends every one of them (those cut off mid-way once their lease has
// passed), so the receiver ends with every change, under the ids the outbox gave them.

const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-webhooks-'))
t.teardown(() => rm(dataDir, { recursive: true, force: true }))
const database = process.env.TEST_DATABASE_URL === undefined ? { PGLITE_DATA_DIR: dataDir } : await freshDatabaseEnv(t)
const env = {
  PATH: process.env.PATH ?? '',
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  RATE_LIMIT_PER_IP: '0',
  RATE_LIMIT_PER_KEY: '0',
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
  DATABASE_CONNECT_TIMEOUT_MS: '10000',
  DATABASE_QUERY_TIMEOUT_MS: '10000',
  WEBHOOK_ALLOW_ADDRESSES: 'loopback',
  WEBHOOK_CONCURRENCY: '2',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '2500',
  WEBHOOK_RETRY_BASE_MS: '100',
  ...database
}

async function startServer (t: Test) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { child.kill('SIGKILL') })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  const origin = await listeningOrigin(child.stdout)
  return { child, exited, origin }
}

t.test('SIGKILL mid-delivery: after a restart every change is delivered, none lost', async (t) => {
  // A receiver that takes 150 ms over each delivery, so some are in flight whenever the server is killed.
  const received: Array<{ id: string, cursor: string }> = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => { body += chunk.toString() })
    request.on('end', () => {
      setTimeout(() => {
        received.push({ id: String(request.headers['webhook-id']), cursor: (JSON.parse(body) as { data: { cursor: string } }).data.cursor })
        response.writeHead(204).end()
      }, 150)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`

  const first = await startServer(t)
  // The operator's way to a key while the server holds the database: the keys command (through its control socket).
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', 'create', '--name', 'Crash test', '--scopes', 'admin'],
    { cwd: packageRoot, env })
  const auth = { authorization: `Bearer ${stdout.trim()}`, 'content-type': 'application/json' }
  const subscribed = await fetch(`${first.origin}/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: hookUrl }) })
  t.equal(subscribed.status, 201, 'subscribed')

  const writes = 24
  for (let year = 1; year <= writes; year++) {
    const written = await fetch(`${first.origin}/v1/departments/general-gynecology`, {
      method: 'PATCH',
      headers: { ...auth, 'if-match': '*' },
      body: JSON.stringify({ establishedYear: 1950 + year, provenance: { note: 'Stated by the ward office' } })
    })
    if (written.status !== 200) t.fail(`write ${year}: ${written.status}`)
  }
  while (received.length < 3) await sleep(10)
  first.child.kill('SIGKILL')
  t.equal(await first.exited, 'SIGKILL')
  const beforeRestart = new Set(received.map((entry) => entry.id)).size
  t.ok(beforeRestart < writes, `killed with ${writes - beforeRestart} of ${writes} deliveries not yet received`)

  const second = await startServer(t)
  const feed = await (await fetch(`${second.origin}/v1/changes?since=0&resource=departments&limit=1000`)).json() as { data: Array<{ cursor: string }> }
  const expected = feed.data.map((change) => change.cursor).sort()
  t.equal(expected.length, writes)
  const deadline = Date.now() + 60_000
  while (new Set(received.map((entry) => entry.cursor)).size < writes && Date.now() < deadline) await sleep(50)
  t.same([...new Set(received.map((entry) => entry.cursor))].sort(), expected, 'every change delivered after the restart')
  const ids = new Map<string, string>()
  for (const entry of received) {
    if (ids.has(entry.cursor)) t.equal(ids.get(entry.cursor), entry.id, `a change sent twice keeps its webhook-id (cursor ${entry.cursor})`)
    ids.set(entry.cursor, entry.id)
  }
  t.comment(`${received.length} requests for ${writes} changes: ${received.length - writes} repeats of deliveries cut off by the kill`)
  second.child.kill('SIGTERM')
  await second.exited
})
