import type { PGlite, Transaction } from '@electric-sql/pglite'
import type pg from 'pg'

/** What migrations and maintenance need from one database connection, on either database. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(sql: string): Promise<void>
  /** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>
}

export function pgliteSession (db: PGlite | Transaction): SqlSession {
  const session: SqlSession = {
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    exec: async (sql: string) => { await db.exec(sql) },
    transaction: async (work) => {
      // PGlite's transaction() holds its mutex, so no other query can interleave with ours.
      if (!('transaction' in db)) return work(session)
      return db.transaction((transaction) => work(pgliteSession(transaction)))
    }
  }
  return session
}

export function pgClientSession (client: pg.ClientBase): SqlSession {
  const session: SqlSession = {
    query: async <Row>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as Row[],
    exec: async (sql: string) => { await client.query(sql) },
    transaction: async (work) => {
      await client.query('BEGIN')
      try {
        const result = await work(session)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK')
        throw error
      }
    }
  }
  return session
}
