import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Webhook } from 'standardwebhooks'
import { isoTimestamp, jsonObject, sql } from '../../../lib/json-sql.ts'
import { postOnce, type PostResult } from '../../../lib/outbound-http.ts'
import { changeJson } from '../changes/change-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    webhookSender: WebhookSender
  }
}

// Sends the outbox (webhook_delivery, filled in the transaction of each change) to the subscribers, at least once.
//
// Any number of instances may send: each takes due deliveries with FOR UPDATE SKIP LOCKED and moves their next attempt
// forward by a lease before it sends, so two instances never take the same one at once, and one that dies mid-way
// (even killed outright) only delays its deliveries until the lease has passed. A delivery keeps its id (the
// `webhook-id`) across attempts; the body is the change as the feed presents it, built from the audit event, which never
// changes, so every attempt sends the same bytes. A failure is retried with exponential backoff and jitter for the retry
// window (24 hours), then marked failed; a subscription whose deliveries failed without a success for
// WEBHOOK_DISABLE_AFTER_MS is disabled.
//
// It wakes when a change commits (the outbox trigger notifies on the data_change channel every instance listens on),
// when its next retry falls due, and when the notification connection comes back after a loss.

export interface WebhookSenderOptions {
  concurrency: number
  leaseMs: number
  timeoutMs: number
  retryBaseMs: number
  retryMaxMs: number
  retryWindowMs: number
  disableAfterMs: number
}

interface Claimed {
  id: string
  subscription_id: string
  url: string
  secret: string
  attempts: number
  body: string
}

/** The wait before the retry after `attempts` failed attempts: exponential, capped, with "equal jitter" (half fixed, half random). */
export function retryDelay (attempts: number, base: number, max: number, random = Math.random): number {
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempts - 1))
  return Math.round(exponential / 2 + random() * exponential / 2)
}

export class WebhookSender {
  private busy = false
  private again = false
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private readonly inFlight = new Set<Promise<void>>()
  private readonly abort = new AbortController()
  /** Sends made since start, for tests and metrics. */
  sent = 0

  constructor (private readonly fastify: FastifyInstance, private readonly options: WebhookSenderOptions,
    private readonly allowed: ReadonlySet<string>) {}

