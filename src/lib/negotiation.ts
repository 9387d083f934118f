import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { ProblemError } from './problem.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer with; application/json unless a route says otherwise. */
    produces?: string[]
  }
}

/** Throws a 406 problem when the Accept header admits none of the route's media types. */
export function assertAcceptable (request: FastifyRequest): void {
  if (request.headers.accept === undefined) return
  const produces = request.routeOptions.config.produces ?? ['application/json']
  if (request.accepts().type(produces) === false) {
    throw new ProblemError('notAcceptable',
      `This resource is available as ${produces.join(' or ')}; the Accept header "${request.headers.accept}" admits none of them.`)
  }
}

/**
 * onRequest hook: a client whose Accept header admits none of the route's media types gets a 406 problem. It takes a
 * callback (Fastify answers what it throws) rather than returning a promise: it runs on every request, and has
 * nothing to wait for.
 */
export function rejectUnacceptable (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  assertAcceptable(request)
  done()
}
