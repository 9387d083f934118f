import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { listeningOrigin } from './server-process.ts'
import t, { type Test } from 'tap'
import { openDatabase } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { packageRoot } from '../src/paths.ts'
import { pgliteTemplate } from './database-templates.ts'

// Start-up failures an operator can fix must end the real process with one clear line and exit code 1.

// A new embedded data directory starts from the empty cluster (as from the build's template), not from initdb.
const emptyCluster = { PGLITE_TEMPLATE: await pgliteTemplate('empty') }
const embedded = (dataDir: string) =>
  ({ PGLITE_DATA_DIR: dataDir, PGLITE_SHARED_BUFFERS_MB: 16, DATABASE_POOL_SIZE: 1, DATABASE_CONNECT_TIMEOUT_MS: 1000, ...emptyCluster })

function startServer (env: Record<string, string>): Promise<{ code: number | null, stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', ...emptyCluster, ...env },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not exit: ${stderr}`)) }, 60_000)
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr }) })
  })
}

function assertOneLine (t: Test, stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n')
  t.equal(lines.length, 1, `one line, got: ${stderr}`)
  t.match(lines[0], pattern)
  t.notMatch(stderr, /\bat .+:\d+:\d+/, 'no stack trace')
}

t.test('bad configuration', async (t) => {
  const { code, stderr } = await startServer({ PORT: 'not-a-port' })
  t.equal(code, 1)
  assertOneLine(t, stderr, /^hospital-api: Invalid configuration: PORT must be integer/)
})

t.test('unreachable database at start', async (t) => {
  const { code, stderr } = await startServer({ DATABASE_URL: 'postgresql://nobody:secret@127.0.0.1:1/none', DATABASE_CONNECT_TIMEOUT_MS: '1000' })
  t.equal(code, 1)
  assertOneLine(t, stderr, /^hospital-api: Cannot connect to PostgreSQL at postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/)
  t.notMatch(stderr, /secret/, 'the password is not printed')
})

t.test('a migration changed after it was applied', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-api-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  const database = await openDatabase(embedded(dataDir))
  await database.withSession(async (session) => {
    await migrate(session)
    // What the database recorded no longer matches the file: as if the file had been edited since.
    await session.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`)
  })
  await database.close()

  const { code, stderr } = await startServer({ PGLITE_DATA_DIR: dataDir })
  t.equal(code, 1)
  assertOneLine(t, stderr, /^hospital-api: Migration \d+_init was modified after it was applied/)
})

t.test('an embedded data directory another process has open', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-api-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  // This test process holds it; the server, a second process, must stop before touching it.
  const holder = await openDatabase(embedded(dataDir))
  t.after(() => holder.close())
  const { code, stderr } = await startServer({ PGLITE_DATA_DIR: dataDir })
  t.equal(code, 1)
  assertOneLine(t, stderr, new RegExp(`^hospital-api: .* is in use by process ${process.pid} on `))
})

t.test('starts on an empty embedded database, serves the seeded units, and exits 0 on SIGTERM', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hospital-api-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', PGLITE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...emptyCluster },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  // A failed assertion below must not leave the server running (the file would then wait out tap's timeout).
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const address = await listeningOrigin(child.stdout, undefined, 60_000)
  const response = await fetch(`${address}/v1/departments`)
  const text = await response.text()
  t.equal(response.status, 200, text.slice(0, 500))
  const body = JSON.parse(text) as { data?: Array<{ slug: string }> }
  t.equal(body.data?.length, 5, 'the five seeded units')
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'clean exit')
})
