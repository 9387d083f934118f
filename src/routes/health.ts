import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ProblemError } from '../lib/problem.ts'
import { problemResponse } from '../schemas/common.ts'

const READY_TIMEOUT_MS = 1500

// /health says the process is alive (for restarts); /ready says it can serve, i.e. the database answers
// (for load balancers). A hung database must not hang the probe, hence the timeout.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/health', {
    schema: {
      tags: ['health'],
      operationId: 'getHealth',
      summary: 'Liveness: the process is up',
      response: { 200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false, description: 'The process is up' }) }
    }
  }, async () => ({ status: 'ok' as const }))

  fastify.get('/ready', {
    schema: {
      tags: ['health'],
      operationId: 'getReady',
      summary: 'Readiness: the database answers',
      response: {
        200: Type.Object({
          status: Type.Literal('ready'),
          database: Type.Enum(['postgresql', 'pglite'])
        }, { additionalProperties: false, description: 'The database answers' }),
        503: problemResponse('The database does not answer within 1.5 s; retry after the Retry-After delay')
      }
    }
  }, async () => {
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
