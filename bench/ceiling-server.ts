import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { ifNoneMatchMatches } from '../src/plugins/external/http-caching.ts'
import { inferSchema } from './json-schema.ts'

// The ceiling: what bare Fastify achieves when the body is already in memory and only has to be serialized, through a
// response schema as a typical route does, on every request. No plugins, no logger, no database. Each route serves
// one scenario's body as the app answered it (fetched once by the bench); CSV is a string and is sent as it is.
//
// Beside it, for context, the same answer: the app's bytes already serialized, with the headers the app sent (its
// security and caching headers, a fresh request id each time), and a 304 when If-None-Match names the ETag. That is
// what a cached answer costs through Fastify with nothing of the app's own in between, so the app's figure against
// it measures the app's layers, and its figure against the ceiling measures what the HTTP contract costs.
// Run as a child process: `tsx bench/ceiling-server.ts <routes.json>`, with PORT and HOST in the environment.

export interface CeilingRoute {
  method: 'GET' | 'PATCH'
  url: string
  contentType: string
  body: string
  /** Whether the body is JSON (serialized through an inferred schema) or text (sent as it is). */
  json: boolean
  /** GETs only: where the same answer is served, with the app's headers (those that are the same for every request). */
  sameAnswer?: { url: string, headers: Record<string, string> }
}

const routesFile = process.argv[2]
if (routesFile === undefined) throw new Error('usage: tsx bench/ceiling-server.ts <routes.json>')
const routes = JSON.parse(readFileSync(routesFile, 'utf8')) as CeilingRoute[]

const app = Fastify({ logger: false })
app.get('/ready', async () => ({ status: 'ready' }))

for (const route of routes) {
  if (route.json) {
    const payload: unknown = JSON.parse(route.body)
    app.route({
      method: route.method,
      url: route.url,
      schema: { response: { 200: inferSchema(payload) } },
      handler: async (_request, reply) => {
        reply.type(route.contentType)
        return payload
      }
    })
  } else {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (_request, reply) => reply.type(route.contentType).send(route.body)
    })
  }

  if (route.sameAnswer !== undefined) {
    const body = Buffer.from(route.body)
    const { headers } = route.sameAnswer
    const { 'content-type': _type, ...notModifiedHeaders } = headers
    const etag = headers.etag
    app.get(route.sameAnswer.url, (request, reply) => {
      const ifNoneMatch = request.headers['if-none-match']
      if (etag !== undefined && ifNoneMatch !== undefined && ifNoneMatchMatches(ifNoneMatch, etag)) {
        reply.code(304).headers(notModifiedHeaders).header('x-request-id', randomUUID()).send()
        return
      }
      reply.headers(headers).header('x-request-id', randomUUID()).send(body)
    })
  }
}

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
