import fp from 'fastify-plugin'
import { ProblemError } from '../../lib/problem.ts'

declare module 'fastify' {
  interface FastifyRequest {
    handlerTimer: NodeJS.Timeout | null
  }
}

// A request that reaches validation and its handler (a response-cache hit never does) must be answered within
// HANDLER_TIMEOUT_MS: a database that stops answering would otherwise hold it, and its connection, forever. Fastify's
// own handlerTimeout does the same for every request but pays for an AbortController on each, which costs a cached
// GET about a third of its throughput; a plain timer started here costs the hits nothing. The timeout is cooperative:
// the handler carries on, and Fastify logs its late result as a warning instead of sending it.
export default fp(async (fastify) => {
  const timeoutMs = fastify.config.HANDLER_TIMEOUT_MS
  if (timeoutMs === 0) return
  fastify.decorateRequest('handlerTimer', null)

  fastify.addHook('preValidation', async (request, reply) => {
    request.handlerTimer = setTimeout(() => {
      if (reply.sent) return
      request.log.warn({ handlerTimeoutMs: timeoutMs }, 'request timed out: answered 503')
      reply.send(new ProblemError('serviceUnavailable',
        `The server did not complete the request within ${timeoutMs} ms; try again.`,
        { headers: { 'retry-after': '1' } }))
    }, timeoutMs)
  })

  const stop = async (request: { handlerTimer: NodeJS.Timeout | null }) => {
    if (request.handlerTimer !== null) clearTimeout(request.handlerTimer)
    request.handlerTimer = null
  }
  fastify.addHook('onResponse', stop)
  fastify.addHook('onRequestAbort', stop)
}, { name: 'handler-timeout', dependencies: ['http-caching'] })
