import { createHash } from 'node:crypto'
import { constants as zlib } from 'node:zlib'
import compress from '@fastify/compress'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

// Conditional GETs and compression, in that order: the ETag is computed from the uncompressed body, so it is the
// same for every encoding (hence weak), and a 304 skips compression altogether. Only successful GET/HEAD responses
// get an ETag (a 404's body must never answer 304), and If-None-Match is parsed as RFC 9110 defines it: a list of
// tags or "*", compared weakly. Last-Modified, where a route sets it, is honoured when If-None-Match is absent.

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

export default fp(async (fastify) => {
  const cacheControl = fastify.config.CACHE_CONTROL

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) {
      reply.header('cache-control', 'no-store')
      return payload
    }
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', cacheControl)
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload

    const etag = String(reply.getHeader('etag') ?? weakEtag(payload))
    reply.header('etag', etag)
    const ifNoneMatch = request.headers['if-none-match']
    const fresh = ifNoneMatch === undefined ? notModifiedSince(request, reply) : ifNoneMatchMatches(ifNoneMatch, etag)
    if (!fresh) return payload
    reply.code(304)
    return ''
  })

  await fastify.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Brotli's default quality (11) costs more CPU than a JSON API should spend per response.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }
  })
}, { name: 'http-caching' })
