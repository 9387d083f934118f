import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ProblemError } from '../../../lib/problem.ts'
import type { Db, Representation } from './resources.ts'

// Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header). The key is the client's, scoped to its API
// key. The first request with a key reserves it; the response is stored in the transaction of the write itself, so
// "stored" and "committed" are the same fact. A retry of a completed request gets the stored response again; the
// same key with a different body (or query) is a 422; a retry while the first is still running is a 409. A reservation whose
// request failed is released, so the client can try again; one left by a crash (its write never committed, since
// the response would have been stored with it) is taken over after RESERVATION_TTL_MS.

declare module 'fastify' {
  interface FastifyRequest {
    /** The reserved Idempotency-Key of this request, until its response is stored. */
    idempotency: { apiKeyId: string, key: string } | null
  }
}

/** Longer than any write can take (the transaction times out at 15 s). */
const RESERVATION_TTL_MS = 60_000
/** Stored responses are kept this long; a retry after that is a new request. */
export const RETENTION_HOURS = 24

export const idempotencyKeyHeader = {
  'idempotency-key': {
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7E]+$',
    description: 'Makes a retried POST safe: the same key and body within 24 hours returns the first response ' +
      '(with `Idempotent-Replayed: true`) instead of writing twice. A UUID per logical request is a good key.',
    examples: ['8e03978e-40d5-43e8-bc93-6894a57f9324']
  }
} as const

function canonical (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** The request a key stands for: method, path and query (a source's raw text takes its metadata there), and body. */
function requestHash (request: FastifyRequest): string {
  return createHash('sha256').update(`${request.method} ${request.url}\n${canonical(request.body)}`).digest('hex')
}

interface StoredRow {
  request_hash: string
  status: number | null
  location: string | null
  etag: string | null
  body: string | null
  created_at: Date
}

/**
 * Reserves the request's Idempotency-Key, or answers from what it already holds. Returns true when the reply was
 * sent (a replay), false when the request should go on.
 */
export async function beginIdempotentRequest (request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  request.idempotency = null
  const key = request.headers['idempotency-key']
  if (typeof key !== 'string') return false
  const apiKeyId = request.apiKey!.id
  const hash = requestHash(request)
  const { prisma } = request.server

  // Old responses go first, so a key reused after the retention period starts afresh.
  await prisma.$executeRaw`DELETE FROM idempotency_record WHERE created_at < CURRENT_TIMESTAMP - make_interval(hours => ${RETENTION_HOURS})`
  const reserved = await prisma.$executeRaw`
    INSERT INTO idempotency_record (api_key_id, key, request_hash) VALUES (${apiKeyId}::uuid, ${key}, ${hash})
    ON CONFLICT (api_key_id, key) DO NOTHING`
  if (reserved === 1) {
    request.idempotency = { apiKeyId, key }
    return false
  }

  const [stored] = await prisma.$queryRaw<StoredRow[]>`
    SELECT request_hash, status, location, etag, body, created_at FROM idempotency_record
    WHERE api_key_id = ${apiKeyId}::uuid AND key = ${key}`
  if (stored === undefined) {
    // Released between our insert and select: the first request failed. Ask the client to retry.
    throw new ProblemError('requestInProgress', `A request with Idempotency-Key "${key}" just finished without a result; retry it.`,
      { headers: { 'retry-after': '1' } })
  }
  if (stored.request_hash !== hash) {
    throw new ProblemError('idempotencyKeyReused',
      `Idempotency-Key "${key}" was used for a different request (another path or body). Use a new key for a new request.`)
  }
  if (stored.status === null) {
    const abandoned = Date.now() - stored.created_at.getTime() > RESERVATION_TTL_MS
    if (abandoned) {
      const taken = await prisma.$executeRaw`
        UPDATE idempotency_record SET created_at = CURRENT_TIMESTAMP
        WHERE api_key_id = ${apiKeyId}::uuid AND key = ${key} AND status IS NULL AND created_at = ${stored.created_at}`
      if (taken === 1) {
        request.idempotency = { apiKeyId, key }
        return false
      }
    }
    throw new ProblemError('requestInProgress',
      `A request with Idempotency-Key "${key}" is still being processed; retry after it completes.`, { headers: { 'retry-after': '1' } })
  }

  reply.code(stored.status).header('idempotent-replayed', 'true')
  if (stored.location !== null) reply.header('location', stored.location)
  if (stored.etag !== null) reply.header('etag', stored.etag)
  await reply.send(stored.body === null ? null : JSON.parse(stored.body))
  return true
}

/** Stores the response in the write's own transaction. */
export async function completeIdempotentRequest (db: Db, request: FastifyRequest,
  response: { status: number, location: string, etag: string, representation: Representation }): Promise<void> {
  if (request.idempotency === null || request.idempotency === undefined) return
  const { apiKeyId, key } = request.idempotency
  await db.$executeRaw`
    UPDATE idempotency_record
    SET status = ${response.status}, location = ${response.location}, etag = ${response.etag},
        body = ${JSON.stringify(response.representation)}, completed_at = CURRENT_TIMESTAMP
    WHERE api_key_id = ${apiKeyId}::uuid AND key = ${key}`
}

/** After a failed request: release its reservation so that a retry runs again. */
export async function releaseIdempotencyKey (request: FastifyRequest): Promise<void> {
  if (request.idempotency === null || request.idempotency === undefined) return
  const { apiKeyId, key } = request.idempotency
  request.idempotency = null
  await request.server.prisma.$executeRaw`
    DELETE FROM idempotency_record WHERE api_key_id = ${apiKeyId}::uuid AND key = ${key} AND status IS NULL`
}
