import type { FastifyInstance } from 'fastify'
import { ProblemError } from './problem.ts'

// Renaming a record keeps its old slug as an alias, so a stored link keeps working: a GET (or HEAD) under the area
// whose :slug names no record but an alias answers 301 to the same route with the record's slug, the rest of the path
// and the query string kept. Only where the route would have answered 404: a slug that names a record costs nothing
// more, and writes to an old slug stay 404 (a client must not write through a redirect it cannot see).

/**
 * Makes 404s of this plugin's GET routes keyed by `:slug` answer 301 when `canonicalSlug` resolves the slug (an
 * alias) to the record's slug. Register it before the routes it covers; every other error goes on to the app's handler.
 */
export function redirectAliases (fastify: FastifyInstance, canonicalSlug: (slug: string) => Promise<string | null>): void {
  fastify.setErrorHandler(async (error, request, reply) => {
    const slug = (request.params as { slug?: unknown } | undefined)?.slug
    const route = request.routeOptions.url
    if (!(error instanceof ProblemError) || error.statusCode !== 404 || typeof slug !== 'string' || route === undefined ||
      !route.includes(':slug') || (request.method !== 'GET' && request.method !== 'HEAD')) throw error
    const canonical = await canonicalSlug(slug)
    if (canonical === null) throw error
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
    return reply.redirect(`${route.replace(':slug', canonical)}${query}`, 301)
  })
}
