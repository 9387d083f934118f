import { randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import { CursorCodec, planPage, type ListSpec, type PagePlan, type PageRequest } from '../../lib/paging.ts'

declare module 'fastify' {
  interface FastifyInstance {
    paging: { plan(spec: ListSpec, request: PageRequest): PagePlan }
  }
}

// Holds the key that signs cursors. Without CURSOR_SECRET a random key is used, so cursors stop working after a
// restart and differ between instances; production sets the same secret everywhere.
export default fp(async (fastify) => {
  const secret = fastify.config.CURSOR_SECRET
  if (secret === undefined) fastify.log.debug('CURSOR_SECRET is not set: paging cursors are valid for this process only')
  const codec = new CursorCodec(secret === undefined ? randomBytes(32) : Buffer.from(secret))
  fastify.decorate('paging', { plan: (spec: ListSpec, request: PageRequest) => planPage(codec, spec, request) })
}, { name: 'paging' })
