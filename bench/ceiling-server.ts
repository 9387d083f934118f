import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { inferSchema } from './json-schema.ts'

// The ceiling: what bare Fastify achieves when the body is already in memory and only has to be serialized, through a
// response schema as a typical route does, on every request. No plugins, no logger, no database. Each route serves
// one scenario's body as the app answered it (fetched once by the bench); CSV is a string and is sent as it is.
// Run as a child process: `tsx bench/ceiling-server.ts <routes.json>`, with PORT and HOST in the environment.

export interface CeilingRoute {
  method: 'GET' | 'PATCH'
  url: string
  contentType: string
  body: string
  /** Whether the body is JSON (serialized through an inferred schema) or text (sent as it is). */
  json: boolean
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
}

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
