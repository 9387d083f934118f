import { getHeapStatistics } from 'node:v8'
import underPressure, { TYPE_EVENT_LOOP_DELAY, TYPE_HEAP_USED_BYTES } from '@fastify/under-pressure'
import fp from 'fastify-plugin'
import { ProblemError } from '../../lib/problem.ts'
import { errorResponse } from '../app/fhir/outcome.ts'

const RETRY_AFTER_SECONDS = 5

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: answered even when the process is overloaded (the liveness probe and metrics). */
    shedUnderPressure?: boolean
  }
}

const mebibyte = 1024 * 1024

/** What "the heap is full" means when PRESSURE_MAX_HEAP_USED_MB is unset: 90% of what V8 may use. */
export function defaultMaxHeapUsedBytes (): number {
  return Math.floor(getHeapStatistics().heap_size_limit * 0.9)
}

function describe (type: string, value: number | undefined, sampleIntervalMs: number): string {
  if (type === TYPE_EVENT_LOOP_DELAY) {
    // A loop blocked for a whole sample has no delay to average: under-pressure reports Infinity.
    return Number.isFinite(value) ? `its event loop is ${Math.round(value ?? 0)} ms behind` : `its event loop was blocked for over ${sampleIntervalMs} ms`
  }
  if (type === TYPE_HEAP_USED_BYTES) return `its heap holds ${Math.round((value ?? 0) / mebibyte)} MiB`
  return 'it is overloaded'
}

// An overloaded process answers at once with a 503 and Retry-After, instead of queueing requests until they time out
// (and taking the rest down with it). Overload is the mean event-loop delay over the last sample, or the V8 heap in
// use, above its limit; the refusal happens first thing on a request (onRequest), before any work is done for it.
// /health keeps answering 200, since a busy process is not a dead one and must not be restarted for it.
export default fp(async (fastify) => {
  const { config } = fastify
  const maxHeapUsedBytes = config.PRESSURE_MAX_HEAP_USED_MB === undefined
    ? defaultMaxHeapUsedBytes()
    : config.PRESSURE_MAX_HEAP_USED_MB * mebibyte

  // Every route that can be refused documents the 503 (which is also what a handler timeout answers).
  fastify.addHook('onRoute', (route) => {
    if (route.config?.shedUnderPressure === false || route.schema === undefined || route.schema.hide === true) return
    const responses = (route.schema.response ??= {}) as Record<string, unknown>
    responses[503] ??= errorResponse(route.url, 'The server is overloaded, or did not finish the request in time; Retry-After says when to try again')
  })
  // Start-up (migrations, the first seed of an embedded database, loading modules) blocks the loop for seconds; the
  // samples taken then say nothing about the load requests put on it, so the first requests after it are not refused
  // for it: pressure counts from two samples after the server is ready.
  let countsFrom = Infinity
  fastify.addHook('onReady', async () => { countsFrom = performance.now() + 2 * config.PRESSURE_SAMPLE_INTERVAL_MS })
  await fastify.register(underPressure, {
    maxEventLoopDelay: config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes,
    sampleInterval: config.PRESSURE_SAMPLE_INTERVAL_MS,
    pressureHandler: async (request, _reply, type, value) => {
      if (request.routeOptions.config.shedUnderPressure === false) return
      if (type === TYPE_EVENT_LOOP_DELAY && performance.now() < countsFrom) return
      request.log.warn({ pressure: type, value }, 'overloaded: request refused with 503')
      throw new ProblemError('serviceUnavailable',
        `The server is overloaded (${describe(type, value, config.PRESSURE_SAMPLE_INTERVAL_MS)}); try again in ${RETRY_AFTER_SECONDS} seconds.`,
        { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } })
    }
  })
}, { name: 'under-pressure' })
