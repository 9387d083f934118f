import { spawn } from 'node:child_process'
import { existsSync, lstatSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { listeningOrigin } from '../server-process.ts'
import t, { type Test } from 'tap'
import { loadConfig } from '../../src/config.ts'
import { lockFileName } from '../../src/db/data-dir-lock.ts'
import { openDatabase } from '../../src/db/database.ts'
import { packageRoot } from '../../src/paths.ts'
import { freshDatabaseEnv } from '../helper.ts'
import { runCommand, type Run } from './run-command.ts'

// `npm run keys` end to end: the real command creates, lists and revokes keys in a database a real server then uses.
// With the embedded database it works the same while the server runs: the server carries the command out, on the
// control socket of its data directory (src/db/control-socket.ts); on PostgreSQL the command opens the database.

/** The command as the compiled image runs it, without npm. */
function keys (env: Record<string, string>, ...args: string[]): Promise<Run> {
  return runCommand(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], env)
}

/** The command as the README says to capture its output: `npm run -s keys -- …`. */
function npmKeys (env: Record<string, string>, ...args: string[]): Promise<Run> {
  return runCommand('npm', ['run', '-s', 'keys', '--', ...args], env)
}

/**
 * A seeded database of its own (so the server starts without seeding): a PostgreSQL one, or an on-disk PGlite
 * directory, made from the seeded template, that the processes of the test open in turn.
 */
async function databaseEnv (t: Test): Promise<Record<string, string>> {
  const env = await freshDatabaseEnv(t, { seeded: true })
  if (env.DATABASE_URL !== undefined) return env
  const directory = await mkdtemp(path.join(tmpdir(), 'hospital-keys-'))
  t.after(() => rm(directory, { recursive: true, force: true }))
  return { ...env, PGLITE_DATA_DIR: directory }
}

/** Starts the server (src/server.ts) on the database; resolves with its origin once it listens. */
async function startServer (t: Test, env: Record<string, string>): Promise<{ origin: string, pid: number, stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '0', RATE_LIMIT_PER_IP: '0', READS_REQUIRE_KEY: 'true', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const output = { log: '' }
  const origin = await listeningOrigin(child.stdout, output)
  t.notOk(output.log.includes('no control socket'), 'the server opened its control socket, where there is one')
  return { origin, pid: child.pid!, stop: async () => { child.kill('SIGTERM'); return exited } }
}

