import { AsyncLocalStorage } from 'node:async_hooks'
import type { PrismaPg } from '@prisma/adapter-pg'
import type pg from 'pg'
import { databaseFailure } from '../lib/database-errors.ts'

// Reads served by PostgreSQL streaming replicas (hot standbys), with every process reading its own writes.
//
// Prisma's @prisma/extension-read-replicas (0.5.0, the release for Prisma 7) takes replica PrismaClients built on
// driver adapters, but it routes a fixed list of model operations (findMany, count, ...) to a random replica: raw
// queries, which this API's read paths are built from, always go to the primary (they reach a replica only through
// an explicit $replica() at each call); every model read outside a transaction goes to a replica, reads inside write
// requests included; and nothing waits for a replica to have a write (its open issue #35). So routing is done here,
// one level lower, in a driver adapter that sits in front of the primary's and the replicas' PrismaPg adapters:
// - only queries run inside `reading()` (the handlers of GET and HEAD requests) may go to a replica; everything
//   else, transactions, writes and the API key lookup included, goes to the primary;
// - after this process commits a write, or hears of another's commit (the data_change notifications), reads go to
//   the primary until a replica has replayed past the primary's WAL position taken after the commit
//   (pg_current_wal_lsn() on the primary, pg_last_wal_replay_lsn() on the replica): a process reads its own writes,
//   and a cache emptied by a change is never refilled from a replica that lacks it;
// - a replica that fails (down, unreachable, or cancelling a query for a conflict with recovery) is left alone for a
//   few seconds and the read is retried on the primary.

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>
type Query = Parameters<Adapter['queryRaw']>[0]

interface Replica {
  adapter: Adapter
  pool: pg.Pool
  /** The last generation of changes this replica is known to have replayed. */
  caughtUp: number
  /** Until when (performance.now()) the replica is left alone after failing. */
  unhealthyUntil: number
}

export interface ReadRoutingStats {
  replicas: number
  /** Queries run on a replica, and reads that went to the primary because none had caught up or was healthy. */
  replicaReads: number
  primaryReads: number
}

export interface ReadRouting {
  /** The adapter factory for the PrismaClient: routes each query. */
  factory: { provider: 'postgres', adapterName: string, connect(): Promise<Adapter> }
  /** Runs work whose queries only read, so that they may be served by a replica. */
  reading<T>(work: () => T): T
  /**
   * One read statement straight on a driver pool: a caught-up replica's inside `reading()`, else the primary's (the
   * answers PostgreSQL writes as JSON, which do not go through Prisma).
   */
  query(config: pg.QueryConfig): Promise<pg.QueryResult>
  /** The database changed (a commit heard of): read from the primary until a replica has the change. */
  changed(): void
  stats(): ReadRoutingStats
  /** Resolves once every replica has replayed everything this process wrote or heard of so far. */
  settled(): Promise<void>
  close(): Promise<void>
}

const unhealthyMs = 5000
const firstPollMs = 5
const lastPollMs = 500

