import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry
  }
}

/** A monotonic count kept elsewhere (a cache's own tally), reported as a Prometheus counter at each scrape. */
function mirroredCounter (registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect () {
      this.reset()
      this.inc(read())
    }
  })
}

interface CacheStats { hits: number, misses: number, bypasses: number, entries: number, bytes?: number }

function cacheMetrics (registry: Registry, name: string, what: string, stats: () => CacheStats): void {
  mirroredCounter(registry, `${name}_hits_total`, `${what} answered from the cache`, () => stats().hits)
  mirroredCounter(registry, `${name}_misses_total`, `${what} computed because the cache did not hold them`, () => stats().misses)
  mirroredCounter(registry, `${name}_bypasses_total`, `${what} computed without the cache (off, or changes not heard)`, () => stats().bypasses)
  new Gauge({ name: `${name}_entries`, help: `${what} held in the cache`, registers: [registry], collect () { this.set(stats().entries) } })
  if (stats().bytes !== undefined) {
    new Gauge({ name: `${name}_bytes`, help: `Size of the ${what.toLowerCase()} held in the cache`, registers: [registry], collect () { this.set(stats().bytes ?? 0) } })
  }
  new Gauge({
    name: `${name}_hit_ratio`,
    help: `Share of ${what.toLowerCase()} answered from the cache since the process started (hits over hits and misses)`,
    registers: [registry],
    collect () {
      const { hits, misses } = stats()
      this.set(hits + misses === 0 ? 0 : hits / (hits + misses))
    }
  })
}

/** The registry of one app: request counts and latencies per route, the database pool, the caches, the process. */
function createRegistry (fastify: FastifyInstance): { registry: Registry, observe: (labels: Record<string, string | number>, seconds: number) => void } {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const labelNames = ['method', 'route', 'status_code'] as const
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests answered, by route template and status', labelNames, registers: [registry] })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to answering it, by route template and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })

  const pool = (): ReturnType<FastifyInstance['database']['poolStats']> => fastify.database.poolStats()
  new Gauge({ name: 'db_pool_max_connections', help: 'The most connections the database pool opens', registers: [registry], collect () { this.set(pool().max) } })
  new Gauge({ name: 'db_pool_open_connections', help: 'Database connections open, in use or idle', registers: [registry], collect () { this.set(pool().open) } })
  new Gauge({
    name: 'db_pool_idle_connections',
    help: 'Database connections open and idle (PostgreSQL only)',
    registers: [registry],
    collect () { const { idle } = pool(); if (idle !== undefined) this.set(idle) }
  })
  new Gauge({
    name: 'db_pool_waiting_queries',
    help: 'Queries waiting for a database connection (PostgreSQL only)',
    registers: [registry],
    collect () { const { waiting } = pool(); if (waiting !== undefined) this.set(waiting) }
  })

  cacheMetrics(registry, 'response_cache', 'GET responses', () => fastify.responseCache.stats())
  cacheMetrics(registry, 'statistics_cache', 'Statistics results', () => fastify.statisticsRepository.cache.stats())

  return {
    registry,
    observe (labels, seconds) {
      requests.inc(labels)
      duration.observe(labels, seconds)
    }
  }
}

// Prometheus metrics, served by GET /metrics (routes/metrics.ts). Every answered request is counted under its route
// template (never the raw URL, so the label set stays bounded) or "unmatched", with its status.
export default fp(async (fastify) => {
  const { registry, observe } = createRegistry(fastify)
  fastify.decorate('metrics', registry)
  fastify.addHook('onResponse', (request, reply, done) => {
    observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode }, reply.elapsedTime / 1000)
    done()
  })
}, { name: 'metrics', dependencies: ['prisma', 'http-caching', 'statistics-repository'] })
