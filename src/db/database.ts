import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import type { Config } from '../config.ts'
import { DatabaseUnavailableError } from '../lib/database-errors.ts'
import { PrismaClient } from '../generated/prisma/client.ts'
import { lockDataDir } from './data-dir-lock.ts'
import type { NotificationHandlers, StopListening } from './listener.ts'
import type { ReadRouting } from './read-replicas.ts'
import type { Pool } from 'pg'
import { pgClientSession, pgliteSession, type SqlSession } from './sql-session.ts'
import { statementNames } from './statement-names.ts'

// One place chooses the database: a PostgreSQL server when DATABASE_URL is set, otherwise an embedded PGlite
// (on disk under PGLITE_DATA_DIR, or in memory). Everything above this file sees the same Database shape.
// Each side's driver is imported only when it is chosen: a server on PostgreSQL never loads PGlite's WebAssembly,
// and an embedded one never loads pg, which keeps start-up time and memory to what is used.

export type DatabaseKind = 'postgresql' | 'pglite'

export interface Database {
  kind: DatabaseKind
  prisma: PrismaClient
  /** Runs work on one dedicated connection (migrations need a session for the advisory lock and transactions). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>
  /**
   * Runs one read statement straight on the driver (pg with a named prepared statement, or PGlite) and returns its
   * rows: for the answers PostgreSQL writes as JSON text, where Prisma's handling of raw results costs several
   * times the driver's CPU (2.0 ms against 0.55 ms for a page of units) and adds nothing.
   */
  query<Row>(statement: { text: string, values: unknown[] }): Promise<Row[]>
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>
  /** The connections the app holds: for metrics. PGlite is one connection inside the process. */
  poolStats(): PoolStats
  /** Delivers the channel's NOTIFY payloads to `handlers` until the returned function is called. */
  listen(channel: string, handlers: NotificationHandlers): Promise<StopListening>
  /**
   * Runs work whose queries only read (a GET's handler), so that they may be served by a read replica
   * (DATABASE_REPLICA_URLS) that has every change this process made or heard of; otherwise just runs it.
   */
  reading<T>(work: () => T): T
  /** Where reads went, when there are read replicas. */
  readRouting?: Pick<ReadRouting, 'stats' | 'settled'>
  close(): Promise<void>
}

export interface PoolStats {
  /** The most connections the pool opens. */
  max: number
  /** Open connections, in use or idle. */
  open: number
  /** Unknown for PGlite. */
  idle?: number
  /** Queries waiting for a connection; unknown for PGlite, whose queries queue on its own mutex. */
  waiting?: number
}

// Defined with the other database errors (lib/database-errors.ts), so that modules which only name it load no driver.
export { DatabaseUnavailableError }

export type DatabaseConfig = Pick<Config,
  'DATABASE_URL' | 'PGLITE_DATA_DIR' | 'PGLITE_SHARED_BUFFERS_MB' | 'DATABASE_POOL_SIZE' | 'DATABASE_CONNECT_TIMEOUT_MS'> &
  Partial<Pick<Config, 'MIGRATE_ON_START' | 'SEED_ON_START' | 'DATABASE_QUERY_TIMEOUT_MS' | 'DATABASE_NETWORK_TIMEOUT_MS' | 'DATABASE_PREPARED_STATEMENTS' |
    'DATABASE_REPLICA_URLS' | 'PGLITE_TEMPLATE' | 'DATABASE_PLAN_CACHE_MODE'>>

export async function openDatabase (config: DatabaseConfig): Promise<Database> {
  const replicaUrls = (config.DATABASE_REPLICA_URLS ?? '').split(',').filter((url) => url !== '')
  if (config.DATABASE_URL === undefined) {
    if (replicaUrls.length > 0) {
      throw new DatabaseUnavailableError('DATABASE_REPLICA_URLS is set without DATABASE_URL: read replicas are replicas of a PostgreSQL primary')
    }
    return openPglite(config.PGLITE_DATA_DIR, config.PGLITE_SHARED_BUFFERS_MB, config.PGLITE_TEMPLATE,
      config.MIGRATE_ON_START !== false && config.SEED_ON_START !== false)
  }
  return openPostgres(config.DATABASE_URL, replicaUrls, config)
}

