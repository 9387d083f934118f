import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'
import acceptNegotiator from '@fastify/accept-negotiator'
import compress from '@fastify/compress'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isFhirUrl } from '../app/fhir/outcome.ts'
import { createResponseCache, type CachedResponse, type Lookup, type ResponseCache, type ResponseSlot } from '../../lib/response-cache.ts'
import { packageRoot } from '../../paths.ts'

declare module 'fastify' {
  interface FastifyInstance {
    responseCache: ResponseCache
  }
  interface FastifyInstance {
    /** The strong ETag a GET of `url` would send for this version of an entity, at this data version (for writes). */
    entityTagFor(url: string, dataVersion: number, version: number): string
  }
  interface FastifyRequest {
    responseSlot: ResponseSlot | null
    /** Keeps this answer out of the response cache (an event stream, which never ends as a document). */
    skipResponseCache(): void
    /** The data's version when this GET began (cacheable GETs only): what its ETag is made from. */
    dataVersion: number | null
    /** The strong ETag of this GET's answer, for a route whose answer is one entity at `version`. */
    entityTag(version: number): string
  }
  interface FastifyContextConfig {
    /**
     * Whether successful GETs of the route may be served from the response cache (default: every GET under /v1).
     * A route whose answer depends on a table without change notifications (the audit trail, the archive) says false.
     */
    responseCache?: boolean
  }
}

// Conditional GETs, the response cache and compression, in that order.
// - The ETag is computed from the uncompressed body, so it is the same for every encoding (hence weak), and a 304
//   skips compression altogether. Only successful GET/HEAD responses get an ETag (a 404's body must never answer
//   304), and If-None-Match is parsed as RFC 9110 defines it: a list of tags or "*", compared weakly. Last-Modified,
//   where a route sets it, is honoured when If-None-Match is absent.
// - The response cache keeps a successful GET's body, ETag and describing headers, so a repeated GET costs neither a
//   query nor serialization nor hashing. It answers after authentication, rate limiting and content negotiation
//   (onRequest) have run for the request, and before validation: a cached URL was valid when it was computed.

// ETags without building the body. Every cacheable GET's ETag is made from the data's version (one counter that every
// committed change moves on: the data_version migration), the request's cache key and the code's build: the same
// key at the same data version always gets the same answer, so a conditional GET whose tag names the current data
// version is answered 304 before the route runs — one small query when nothing is cached, none while changes are
// heard and none came. A list's tag is weak, W/"<data version>-<digest>"; an entity's is strong and also names its
// own version, "<version>.<data version>-<digest>", which is what If-Match on PATCH and DELETE compares.

