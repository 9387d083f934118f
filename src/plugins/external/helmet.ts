import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

// Security headers on every response, from helmet, with these choices:
// - The API answers JSON and CSV only, so its Content-Security-Policy allows nothing: a response that a browser is
//   somehow made to render can neither load nor run anything, nor be framed. Swagger UI under /docs sends the policy
//   it needs instead (src/plugins/external/swagger.ts).
// - Cross-Origin-Resource-Policy is cross-origin: the data is public and partner apps read it from their own origins.
//   CORS (CORS_ORIGINS) still decides which browser origins may read responses; CORP only governs no-cors loads, and
//   same-origin would break partner pages that are cross-origin isolated (COEP require-corp).
// - Strict-Transport-Security for a year, which browsers honour only over HTTPS (behind the TLS-terminating proxy),
//   without includeSubDomains: the API cannot speak for other hosts under its domain.
// - The headers that only an HTML page acts on (the opener policy and origin-keyed agent clusters of a browsing
//   context, DNS prefetching of its links, IE8's download prompt, Flash and Acrobat policy files, the XSS auditors
//   browsers have removed) are sent with Swagger UI's pages, not with every JSON answer: they protect nothing there
//   and cost each response about 220 bytes.
export const apiHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] }
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  xContentTypeOptions: true,
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false
}

/** What a document adds to the API's headers: helmet's defaults for the headers the API leaves out. */
export const documentHelmetOptions: HelmetOptions = {
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: false,
  referrerPolicy: false,
  strictTransportSecurity: false,
  xContentTypeOptions: false,
  xFrameOptions: false,
  xPoweredBy: false
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
  const { set, removed } = securityHeaders(apiHelmetOptions)
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(set)
    for (const name of removed) reply.removeHeader(name)
    done()
  })
}, { name: 'helmet' })
