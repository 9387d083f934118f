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
  const database = await openDatabase(config)
  try {
    if (config.MIGRATE_ON_START) {
      const result = await database.withSession((session) => migrate(session))
      fastify.log.info({ applied: result.applied, alreadyApplied: result.alreadyApplied.length }, 'database migrated')
    }
    if (config.SEED_ON_START) {
      const tally = await seedIfEmpty(database.prisma)
      if (tally !== null) fastify.log.info({ tally }, 'empty database seeded from the source documents')
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