t.test('create, list, use, revoke: with the server stopped, then while it runs', async (t) => {
  const env = await databaseEnv(t)
  const embedded = env.PGLITE_DATA_DIR !== undefined
  const keyPattern = /^hda_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/

  // No server: the command opens the database itself.
  const created = await keys(env, 'create', '--name', 'Bureau dashboard', '--scopes', 'read,write')
  t.equal(created.code, 0, created.stderr)
  const key = created.stdout.trim()
  t.match(key, keyPattern, 'stdout is the key alone, for scripts')
  const prefix = key.slice(0, 16)
  t.match(created.stderr, /shown only now/)
  t.match(created.stderr, prefix)
  t.notMatch(created.stderr, /carried out by the server/)

  const server = await startServer(t, env)
  const get = (url: string, presented?: string): Promise<Response> =>
    fetch(`${server.origin}${url}`, presented === undefined ? {} : { headers: { authorization: `Bearer ${presented}` } })
  t.equal((await get('/v1/hospitals', key)).status, 200, 'the server accepts the key')
  t.equal((await get('/v1/hospitals')).status, 401, 'and needs one (READS_REQUIRE_KEY)')

  let socketPath: string | undefined
  if (embedded) {
    const lock = JSON.parse(await readFile(path.join(env.PGLITE_DATA_DIR!, lockFileName), 'utf8')) as { pid: number, controlSocket?: string }
    t.equal(lock.pid, server.pid, 'the server holds the data directory')
    socketPath = lock.controlSocket
    t.equal(socketPath, path.join(env.PGLITE_DATA_DIR!, 'hospital-api.control', 'keys.sock'), 'its lock file names the control socket')
    t.equal(lstatSync(socketPath!).mode & 0o777, 0o600, 'which only its owner can connect to')
    t.equal(lstatSync(path.dirname(socketPath!)).mode & 0o777, 0o700, 'in a directory only its owner can enter')
  }

  // While the server runs, a first admin key, captured as the README says.
  const admin = await npmKeys(env, 'create', '--name', 'Operations', '--scopes', 'admin')
  t.equal(admin.code, 0, admin.stderr)
  t.match(admin.stdout, /^hda_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n$/, 'npm run -s keys: one line on stdout, the key')
  if (embedded) t.match(admin.stderr, new RegExp(`carried out by the server running on .*, process ${server.pid}`))
  const adminKey = admin.stdout.trim()
  t.equal((await get('/metrics', adminKey)).status, 200, 'the running server accepts it at once')
  t.equal((await get('/metrics', key)).status, 403, 'a key without the admin scope gets no metrics')
  const patched = await fetch(`${server.origin}/v1/departments/general-gynecology`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', 'if-match': '*' },
    body: JSON.stringify({ focus: 'Written with a key made while the server ran', provenance: { note: 'keys test' } })
  })
  t.equal(patched.status, 200, 'and for a write', { body: patched.ok ? undefined : await patched.text() })

  // A key confined to a region, made through the running server where there is one.
  const scoped = await npmKeys(env, 'create', '--name', 'Chongqing office', '--scopes', 'write', '--region', 'chongqing')
  t.equal(scoped.code, 0, scoped.stderr)
  t.match(scoped.stderr, /active  Chongqing office  region chongqing/)
  const unknownRegion = await npmKeys(env, 'create', '--name', 'Nowhere office', '--scopes', 'write', '--region', 'atlantis')
  t.equal(unknownRegion.code, 1)
  t.match(unknownRegion.stderr, /no region has the slug "atlantis"/)

  const listed = await keys(env, 'list')
  t.equal(listed.code, 0, listed.stderr)
  t.match(listed.stdout, /  write +  \S+  active  Chongqing office  region chongqing$/m)
  t.match(listed.stdout, new RegExp(`^${prefix}  [0-9a-f-]{36}  read,write +  \\S+  active  Bureau dashboard$`, 'm'))
  t.match(listed.stdout, new RegExp(`^${adminKey.slice(0, 16)}  [0-9a-f-]{36}  admin +  \\S+  active  Operations$`, 'm'))
  t.notOk(listed.stdout.includes(key.slice(17)) || listed.stdout.includes(adminKey.slice(17)), 'no secret is ever listed')
  const listedJson = await keys(env, 'list', '--json')
  t.match(JSON.parse(listedJson.stdout), [
    { prefix, name: 'Bureau dashboard', scopes: ['read', 'write'], revokedAt: null, createdAt: /^\d{4}-/ },
    { prefix: adminKey.slice(0, 16), name: 'Operations', scopes: ['admin'], revokedAt: null, region: null },
    { name: 'Chongqing office', scopes: ['write'], region: 'chongqing' }
  ], 'list --json: the keys, for scripts')
  t.equal((await keys(env, 'revoke', scoped.stdout.trim().slice(0, 16))).code, 0, 'the region-scoped key is revoked like any other')

  // Plain `npm run keys` puts npm's banner on stdout; the command says how to capture its output alone.
  const bannered = await runCommand('npm', ['run', 'keys', '--', 'list', '--json'], env)
  t.equal(bannered.code, 0, bannered.stderr)
  t.match(bannered.stdout, /> hospital-departments-api@\S+ keys/)
  t.match(bannered.stderr, /npm run -s keys/, 'and the command says how to capture its output alone')

  const revoked = await keys(env, 'revoke', adminKey.slice(0, 16), '--json')
  t.equal(revoked.code, 0, revoked.stderr)
  t.match(JSON.parse(revoked.stdout), { prefix: adminKey.slice(0, 16), revokedAt: /^\d{4}-/ })
  t.equal((await get('/metrics', adminKey)).status, 401, 'the running server refuses the revoked key')

  t.equal(await server.stop(), 0, 'the server stops cleanly')
  if (socketPath !== undefined) {
    t.notOk(existsSync(path.dirname(socketPath)), 'its control socket is gone with it')
    t.notOk(existsSync(path.join(env.PGLITE_DATA_DIR!, lockFileName)), 'and so is its lock')
  }

  // No server again: the command opens the database itself, as before.
  const again = await keys(env, 'revoke', prefix)
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /^revoked hda_[0-9a-f]{12} .* revoked \d{4}-/)
  t.notMatch(again.stderr, /carried out by the server/)

  const database = await openDatabase(loadConfig(env))
  try {
    const stored = await database.prisma.apiKey.findMany()
    t.equal(stored.length, 3)
    t.ok(stored.every((row) => row.revokedAt !== null), 'every key is revoked')
    t.notOk(JSON.stringify(stored).includes(key.slice(17)) || JSON.stringify(stored).includes(adminKey.slice(17)), 'the database holds no secret')
  } finally {
    await database.close()
  }
})

t.test('a wrong command line ends with one line and exit code 1', async (t) => {
  const env = await freshDatabaseEnv(t)
  for (const [args, message] of [
    [[], /^keys: usage: npm run -s keys/],
    [['create', '--scopes', 'read'], /^keys: create needs --name/],
    [['create', '--name', 'x', '--scopes', 'read,owner'], /^keys: --scopes: unknown scope owner/],
    [['create', '--name', 'x'], /^keys: --scopes: no scope given/],
    [['revoke'], /^keys: revoke takes one key id or prefix/],
    [['revoke', 'hda_000000000000'], /^keys: no key has the id or prefix "hda_000000000000"/],
    [['list', '--colour'], /^keys: Unknown option '--colour'/],
    [['list', '--region', 'chongqing'], /^keys: --region is for create/],
    [['create', '--name', 'x', '--scopes', 'write', '--region', 'Not A Slug'], /^keys: --region takes a region's slug/]
  ] as const) {
    const run = await keys(env, ...args)
    t.equal(run.code, 1, args.join(' '))
    t.match(run.stderr, message)
    t.notMatch(run.stderr, /\bat .+:\d+:\d+/, 'no stack trace')
  }
})
