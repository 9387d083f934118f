import type { FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { lookUpApiKey, type ApiKeyInfo } from '../../db/api-keys.ts'
import { grants, keyRequirement, type Scope } from '../../lib/api-keys.ts'
import { ProblemError } from '../../lib/problem.ts'
import { errorResponse } from './fhir/outcome.ts'

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
    /** Why the presented credentials are refused, until the authorize step sends it. */
    apiKeyRefusal: ProblemError | null
  }
}

const realm = 'hospital-departments-api'

/** Where the identify step leaves a refusal for the authorize step, once the request has been counted. */
const refusalKey = 'apiKeyRefusal'

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

// Three steps, in this order, before anything else runs: identify the caller by API key, count the request against
// its rate limit (the key's, else the IP address's, so failed key guesses count against the address), then authorize
// it for the route's scope. An unauthorised request learns nothing about the resource, not even whether its input was
// valid. A presented key must be valid even where none is needed: a revoked key is refused everywhere, never
// silently treated as anonymous.
export default fp(async (fastify) => {
  const { config } = fastify
  const readsArePublic = !config.READS_REQUIRE_KEY
  fastify.decorateRequest('apiKey', null)
  fastify.decorateRequest(refusalKey, null)

  // Every route that can refuse a caller documents the 401 (and 403) it may answer.
  fastify.addHook('onRoute', (route) => {
    const scope = requiredScope(route)
    // Resolved once here, so that each request reads it instead of working it out from the route's methods.
    route.config = { ...route.config, scope }
    if (scope === 'public' || route.schema === undefined || route.schema.hide === true) return
    const responses = (route.schema.response ??= {}) as Record<string, unknown>
    responses[401] ??= errorResponse(route.url, 'The API key is missing (where one is needed), malformed, unknown or revoked')
    responses[429] ??= errorResponse(route.url, 'Too many requests in the last minute; Retry-After says when to try again')
    if (scope !== 'read' || !readsArePublic) {
      responses[403] ??= errorResponse(route.url, `The API key lacks the ${scope} scope`)
      route.schema.security ??= keyRequirement
    }
  })

  /** Looks the presented key up: the request's key if it is valid, else the refusal the authorize step sends. */
  const identify = async (request: FastifyRequest, key: string): Promise<void> => {
    const lookup = await lookUpApiKey(fastify.prisma, key)
    if (lookup.status === 'valid') {
      request.apiKey = lookup.key
      return
    }
    const description = { malformed: 'not an API key', unknown: 'unknown API key', revoked: 'the API key is revoked' }[lookup.status]
    request[refusalKey] = new ProblemError('unauthorized', `The request's API key is refused: ${description}.`, {
      headers: { 'www-authenticate': challenge({ code: 'invalid_token', description }) }
    })
  }

  // The two steps of this plugin take callbacks rather than returning promises: they run on every request, and only
  // a request that presents a key has anything to wait for.
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.is404 || requiredScope(request.routeOptions) === 'public') return done()
    let key: string | undefined
    try {
      key = presentedKey(request)
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error
      request[refusalKey] = error
      return done()
    }
    if (key === undefined) return done()
    identify(request, key).then(() => done(), done)
  })

  // Routes registered before this plugin (the docs) were given no apiKey decorator: undefined there means anonymous.
  const keyOf = (request: FastifyRequest): ApiKeyInfo | null => request.apiKey ?? null
  const limitOf = (request: FastifyRequest): number => (keyOf(request) === null ? config.RATE_LIMIT_PER_IP : config.RATE_LIMIT_PER_KEY)
  // With both limits at 0 nothing is counted, so the step is left out.
  if (config.RATE_LIMIT_PER_IP > 0 || config.RATE_LIMIT_PER_KEY > 0) {
    fastify.addHook('onRequest', fastify.rateLimit({
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const key = keyOf(request)
        return key === null ? `ip:${request.ip}` : `key:${key.id}`
      },
      max: (request) => limitOf(request),
      // Probes, docs and unknown paths are not counted; a limit of 0 means none.
      allowList: (request) => request.is404 || requiredScope(request.routeOptions) === 'public' || limitOf(request) === 0
    }))
  }

  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.is404) return done()
    const scope = requiredScope(request.routeOptions)
    if (scope === 'public') return done()
    const refusal = request[refusalKey]
    if (refusal !== null) throw refusal
    const key = request.apiKey
    if (key === null) {
      if (scope === 'read' && readsArePublic) return done()
      throw new ProblemError('unauthorized', `This request needs an API key with the ${scope} scope: send it as "Authorization: Bearer <key>" or in X-API-Key.`, {
        headers: { 'www-authenticate': challenge() }
      })
    }
    if (!grants(key.scopes, scope)) {
      throw new ProblemError('forbidden', `The API key "${key.prefix}" has the scopes ${key.scopes.join(', ')}; this request needs ${scope}.`, {
        headers: { 'www-authenticate': challenge({ code: 'insufficient_scope', description: `needs the ${scope} scope`, scope }) }
      })
    }
    done()
  })
}, { name: 'authentication', dependencies: ['prisma', 'rate-limit'] })
