import { OperatorError } from './fatal.ts'

// Whether an error means the database could not be reached, stopped answering or was too slow, or that this process
// had more work than database connections, rather than that this request was wrong or the code is: such a request is
// answered 503 with Retry-After, not 500, and the client may retry it. The three are said differently, because only
// the first is "the database is unavailable".

/** The database cannot be opened or reached: said in one line, and answered 503 to a request. */
export class DatabaseUnavailableError extends OperatorError {
  override name = 'DatabaseUnavailableError'
}

/** A query sent got no answer at all within the backstop (src/db/postgres-pool.ts): the path to the database is dead. */
export class DatabaseNoAnswerError extends Error {
  override name = 'DatabaseNoAnswerError'
}

/** A new connection could not be made in time. */
export class DatabaseConnectTimeoutError extends Error {
  override name = 'DatabaseConnectTimeoutError'
}

/** Every pooled connection stayed busy with this process's own queries while the database kept answering. */
export class DatabasePoolBusyError extends Error {
  override name = 'DatabasePoolBusyError'
}

/**
 * - unavailable: the database or the path to it failed (refused, reset, no answer, no connection);
 * - slow: PostgreSQL itself cancelled the statement (statement_timeout, or an operator's cancel), error 57014;
 * - busy: the database answers, but all of this process's connections were in use for the whole wait.
 */
export type DatabaseFailure = 'unavailable' | 'slow' | 'busy'

/** How each failure is answered: the problem's detail and Retry-After, in seconds. */
export const databaseFailureAnswers: Record<DatabaseFailure, { detail: string, retryAfterSeconds: number }> = {
  unavailable: { detail: 'The database is not answering; try again in a few seconds.', retryAfterSeconds: 2 },
  slow: { detail: 'The database did not finish the query within its time limit; try again in a few seconds.', retryAfterSeconds: 2 },
  busy: { detail: 'The server is overloaded: all its database connections are busy; try again in a second.', retryAfterSeconds: 1 }
}

/** Prisma's codes for a database it cannot reach, that timed out, or that closed the connection. */
const prismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017'])

/** Prisma's own pool timing out (not used with a driver adapter, whose pool is pg's): this process's load. */
const prismaPoolTimeout = 'P2024'

/** The kinds of driver adapter error that mean the same, as Prisma reports them in meta.driverAdapterError. */
const adapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])

/** Node's socket errors and PostgreSQL's connection-class and shutdown SQLSTATEs. */
const errorCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03'
])

/** PostgreSQL's query_canceled: statement_timeout expired, or the statement was cancelled on the server. */
const statementCancelled = '57014'

/** node-postgres's own messages for a connection that never came or broke. */
const messages = /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error)/

const failuresByName: Record<string, DatabaseFailure> = {
  PrismaClientInitializationError: 'unavailable',
  DatabaseUnavailableError: 'unavailable',
  DatabaseNoAnswerError: 'unavailable',
  DatabaseConnectTimeoutError: 'unavailable',
  DatabasePoolBusyError: 'busy'
}

interface ErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  kind?: unknown
  cause?: unknown
  meta?: { code?: unknown, driverAdapterError?: { cause?: { kind?: unknown, code?: unknown, originalCode?: unknown } } }
}

/** Which database failure an error is, looking through its causes; undefined when it is none. */
export function databaseFailure (error: unknown): DatabaseFailure | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const shape = current as ErrorShape
    const named = typeof shape.name === 'string' ? failuresByName[shape.name] : undefined
    if (named !== undefined) return named
    const adapterCause = shape.meta?.driverAdapterError?.cause
    if (shape.code === statementCancelled || shape.meta?.code === statementCancelled ||
      adapterCause?.code === statementCancelled || adapterCause?.originalCode === statementCancelled) return 'slow'
    if (shape.code === prismaPoolTimeout) return 'busy'
    if (typeof shape.code === 'string' && (prismaCodes.has(shape.code) || errorCodes.has(shape.code))) return 'unavailable'
    if (adapterKinds.has(String(adapterCause?.kind))) return 'unavailable'
    if (typeof shape.kind === 'string' && adapterKinds.has(shape.kind)) return 'unavailable'
    if (typeof shape.message === 'string' && messages.test(shape.message)) return 'unavailable'
    current = shape.cause
  }
  return undefined
}
