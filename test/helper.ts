import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { seedDatabase } from '../src/db/seed.ts'
import { pgliteTemplate, postgresTemplate, type TemplateKind } from './database-templates.ts'

// Tests run against an in-memory PGlite by default. With TEST_DATABASE_URL set, each call gets a fresh PostgreSQL
// database of its own (created here, dropped after the test), so files running in parallel never share state.
// Either way a new database is a copy of a template made once (test/database-templates.ts): empty, or migrated and
// seeded as a server leaves it at its first start.

// Resources are closed with `t.teardown`, not `t.after`: on the root test of a file the two differ. A root with a
// teardown ends once it is idle; one with only `after` ends when the event loop empties, and an open embedded
// database keeps it busy for up to 10 s after its last query (PostgreSQL's idle timer that flushes statistics runs
// on a Node timer in PGlite), so every file would idle that long before its apps were closed.
interface Teardown {
  teardown(fn: () => unknown): void
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL
export const databaseKind = testDatabaseUrl === undefined ? 'pglite' : 'postgresql'

/** Environment variables selecting a fresh database for one test: empty (the default), or migrated and seeded. */
export async function freshDatabaseEnv (t: Teardown, options: { seeded?: boolean } = {}): Promise<Record<string, string>> {
  const kind: TemplateKind = options.seeded === true ? 'seeded' : 'empty'
  if (testDatabaseUrl === undefined) return { PGLITE_DATA_DIR: 'memory://', PGLITE_TEMPLATE: await pgliteTemplate(kind) }
  const template = kind === 'seeded' ? await postgresTemplate(testDatabaseUrl) : undefined
  const name = `hospital_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: testDatabaseUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"${template === undefined ? '' : ` TEMPLATE "${template}"`}`)
  } finally {
    await admin.end()
  }
  t.teardown(async () => {
    const cleanup = new pg.Client({ connectionString: testDatabaseUrl })
    await cleanup.connect()
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    } finally {
      await cleanup.end()
    }
  })
  const url = new URL(testDatabaseUrl)
  url.pathname = `/${name}`
  return { DATABASE_URL: url.toString() }
}

/**
 * The service's configuration for a test: production defaults, a fresh database, quiet logs, no rate limits (every
 * request of a test comes from one address, far faster than any client; test/app/rate-limit.test.ts sets them) and
 * no load shedding (the embedded database runs on the event loop, and a test that seeds on a busy machine would see
 * its next request refused; test/app/overload.test.ts sets it) and generous PostgreSQL timeouts (two suites share
 * two cores in CI; test/db/faults.test.ts uses the production ones).
 */
export async function testConfig (t: Teardown, env: Record<string, string> = {},
  options: { database?: 'empty' | 'seeded' } = {}): Promise<Config> {
  // An app that migrates and seeds at start gets a database already in that state (the same, made by the same code),
  // unless the test asks for an empty one to watch it happen.
  const seeded = options.database === undefined
    ? env.MIGRATE_ON_START !== 'false' && env.SEED_ON_START !== 'false'
    : options.database === 'seeded'
  return loadConfig({
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_IP: '0',
    RATE_LIMIT_PER_KEY: '0',
    PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
    PRESSURE_MAX_HEAP_USED_MB: '0',
    DATABASE_CONNECT_TIMEOUT_MS: '10000',
    DATABASE_QUERY_TIMEOUT_MS: '10000',
    ...(await freshDatabaseEnv(t, { seeded })),
    ...env
  })
}

/** Builds the app exactly as the server does (same options), migrated and seeded, and closes it after the test. */
export async function buildTestApp (t: Teardown, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp(await testConfig(t, env))
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/** A bare database (no app) for tests of migrations and seeding; closed after the test. */
export async function openTestDatabase (t: Teardown, options: { migrated?: boolean, seeded?: boolean } = {}): Promise<Database> {
  const database = await openDatabase(await testConfig(t, {}, { database: 'empty' }))
  t.teardown(() => database.close())
  if (options.migrated === true || options.seeded === true) await database.withSession((session) => migrate(session))
  if (options.seeded === true) await seedDatabase(database.prisma)
  return database
}

/**
 * Resolves on the app's next data change, which must come within five seconds. A test that writes behind the API's
 * back and then reads a statistic it read before waits for it: the database reports a commit to the app's cache a
 * moment after the commit itself.
 */
export async function nextDataChange (app: FastifyInstance): Promise<void> {
  await once(app.dataChanges, 'change', { signal: AbortSignal.timeout(5000) })
}
