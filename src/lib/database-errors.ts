import { OperatorError } from './fatal.ts'

// Whether an error means the database could not be reached or stopped answering, rather than that this request was
// wrong or the code is: such a request is answered 503 with Retry-After, not 500, and the client may retry it.

/** The database cannot be opened or reached: said in one line, and answered 503 to a request. */
export class DatabaseUnavailableError extends OperatorError {
  override name = 'DatabaseUnavailableError'
}

/** Prisma's codes for a database it cannot reach, that timed out, or that closed the connection. */
const prismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024'])

/** The kinds of driver adapter error that mean the same, as Prisma reports them in meta.driverAdapterError. */
const adapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])

/** Node's socket errors and PostgreSQL's connection-class and shutdown SQLSTATEs. */
const errorCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03'
])

/** node-postgres's own messages for a connection that never came, broke, or a query that got no answer. */
const messages = /^(timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error)/

interface ErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  kind?: unknown
  cause?: unknown
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } }
}

export function isDatabaseUnavailable (error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const shape = current as ErrorShape
    if (shape.name === 'PrismaClientInitializationError') return true
    if (typeof shape.code === 'string' && (prismaCodes.has(shape.code) || errorCodes.has(shape.code))) return true
    if (adapterKinds.has(String(shape.meta?.driverAdapterError?.cause?.kind))) return true
    if (typeof shape.kind === 'string' && adapterKinds.has(shape.kind)) return true
    if (typeof shape.message === 'string' && messages.test(shape.message)) return true
    current = shape.cause
  }
  return false
}
