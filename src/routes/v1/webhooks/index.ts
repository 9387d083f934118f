import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { requireIfMatch } from '../../../lib/entity-tag.ts'
import { assertInKeyRegion } from '../../../plugins/app/regions/region-scope.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { Webhook, WebhookCreate, WebhookDeliveryPage, WebhookList, WebhookPatch, WebhookWithSecret } from '../../../schemas/webhooks.ts'

const WebhookParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The subscription\'s id' })
}, { additionalProperties: false })

const DeliveryParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The subscription\'s id' }),
  deliveryId: Type.String({ pattern: '^msg_[0-9a-f]{32}$', description: 'The delivery\'s id (its `webhook-id`)', examples: ['msg_0f2c9d4e8b1a4c67a9e3d5f1b2c7a8e4'] })
}, { additionalProperties: false })

const etagHeader = { etag: Type.String({ description: 'The subscription\'s version, for If-Match' }) }
const noQuery = Type.Object({}, { additionalProperties: false })

/** Subscriptions are configuration, not data: never cached, and tagged with their own version for If-Match. */
function describe (reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`).header('cache-control', 'no-store')
}

// Webhook subscriptions (admin scope): the changes of the feed, POSTed to a partner's URL as they commit, signed per the
// Standard Webhooks specification, retried for 24 hours, with a log of every attempt.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = fastify.webhookRepository

  // A subscription hears the changes of every hospital: like the reference data every hospital shares, it lies in no
  // region, so only a key without one manages it (regions/region-scope.ts).
  fastify.addHook('preHandler', async (request) => {
    await assertInKeyRegion(fastify.prisma, request.apiKey, 'shared', '', 'webhook subscription')
  })

  fastify.get('/', {
    config: { scope: 'admin', responseCache: false },
    schema: {
      tags: ['webhooks'],
      operationId: 'listWebhooks',
      summary: 'List webhook subscriptions',
      description: 'Every subscription (admin scope), oldest first, with how many of its deliveries are pending, delivered and failed.',
      querystring: noQuery,
      response: {
        200: ref(WebhookList, { description: 'The subscriptions' }),
        400: problemResponse('A parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { data: await repository.list() }
  })

  fastify.post('/', {
    config: { scope: 'admin' },
    schema: {
      tags: ['webhooks'],
      operationId: 'createWebhook',
      summary: 'Subscribe a URL to changes',
      description: 'From now on each change of the feed whose type the subscription names is POSTed to `url` (see the ' +
        '`change` webhook in this document): a JSON body `{type, timestamp, data}` with `data` as GET /v1/changes lists ' +
        'it, and the headers `webhook-id` (the same on every retry), `webhook-timestamp` and `webhook-signature` ' +
        '(HMAC-SHA256 with the secret, per the Standard Webhooks specification). A 2xx answer within ' +
        'WEBHOOK_TIMEOUT_MS (10 s) counts as delivered; anything else (a redirect included) is retried with exponential ' +
        'backoff and jitter for WEBHOOK_RETRY_WINDOW_MS (24 hours). The answer carries the signing secret, shown only ' +
        'this once. Refused (422) when the URL is not http(s) or its host resolves to a loopback, private or link-local address.',
      body: ref(WebhookCreate),
      response: {
        201: { description: 'The subscription, with its secret', headers: { location: Type.String(), ...etagHeader }, content: { 'application/json': { schema: ref(WebhookWithSecret) } } },
        400: problemResponse('The body is invalid'),
        415: problemResponse('The body is not JSON'),
        422: problemResponse('The URL is refused: not http(s), not resolvable, or on an address this server does not send to'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const created = await repository.create(request.body, request.apiKey!.id)
    describe(reply, created.version)
    reply.code(201).header('location', `/v1/webhooks/${created.id}`)
    return created
  })

  fastify.get('/:id', {
    config: { scope: 'admin', responseCache: false },
    schema: {
      tags: ['webhooks'],
      operationId: 'getWebhook',
      summary: 'Get a webhook subscription',
      description: 'One subscription (admin scope), without its secret; its `ETag` is what PATCH takes in If-Match.',
      params: WebhookParams,
      querystring: noQuery,
      response: {
        200: { description: 'The subscription', headers: etagHeader, content: { 'application/json': { schema: ref(Webhook) } } },
        400: problemResponse('The id is malformed or a parameter is unknown'),
        404: problemResponse('No subscription has this id'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await repository.get(request.params.id)
    describe(reply, found.version)
    return found
  })

  fastify.patch('/:id', {
    config: { scope: 'admin' },
    schema: {
      tags: ['webhooks'],
      operationId: 'updateWebhook',
      summary: 'Change a webhook subscription',
      description: 'Changes its URL, description or events, or switches it off and on (admin scope). `enabled: true` on a ' +
        'subscription disabled after failing forgives its failures and sends its pending deliveries at once. Needs ' +
        'If-Match with the ETag of GET (or `*`).',
      params: WebhookParams,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ETag of the version being changed, or *', examples: ['"3"', '*'] })) }),
      body: ref(WebhookPatch),
      response: {
        200: { description: 'The subscription as changed', headers: etagHeader, content: { 'application/json': { schema: ref(Webhook) } } },
        400: problemResponse('The body is invalid'),
        404: problemResponse('No subscription has this id'),
        412: problemResponse('If-Match names an older version'),
        415: problemResponse('The body is not JSON'),
        422: problemResponse('The new URL is refused'),
        428: problemResponse('If-Match is missing'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const updated = await repository.update(request.params.id, request.body, requireIfMatch(request))
    if (updated.enabled) fastify.webhookSender.wake()
    describe(reply, updated.version)
    return updated
  })

  fastify.delete('/:id', {
    config: { scope: 'admin' },
    schema: {
      tags: ['webhooks'],
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook subscription',
      description: 'Stops deliveries to it at once and removes it with its delivery log (admin scope).',
      params: WebhookParams,
      response: {
        204: { description: 'Deleted', type: 'null' },
        400: problemResponse('The id is malformed'),
        404: problemResponse('No subscription has this id'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    await repository.remove(request.params.id)
    return reply.code(204).send(null)
  })

  fastify.post('/:id/secret', {
    config: { scope: 'admin' },
    schema: {
      tags: ['webhooks'],
      operationId: 'rotateWebhookSecret',
      summary: 'Rotate a subscription\'s signing secret',
      description: 'Makes a new secret, shown only in this answer; deliveries from now on are signed with it, and the old ' +
        'one no longer verifies (admin scope).',
      params: WebhookParams,
      response: {
        200: { description: 'The subscription, with its new secret', headers: etagHeader, content: { 'application/json': { schema: ref(WebhookWithSecret) } } },
        400: problemResponse('The id is malformed'),
        404: problemResponse('No subscription has this id'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const rotated = await repository.rotateSecret(request.params.id)
    describe(reply, rotated.version)
    return rotated
  })

  fastify.get('/:id/deliveries', {
    config: { scope: 'admin', responseCache: false },
    schema: {
      tags: ['webhooks'],
      operationId: 'listWebhookDeliveries',
      summary: 'A subscription\'s delivery log',
      description: 'Its deliveries, newest first (admin scope), each with its state and every attempt: when, how long, ' +
        'the receiver\'s status and the start of its answer, or what went wrong.',
      params: WebhookParams,
      querystring: Type.Object({
        state: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'], { description: 'Only deliveries in this state' })),
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'At most this many deliveries', examples: [20] }),
        cursor: Type.Optional(Type.String({ pattern: '^msg_[0-9a-f]{32}$', description: '`page.nextCursor` of the page before' }))
      }, { additionalProperties: false }),
      response: {
        200: ref(WebhookDeliveryPage, { description: 'One page of deliveries' }),
        400: problemResponse('A parameter is invalid or unknown'),
        404: problemResponse('No subscription has this id'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { state, limit, cursor } = request.query
    reply.header('cache-control', 'no-store')
    return repository.deliveries(request.params.id, { state }, { limit, cursor })
  })

  fastify.post('/:id/deliveries/:deliveryId/redeliver', {
    config: { scope: 'admin' },
    schema: {
      tags: ['webhooks'],
      operationId: 'redeliverWebhook',
      summary: 'Send a delivery again',
      description: 'Sends the delivery again now, with the same `webhook-id` and body, whatever its state, and retries ' +
        'it for a new window if it fails (admin scope). Answers 202: follow it in the delivery log.',
      params: DeliveryParams,
      response: {
        202: { description: 'Queued to be sent now', type: 'null' },
        400: problemResponse('An id is malformed'),
        404: problemResponse('No such subscription, or it has no such delivery'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    await repository.redeliver(request.params.id, request.params.deliveryId)
    fastify.webhookSender.wake()
    return (reply as FastifyReply).code(202).send()
  })
}

export default plugin
