import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

// Server-Sent Events for a feed read from a cursor: what the feed has after the cursor is sent as events (the cursor
// as each event's id, so a browser's EventSource resumes with Last-Event-ID by itself); then the stream waits to be
// woken (by a change) or sends a heartbeat comment, and reads again. A client that does not keep up is bounded: when
// more than `bufferLimitBytes` wait to be sent, the stream waits for them to drain for at most `stallMs`, then sends a
// `resume` event naming the cursor to come back with and ends, so one slow reader cannot hold the server's memory.

export interface StreamEvent {
  /** The event's cursor: its SSE id. */
  id: string
  event: string
  /** One line of text (JSON). */
  data: string
}

export interface EventFeed {
  /** The events after `cursor`, the cursor to read after next, and whether more are there already. */
  read: (cursor: string) => Promise<{ events: StreamEvent[], cursor: string, more: boolean }>
  /** Calls `wake` whenever there may be something new; returns how to stop. */
  subscribe: (wake: () => void) => () => void
}

export interface EventStreamOptions {
  heartbeatMs: number
  bufferLimitBytes: number
  stallMs: number
  /** What a browser waits before reconnecting after the stream ends. */
  retryMs: number
}

/** One event as the SSE wire format writes it. */
export function formatEvent (event: StreamEvent): string {
  const data = event.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('')
  return `id: ${event.id}\nevent: ${event.event}\n${data}\n`
}

/** The streams open now, so that a server shutting down can end them (the clients then reconnect elsewhere). */
export class EventStreams {
  readonly #open = new Set<() => void>()

  get size (): number {
    return this.#open.size
  }

  add (end: () => void): () => void {
    this.#open.add(end)
    return () => { this.#open.delete(end) }
  }

  /** Ends every open stream; each sends a final `resume` event first. */
  endAll (): void {
    for (const end of [...this.#open]) end()
  }
}

/**
 * Answers the request with an event stream that follows `feed` from `cursor` until the client leaves, the server ends
 * it (`streams.endAll()`) or the client falls too far behind.
 */
export function sendEventStream (request: FastifyRequest, reply: FastifyReply, feed: EventFeed, start: string,
  options: EventStreamOptions, streams: EventStreams): void {
  const stream = new PassThrough()
  let cursor = start
  let ended = false
  let wakeUp: (() => void) | null = null
  let woken = false
  const wake = (): void => {
    woken = true
    wakeUp?.()
  }
  const unsubscribe = feed.subscribe(wake)
  const end = (resume: boolean): void => {
    if (ended) return
    ended = true
    if (resume) stream.write(`event: resume\ndata: ${JSON.stringify({ cursor })}\n\n`)
    stream.end()
    wake()
  }
  const forget = streams.add(() => { end(true) })
  request.raw.once('close', () => { end(false) })

  // Bytes written but not yet taken by the client's connection.
  const backlog = (): number => stream.readableLength + stream.writableLength + reply.raw.writableLength
  const pause = (ms: number): Promise<boolean> => new Promise((resolve) => {
    const timer = setTimeout(() => { wakeUp = null; resolve(false) }, ms)
    wakeUp = () => { clearTimeout(timer); wakeUp = null; resolve(true) }
  })
  const drained = async (): Promise<boolean> => {
    const deadline = performance.now() + options.stallMs
    while (!ended && backlog() > options.bufferLimitBytes) {
      const left = deadline - performance.now()
      if (left <= 0) return false
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, 20)))
    }
    return true
  }

  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-accel-buffering', 'no')
    .send(stream)
  stream.write(`retry: ${options.retryMs}\n\n`)

  void (async () => {
    try {
      while (!ended) {
        woken = false
        const page = await feed.read(cursor)
        for (const event of page.events) {
          if (ended) break
          if (!await drained()) return end(true)
          stream.write(formatEvent(event))
          cursor = event.id
        }
        if (!ended) cursor = page.cursor
        if (ended || page.more || woken) continue
        // Idle: heartbeats until something may have changed.
        while (!ended && !woken) {
          if (!await pause(options.heartbeatMs) && !ended) stream.write(': heartbeat\n\n')
        }
      }
    } catch (error) {
      request.log.warn({ err: error }, 'event stream stopped: the feed could not be read')
      end(true)
    } finally {
      unsubscribe()
      forget()
    }
  })()
}
