import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

// Security headers on every response (helmet's defaults, with these choices):
// - The API answers JSON and CSV only, so its Content-Security-Policy allows nothing: a response that a browser is
//   somehow made to render can neither load nor run anything, nor be framed. Swagger UI under /docs sends the policy
//   it needs instead (src/plugins/external/swagger.ts).
// - Cross-Origin-Resource-Policy is cross-origin: the data is public and partner apps read it from their own origins.
//   CORS (CORS_ORIGINS) still decides which browser origins may read responses; CORP only governs no-cors loads, and
//   same-origin would break partner pages that are cross-origin isolated (COEP require-corp).
// - Strict-Transport-Security for a year, which browsers honour only over HTTPS (behind the TLS-terminating proxy),
//   without includeSubDomains: the API cannot speak for other hosts under its domain.
export default fp(async (fastify) => {
  await fastify.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] }
    },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    hsts: { maxAge: 31_536_000, includeSubDomains: false }
  })
}, { name: 'helmet' })
