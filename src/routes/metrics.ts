import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { rejectUnacceptable } from '../lib/negotiation.ts'
import { problemResponse } from '../schemas/common.ts'

const prometheusText = 'text/plain; version=0.0.4; charset=utf-8'

// Prometheus metrics (plugins/app/metrics.ts). They say how the service is used and how it performs, so they need the
// admin scope unless METRICS_PUBLIC says the scraper is on a private network. Answered even when the process is
// overloaded: that is when they matter most.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', rejectUnacceptable)

  fastify.get('/metrics', {
    config: { scope: fastify.config.METRICS_PUBLIC ? 'public' : 'admin', shedUnderPressure: false, produces: ['text/plain'] },
    schema: {
      tags: ['health'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      description: 'Request counts and latency histograms per route template and status (`http_requests_total`, ' +
        '`http_request_duration_seconds`), the database pool (`db_pool_*`), the response and statistics caches ' +
        '(`*_cache_hits_total`, `*_misses_total`, `*_hit_ratio`, …) and the Node.js process (`process_*`, `nodejs_*`), ' +
        'in the Prometheus text format 0.0.4. Needs the admin scope unless the server sets `METRICS_PUBLIC=true`.',
      response: {
        200: {
          description: 'The metrics',
          content: {
            'text/plain': {
              schema: Type.String({ examples: ['# HELP http_requests_total Requests answered, by route template and status\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",route="/v1/departments",status_code="200"} 42\n'] })
            }
          }
        },
        406: problemResponse('The Accept header admits no text/plain')
      }
    }
  }, async (_request, reply) => {
    reply.type(prometheusText).header('cache-control', 'no-store')
    return await fastify.metrics.metrics()
  })
}

export default plugin
