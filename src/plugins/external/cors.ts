import cors from '@fastify/cors'
import fp from 'fastify-plugin'

// Browser partner apps are allowed by an explicit origin list (CORS_ORIGINS); with none configured, no origin is.
export default fp(async (fastify) => {
  const origins = fastify.config.CORS_ORIGINS.split(',').filter((origin) => origin !== '')
  await fastify.register(cors, {
    origin: origins.length === 0 ? false : origins,
    methods: ['GET', 'HEAD'],
    exposedHeaders: ['ETag', 'Last-Modified', 'Link', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600
  })
}, { name: 'cors' })
