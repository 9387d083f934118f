import type { FastifyRequest } from 'fastify'
import { ProblemError } from './problem.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer with; application/json unless a route says otherwise. */
    produces?: string[]
  }
}

/** onRequest hook: a client whose Accept header admits none of the route's media types gets a 406 problem. */
export async function rejectUnacceptable (request: FastifyRequest): Promise<void> {
  if (request.headers.accept === undefined) return
  const produces = request.routeOptions.config.produces ?? ['application/json']
  if (request.accepts().type(produces) === false) {
    throw new ProblemError('notAcceptable',
      `This resource is available as ${produces.join(' or ')}; the Accept header "${request.headers.accept}" admits none of them.`)
  }
}
