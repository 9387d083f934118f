import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

// Security headers on every response (helmet's defaults, with these choices):
// - The API answers JSON and CSV only, so its Content-Security-Policy allows nothing: a response that a browser is
//   somehow made to render can neither load nor run anything, nor be framed. Swagger UI under /docs sends the policy
//   it needs instead (src/plugins/external/swagger.ts).
// - Cross-Origin-Resource-Policy is cross-origin: the data is public and partner apps read it from their own origins.
//   CORS (CORS_ORIGINS) still decides which browser origins may read responses; CORP only governs no-cors loads, and
//   same-origin would break partner pages that are cross-origin isolated (COEP require-corp).
// - Strict-Transport-Security for a year, which browsers honour only over HTTPS (behind the TLS-terminating proxy),
//   without includeSubDomains: the API cannot speak for other hosts under its domain.
export const helmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] }
  },
  frameguard: { action: 'deny' },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  hsts: { maxAge: 31_536_000, includeSubDomains: false }
}

/**
 * The headers helmet sets with these options, and those it removes (X-Powered-By). They are the same for every
 * response, so helmet runs once, against a recording response, instead of on every request: @fastify/helmet builds
 * helmet's middleware from its options per request, which cost about a tenth of the CPU of a cached response.
 */
export function securityHeaders (options: HelmetOptions): { set: Record<string, string>, removed: string[] } {
  const set: Record<string, string> = {}
  const removed: string[] = []
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => { set[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { removed.push(name.toLowerCase()) }
  }
  let failure: unknown
  helmet(options)({} as never, recorder as never, (error?: unknown) => { failure = error })
  if (failure !== undefined) throw failure
  return { set, removed }
}

export default fp(async (fastify) => {
  const { set, removed } = securityHeaders(helmetOptions)
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(set)
    for (const name of removed) reply.removeHeader(name)
    done()
  })
}, { name: 'helmet' })
