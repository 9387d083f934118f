import { Type, type Static } from 'typebox'
import { Change } from './changes.ts'
import { ref } from './common.ts'

// Webhooks: subscriptions (admin), their deliveries and attempts, and the event each delivery posts
// (plugins/app/webhooks).

const eventPattern = '^(\\*|[a-z][a-z-]*\\.(\\*|created|updated|archived|restored)|\\*\\.(created|updated|archived|restored))$'

export const WebhookEventType = Type.String({
  pattern: eventPattern,
  maxLength: 60,
  description: 'An event type, `<resource>.<created|updated|archived|restored>` (resource as in the change feed); ' +
    '`<resource>.*` for every action on a resource, `*.<action>` for one action on every resource, `*` for all',
  examples: ['departments.updated', 'metrics.*', '*.archived']
})

const url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'Where deliveries are POSTed: an http or https URL whose host resolves to a public address (loopback, ' +
    'private and link-local addresses are refused unless WEBHOOK_ALLOW_ADDRESSES allows them). Redirects are not followed',
  examples: ['https://partner.example.org/hooks/hospital-data']
})
const description = Type.String({ maxLength: 500, description: 'What the endpoint is for', examples: ['Sync to the district health portal'] })
const events = Type.Array(WebhookEventType, {
  maxItems: 50,
  uniqueItems: true,
  description: 'The event types to deliver; empty (the default) for every event'
})

export const Webhook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String({ examples: ['https://partner.example.org/hooks/hospital-data'] }),
  description: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(Type.String(), { examples: [['departments.*', 'metrics.updated']] }),
  enabled: Type.Boolean({ description: 'Whether changes are delivered to it; false once it failed for WEBHOOK_DISABLE_AFTER_MS (or was switched off)' }),
  failingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When deliveries began to fail with no success since; null while it answers'
  }),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  disabledReason: Type.Union([Type.String(), Type.Null()], { examples: ['every delivery failed for 5 days (since 2026-12-01T08:00:00.000Z)'] }),
  deliveries: Type.Object({
    pending: Type.Integer({ minimum: 0 }),
    delivered: Type.Integer({ minimum: 0 }),
    failed: Type.Integer({ minimum: 0, description: 'Gave up after the retry window; redeliver to try again' })
  }, { additionalProperties: false }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer({ minimum: 1 })
}, { $id: 'Webhook', description: 'A webhook subscription (its secret is shown only when made or rotated)', additionalProperties: false })

export const WebhookWithSecret = Type.Object({
  ...Webhook.properties,
  secret: Type.String({
    pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
    description: 'The signing secret, shown this once: verify each delivery\'s `webhook-signature` with it (any Standard ' +
      'Webhooks library does). Rotate it with POST /v1/webhooks/{id}/secret',
    examples: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']
  })
}, { $id: 'WebhookWithSecret', additionalProperties: false })

export const WebhookList = Type.Object({
  data: Type.Array(ref(Webhook))
}, { $id: 'WebhookList', additionalProperties: false })

export const WebhookCreate = Type.Object({
  url,
  description: Type.Optional(description),
  events: Type.Optional(events)
}, { $id: 'WebhookCreate', additionalProperties: false })

export const WebhookPatch = Type.Object({
  url: Type.Optional(url),
  description: Type.Optional(Type.Union([description, Type.Null()])),
  events: Type.Optional(events),
  enabled: Type.Optional(Type.Boolean({ description: 'true re-enables a disabled subscription (its pending deliveries are sent again); false pauses it' }))
}, { $id: 'WebhookPatch', description: 'The fields to change (a JSON merge patch)', additionalProperties: false, minProperties: 1 })

export const WebhookAttempt = Type.Object({
  at: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer({ minimum: 0 }),
  statusCode: Type.Union([Type.Integer(), Type.Null()], { description: 'The receiver\'s status; null when it gave none', examples: [503] }),
  error: Type.Union([Type.String(), Type.Null()], { examples: ['no answer within 10000 ms'] }),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The start of the receiver\'s answer (1 KB at most)' })
}, { $id: 'WebhookAttempt', additionalProperties: false })

export const WebhookDelivery = Type.Object({
  id: Type.String({ description: 'The `webhook-id` header: the same on every attempt, for the receiver to drop repeats', examples: ['msg_0f2c9d4e8b1a4c67a9e3d5f1b2c7a8e4'] }),
  eventType: Type.String({ examples: ['departments.updated'] }),
  cursor: Type.String({ description: 'The change\'s cursor in GET /v1/changes', examples: ['1042'] }),
  state: Type.Enum(['pending', 'delivered', 'failed'], { description: 'pending (waiting for its next attempt), delivered (a 2xx came) or failed (none came within the retry window)' }),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it is tried next, while pending' }),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  attemptLog: Type.Array(ref(WebhookAttempt), { description: 'Every attempt, oldest first' })
}, { $id: 'WebhookDelivery', additionalProperties: false })

export const WebhookDeliveryPage = Type.Object({
  data: Type.Array(ref(WebhookDelivery)),
  page: Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 100 }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for older deliveries; null on the last page' })
  }, { additionalProperties: false })
}, { $id: 'WebhookDeliveryPage', description: 'Deliveries, newest first', additionalProperties: false })

export const WebhookEvent = Type.Object({
  type: Type.String({ description: 'The event type', examples: ['departments.updated'] }),
  timestamp: Type.String({ format: 'date-time', description: 'When the change was made' }),
  data: ref(Change)
}, {
  $id: 'WebhookEvent',
  description: 'The body of a delivery: the change as GET /v1/changes lists it, under the Standard Webhooks envelope',
  additionalProperties: false
})

export type WebhookCreateBody = Static<typeof WebhookCreate>
export type WebhookPatchBody = Static<typeof WebhookPatch>

export const schemas = [Webhook, WebhookWithSecret, WebhookList, WebhookCreate, WebhookPatch, WebhookAttempt, WebhookDelivery, WebhookDeliveryPage, WebhookEvent]
