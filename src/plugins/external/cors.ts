import cors from '@fastify/cors'
import fp from 'fastify-plugin'

// Browser partner apps are allowed by an explicit origin list (CORS_ORIGINS). With none configured, no origin is, and
// the plugin is not registered at all: it would only look at every request to add nothing, and a preflight is a 404
// either way.
export default fp(async (fastify) => {
  const origins = fastify.config.CORS_ORIGINS.split(',').filter((origin) => origin !== '')
  if (origins.length === 0) return
  await fastify.register(cors, {
    origin: origins,
    methods: ['GET', 'HEAD'],
    exposedHeaders: ['ETag', 'Last-Modified', 'Link', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600
  })
}, { name: 'cors' })