  /** Looks for due deliveries soon (coalescing many calls into one look). */
  wake (): void {
    if (this.stopped) return
    if (this.busy) {
      this.again = true
      return
    }
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.run() }, 0)
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    // A send cut short is neither recorded nor lost: its lease passes and it is sent again.
    this.abort.abort()
    await Promise.allSettled([...this.inFlight])
  }

  private async run (): Promise<void> {
    if (this.stopped || this.busy) return
    this.busy = true
    try {
      do {
        this.again = false
        const claimed = await this.claim()
        await Promise.all(claimed.map(async (delivery) => {
          const sending = this.send(delivery)
          this.inFlight.add(sending)
          try {
            await sending
          } finally {
            this.inFlight.delete(sending)
          }
        }))
        if (claimed.length === this.options.concurrency) this.again = true
      } while (this.again && !this.stopped)
      if (!this.stopped) await this.scheduleNext()
    } catch (error) {
      if (this.stopped) return
      this.fastify.log.warn({ err: error }, 'webhook sending failed; trying again shortly')
      clearTimeout(this.timer)
      this.timer = setTimeout(() => { void this.run() }, Math.max(1000, this.options.retryBaseMs)).unref()
    } finally {
      this.busy = false
    }
  }

  private async claim (): Promise<Claimed[]> {
    const { concurrency, leaseMs } = this.options
    const body = jsonObject([
      ['type', sql`d.event_type`],
      ['timestamp', isoTimestamp(sql`a.occurred_at`)],
      ['data', changeJson(sql`a`)]
    ])
    return this.fastify.database.query<Claimed>(sql`
      WITH due AS (
        SELECT d.id FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
        WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND s.enabled
        ORDER BY d.next_attempt_at, d.position
        LIMIT ${concurrency}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_delivery d
      SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', attempts = d.attempts + 1
      FROM due, webhook_subscription s, audit_event a
      WHERE d.id = due.id AND s.id = d.subscription_id AND a.position = d.position
      RETURNING d.id, d.subscription_id, s.url, s.secret, d.attempts, ${body}::text AS body`)
  }

  private async send (delivery: Claimed): Promise<void> {
    const now = new Date()
    const signature = new Webhook(delivery.secret).sign(delivery.id, now, delivery.body)
    const result = await postOnce(delivery.url, {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'hospital-departments-api-webhooks',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature
      },
      body: delivery.body,
      timeoutMs: this.options.timeoutMs,
      allowed: this.allowed,
      signal: this.abort.signal
    })
    if (this.stopped && result.aborted === true) return
    await this.record(delivery, result)
    this.sent++
  }

  private async record (delivery: Claimed, result: PostResult): Promise<void> {
    const { retryBaseMs, retryMaxMs, retryWindowMs, disableAfterMs } = this.options
    const delivered = result.status !== undefined && result.status >= 200 && result.status < 300
    const error = result.error ?? (delivered ? null : result.status !== undefined && result.status >= 300 && result.status < 400
      ? `answered ${result.status}; redirects are not followed`
      : `answered ${result.status}`)
    const delay = retryDelay(delivery.attempts, retryBaseMs, retryMaxMs)
    await this.fastify.database.query(sql`
      WITH attempt AS (
        INSERT INTO webhook_attempt (delivery_id, duration_ms, status_code, error, response_body)
        VALUES (${delivery.id}, ${result.durationMs}::int, ${result.status ?? null}::int, ${error}::text, ${result.body ?? null}::text)
      ), delivery AS (
        UPDATE webhook_delivery
        SET state = CASE WHEN ${delivered}::boolean THEN 'delivered'
                         WHEN retry_from + ${retryWindowMs}::bigint * interval '1 millisecond' < now() + ${delay}::int * interval '1 millisecond' THEN 'failed'
                         ELSE 'pending' END,
            delivered_at = CASE WHEN ${delivered}::boolean THEN now() END,
            next_attempt_at = now() + ${delay}::int * interval '1 millisecond'
        WHERE id = ${delivery.id}
      )
      UPDATE webhook_subscription
      SET failing_since = CASE WHEN ${delivered}::boolean THEN NULL ELSE coalesce(failing_since, now()) END,
          enabled = enabled AND (${delivered}::boolean OR failing_since IS NULL
                                 OR failing_since > now() - ${disableAfterMs}::bigint * interval '1 millisecond'),
          disabled_at = CASE WHEN enabled AND NOT ${delivered}::boolean AND failing_since <= now() - ${disableAfterMs}::bigint * interval '1 millisecond'
                             THEN now() ELSE disabled_at END,
          disabled_reason = CASE WHEN enabled AND NOT ${delivered}::boolean AND failing_since <= now() - ${disableAfterMs}::bigint * interval '1 millisecond'
                                 THEN 'every delivery failed for ' || ${disableAfterMs}::bigint || ' ms (since ' || ${isoTimestamp(sql`failing_since`)} || ')'
                                 ELSE disabled_reason END
      WHERE id = ${delivery.subscription_id}::uuid`)
    if (!delivered) {
      this.fastify.log.info({ webhook: delivery.subscription_id, delivery: delivery.id, attempts: delivery.attempts, status: result.status, error },
        'webhook delivery failed; it is retried')
    }
  }

  /** Sets the timer for the earliest pending delivery that is not yet due. */
  private async scheduleNext (): Promise<void> {
    const [row] = await this.fastify.database.query<{ wait: number | null }>(sql`
      SELECT (extract(epoch FROM min(d.next_attempt_at) - now()) * 1000)::float8 AS wait
      FROM webhook_delivery d JOIN webhook_subscription s ON s.id = d.subscription_id
      WHERE d.state = 'pending' AND s.enabled`)
    clearTimeout(this.timer)
    if (row?.wait === null || row?.wait === undefined || this.stopped) return
    // Timers hold 32-bit milliseconds; a later retry is looked for again in a day.
    const wait = Math.min(Math.max(0, Math.ceil(row.wait)), 86_400_000)
    this.timer = setTimeout(() => { void this.run() }, wait).unref()
  }
}

export default fp(async (fastify) => {
  const { config } = fastify
  const sender = new WebhookSender(fastify, {
    concurrency: config.WEBHOOK_CONCURRENCY,
    leaseMs: config.WEBHOOK_LEASE_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: config.WEBHOOK_RETRY_MAX_MS,
    retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS
  }, fastify.webhookRepository.allowed)
  fastify.decorate('webhookSender', sender)
  if (!config.WEBHOOKS_SEND) return
  const onChange = (table: string): void => {
    if (table === 'webhook_delivery' || table === '*') sender.wake()
  }
  const onListening = (listening: boolean): void => {
    if (listening) sender.wake()
  }
  fastify.addHook('onReady', async () => {
    fastify.dataChanges.on('change', onChange)
    fastify.dataChanges.on('listening', onListening)
    // Deliveries left by an earlier run (or another instance's death) are due now or later.
    sender.wake()
  })
  fastify.addHook('preClose', async () => {
    fastify.dataChanges.off('change', onChange)
    fastify.dataChanges.off('listening', onListening)
    await sender.stop()
  })
}, { name: 'webhook-sender', dependencies: ['prisma', 'data-changes', 'webhook-repository'] })
