import type { FastifyInstance } from 'fastify'
import { ProblemError } from '../../lib/problem.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer with; application/json unless a route says otherwise. */
    produces?: string[]
  }
}

// Every /v1 route: a client whose Accept header admits none of the route's media types gets a 406 problem.
export default async function (fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRequest', async (request) => {
    if (request.headers.accept === undefined) return
    const produces = request.routeOptions.config.produces ?? ['application/json']
    if (request.accepts().type(produces) === false) {
      throw new ProblemError('notAcceptable',
        `This resource is available as ${produces.join(' or ')}; the Accept header "${request.headers.accept}" admits none of them.`)
    }
  })
}
