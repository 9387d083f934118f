import fp from 'fastify-plugin'
import { openDatabase, type Database } from '../../db/database.ts'
import { migrate } from '../../db/migrate.ts'
import { seedIfEmpty } from '../../db/seed.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
    prisma: PrismaClient
  }
}

// Opens the configured database, brings its schema up to date and seeds it when empty, then exposes the Prisma
// client. The connection is closed when the app closes, and also when start-up fails half-way.
export default fp(async (fastify) => {
  const { config } = fastify
  const since = (start: number): number => Math.round(performance.now() - start)
  let start = performance.now()
  const database = await openDatabase(config)
  fastify.log.info({ database: database.kind, durationMs: since(start) }, 'database opened')
  try {
    if (config.MIGRATE_ON_START) {
      start = performance.now()
      const result = await database.withSession((session) => migrate(session))
      fastify.log.info({ applied: result.applied, alreadyApplied: result.alreadyApplied.length, durationMs: since(start) }, 'database migrated')
    }
    if (config.SEED_ON_START) {
      start = performance.now()
      const tally = await seedIfEmpty(database.prisma)
      if (tally !== null) fastify.log.info({ tally, durationMs: since(start) }, 'empty database seeded from the source documents')
    }
  } catch (error) {
    await database.close()
    throw error
  }
  fastify.decorate('database', database)
  fastify.decorate('prisma', database.prisma)
  fastify.addHook('onClose', async () => {
    await database.close()
  })
}, { name: 'prisma' })
