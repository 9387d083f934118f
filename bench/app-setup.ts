import path from 'node:path'
import pg from 'pg'
import { ConfigSchema } from '../src/config.ts'
import { runCommand, startServer, type ServerProcess } from './processes.ts'

// How the bench runs the app: the compiled server (what production runs, not tsx), configured only through its
// environment, against a database the bench owns and throws away.

export const benchDatabaseName = 'hospital_bench'

const compiledServer = path.join('dist', 'src', 'server.js')
const compiledKeysCommand = path.join('dist', 'src', 'cli', 'keys.js')

/** Creates an empty `hospital_bench` on the server (dropping a leftover one) and returns its URL. */
export async function createBenchDatabase (adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${benchDatabaseName} WITH (FORCE)`)
    await client.query(`CREATE DATABASE ${benchDatabaseName}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${benchDatabaseName}`
  return url.toString()
}

export async function dropBenchDatabase (adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS ${benchDatabaseName} WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

export const benchCursorSecret = 'hospital-bench-cursor-secret-0123456789'

/**
 * The app's environment: none of the caller's own app settings leak in (a DATABASE_URL in the shell would turn an
 * embedded run into a PostgreSQL one), the production defaults otherwise, and no rate limits, since the one address
 * autocannon sends from would otherwise be throttled within a second.
 */
export function appEnvironment (database: { DATABASE_URL: string } | { PGLITE_DATA_DIR: string },
  extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of [...Object.keys(ConfigSchema.properties), 'RESPONSE_CACHE_MAX_MB']) delete env[name]
  return {
    ...env,
    LOG_LEVEL: 'info',
    // Fixed, so the SQL-built JSON reference signs the same paging cursors as the app (and they survive restarts).
    CURSOR_SECRET: benchCursorSecret,
    RATE_LIMIT_PER_IP: '0',
    RATE_LIMIT_PER_KEY: '0',
    ...database,
    ...extra
  }
}

/**
 * How production runs the server (package.json's `start` and the Dockerfile; test/runtime-flags.test.ts keeps the
 * three in step). The live heap of a busy instance is about 60 MB, yet V8 lets it grow past 200 MB and glibc keeps a
 * malloc arena per thread: a young generation of 8 MB semi-spaces, an old generation capped at 192 MB (load shedding
 * answers 503 at 90% of it, before any out-of-memory) and two malloc arenas keep a PostgreSQL-mode instance under
 * 250 MB through reads and writes. Raise the cap with RESPONSE_CACHE_MAX_MB.
 *
 * No allocation-site pretenuring: about one start in eight, V8 decided (during the first seconds of load, while
 * requests were slow) to allocate some request-scoped objects straight in the old generation, and kept doing it: the
 * instance then ran a full mark-compact every ~170 ms and answered cached hits 40% slower (about 70 µs of CPU per
 * request instead of 40) for as long as it lived. Without pretenuring, 0 of 28 starts did (5 of 42 with it).
 */
export const serverNodeArguments = ['--max-semi-space-size=8', '--max-old-space-size=192', '--no-allocation-site-pretenuring']
export const serverEnvironment = { MALLOC_ARENA_MAX: '2' }

export async function startApp (name: string, env: NodeJS.ProcessEnv, stdoutFile: string): Promise<ServerProcess> {
  return startServer({ name, command: process.execPath, args: [...serverNodeArguments, compiledServer], env: { ...env, ...serverEnvironment }, stdoutFile })
}

/**
 * Creates an API key with the write scope through the `keys` command (the same createApiKey the app checks against).
 * It runs while the app is stopped: an embedded data directory can be opened by one process at a time.
 */
export async function createWriteKey (env: NodeJS.ProcessEnv): Promise<string> {
  const stdout = await runCommand(process.execPath, [compiledKeysCommand, 'create', '--name', 'bench', '--scopes', 'write'], env)
  const key = stdout.trim().split('\n').at(-1)?.trim()
  if (key === undefined || key === '') throw new Error('the keys command printed no key')
  return key
}
