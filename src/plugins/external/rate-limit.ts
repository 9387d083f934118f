import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { ProblemError } from '../../lib/problem.ts'

// Request counters for rate limits: in process, or in Redis (REDIS_URL) so that every instance counts together.
// The limits themselves are applied by the authentication plugin, between identifying the caller and authorizing it.
// A Redis that is down or slow must never turn into 500s or hung requests: commands fail at once while it is
// unreachable (no offline queue, short timeouts) and the limiter lets the request through (fails open), with a warning.
export default fp(async (fastify) => {
  const url = fastify.config.REDIS_URL
  let redis: Redis | undefined
  if (url !== undefined) {
    // Loaded only when it is used.
    const { Redis } = await import('ioredis')
    redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, commandTimeout: 500 })
    let available = true
    redis.on('error', (error: Error) => {
      if (!available) return
      available = false
      fastify.log.warn({ err: error }, 'Redis is unavailable: rate limits are not enforced until it is back')
    })
    redis.on('ready', () => {
      if (available) return
      available = true
      fastify.log.info('Redis is back: rate limits are enforced again')
    })
    fastify.addHook('onClose', async () => { redis?.disconnect() })
  }
  await fastify.register(rateLimit, {
    global: false,
    skipOnError: true,
    // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and Retry-After (draft-ietf-httpapi-ratelimit-headers).
    enableDraftSpec: true,
    ...(redis === undefined ? {} : { redis, nameSpace: 'hospital-departments-api:rate-limit:' }),
    errorResponseBuilder: (_request, context) => new ProblemError('tooManyRequests',
      `More than ${context.max} requests in a minute; try again in ${context.after}.`)
  })
}, { name: 'rate-limit' })
