import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { packageRoot } from '../../src/paths.ts'
import { freshDatabaseEnv } from '../helper.ts'

// `npm run keys` end to end: the real command creates, lists and revokes keys in a database the app then uses.

interface Run { code: number | null, stdout: string, stderr: string }

function keys (env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`keys did not exit: ${stderr}`)) }, 60_000)
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

/** An empty database of its own: a PostgreSQL one, or an on-disk PGlite directory both processes can open in turn. */
async function databaseEnv (t: Test): Promise<Record<string, string>> {
  const env = await freshDatabaseEnv(t)
  if (env.DATABASE_URL !== undefined) return env
  const directory = await mkdtemp(path.join(tmpdir(), 'hospital-keys-'))
  t.after(() => rm(directory, { recursive: true, force: true }))
  return { PGLITE_DATA_DIR: directory }
}

t.test('create, list, use, revoke', async (t) => {
  const env = await databaseEnv(t)
  const created = await keys(env, 'create', '--name', 'Bureau dashboard', '--scopes', 'read,write')
  t.equal(created.code, 0, created.stderr)
  const key = created.stdout.trim()
  t.match(key, /^hda_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, 'stdout is the key alone, for scripts')
  const prefix = key.slice(0, 16)
  t.match(created.stderr, /shown only now/)
  t.match(created.stderr, prefix)

  const listed = await keys(env, 'list')
  t.equal(listed.code, 0)
  t.match(listed.stdout, new RegExp(`^${prefix}  [0-9a-f-]{36}  read,write +  \\S+  active  Bureau dashboard$`, 'm'))
  t.notOk(listed.stdout.includes(key.slice(17)), 'the secret is never listed')

  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', READS_REQUIRE_KEY: 'true', ...env }))
  try {
    await app.ready()
    t.equal((await app.inject({ url: '/v1/hospitals', headers: { authorization: `Bearer ${key}` } })).statusCode, 200, 'the app accepts the key')
    const stored = await app.prisma.apiKey.findUniqueOrThrow({ where: { prefix } })
    t.notOk(JSON.stringify(stored).includes(key.slice(17)), 'the database holds no secret')
  } finally {
    await app.close()
  }

  const revoked = await keys(env, 'revoke', prefix)
  t.equal(revoked.code, 0)
  t.match(revoked.stdout, /^revoked hda_[0-9a-f]{12} .* revoked \d{4}-/)
  t.match((await keys(env, 'list')).stdout, /revoked \d{4}-\d\d-\d\dT/)

  const again = await buildApp(loadConfig({ LOG_LEVEL: 'silent', READS_REQUIRE_KEY: 'true', ...env }))
  try {
    await again.ready()
    t.equal((await again.inject({ url: '/v1/hospitals', headers: { authorization: `Bearer ${key}` } })).statusCode, 401, 'a revoked key is refused')
  } finally {
    await again.close()
  }
})

t.test('a wrong command line ends with one line and exit code 1', async (t) => {
  const env = { PGLITE_DATA_DIR: 'memory://' }
  for (const [args, message] of [
    [[], /^keys: usage: npm run keys/],
    [['create', '--scopes', 'read'], /^keys: create needs --name/],
    [['create', '--name', 'x', '--scopes', 'read,owner'], /^keys: --scopes: unknown scope owner/],
    [['create', '--name', 'x'], /^keys: --scopes: no scope given/],
    [['revoke'], /^keys: revoke takes one key id or prefix/],
    [['revoke', 'hda_000000000000'], /^keys: no key has the id or prefix "hda_000000000000"/],
    [['list', '--colour'], /^keys: Unknown option '--colour'/]
  ] as const) {
    const run = await keys(env, ...args)
    t.equal(run.code, 1, args.join(' '))
    t.match(run.stderr, message)
    t.notMatch(run.stderr, /\bat .+:\d+:\d+/, 'no stack trace')
  }
})
