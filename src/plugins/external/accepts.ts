import accepts from '@fastify/accepts'
import fp from 'fastify-plugin'

// Content negotiation (request.accepts()), used to answer 406 when a client accepts nothing the route produces.
export default fp(async (fastify) => {
  await fastify.register(accepts)
}, { name: 'accepts' })
