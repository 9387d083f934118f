import { PrismaPg } from '@prisma/adapter-pg'
import Fastify from 'fastify'
import pg from 'pg'
import { PrismaClient } from '../src/generated/prisma/client.ts'
import { departmentInclude } from './naive-representation.ts'

// The naive reference: what a developer writes first with plain Fastify and Prisma 7, a route that queries the
// database on every request and returns Prisma's rows as they come. The app's uncached department list must stay
// within 10% of it, so the app's layers (validation, links, ETags, auth, logging) may cost little next to the query.
// Run as a child process with DATABASE_URL, PORT and HOST in the environment.
//
// `/departments?hospital=` reads what the app's first page shows: a hospital's first 20 units by slug, with the same
// relations (hospital, parent, aliases, source: the app's own include, so that the two stay in step). `/units` reads
// the unit table alone, without relations: a figure for context, showing what the relations cost.

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
const include = departmentInclude([])
app.get<{ Querystring: { hospital?: string } }>('/departments', async (request) => prisma.unit.findMany({
  where: request.query.hospital === undefined ? {} : { hospital: { slug: request.query.hospital } },
  orderBy: { slug: 'asc' },
  take: 20,
  include
}))
app.get('/units', async () => prisma.unit.findMany({ orderBy: { name: 'asc' }, take: 20 }))

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