/** Distinguishes builds of the code, whose answers may differ for the same data: the compiled build's digest. */
function buildSeed (): string {
  if (!fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`)) return 'source'
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'dist', 'build.json'), 'utf8')) as { digest?: string }).digest ?? 'dist'
  } catch {
    return 'dist'
  }
}
const seed = buildSeed()

function tagDigest (key: string, dataVersion: number, version: number | null): string {
  return createHash('sha1').update(`${seed}\n${key}\n${dataVersion}\n${version ?? ''}`).digest('base64url').slice(0, 16)
}

export function listTag (key: string, dataVersion: number): string {
  return `W/"${dataVersion}-${tagDigest(key, dataVersion, null)}"`
}

export function entityTag (key: string, dataVersion: number, version: number): string {
  return `"${version}.${dataVersion}-${tagDigest(key, dataVersion, version)}"`
}

const versionedTag = /^"(?:(\d{1,9})\.)?(\d{1,15})-([A-Za-z0-9_-]{16})"$/

/** Whether If-None-Match names a tag this key has at this data version (so the answer would be the same). */
function currentTagIn (header: string, key: string, dataVersion: number): string | null {
  for (const tag of header.split(',')) {
    const match = versionedTag.exec(opaqueTag(tag))
    if (match === null || Number(match[2]) !== dataVersion) continue
    const version = match[1] === undefined ? null : Number(match[1])
    if (match[3] === tagDigest(key, dataVersion, version)) return tag.trim()
  }
  return null
}

export function weakEtag (body: string | Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`
}

function opaqueTag (tag: string): string {
  return tag.trim().replace(/^W\//, '')
}

export function ifNoneMatchMatches (header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => opaqueTag(tag) === opaqueTag(etag))
}

function notModifiedSince (request: FastifyRequest, reply: FastifyReply): boolean {
  const since = request.headers['if-modified-since']
  const lastModified = reply.getHeader('last-modified')
  if (since === undefined || typeof lastModified !== 'string') return false
  const sinceTime = Date.parse(since)
  return !Number.isNaN(sinceTime) && Date.parse(lastModified) <= sinceTime
}

/** The headers a route sets to describe its body; the rest (request id, rate limit, CORS) belong to each request. */
const describingHeaders = ['content-type', 'last-modified', 'link', 'x-total-count', 'content-disposition', 'vary', 'cache-control']

function cacheable (request: FastifyRequest): boolean {
  const { method, url, config } = request.routeOptions
  return method === 'GET' && request.method === 'GET' && config.responseCache !== false &&
    typeof url === 'string' && (url.startsWith('/v1/') || isFhirUrl(url))
}

/**
 * The URL as sent and what the client accepts: the two things a cached GET's body depends on; and for the FHIR view,
 * whose answers hold absolute URLs, the origin they were built from.
 */
function cacheKey (request: FastifyRequest): string {
  const origin = isFhirUrl(request.url) ? `${request.protocol}://${request.host}` : ''
  return requestKey(`${origin}${request.url}`, request.headers.accept)
}

function requestKey (url: string, accept: string | undefined): string {
  return `${url}\n${accept ?? ''}`
}

/**
 * What an ETag names: the URL and the media type the answer is in. A route that answers one type (JSON) gives the same
 * answer whatever Accept says (`*\/*`, none, `application/json`); one that offers several (JSON or CSV) is keyed on
 * the one Accept chooses. So a tag revalidates for any client asking for the same representation.
 */
function representationKey (request: FastifyRequest): string {
  const origin = isFhirUrl(request.url) ? `${request.protocol}://${request.host}` : ''
  const produces = (request.routeOptions.config as { produces?: string[] }).produces
  const chosen = produces === undefined || produces.length < 2 || request.headers.accept === undefined
    ? ''
    : request.accepts().type(produces) || ''
  return `${origin}${request.url}\n${chosen}`
}

function store (reply: FastifyReply, payload: string | Buffer, etag: string): CachedResponse {
  const headers: Record<string, string> = {}
  for (const name of describingHeaders) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return { body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload), etag, headers, encoded: {} }
}

// Compression, as @fastify/compress does it for a response computed afresh: bodies of 1 KB or more, in br or gzip as
// the client prefers (Accept-Encoding, with "*" and x-gzip taken as gzip), none when it sends X-No-Compression.
// Brotli's default quality (11) costs more CPU than a JSON API should spend per response. Every body the response
// cache holds is JSON or CSV, which compress well.
const compressionThreshold = 1024
const brotliOptions = { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }
const encoders: Record<string, (body: Buffer) => Buffer> = {
  br: (body) => brotliCompressSync(body, brotliOptions),
  gzip: (body) => gzipSync(body)
}
const codingNegotiator = new acceptNegotiator.Negotiator({ supportedValues: ['br', 'gzip'] })

function contentCoding (request: FastifyRequest, body: Buffer): string | undefined {
  const accepted = request.headers['accept-encoding']
  if (accepted === undefined || body.length < compressionThreshold || request.headers['x-no-compression'] !== undefined) return undefined
  const coding = codingNegotiator.negotiate(accepted.toLowerCase().replace(/\*|x-gzip/g, 'gzip'))
  return coding === null ? undefined : coding
}

function withVary (vary: string | undefined, header: string): string {
  if (vary === undefined || vary === '') return header
  return vary.toLowerCase().split(',').some((name) => name.trim() === header) ? vary : `${vary}, ${header}`
}

