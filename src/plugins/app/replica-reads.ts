import fp from 'fastify-plugin'

// With read replicas (DATABASE_REPLICA_URLS), the handler of a GET or HEAD request runs in the database's reading
// context, so its queries may be served by a replica that has every change this process made or heard of
// (src/db/read-replicas.ts). The hooks before the handler (the API key lookup among them) stay on the primary, so a
// key created or revoked a moment ago counts at once. Without replicas nothing is added.
export default fp(async (fastify) => {
  const { database } = fastify
  if (database.readRouting === undefined) return
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') database.reading(done)
    else done()
  })
}, { name: 'replica-reads', dependencies: ['prisma'] })
