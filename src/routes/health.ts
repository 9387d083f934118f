import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { rejectUnacceptable } from '../lib/negotiation.ts'
import { ProblemError } from '../lib/problem.ts'
import { problemResponse } from '../schemas/common.ts'

const READY_TIMEOUT_MS = 1500

// /health says the process is alive (for restarts), even when it is overloaded; /ready says it can serve, i.e. the
// database answers and the process is not overloaded (for load balancers). A hung database must not hang the probe, hence the timeout.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', rejectUnacceptable)

  fastify.get('/health', {
    config: { scope: 'public', shedUnderPressure: false },
    schema: {
      tags: ['health'],
      operationId: 'getHealth',
      summary: 'Liveness: the process is up',
      description: 'Answers 200 while the process runs, whatever the database does and however busy the process is; for restart decisions.',
      response: {
        200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false, description: 'The process is up' }),
        406: problemResponse('The Accept header admits no JSON')
      }
    }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/ready', {
    config: { scope: 'public' },
    schema: {
      tags: ['health'],
      operationId: 'getReady',
      summary: 'Readiness: the database answers',
      description: 'Answers 200 when the database answers a trivial query within 1.5 s and the process is neither overloaded nor shutting down, else 503 with Retry-After; for load balancers.',
      response: {
        200: Type.Object({
          status: Type.Literal('ready'),
          database: Type.Enum(['postgresql', 'pglite'])
        }, { additionalProperties: false, description: 'The database answers' }),
        406: problemResponse('The Accept header admits no JSON'),
        503: problemResponse('The database does not answer within 1.5 s, the process is overloaded, or it is shutting down; retry after the Retry-After delay')
      }
    }
  }, async () => {
    if (fastify.lifecycle.draining) {
      throw new ProblemError('serviceUnavailable', 'The server is shutting down.', { headers: { 'retry-after': '5' } })
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS)
    })
    try {
      await Promise.race([fastify.database.ping(), timeout])
    } catch (error) {
      fastify.log.warn({ err: error }, 'readiness check failed')
      throw new ProblemError('serviceUnavailable', 'The database is not answering.', { headers: { 'retry-after': '5' } })
    } finally {
      clearTimeout(timer)
    }
    return { status: 'ready' as const, database: fastify.database.kind }
  })
}

export default plugin
