import Fastify from 'fastify'
import pg from 'pg'
import t from 'tap'
import prismaPlugin from '../../src/plugins/external/prisma.ts'
import { testConfig, testDatabaseUrl } from '../helper.ts'

t.test('on a bare Fastify: migrates, seeds an empty database, exposes Prisma, and disconnects on close', async (t) => {
  const fastify = Fastify()
  fastify.decorate('config', await testConfig(t, {}, { database: 'empty' }))
  await fastify.register(prismaPlugin)
  await fastify.ready()

  t.equal(await fastify.prisma.unit.count(), 5, 'seeded')
  await fastify.database.ping()
  await fastify.close()
  await t.rejects(fastify.database.ping(), 'the connection is closed with the app')
})

t.test('does not seed when SEED_ON_START is false', async (t) => {
  const fastify = Fastify()
  fastify.decorate('config', await testConfig(t, { SEED_ON_START: 'false' }))
  await fastify.register(prismaPlugin)
  t.after(() => fastify.close())
  await fastify.ready()
  t.equal(await fastify.prisma.hospital.count(), 0)
})

t.test('a start-up failure closes the connection it opened', async (t) => {
  const fastify = Fastify()
  // Seeding a database whose schema was never migrated fails half-way through start-up.
  const config = await testConfig(t, { MIGRATE_ON_START: 'false' })
  fastify.decorate('config', config)
  fastify.register(prismaPlugin)
  await t.rejects(async () => { await fastify.ready() }, /hospital/)
  t.notOk(fastify.hasDecorator('prisma'), 'nothing half-initialised is exposed')
  if (testDatabaseUrl !== undefined && config.DATABASE_URL !== undefined) {
    const admin = new pg.Client({ connectionString: testDatabaseUrl })
    await admin.connect()
    const { rows } = await admin.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = $1', [new URL(config.DATABASE_URL).pathname.slice(1)])
    await admin.end()
    t.equal(rows[0]!.count, 0, 'no connection left open on the database')
  }
})
