import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, lstatSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { hostname, tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import type { KeyCommand } from '../../src/db/api-keys.ts'
import { openControlSocket, sendKeyCommand } from '../../src/db/control-socket.ts'
import { lockDataDir, lockFileName } from '../../src/db/data-dir-lock.ts'
import { DatabaseUnavailableError, openDatabase, type DatabaseConfig } from '../../src/db/database.ts'
import { packageRoot } from '../../src/paths.ts'
import { pgliteTemplate } from '../database-templates.ts'

// One process per embedded data directory (src/db/data-dir-lock.ts), and what a process killed mid-write leaves; the
// control socket on which the process holding a directory takes key commands (src/db/control-socket.ts).

// A new directory starts from the empty cluster, as from the build's template.
const emptyCluster = await pgliteTemplate('empty')

function configFor (dataDir: string): DatabaseConfig {
  return {
    DATABASE_URL: undefined, PGLITE_DATA_DIR: dataDir, PGLITE_TEMPLATE: emptyCluster, PGLITE_SHARED_BUFFERS_MB: 16,
    DATABASE_POOL_SIZE: 1, DATABASE_CONNECT_TIMEOUT_MS: 5000
  }
}

/** Starts test/fixtures/pglite-writer.ts on the directory; resolves once it has the database open. */
async function startWriter (dataDir: string): Promise<{ child: ChildProcess, committed: number[], exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/pglite-writer.ts', dataDir], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', PGLITE_TEMPLATE: emptyCluster },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const committed: number[] = []
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  await new Promise<void>((resolve, reject) => {
    let pending = ''
    const timer = setTimeout(() => reject(new Error(`the writer did not start: ${stderr}`)), 90_000)
    child.on('exit', (code) => reject(new Error(`the writer exited with ${code}: ${stderr}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line === 'ready') { clearTimeout(timer); resolve() } else committed.push(Number(line))
      }
    })
  })
  return { child, committed, exited }
}

/** Leaves a socket file at `socketPath` that nobody listens on, as a process killed with kill -9 does. */
async function abandonedSocket (socketPath: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => console.log("listening"))', socketPath],
    { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  child.kill('SIGKILL')
  await new Promise((resolve) => child.on('exit', resolve))
}

async function lockFile (dataDir: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(dataDir, lockFileName), 'utf8'))
}

/** Sends one line to the socket as any client could, and parses the line it answers. */
function rawRequest (socketPath: string, line: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let received = ''
    const connection = net.createConnection(socketPath, () => connection.write(line))
    connection.setEncoding('utf8')
    connection.on('data', (chunk: string) => { received += chunk })
    connection.on('end', () => resolve(JSON.parse(received)))
    connection.on('error', reject)
  })
}

t.test('a second open in the same process is refused until the first is closed', async (t) => {
  const dataDir = path.join(t.testdir(), 'pglite')
  const first = await openDatabase(configFor(dataDir))
  t.ok(existsSync(path.join(dataDir, lockFileName)), 'the lock file is in the directory')
  await t.rejects(openDatabase(configFor(dataDir)), {
    name: 'DatabaseUnavailableError',
    message: /is already open in this process/
  })
  await first.close()
  t.notOk(existsSync(path.join(dataDir, lockFileName)), 'closing removes the lock file')
  const again = await openDatabase(configFor(dataDir))
  await again.close()
})

t.test('a lock left by a process that is gone is taken over; one held on another host is not', async (t) => {
  const dataDir = path.join(t.testdir(), 'pglite')
  const first = await openDatabase(configFor(dataDir))
  await first.close()

  // A pid that surely runs no process (above the kernel's pid_max).
  await writeFile(path.join(dataDir, lockFileName), JSON.stringify({ pid: 4_194_305, hostname: hostname(), startedAt: '2026-01-01T00:00:00Z' }))
  const taken = await openDatabase(configFor(dataDir))
  await taken.close()

  await writeFile(path.join(dataDir, lockFileName), JSON.stringify({ pid: 1, hostname: 'another-host', startedAt: '2026-01-01T00:00:00Z' }))
  const refused = openDatabase(configFor(dataDir))
  await t.rejects(refused, { name: 'DatabaseUnavailableError', message: /in use by process 1 on another-host .*If that process is gone, delete/ })
})

t.test('another process on the directory: refused while it runs; after kill -9 every committed row is there', async (t) => {
  const dataDir = path.join(t.testdir(), 'pglite')
  const writer = await startWriter(dataDir)
  t.teardown(() => { writer.child.kill('SIGKILL') })

  const error = await openDatabase(configFor(dataDir)).then(() => null, (caught: unknown) => caught)
  t.ok(error instanceof DatabaseUnavailableError, 'a clear error, not a second writer')
  t.match((error as Error).message, new RegExp(`in use by process ${writer.child.pid} on `))
  t.match((error as Error).message, /PGLITE_DATA_DIR|DATABASE_URL/, 'and what to do instead')

  // Let it commit for a while, then kill it in the middle of its writes.
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (writer.committed.length >= 50) { clearInterval(check); resolve() }
    }, 20)
  })
  writer.child.kill('SIGKILL')
  await writer.exited
  const reported = [...writer.committed]

  const reopened = await openDatabase(configFor(dataDir))
  t.after(() => reopened.close())
  const rows = await reopened.withSession((session) => session.query<{ id: number }>('SELECT id FROM committed ORDER BY id'))
  const stored = new Set(rows.map((row) => row.id))
  t.ok(reported.length >= 50, `${reported.length} commits reported before the kill`)
  t.same(reported.filter((id) => !stored.has(id)), [], 'every commit reported before the kill is in the database')
  t.ok(rows.length <= reported.length + 1, 'and at most the one in flight besides')
})

t.test('the control socket: 0600 in a directory of its own, in the lock file, a stale one replaced, removed on close', async (t) => {
  // Under the temporary directory, not t.testdir(): the path must be short enough for a socket in the data directory.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-lock-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  const expected = path.join(dataDir, 'hospital-api.control', 'keys.sock')

  // What a server killed with kill -9 leaves: a socket file nobody listens on.
  await mkdir(path.dirname(expected), { mode: 0o700 })
  await abandonedSocket(expected)
  t.ok(lstatSync(expected).isSocket(), 'a stale socket file is there')

  // The lock alone, without a database: the socket's handler is a stand-in.
  t.after(await lockDataDir(dataDir))
  const asked: KeyCommand[] = []
  const control = await openControlSocket(dataDir, async (command) => {
    asked.push(command)
    return { command: 'list', keys: [] }
  }, () => {})
  t.equal(control.path, expected, 'the socket is in the data directory')
  t.equal(lstatSync(control.path).mode & 0o777, 0o600, 'only its owner can connect')
  t.equal(lstatSync(path.dirname(control.path)).mode & 0o777, 0o700, 'in a directory only its owner can enter')
  t.match(await lockFile(dataDir), { pid: process.pid, controlSocket: control.path }, 'the lock file says where')

  t.same(await sendKeyCommand(control.path, { command: 'list' }), { command: 'list', keys: [] })
  t.same(asked, [{ command: 'list' }])
  t.match(await rawRequest(control.path, '{"command":"query","sql":"DROP TABLE api_keys"}\n'),
    { ok: false, error: /not a key command/ }, 'nothing but key commands')
  t.match(await rawRequest(control.path, 'GET / HTTP/1.1\n'), { ok: false }, 'nor anything that is not JSON')
  t.equal(asked.length, 1)

  await control.close()
  t.notOk(existsSync(path.dirname(control.path)), 'closing removes the socket and its directory')
  await t.rejects(sendKeyCommand(control.path, { command: 'list' }), { name: 'ControlSocketUnreachable' })
})

t.test('a data directory whose socket path would be too long: the socket goes under the temporary directory', async (t) => {
  const dataDir = path.join(t.testdir(), 'x'.repeat(100))
  await mkdir(dataDir)
  t.after(await lockDataDir(dataDir))
  const control = await openControlSocket(dataDir, async () => ({ command: 'list', keys: [] }), () => {})
  t.after(() => control.close())
  t.ok(control.path.startsWith(path.join(tmpdir(), `hospital-api-${process.getuid?.() ?? 0}-`)), control.path)
  t.ok(Buffer.byteLength(control.path) <= 107)
  t.equal(lstatSync(path.dirname(control.path)).mode & 0o777, 0o700)
  t.equal(lstatSync(control.path).mode & 0o777, 0o600)
  t.match(await lockFile(dataDir), { controlSocket: control.path }, 'recorded in the lock file, where the keys command finds it')
  t.same(await sendKeyCommand(control.path, { command: 'list' }), { command: 'list', keys: [] })
})
