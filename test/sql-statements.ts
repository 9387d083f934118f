import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaPGlite } from 'pglite-prisma-adapter'

// Records the SQL statements Prisma sends through its driver adapter, on either database, without touching the app:
// both adapter factories are wrapped here, so every client connected after this module loads reports to it. With a
// driver adapter Prisma 7 emits `query` events only when the client is built with `log: ['query']`, which production
// does not do, and counting here also sees $queryRaw and the statements of interactive transactions.

interface Statement { sql: string }
interface Queryable {
  queryRaw(query: Statement): Promise<unknown>
  executeRaw(query: Statement): Promise<number>
}
interface Adapter extends Queryable {
  startTransaction(...options: unknown[]): Promise<Queryable>
}
interface AdapterFactory { connect(): Promise<Adapter> }

let recording: string[] | null = null

function recorded<Target extends Queryable> (target: Target): Target {
  const { queryRaw, executeRaw } = target
  target.queryRaw = async (query) => {
    recording?.push(query.sql)
    return queryRaw.call(target, query)
  }
  target.executeRaw = async (query) => {
    recording?.push(query.sql)
    return executeRaw.call(target, query)
  }
  return target
}

for (const factory of [PrismaPg.prototype, PrismaPGlite.prototype] as unknown as AdapterFactory[]) {
  const { connect } = factory
  factory.connect = async function (this: AdapterFactory) {
    const adapter = recorded(await connect.call(this))
    const { startTransaction } = adapter
    adapter.startTransaction = async (...options) => recorded(await startTransaction.apply(adapter, options))
    return adapter
  }
}

/** The SQL statements Prisma sent while `work` ran. Recordings do not nest: one at a time per process. */
export async function statementsDuring (work: () => Promise<unknown>): Promise<string[]> {
  if (recording !== null) throw new Error('statementsDuring is already recording')
  const statements: string[] = []
  recording = statements
  try {
    await work()
  } finally {
    recording = null
  }
  return statements
}