async function openPostgres (connectionString: string, replicaUrls: string[], config: DatabaseConfig): Promise<Database> {
  const [{ default: pg }, { PrismaPg }, { listenPostgres }, { createGuardedPool }, { createReadRouting }] =
    await Promise.all([import('pg'), import('@prisma/adapter-pg'), import('./listener.ts'), import('./postgres-pool.ts'),
      import('./read-replicas.ts')])
  // A database that is down, refusing or silently unreachable must not hang requests, and a busy event loop must not
  // pass for one (postgres-pool.ts): how long a statement may run is PostgreSQL's own statement_timeout; the client
  // gives up on an answer only well past it, not counting time its event loop was blocked; waiting for a connection
  // is bounded the same way. The failures are answered 503, each saying what it was (src/lib/database-errors.ts). A
  // connection whose answer never came is destroyed, so one stuck on a dead network path is never reused, and new
  // ones are made once the database answers again. TCP keep-alive finds idle connections whose peer is gone.
  const statementTimeoutMs = config.DATABASE_QUERY_TIMEOUT_MS ?? 1000
  const openPool = (url: string, applicationName: string): Pool => {
    const pool = createGuardedPool({
      connectionString: url,
      max: config.DATABASE_POOL_SIZE,
      applicationName,
      statementTimeoutMs,
      noAnswerTimeoutMs: statementTimeoutMs + (config.DATABASE_NETWORK_TIMEOUT_MS ?? 1000),
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      planCacheMode: config.DATABASE_PLAN_CACHE_MODE ?? 'force_generic_plan'
    })
    // An idle client's error (server restart, network drop) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    return pool
  }
  const pool = openPool(connectionString, 'hospital-departments-api')
  try {
    const client = await pool.connect()
    client.release()
  } catch (error) {
    await pool.end()
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${redactUrl(connectionString)}: ${error instanceof Error ? error.message : String(error)}`
    )
  }
  const preparedStatements = config.DATABASE_PREPARED_STATEMENTS ?? 200
  const nameOf = statementNames({ max: preparedStatements })
  const adapterFor = (adapterPool: Pool): InstanceType<typeof PrismaPg> =>
    new PrismaPg(adapterPool, preparedStatements === 0 ? {} : { statementNameGenerator: statementNames({ max: preparedStatements }) })
  // Replicas are not required to answer at start: one that does not is left alone and its reads go to the primary.
  const replicaPools = replicaUrls.map((url) => openPool(url, 'hospital-departments-api replica'))
  const routing = replicaUrls.length === 0
    ? undefined
    : createReadRouting({ factory: adapterFor(pool), pool },
      replicaPools.map((replicaPool) => ({ factory: adapterFor(replicaPool), pool: replicaPool })))
  const prisma = new PrismaClient({ adapter: routing?.factory ?? adapterFor(pool) })
  let closed = false
  return {
    kind: 'postgresql',
    prisma,
    // Migrations get a connection of their own, without the query timeouts: a migration may rightly take longer.
    async withSession (work) {
      const client = new pg.Client({ connectionString, connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS, application_name: 'hospital-departments-api' })
      client.on('error', () => {})
      await client.connect()
      try {
        return await work(pgClientSession(client))
      } finally {
        await client.end()
      }
    },
    async query<Row> (statement: { text: string, values: unknown[] }) {
      const name = preparedStatements === 0 ? '' : nameOf({ sql: statement.text })
      const query = { text: statement.text, values: statement.values, ...(name === '' ? {} : { name }) }
      // A GET's read goes to a caught-up replica when there are replicas, as Prisma's reads do.
      const result = routing === undefined ? await pool.query(query) : await routing.query(query)
      return result.rows as Row[]
    },
    async ping () {
      await pool.query('SELECT 1')
    },
    poolStats: () => ({ max: config.DATABASE_POOL_SIZE, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: async (channel, handlers) => listenPostgres(connectionString, channel, routing === undefined
      ? handlers
      : {
          // A commit heard of, or a gap in hearing them, sends reads to the primary until a replica has it, so that
          // the caches it empties are not refilled from a replica that lacks it.
          notify: (payload) => { routing.changed(); handlers.notify(payload) },
          listening: (listening) => { routing.changed(); handlers.listening(listening) }
        }, { connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS }),
    reading: routing === undefined ? (work) => work() : (work) => routing.reading(work),
    ...(routing === undefined ? {} : { readRouting: routing }),
    async close () {
      if (closed) return
      closed = true
      await routing?.close()
      await prisma.$disconnect()
      await Promise.all([pool.end(), ...replicaPools.map(async (replicaPool) => replicaPool.end())])
    }
  }
}

async function openPglite (dataDir: string, sharedBuffersMb: number, templateFile: string | undefined, seeded: boolean): Promise<Database> {
  const [{ PGlite }, { PrismaPGlite }, { ensurePgliteCluster, pgliteStartParams, templateBlob, templateFor }] =
    await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter'), import('./pglite-cluster.ts')])
  const startParams = pgliteStartParams(sharedBuffersMb)
  const inMemory = dataDir === 'memory://' || dataDir === ''
  // A new database starts from PGLITE_TEMPLATE, or the build's seeded database (when it would be migrated and seeded
  // anyway), or the build's empty cluster; a configured one that cannot be used is an error rather than a silent initdb.
  const template = async (): Promise<string | undefined> => templateFor(templateFile, { seeded }).catch((error: unknown) => {
    throw new DatabaseUnavailableError(error instanceof Error ? error.message : String(error), { cause: error })
  })
  let unlock = async (): Promise<void> => {}
  let db: PGlite
  try {
    if (!inMemory) {
      await mkdir(dataDir, { recursive: true })
      // One process per directory (see data-dir-lock.ts): a second one stops here, before it touches any file.
      unlock = await lockDataDir(dataDir).catch((error: unknown) => {
        throw new DatabaseUnavailableError(error instanceof Error ? error.message : String(error), { cause: error })
      })
      if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
        await ensurePgliteCluster(dataDir, startParams, await template()).catch((error: unknown) => {
          throw new DatabaseUnavailableError(
            `Cannot create the PGlite database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error })
        })
      }
    }
    // In memory there is no directory for a child to fill: the template (or else initdb) is loaded in process.
    if (inMemory) {
      const file = await template()
      db = new PGlite({ startParams, ...(file === undefined ? {} : { loadDataDir: await templateBlob(file) }) })
    } else {
      db = new PGlite(dataDir, { startParams })
    }
    await db.waitReady
  } catch (error) {
    await unlock()
    throw error
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) })
  const session = pgliteSession(db)
  return {
    kind: 'pglite',
    prisma,
    withSession: async (work) => work(session),
    async query<Row> (statement: { text: string, values: unknown[] }) {
      return (await db.query<Row>(statement.text, statement.values)).rows
    },
    async ping () {
      await db.query('SELECT 1')
    },
    poolStats: () => ({ max: 1, open: db.closed ? 0 : 1 }),
    reading: (work) => work(),
    async listen (channel, handlers) {
      // One in-process connection: a notification arrives when the transaction that sent it commits.
      const unlisten = await db.listen(channel, handlers.notify)
      handlers.listening(true)
      return async () => {
        if (!db.closed) await unlisten()
      }
    },
    async close () {
      await prisma.$disconnect()
      if (!db.closed) await db.close()
      await unlock()
    }
  }
}

/** Hides the password in a connection string before it goes into a message or log. */
export function redactUrl (connectionString: string): string {
  try {
    const url = new URL(connectionString)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    return '<unparseable DATABASE_URL>'
  }
}
