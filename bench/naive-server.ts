import { PrismaPg } from '@prisma/adapter-pg'
import Fastify from 'fastify'
import pg from 'pg'
import { PrismaClient } from '../src/generated/prisma/client.ts'

// The naive reference: what a developer writes first with plain Fastify and Prisma 7, one route that lists 20 units
// by name and queries the database on every request. The app's uncached department list must stay within 10% of it,
// so the app's layers (validation, links, ETags, auth, logging) may cost little next to the query itself.
// Run as a child process with DATABASE_URL, PORT and HOST in the environment.

const connectionString = process.env.DATABASE_URL
if (connectionString === undefined) throw new Error('the naive server needs DATABASE_URL')

// The app's pool size by default (DATABASE_POOL_SIZE), so both wait on the same number of connections.
const pool = new pg.Pool({ connectionString, max: 10 })
const prisma = new PrismaClient({ adapter: new PrismaPg(pool) })

const app = Fastify({ logger: false })
// Ready means the database answers, as the app's /ready does, so the first measured requests do not pay for connecting.
app.get('/ready', async () => {
  await prisma.$queryRaw`SELECT 1`
  return { status: 'ready' }
})
app.get('/departments', async () => prisma.unit.findMany({ orderBy: { name: 'asc' }, take: 20 }))

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
