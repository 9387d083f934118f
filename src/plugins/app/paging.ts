import { randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import { CursorCodec, listJsonPage, listPage, planPage, type JsonListSource, type JsonPage, type ListPage, type ListSource, type ListSpec, type PagePlan, type PageRequest } from '../../lib/paging.ts'

declare module 'fastify' {
  interface FastifyInstance {
    paging: {
      plan(spec: ListSpec, request: PageRequest): PagePlan
      /** Plans, fetches, counts (with count=true) and presents one page of a list. */
      list<Row extends { id: string }, Item>(spec: ListSpec, request: PageRequest & { count?: boolean }, source: ListSource<Row, Item>): Promise<ListPage<Item>>
      /** The same, for a list whose items PostgreSQL writes as JSON. */
      listJson(spec: ListSpec, request: PageRequest & { count?: boolean }, source: JsonListSource): Promise<JsonPage>
      codec: CursorCodec
    }
  }
}

// Holds the key that signs cursors. Without CURSOR_SECRET a random key is used, so cursors stop working after a
// restart and differ between instances; production sets the same secret everywhere.
export default fp(async (fastify) => {
  const secret = fastify.config.CURSOR_SECRET
  if (secret === undefined) fastify.log.debug('CURSOR_SECRET is not set: paging cursors are valid for this process only')
  const codec = new CursorCodec(secret === undefined ? randomBytes(32) : Buffer.from(secret))
  const plan = (spec: ListSpec, request: PageRequest): PagePlan => planPage(codec, spec, request)
  fastify.decorate('paging', {
    plan,
    list: async (spec, request, source) => listPage(plan(spec, request), request, source),
    listJson: async (spec, request, source) => listJsonPage(plan(spec, request), request, source),
    codec
  })
}, { name: 'paging' })
