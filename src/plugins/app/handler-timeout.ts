import fp from 'fastify-plugin'
import { ProblemError } from '../../lib/problem.ts'

declare module 'fastify' {
  interface FastifyRequest {
    handlerTimer: NodeJS.Timeout | null
  }
  interface FastifyContextConfig {
    /**
     * A route's own limit instead of HANDLER_TIMEOUT_MS; 0 for none, for a route that bounds its own work and must
     * not be answered 503 while that work may still commit (an import's transaction has its own timeout).
     */
    handlerTimeoutMs?: number
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

  // Callback hooks: they run on almost every request and have nothing to wait for.
  fastify.addHook('preValidation', (request, reply, done) => {
    const limitMs = request.routeOptions.config.handlerTimeoutMs ?? timeoutMs
    if (limitMs === 0) return done()
    request.handlerTimer = setTimeout(() => {
      // Answered already, or answering: a stream (an event stream, a streamed CSV) has sent its headers and is bounded
      // by its own means; a 503 can no longer be sent, and trying would end it.
      if (reply.sent || reply.raw.headersSent) return
      request.log.warn({ handlerTimeoutMs: limitMs }, 'request timed out: answered 503')
      reply.send(new ProblemError('serviceUnavailable',
        `The server did not complete the request within ${limitMs} ms; try again.`,
        { headers: { 'retry-after': '1' } }))
    }, limitMs)
    done()
  })

  const stop = (request: { handlerTimer: NodeJS.Timeout | null }): void => {
    if (request.handlerTimer !== null) clearTimeout(request.handlerTimer)
    request.handlerTimer = null
  }
  fastify.addHook('onResponse', (request, _reply, done) => {
    stop(request)
    done()
  })
  fastify.addHook('onRequestAbort', (request, done) => {
    stop(request)
    done()
  })
}, { name: 'handler-timeout', dependencies: ['http-caching'] })
