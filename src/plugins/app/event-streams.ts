import fp from 'fastify-plugin'
import { EventStreams, type EventStreamOptions } from '../../lib/event-stream.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The event streams open now (server.ts ends them when it shuts down) and how they behave. */
    eventStreams: EventStreams & { options: EventStreamOptions }
  }
}

export default fp(async (fastify) => {
  const { config } = fastify
  const streams = Object.assign(new EventStreams(), {
    options: {
      heartbeatMs: config.EVENT_STREAM_HEARTBEAT_MS,
      bufferLimitBytes: config.EVENT_STREAM_BUFFER_LIMIT_BYTES,
      stallMs: config.EVENT_STREAM_STALL_MS,
      retryMs: 2000
    }
  })
  fastify.decorate('eventStreams', streams)
  // app.close() (tests, or after the server closed) must not wait for streams that never end by themselves.
  fastify.addHook('preClose', async () => { streams.endAll() })
}, { name: 'event-streams' })
