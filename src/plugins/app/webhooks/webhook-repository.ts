import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { matchesVersion, staleVersion, type IfMatch } from '../../../lib/entity-tag.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { checkDestination } from '../../../lib/outbound-http.ts'
import type { WebhookCreateBody, WebhookPatchBody } from '../../../schemas/webhooks.ts'

declare module 'fastify' {
  interface FastifyInstance {
    webhookRepository: WebhookRepository
  }
}

// Webhook subscriptions and their delivery log. Deliveries are made by the database (the webhooks migration's
// trigger on audit_event) and sent by webhook-sender.ts; here they are only listed and sent again on request.

/** A Standard Webhooks secret: whsec_ and the base64 of 24 random bytes (the specification asks for 24 to 64). */
export function newSecret (): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

const subscriptionSelect = {
  id: true, url: true, description: true, events: true, enabled: true, failingSince: true, disabledAt: true,
  disabledReason: true, createdAt: true, updatedAt: true, version: true
} as const

type SubscriptionRow = {
  id: string
  url: string
  description: string | null
  events: string[]
  enabled: boolean
  failingSince: Date | null
  disabledAt: Date | null
  disabledReason: string | null
  createdAt: Date
  updatedAt: Date
  version: number
}

type DeliveryCounts = { pending: number, delivered: number, failed: number }

function present (row: SubscriptionRow, deliveries: DeliveryCounts) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    failingSince: row.failingSince?.toISOString() ?? null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    deliveries,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version
  }
}

export type WebhookRepresentation = ReturnType<typeof present>

function notFound (id: string): ProblemError {
  return new ProblemError('notFound', `No webhook subscription has the id "${id}".`)
}

