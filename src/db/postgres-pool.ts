import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { DatabaseConnectTimeoutError, DatabaseNoAnswerError, DatabasePoolBusyError } from '../lib/database-errors.ts'
import { loopAwareTimeout, type LoopAwareTimeout } from './loop-aware-timeout.ts'

// pg's own timeouts (query_timeout, connectionTimeoutMillis, and pg-pool's wait for a free connection) are plain
// timers: after a long synchronous stretch on the event loop they fire before the sockets are read, so a query whose
// answer is waiting unread, or a connection that was made or freed meanwhile, is declared failed, the connection is
// dropped, and the request is answered "database unavailable" although PostgreSQL was idle. This pool keeps the three
// bounds with timers that do not count the loop's own lateness (loop-aware-timeout.ts), and says which failure it was:
// - how long the database works on a statement is PostgreSQL's statement_timeout, measured by the server itself
//   (error 57014, "the database is slow");
// - the client's own timer is only a backstop for a dead network path, set past the statement timeout;
// - a full pool is our own load, not the database's failure, unless no connection made progress while we waited.

export interface GuardedPoolOptions {
  connectionString: string
  max: number
  applicationName: string
  /** Server side: how long PostgreSQL works on one statement before cancelling it. */
  statementTimeoutMs: number
  /** Client side: no answer this long after a query was sent (beyond the statement timeout) means the path is dead. */
  noAnswerTimeoutMs: number
  /** Making a new connection, or waiting for one from a full pool. */
  connectTimeoutMs: number
  /** PostgreSQL's plan_cache_mode for the pool's sessions. */
  planCacheMode?: 'auto' | 'force_generic_plan' | 'force_custom_plan'
}

interface Guard {
  noAnswerTimeoutMs: number
  connectTimeoutMs: number
  /** When a connection was last made or a query last answered (any answer, an error included): the database works. */
  lastProgress: number
}

type Callback = (error: Error | null | undefined, ...results: unknown[]) => void

/** A pg.Pool whose waits are bounded by loop-aware timers and whose timeouts say what failed. */
export function createGuardedPool (options: GuardedPoolOptions): pg.Pool {
  const guard: Guard = {
    noAnswerTimeoutMs: options.noAnswerTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    lastProgress: performance.now()
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    statement_timeout: options.statementTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: options.applicationName,
    ...(options.planCacheMode === undefined || options.planCacheMode === 'auto' ? {} : { options: `-c plan_cache_mode=${options.planCacheMode}` }),
    Client: guardedClientClass(guard) as unknown as new () => pg.ClientBase
  })
  guardAcquire(pool, guard, options)
  return pool
}

function guardedClientClass (guard: Guard): typeof pg.Client {
  return class GuardedClient extends pg.Client {
    constructor (config?: pg.ClientConfig) {
      super(config)
      // A dead connection's error reaches the query that waited on it, and pg-pool drops the client when it is
      // released; as an event on a checked-out client nobody listens to, it would end the process.
      this.on('error', () => {})
      const connect = this.connect.bind(this) as (callback: Callback) => void
      this.connect = ((callback?: Callback) => {
        const timeout = loopAwareTimeout(guard.connectTimeoutMs, () => {
          this.stream().destroy(new DatabaseConnectTimeoutError(`No connection to PostgreSQL within ${guard.connectTimeoutMs} ms`))
        })
        const settled: Callback = (error) => {
          timeout.cancel()
          if (error == null) guard.lastProgress = performance.now()
        }
        if (callback !== undefined) {
          connect((error) => { settled(error); callback(error) })
          return undefined
        }
        return new Promise<void>((resolve, reject) => {
          connect((error) => {
            settled(error)
            if (error == null) resolve()
            else reject(error)
          })
        })
      }) as typeof this.connect

      const query = this.query.bind(this) as (...args: unknown[]) => unknown
      this.query = ((config: unknown, values?: unknown, callback?: unknown) => {
        // Submittables (cursors, streams) and queries carrying their own callback keep pg's behaviour.
        if (typeof config === 'object' && config !== null && ('submit' in config || 'callback' in config)) {
          return query(config, values, callback)
        }
        if (typeof values === 'function') {
          callback = values
          values = undefined
        }
        let backstop: LoopAwareTimeout | undefined
        const answered = (error?: unknown): void => {
          backstop?.cancel()
          // An answer is progress, an error PostgreSQL sent included (pg's DatabaseError has a severity); a broken
          // or silent connection is not.
          if (error == null || (typeof error === 'object' && 'severity' in error)) guard.lastProgress = performance.now()
        }
        const arm = (): void => {
          backstop = loopAwareTimeout(guard.noAnswerTimeoutMs, () => {
            // The socket is destroyed with the reason, which every query on it and the pool then receive.
            this.stream().destroy(new DatabaseNoAnswerError(
              `No answer from PostgreSQL within ${guard.noAnswerTimeoutMs} ms of sending a query (time this process's event loop was blocked not counted)`))
          })
        }
        if (typeof callback === 'function') {
          const done = callback as Callback
          query(config, values, (error: Error | null, result: unknown) => { answered(error); done(error, result) })
          arm()
          return undefined
        }
        const promise = query(config, values) as Promise<unknown>
        arm()
        return promise.then((result) => { answered(); return result }, (error: unknown) => { answered(error); throw error })
      }) as typeof this.query
    }

    private stream (): { destroy(error: Error): void } {
      return (this as unknown as { connection: { stream: { destroy(error: Error): void } } }).connection.stream
    }
  }
}

/**
 * Bounds the wait for a connection when every connection is checked out (pg-pool's own bound is a plain timer, left
 * off). When the wait ends, a connection that made progress meanwhile means the database answers and this process
 * asked more of the pool than it holds: overload (DatabasePoolBusyError). None means the database is not answering.
 */
function guardAcquire (pool: pg.Pool, guard: Guard, options: GuardedPoolOptions): void {
  const connect = pool.connect.bind(pool) as (callback: Callback) => void
  const internals = pool as unknown as { _pendingQueue?: Array<{ callback: unknown }> }
  pool.connect = ((callback?: Callback): unknown => {
    const run = (deliver: Callback): void => {
      if (pool.totalCount < options.max || pool.idleCount > 0) {
        connect(deliver)
        return
      }
      const since = performance.now()
      let settled = false
      const received: Callback = (error, client, release) => {
        timeout.cancel()
        if (settled) {
          // Handed a connection after the caller was answered: give it straight back.
          if (error == null) (release as () => void)()
          return
        }
        settled = true
        deliver(error, client, release)
      }
      const timeout = loopAwareTimeout(options.connectTimeoutMs, () => {
        settled = true
        // Out of the queue, so a connection freed later goes to a caller that still waits (pg-pool does the same).
        const queue = internals._pendingQueue
        const index = queue?.findIndex((item) => item.callback === received) ?? -1
        if (index >= 0) queue?.splice(index, 1)
        deliver(guard.lastProgress > since
          ? new DatabasePoolBusyError(`All ${options.max} PostgreSQL connections stayed busy for ${options.connectTimeoutMs} ms`)
          : new DatabaseNoAnswerError(`No PostgreSQL connection was free for ${options.connectTimeoutMs} ms, and none answered meanwhile`))
      })
      connect(received)
    }
    if (callback !== undefined) {
      run(callback)
      return undefined
    }
    return new Promise((resolve, reject) => {
      run((error, client) => {
        if (error == null) resolve(client)
        else reject(error)
      })
    })
  }) as typeof pool.connect
}
