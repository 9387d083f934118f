import type { FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { lookUpApiKey, type ApiKeyInfo } from '../../db/api-keys.ts'
import { grants, keyRequirement, type Scope } from '../../lib/api-keys.ts'
import { ProblemError } from '../../lib/problem.ts'
import { problemResponse } from '../../schemas/common.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a caller needs: a key scope, or `public` for what never needs one (probes, docs, the 405 answers).
     * Unset: `read` for GET and HEAD, `write` for every other method.
     */
    scope?: Scope | 'public'
  }
  interface FastifyRequest {
    /** The caller's valid API key, or null for an anonymous request. */
    apiKey: ApiKeyInfo | null
  }
}

const realm = 'hospital-departments-api'

export function requiredScope (route: Pick<RouteOptions, 'method' | 'config'>): Scope | 'public' {
  const configured = (route.config as { scope?: Scope | 'public' } | undefined)?.scope
  if (configured !== undefined) return configured
  const methods = [route.method].flat()
  if (methods.every((method) => method === 'OPTIONS')) return 'public'
  return methods.every((method) => method === 'GET' || method === 'HEAD') ? 'read' : 'write'
}

function challenge (error?: { code: 'invalid_token' | 'insufficient_scope', description: string, scope?: Scope }): string {
  if (error === undefined) return `Bearer realm="${realm}"`
  return `Bearer realm="${realm}", error="${error.code}", error_description="${error.description}"` +
    (error.scope === undefined ? '' : `, scope="${error.scope}"`)
}

/** The key a request presents, from `Authorization: Bearer` or `X-API-Key`; undefined when it presents none. */
function presentedKey (request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization
  const header = request.headers['x-api-key']
  let bearer: string | undefined
  if (authorization !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(authorization)
    if (match === null) {
      throw new ProblemError('unauthorized', 'The Authorization header must be "Bearer <API key>".', {
        headers: { 'www-authenticate': challenge({ code: 'invalid_token', description: 'not a bearer token' }) }
      })
    }
    bearer = match[1]
  }
  if (Array.isArray(header)) throw new ProblemError('invalidRequest', 'Send one X-API-Key header, not several.')
  if (bearer !== undefined && header !== undefined && bearer !== header) {
    throw new ProblemError('invalidRequest', 'The request presents two different API keys (Authorization and X-API-Key); send one.')
  }
  return bearer ?? header
}

// Identifies the caller by API key and checks the route's scope before anything else runs, so an unauthorised
// request learns nothing about the resource (not even whether its input was valid). A presented key must be valid
// even where none is needed: a revoked key is refused everywhere, not silently treated as anonymous.
export default fp(async (fastify) => {
  const readsArePublic = !fastify.config.READS_REQUIRE_KEY
  fastify.decorateRequest('apiKey', null)

  // Every route that can refuse a caller documents the 401 (and 403) it may answer.
  fastify.addHook('onRoute', (route) => {
    const scope = requiredScope(route)
    if (scope === 'public' || route.schema === undefined || route.schema.hide === true) return
    const responses = (route.schema.response ??= {}) as Record<string, unknown>
    responses[401] ??= problemResponse('The API key is missing (where one is needed), malformed, unknown or revoked')
    if (scope !== 'read' || !readsArePublic) {
      responses[403] ??= problemResponse(`The API key lacks the ${scope} scope`)
      route.schema.security ??= keyRequirement
    }
  })

  fastify.addHook('onRequest', async (request) => {
    if (request.is404) return
    const scope = requiredScope(request.routeOptions)
    if (scope === 'public') return
    const key = presentedKey(request)
    if (key === undefined) {
      if (scope === 'read' && readsArePublic) return
      throw new ProblemError('unauthorized', `This request needs an API key with the ${scope} scope: send it as "Authorization: Bearer <key>" or in X-API-Key.`, {
        headers: { 'www-authenticate': challenge() }
      })
    }
    const lookup = await lookUpApiKey(fastify.prisma, key)
    if (lookup.status !== 'valid') {
      const description = { malformed: 'not an API key', unknown: 'unknown API key', revoked: 'the API key is revoked' }[lookup.status]
      throw new ProblemError('unauthorized', `The request's API key is refused: ${description}.`, {
        headers: { 'www-authenticate': challenge({ code: 'invalid_token', description }) }
      })
    }
    request.apiKey = lookup.key
    if (!grants(lookup.key.scopes, scope)) {
      throw new ProblemError('forbidden', `The API key "${lookup.key.prefix}" has the scopes ${lookup.key.scopes.join(', ')}; this request needs ${scope}.`, {
        headers: { 'www-authenticate': challenge({ code: 'insufficient_scope', description: `needs the ${scope} scope`, scope }) }
      })
    }
  })
}, { name: 'authentication', dependencies: ['prisma'] })