/** PostgreSQL's pg_lsn ("16/B374D848") as a number that compares. */
export function parseLsn (lsn: string): bigint {
  const [high, low] = lsn.split('/')
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`)
}

/** Plain reads: a statement that starts with SELECT. Anything else run outside `reading()` may have written. */
const plainRead = /^\s*select\b/i

/** A replica cancelling a query for a conflict with replaying (40001), which the primary never does for a read. */
const recoveryConflict = '40001'

function isReplicaFailure (error: unknown): boolean {
  if (databaseFailure(error) === 'unavailable') return true
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const shape = current as { code?: unknown, cause?: unknown, originalCode?: unknown }
    if (shape.code === recoveryConflict || shape.originalCode === recoveryConflict) return true
    current = shape.cause
  }
  return false
}

export function createReadRouting (primary: { factory: PrismaPg, pool: pg.Pool },
  replicaSides: Array<{ factory: PrismaPg, pool: pg.Pool }>): ReadRouting {
  const context = new AsyncLocalStorage<true>()
  let generation = 0
  let closed = false
  let polling: Promise<void> | undefined
  let pollTimer: NodeJS.Timeout | undefined
  let replicaReads = 0
  let primaryReads = 0
  let replicas: Replica[] = []
  let next = 0
  const waiters: Array<() => void> = []

  function changed (): void {
    generation++
    polling ??= catchUp().finally(() => { polling = undefined })
  }

  /** Follows the replicas until each has replayed the primary's position as of the latest change. */
  async function catchUp (): Promise<void> {
    let pollMs = firstPollMs
    // The primary's position is read once per change waited for, not at every poll.
    let measured: { generation: number, lsn: bigint } | undefined
    while (!closed && replicas.some((replica) => replica.caughtUp < generation)) {
      const target = generation
      try {
        if (measured?.generation !== target) {
          const [row] = (await primary.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows
          measured = { generation: target, lsn: parseLsn(row!.lsn) }
        }
        const { lsn } = measured
        await Promise.all(replicas.filter((replica) => replica.caughtUp < target).map(async (replica) => {
          try {
            const [replayed] = (await replica.pool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')).rows
            // A server not in recovery (no replay position) is not behind anything.
            if (replayed?.lsn == null || parseLsn(replayed.lsn) >= lsn) replica.caughtUp = target
          } catch {
            replica.unhealthyUntil = performance.now() + unhealthyMs
          }
        }))
      } catch {
        // The primary did not answer: try again after the pause below.
      }
      if (replicas.every((replica) => replica.caughtUp >= generation)) break
      await new Promise<void>((resolve) => {
        pollTimer = setTimeout(resolve, pollMs)
        pollTimer.unref()
      })
      pollMs = Math.min(pollMs * 2, lastPollMs)
    }
    if (replicas.every((replica) => replica.caughtUp >= generation)) waiters.splice(0).forEach((resolve) => { resolve() })
  }

  function pickReplica (): Replica | undefined {
    const now = performance.now()
    for (let tried = 0; tried < replicas.length; tried++) {
      const replica = replicas[next++ % replicas.length]!
      if (replica.caughtUp === generation && replica.unhealthyUntil <= now) return replica
    }
    return undefined
  }

  function routingAdapter (primaryAdapter: Adapter): Adapter {
    const written = <T>(result: T): T => {
      changed()
      return result
    }
    const adapter: Adapter = Object.create(primaryAdapter)
    adapter.queryRaw = async (query: Query) => {
      if (context.getStore() !== true) {
        const result = await primaryAdapter.queryRaw(query)
        return plainRead.test(query.sql) ? result : written(result)
      }
      const replica = pickReplica()
      if (replica !== undefined) {
        try {
          const result = await replica.adapter.queryRaw(query)
          replicaReads++
          return result
        } catch (error) {
          if (!isReplicaFailure(error)) throw error
          replica.unhealthyUntil = performance.now() + unhealthyMs
        }
      }
      primaryReads++
      return primaryAdapter.queryRaw(query)
    }
    adapter.executeRaw = async (query: Query) => written(await primaryAdapter.executeRaw(query))
    adapter.executeScript = async (script: string) => { written(await primaryAdapter.executeScript(script)) }
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await primaryAdapter.startTransaction(isolationLevel)
      const commit = transaction.commit.bind(transaction)
      // Prisma sends COMMIT, then calls commit() to hand the connection back: the write is committed by now.
      transaction.commit = async () => { written(await commit()) }
      return transaction
    }
    adapter.dispose = async () => {
      await Promise.all([primaryAdapter.dispose(), ...replicas.map(async (replica) => replica.adapter.dispose())])
    }
    return adapter
  }

  return {
    factory: {
      provider: 'postgres',
      adapterName: primary.factory.adapterName,
      async connect () {
        const primaryAdapter = await primary.factory.connect()
        replicas = await Promise.all(replicaSides.map(async (side) => ({
          adapter: await side.factory.connect(),
          pool: side.pool,
          caughtUp: generation,
          unhealthyUntil: 0
        })))
        // Nothing is known of the replicas yet: the migrations that ran at start, say, may not be replayed. Reads go
        // to the primary until each has replayed the primary's position as of now.
        changed()
        return routingAdapter(primaryAdapter)
      }
    },
    reading: (work) => context.run(true, work),
    async query (config) {
      if (context.getStore() === true) {
        const replica = pickReplica()
        if (replica !== undefined) {
          try {
            const result = await replica.pool.query(config)
            replicaReads++
            return result
          } catch (error) {
            if (!isReplicaFailure(error)) throw error
            replica.unhealthyUntil = performance.now() + unhealthyMs
          }
        }
        primaryReads++
      }
      return primary.pool.query(config)
    },
    changed,
    stats: () => ({ replicas: replicaSides.length, replicaReads, primaryReads }),
    async settled () {
      if (replicas.every((replica) => replica.caughtUp >= generation)) return
      await new Promise<void>((resolve) => { waiters.push(resolve) })
    },
    async close () {
      closed = true
      clearTimeout(pollTimer)
      await polling
      waiters.splice(0).forEach((resolve) => { resolve() })
    }
  }
}
