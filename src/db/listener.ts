import { Socket } from 'node:net'
import pg from 'pg'

export interface NotificationHandlers {
  /** A notification on the channel, with its payload. */
  notify(payload: string): void
  /**
   * Whether notifications are being received. `false` means some may be missed from now on (the connection is gone);
   * the next `true` means listening has resumed, and anything sent in between was lost.
   */
  listening(listening: boolean): void
}

/** Stops listening and releases the connection. */
export type StopListening = () => Promise<void>

const firstRetryMs = 100
const lastRetryMs = 10_000

/**
 * LISTENs on a PostgreSQL channel over a connection of its own (a pooled one would be handed to queries), and keeps
 * listening: when the connection drops it reports so and reconnects with a backoff, for as long as it is not stopped.
 * Resolves after the first attempt, connected or not, so a start-up never waits on it.
 */
export async function listenPostgres (connectionString: string, channel: string, handlers: NotificationHandlers,
  options: { connectTimeoutMs: number }): Promise<StopListening> {
  let current: { client: pg.Client, socket: Socket } | undefined
  let stopped = false
  let retryTimer: NodeJS.Timeout | undefined
  let retryMs = firstRetryMs

  function lose (client: pg.Client): void {
    if (current?.client !== client) return
    current = undefined
    client.end().catch(() => {})
    handlers.listening(false)
    scheduleRetry()
  }

  function scheduleRetry (): void {
    if (stopped) return
    retryTimer = setTimeout(() => { void connect() }, retryMs)
    retryTimer.unref()
    retryMs = Math.min(retryMs * 2, lastRetryMs)
  }

  async function connect (): Promise<void> {
    // A background connection: it must not keep the process alive once everything else is done.
    const socket = new Socket().unref()
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
      application_name: 'hospital-departments-api listener',
      stream: () => socket
    })
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '')
    })
    client.on('error', () => { lose(client) })
    client.on('end', () => { lose(client) })
    try {
      await client.connect()
      // The channel is one of this program's constants, never user input; LISTEN takes no parameters.
      await client.query(`LISTEN "${channel}"`)
    } catch {
      client.end().catch(() => {})
      scheduleRetry()
      return
    }
    if (stopped) {
      socket.ref()
      await client.end()
      return
    }
    current = { client, socket }
    retryMs = firstRetryMs
    handlers.listening(true)
  }

  await connect()
  return async () => {
    stopped = true
    clearTimeout(retryTimer)
    const listening = current
    current = undefined
    if (listening === undefined) return
    // Closing is foreground work again: the process must wait for it.
    listening.socket.ref()
    await listening.client.end()
  }
}
