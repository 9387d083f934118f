import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sendJson } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { auditedResources } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { ChangePage } from '../../../schemas/changes.ts'

const defaultLimit = 100
const maxLimit = 1000

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      tags: ['changes'],
      operationId: 'listChanges',
      summary: 'What changed since a cursor',
      description: 'Every create, update, archive and restore made through this API, in the order the writes ' +
        'committed, each with its resource, id, key, version, action, time, the record it produced and its URL (an ' +
        'archive links its archived copy). Read from `since` (a change\'s `cursor`; 0, the default, is the beginning; ' +
        '`now` starts after the latest change), then go on from `page.nextCursor`: no change is skipped or repeated, even ' +
        'when writes overlap and commit in another order than they began. The seed\'s data was loaded before the feed ' +
        'began: take `since=now` first, read the lists, then follow the feed from that cursor.',
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
        limit: Type.Integer({ minimum: 1, maximum: maxLimit, default: defaultLimit, description: 'At most this many changes', examples: [defaultLimit] })
      }, { additionalProperties: false }),
      response: {
        200: ref(ChangePage, { description: 'The changes after `since`, oldest first' }),
        400: problemResponse('since, resource or limit is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { since, limit } = request.query
    const resources = parseNames(request.query.resource, auditedResources, 'resource')
    const after = since === 'now' ? await fastify.changeRepository.latest() : BigInt(since)
    const page = await fastify.changeRepository.page({ resources }, { limit, since: after })
    if (page.more) {
      const next = new URL(request.url, 'http://localhost')
      next.searchParams.set('since', page.next.toString())
      reply.header('link', `<${next.pathname}${next.search}>; rel="next"`)
    }
    const info = JSON.stringify({ limit, since: after.toString(), nextCursor: page.next.toString(), more: page.more })
    sendJson(reply, `{"data":[${page.items.join(',')}],"page":${info}}`)
    return reply
  })
}

export default plugin
