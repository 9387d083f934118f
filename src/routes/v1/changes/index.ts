import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sendEventStream, type EventFeed } from '../../../lib/event-stream.ts'
import { sendJson } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { auditedResources } from '../../../plugins/app/writes/resources.ts'
import { type ChangeFilters } from '../../../plugins/app/changes/change-repository.ts'
import { filterLimits, filterValues } from '../../../plugins/app/statistics/scope-sql.ts'
import { problemResponse, ref, slugList } from '../../../schemas/common.ts'
import { ChangePage } from '../../../schemas/changes.ts'

const defaultLimit = 100
const maxLimit = 1000
const eventStream = 'text/event-stream'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  /** The feed as a stream reads it: pages after a cursor, woken by every committed change (from any instance). */
  // The streams of this instance share their reads (plugins/app/changes/change-hub.ts).
  const changeFeed = (filters: ChangeFilters): EventFeed => ({
    read: async (cursor) => {
      const page = await fastify.changeHub.read(filters, BigInt(cursor))
      return {
        events: page.items.map((entry) => ({ id: entry.position, event: 'change', data: entry.item })),
        cursor: page.next.toString(),
        more: page.more
      }
    },
    // Woken once per committed write (its audit event; '*' when anything may have changed), not for each table it touched.
    subscribe: (wake) => {
      const onChange = (table: string): void => {
        if (table === 'audit_event' || table === '*') wake()
      }
      fastify.dataChanges.on('change', onChange)
      return () => { fastify.dataChanges.off('change', onChange) }
    }
  })

  fastify.get('/', {
    config: { produces: ['application/json', eventStream] },
    schema: {
      tags: ['changes'],
      operationId: 'listChanges',
      summary: 'What changed since a cursor',
      description: 'Every create, update, archive and restore made through this API, in the order the writes ' +
        'committed, each with its resource, id, key, version, action, time, the record it produced and its URL (an ' +
        'archive links its archived copy). Read from `since` (a change\'s `cursor`; 0, the default, is the beginning; ' +
        '`now` starts after the latest change), filtered by resource and hospital, then go on from `page.nextCursor`: no change is skipped or repeated, even ' +
        'when writes overlap and commit in another order than they began. The seed\'s data was loaded before the feed ' +
        'began: take `since=now` first, read the lists, then follow the feed from that cursor. ' +
        'With `Accept: text/event-stream` the same feed is streamed as Server-Sent Events (`event: change`, the cursor ' +
        'as `id`), from `since` or the `Last-Event-ID` header, with changes committed by any instance as they commit, a ' +
        'heartbeat comment when idle, and a final `event: resume` naming the cursor to reconnect with when the server ' +
        'ends the stream (shutting down, or the client fell too far behind).',
      querystring: Type.Object({
        since: Type.String({
          pattern: '^(0|[1-9][0-9]{0,18}|now)$',
          default: '0',
          description: 'A change\'s cursor: the changes after it are listed; `now` for none of the past ones',
          examples: ['0', 'now']
        }),
        resource: Type.Optional(Type.String({
          maxLength: 500,
          description: `Only changes to these collections, comma-separated, from: ${auditedResources.join(', ')}`,
          examples: ['departments,metrics']
        })),
        hospital: Type.Optional(slugList({
          description: `Only changes to records of these hospitals (the hospital itself, its units, their figures, honors, services, ` +
            `aliases and condition links, its events, news and sources): one slug or a comma-separated list of at most ` +
            `${filterLimits.hospital}; an unknown slug is a 400. Regions and the shared metric definitions and conditions belong to no hospital`,
          examples: ['cqhcwc']
        })),
        limit: Type.Integer({ minimum: 1, maximum: maxLimit, default: defaultLimit, description: 'At most this many changes on a JSON page (a stream sends what there is)', examples: [defaultLimit] })
      }, { additionalProperties: false }),
      response: {
        200: {
          description: 'The changes after `since`, oldest first',
          content: {
            'application/json': { schema: ref(ChangePage) },
            [eventStream]: {
              schema: Type.String({
                description: 'Server-Sent Events: `retry`, then one `event: change` per change (`id` its cursor, `data` the change ' +
                  'as JSON), `: heartbeat` comments while idle, and `event: resume` with `{"cursor": …}` before the server ends it',
                examples: ['retry: 2000\n\nid: 1042\nevent: change\ndata: {"cursor":"1042","resource":"departments","action":"update"}\n\n']
              })
            }
          }
        },
        400: problemResponse('since, resource, hospital or limit is invalid, a hospital slug names none, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { since, limit } = request.query
    const resources = parseNames(request.query.resource, auditedResources, 'resource')
    const hospitalSlugs = filterValues('hospital', request.query.hospital)
    const filters: ChangeFilters = {
      resources,
      ...(hospitalSlugs === undefined ? {} : { hospitals: await fastify.changeRepository.hospitalIds(hospitalSlugs) })
    }
    if (request.accepts().type(['application/json', eventStream]) === eventStream) {
      const lastEventId = request.headers['last-event-id']
      const resumeFrom = typeof lastEventId === 'string' && /^(0|[1-9][0-9]{0,18})$/.test(lastEventId) ? lastEventId : undefined
      const start = resumeFrom ?? (since === 'now' ? (await fastify.changeRepository.latest()).toString() : since)
      request.skipResponseCache()
      sendEventStream(request, reply, changeFeed(filters), start, fastify.eventStreams.options, fastify.eventStreams)
      return reply
    }
    const after = since === 'now' ? await fastify.changeRepository.latest() : BigInt(since)
    const page = await fastify.changeRepository.page(filters, { limit, since: after })
    if (page.more) {
      const next = new URL(request.url, 'http://localhost')
      next.searchParams.set('since', page.next.toString())
      reply.header('link', `<${next.pathname}${next.search}>; rel="next"`)
    }
    const info = JSON.stringify({ limit, since: after.toString(), nextCursor: page.next.toString(), more: page.more })
    sendJson(reply, `{"data":[${page.items.map((entry) => entry.item).join(',')}],"page":${info}}`)
    return reply
  })
}

export default plugin