export function createWebhookRepository (fastify: FastifyInstance) {
  const { prisma, config } = fastify
  const allowed = new Set(config.WEBHOOK_ALLOW_ADDRESSES.split(',').map((range) => range.trim()).filter((range) => range !== ''))

  async function assertDestination (url: string): Promise<void> {
    const reason = await checkDestination(url, allowed)
    if (reason !== undefined) {
      throw new ProblemError('unprocessableContent', `body url ${reason}`, { errors: [{ in: 'body', field: '/url', message: reason }] })
    }
  }

  async function counts (ids: string[]): Promise<Map<string, DeliveryCounts>> {
    const groups = ids.length === 0
      ? []
      : await prisma.webhookDelivery.groupBy({ by: ['subscriptionId', 'state'], where: { subscriptionId: { in: ids } }, _count: { _all: true } })
    const result = new Map(ids.map((id) => [id, { pending: 0, delivered: 0, failed: 0 }]))
    for (const group of groups) {
      const entry = result.get(group.subscriptionId)!
      entry[group.state as keyof DeliveryCounts] = group._count._all
    }
    return result
  }

  async function get (id: string): Promise<WebhookRepresentation> {
    const row = await prisma.webhookSubscription.findUnique({ where: { id }, select: subscriptionSelect })
    if (row === null) throw notFound(id)
    return present(row, (await counts([id])).get(id)!)
  }

  return {
    allowed,
    get,

    async list (): Promise<WebhookRepresentation[]> {
      const rows = await prisma.webhookSubscription.findMany({ select: subscriptionSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })
      const byId = await counts(rows.map((row) => row.id))
      return rows.map((row) => present(row, byId.get(row.id)!))
    },

    async create (body: WebhookCreateBody, createdById: string): Promise<WebhookRepresentation & { secret: string }> {
      await assertDestination(body.url)
      const secret = newSecret()
      const row = await prisma.webhookSubscription.create({
        data: { url: body.url, description: body.description ?? null, events: body.events ?? [], secret, createdById },
        select: subscriptionSelect
      })
      return { ...present(row, { pending: 0, delivered: 0, failed: 0 }), secret }
    },

    /** Applies a merge patch to the version If-Match names (a 412 when it is not the current one). */
    async update (id: string, patch: WebhookPatchBody, ifMatch: IfMatch): Promise<WebhookRepresentation> {
      if (patch.url !== undefined) await assertDestination(patch.url)
      const current = await prisma.webhookSubscription.findUnique({ where: { id }, select: { version: true, enabled: true } })
      if (current === null) throw notFound(id)
      if (!matchesVersion(ifMatch, current.version)) throw staleVersion('webhook subscription', current, `"${current.version}"`)
      const enabling = patch.enabled === true && !current.enabled
      const { count } = await prisma.webhookSubscription.updateMany({
        where: { id, version: current.version },
        data: {
          ...(patch.url === undefined ? {} : { url: patch.url }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.events === undefined ? {} : { events: patch.events }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
          // Switched back on: its failures are forgiven, and its pending deliveries are due at once.
          ...(enabling ? { failingSince: null, disabledAt: null, disabledReason: null } : {}),
          ...(patch.enabled === false && current.enabled ? { disabledAt: new Date(), disabledReason: 'switched off' } : {}),
          updatedAt: new Date(),
          version: { increment: 1 }
        }
      })
      if (count === 0) throw new ProblemError('preconditionFailed', 'The webhook subscription changed while it was being updated: read it again.')
      if (enabling) {
        await prisma.webhookDelivery.updateMany({ where: { subscriptionId: id, state: 'pending' }, data: { nextAttemptAt: new Date(), retryFrom: new Date() } })
      }
      return get(id)
    },

    async remove (id: string): Promise<void> {
      const { count } = await prisma.webhookSubscription.deleteMany({ where: { id } })
      if (count === 0) throw notFound(id)
    },

    async rotateSecret (id: string): Promise<WebhookRepresentation & { secret: string }> {
      const secret = newSecret()
      const { count } = await prisma.webhookSubscription.updateMany({ where: { id }, data: { secret, updatedAt: new Date(), version: { increment: 1 } } })
      if (count === 0) throw notFound(id)
      return { ...(await get(id)), secret }
    },

    /** One page of a subscription's deliveries, newest first, each with its attempts. */
    async deliveries (id: string, filters: { state?: string }, page: { limit: number, cursor?: string }) {
      const exists = await prisma.webhookSubscription.findUnique({ where: { id }, select: { id: true } })
      if (exists === null) throw notFound(id)
      let after: { createdAt: Date, id: string } | undefined
      if (page.cursor !== undefined) {
        const row = await prisma.webhookDelivery.findFirst({ where: { id: page.cursor, subscriptionId: id }, select: { createdAt: true, id: true } })
        if (row === null) {
          throw new ProblemError('invalidRequest', `cursor names no delivery of this subscription: ${page.cursor}`, {
            errors: [{ in: 'querystring', field: '/cursor', message: 'names no delivery of this subscription' }]
          })
        }
        after = row
      }
      const rows = await prisma.webhookDelivery.findMany({
        where: {
          subscriptionId: id,
          ...(filters.state === undefined ? {} : { state: filters.state }),
          ...(after === undefined ? {} : { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] })
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: page.limit + 1,
        include: { attemptLog: { orderBy: [{ attemptedAt: 'asc' }, { id: 'asc' }] } }
      })
      const more = rows.length > page.limit
      const items = (more ? rows.slice(0, page.limit) : rows).map((row) => ({
        id: row.id,
        eventType: row.eventType,
        cursor: row.position.toString(),
        state: row.state as 'pending' | 'delivered' | 'failed',
        attempts: row.attempts,
        nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt.toISOString() : null,
        createdAt: row.createdAt.toISOString(),
        deliveredAt: row.deliveredAt?.toISOString() ?? null,
        attemptLog: row.attemptLog.map((attempt) => ({
          at: attempt.attemptedAt.toISOString(),
          durationMs: attempt.durationMs,
          statusCode: attempt.statusCode,
          error: attempt.error,
          responseBody: attempt.responseBody
        }))
      }))
      return { data: items, page: { limit: page.limit, nextCursor: more ? items.at(-1)!.id : null } }
    },

    /** Sends a delivery again, whatever its state, with a fresh retry window; false when there is no such delivery. */
    async redeliver (id: string, deliveryId: string): Promise<void> {
      const now = new Date()
      const { count } = await prisma.webhookDelivery.updateMany({
        where: { id: deliveryId, subscriptionId: id },
        data: { state: 'pending', nextAttemptAt: now, retryFrom: now, deliveredAt: null }
      })
      if (count === 0) {
        await get(id)
        throw new ProblemError('notFound', `The webhook subscription "${id}" has no delivery "${deliveryId}".`)
      }
    }
  }
}

export type WebhookRepository = ReturnType<typeof createWebhookRepository>

export default fp(async (fastify) => {
  fastify.decorate('webhookRepository', createWebhookRepository(fastify))
}, { name: 'webhook-repository', dependencies: ['prisma'] })