export default fp(async (fastify) => {
  const { config } = fastify
  const cacheControl = config.CACHE_CONTROL
  let cache: ResponseCache | undefined

  // The data-changes plugin (loaded with the app's plugins, after this one) says when the data changed.
  fastify.decorate('responseCache', {
    lookup: (key: string) => cache === undefined ? { kind: 'bypass' as const } : cache.lookup(key),
    encoded: (key, response, coding, encode) => cache === undefined ? encode(response.body) : cache.encoded(key, response, coding, encode),
    stats: () => cache?.stats() ?? { hits: 0, misses: 0, bypasses: 0, entries: 0, bytes: 0 }
  })
  fastify.addHook('onReady', async () => {
    cache = createResponseCache(fastify.dataChanges, { maxBytes: config.RESPONSE_CACHE_MAX_MB * 1024 * 1024 })
  })

  /** Sends a cached response, compressed if the client asks for it. */
  function sendHit (request: FastifyRequest, reply: FastifyReply, key: string, response: CachedResponse): void {
    reply.headers(response.headers).header('etag', response.etag).header('x-cache', 'hit')
    const coding = contentCoding(request, response.body)
    if (coding === undefined) {
      reply.send(response.body)
      return
    }
    // Sent encoded, so compression (below) lets it pass as it is.
    const body = fastify.responseCache.encoded(key, response, coding, encoders[coding]!)
    reply.header('content-encoding', coding).header('vary', withVary(response.headers.vary, 'accept-encoding'))
    reply.send(body)
  }

  fastify.decorateRequest('responseSlot', null)
  // An answer that is not a document (an event stream) is never stored: those waiting for the same URL go on at once.
  fastify.decorateRequest('skipResponseCache', function (this: FastifyRequest) {
    this.responseSlot?.abandon()
    this.responseSlot = null
  })
  fastify.decorateRequest('dataVersion', null)
  fastify.decorateRequest('entityTag', function (this: FastifyRequest, version: number): string {
    // Only cacheable GETs know their data version; another route that names an entity gets a tag no GET matches.
    return this.dataVersion === null ? `"${version}.0-${'x'.repeat(16)}"` : entityTag(representationKey(this), this.dataVersion, version)
  })
  // A record's URL answers JSON only, so its tag does not depend on Accept.
  fastify.decorate('entityTagFor', (url: string, dataVersion: number, version: number) =>
    entityTag(`${url}\n`, dataVersion, version))

  /** Before the route runs: the data version its ETag will name, and a 304 at once if the client's tag names it. */
  function revalidate (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const answer = (dataVersion: number): void => {
      request.dataVersion = dataVersion
      const ifNoneMatch = request.headers['if-none-match']
      const tag = ifNoneMatch === undefined ? null : currentTagIn(ifNoneMatch, representationKey(request), dataVersion)
      if (tag === null) return done()
      request.responseSlot?.abandon()
      request.responseSlot = null
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl)
      // A 304 carries the Vary its 200 would (RFC 9110 §15.4.5): routes that answer JSON or CSV vary on Accept.
      const produces = (request.routeOptions.config as { produces?: string[] }).produces
      if (produces !== undefined && produces.length > 1) reply.header('vary', 'accept')
      reply.code(304).header('etag', tag).header('x-cache', 'revalidated')
      reply.send()
    }
    const found = fastify.dataVersion()
    if (typeof found === 'number') answer(found)
    else found.then(answer, done)
  }

  // The hooks of this plugin take callbacks rather than returning promises: they run on every request, cached hits
  // included, and most of the time have nothing to wait for.
  fastify.addHook('preValidation', (request, reply, done) => {
    if (!cacheable(request)) return done()
    const key = cacheKey(request)
    const answer = (found: Lookup): void => {
      if (found.kind === 'hit') return sendHit(request, reply, key, found.response)
      if (found.kind === 'miss') request.responseSlot = found.slot
      revalidate(request, reply, done)
    }
    const found = fastify.responseCache.lookup(key)
    if (found instanceof Promise) found.then(answer, done)
    else answer(found)
  })

  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode >= 400) {
      reply.header('cache-control', 'no-store')
      return done(null, payload)
    }
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload)
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl)
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload)

    const etag = String(reply.getHeader('etag') ??
      (request.dataVersion === null ? weakEtag(payload) : listTag(representationKey(request), request.dataVersion)))
    reply.header('etag', etag)
    if (request.responseSlot !== null) {
      request.responseSlot.fill(store(reply, payload, etag))
      request.responseSlot = null
      reply.header('x-cache', 'miss')
    }
    const ifNoneMatch = request.headers['if-none-match']
    const fresh = ifNoneMatch === undefined ? notModifiedSince(request, reply) : ifNoneMatchMatches(ifNoneMatch, etag)
    if (!fresh) return done(null, payload)
    // A 304 has no body, so neither a content coding, nor a Content-Type, nor a Content-Length: a cache merges the
    // 304's headers into the response it kept, which must not come out marked as compressed or as empty (RFC 9110
    // §8.6, §15.4.5). ETag, Vary, Cache-Control and Last-Modified stay, as the 200 would have sent them.
    reply.code(304).removeHeader('content-encoding').removeHeader('content-type').removeHeader('content-length')
    done(null, null)
  })

  // Whatever else happened to it (an error, a redirect, a closed connection), a miss releases those waiting on it.
  const release = (request: FastifyRequest): void => {
    request.responseSlot?.abandon()
    request.responseSlot = null
  }
  fastify.addHook('onResponse', (request, _reply, done) => {
    release(request)
    done()
  })
  fastify.addHook('onRequestAbort', (request, done) => {
    release(request)
    done()
  })

  await fastify.register(compress, { threshold: compressionThreshold, encodings: ['br', 'gzip'], brotliOptions })
}, { name: 'http-caching' })
