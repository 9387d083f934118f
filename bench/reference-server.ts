import Fastify from 'fastify'
import pg from 'pg'
import { CursorCodec, DEFAULT_LIMIT } from '../src/lib/paging.ts'
import {
  departmentDetailSql, departmentEmbeds, departmentListSql, honorListSql, observationListSql, searchSql, summarySql, type DepartmentEmbed
} from './reference-sql.ts'

// The SQL-built JSON reference: what an answer costs when PostgreSQL builds the whole JSON document in one statement
// (bench/reference-sql.ts, the way PostgREST does) and the server sends its text as it comes, with no cache, no
// JSON.parse and no serialization in JavaScript. It answers the bench's read scenarios at the app's own URLs with
// the app's representation; the bench checks each answer equals the app's before it measures. Run as a child
// process with DATABASE_URL, CURSOR_SECRET (the app's, so both sign the same paging cursors), PORT and HOST.
//
// Bare Fastify rather than node:http: the app is a Fastify app too, and the ceiling and the naive server are bare
// Fastify, so the ratio to this server measures the app's query and its own layers, not the framework it is built on.
// pg with named (prepared) statements: PostgreSQL parses and plans each statement once per pooled connection, as the
// app's Prisma adapter does with DATABASE_PREPARED_STATEMENTS.

const connectionString = process.env.DATABASE_URL
const secret = process.env.CURSOR_SECRET
if (connectionString === undefined || secret === undefined) throw new Error('the reference server needs DATABASE_URL and CURSOR_SECRET')

// The app's pool size by default (DATABASE_POOL_SIZE), so both wait on the same number of connections.
const pool = new pg.Pool({ connectionString, max: 10 })
const codec = new CursorCodec(Buffer.from(secret))

interface PageRow { data: string, last_value: string | null, last_id: string | null }

/** Runs a named statement; each distinct text has its own name, so pg prepares it once per connection. */
const statementNames = new Map<string, string>()
async function run<Row extends pg.QueryResultRow> (text: string, values: unknown[]): Promise<Row[]> {
  let name = statementNames.get(text)
  if (name === undefined) {
    name = `reference_${statementNames.size + 1}`
    statementNames.set(text, name)
  }
  return (await pool.query<Row>({ name, text, values })).rows
}

/** The page envelope around the JSON text PostgreSQL built; only the cursor is made here, as the app makes it. */
function envelope (row: PageRow, limit: number, cursor: (lastValue: string | null, lastId: string) => string): string {
  const nextCursor = row.last_id === null ? null : cursor(row.last_value, row.last_id)
  return `{"data":${row.data},"page":{"limit":${limit},"nextCursor":${nextCursor === null ? 'null' : `"${nextCursor}"`}}}`
}

function limitOf (raw: string | undefined): number {
  const limit = raw === undefined ? DEFAULT_LIMIT : Number(raw)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw Object.assign(new Error('bad limit'), { statusCode: 400 })
  return limit
}

function embedsOf (raw: string | undefined): DepartmentEmbed[] {
  const names = raw === undefined || raw === '' ? [] : raw.split(',')
  const unknown = names.filter((name) => !departmentEmbeds.includes(name as DepartmentEmbed))
  if (unknown.length > 0) throw Object.assign(new Error(`the reference does not embed ${unknown.join(', ')}`), { statusCode: 400 })
  // In the app's order, whatever the order asked: the statement text (and so its prepared name) is one per set.
  return departmentEmbeds.filter((name) => names.includes(name))
}

const listTexts = new Map<string, string>()
const detailTexts = new Map<string, string>()
const cached = (texts: Map<string, string>, embeds: DepartmentEmbed[], make: (embeds: DepartmentEmbed[]) => string): string => {
  const key = embeds.join(',')
  let text = texts.get(key)
  if (text === undefined) texts.set(key, text = make(embeds))
  return text
}

const app = Fastify({ logger: false })
const json = 'application/json; charset=utf-8'

// Ready means the database answers, as the app's /ready does, so the first measured requests do not pay for connecting.
app.get('/ready', async () => {
  await pool.query('SELECT 1')
  return { status: 'ready' }
})

app.get<{ Querystring: { hospital?: string, limit?: string, include?: string } }>('/v1/departments', async (request, reply) => {
  const { hospital, include } = request.query
  if (hospital === undefined) throw Object.assign(new Error('the reference lists one hospital\'s units'), { statusCode: 400 })
  const limit = limitOf(request.query.limit)
  const [row] = await run<PageRow>(cached(listTexts, embedsOf(include), departmentListSql), [hospital, limit])
  return reply.type(json).send(envelope(row!, limit, (slug, id) => codec.encode({ r: 'departments', s: 'slug', v: slug, i: id })))
})

app.get<{ Params: { slug: string }, Querystring: { include?: string } }>('/v1/departments/:slug', async (request, reply) => {
  const embeds = embedsOf(request.query.include ?? 'children,metrics')
  const [row] = await run<{ data: string }>(cached(detailTexts, embeds, departmentDetailSql), [request.params.slug])
  if (row === undefined) return reply.code(404).type(json).send('{"title":"Not Found"}')
  return reply.type(json).send(row.data)
})

app.get<{ Querystring: { department?: string, metric?: string, limit?: string } }>('/v1/metrics', async (request, reply) => {
  const { department, metric } = request.query
  if (department === undefined || metric === undefined) {
    throw Object.assign(new Error('the reference filters figures by department and metric'), { statusCode: 400 })
  }
  const limit = limitOf(request.query.limit)
  const [row] = await run<PageRow>(observationListSql, [department, metric.split(','), limit])
  return reply.type(json).send(envelope(row!, limit, (statedOn, id) => codec.encode({ r: 'metrics', s: 'statedOn', v: statedOn, i: id })))
})

app.get<{ Querystring: { hospital?: string, limit?: string } }>('/v1/honors', async (request, reply) => {
  const { hospital } = request.query
  if (hospital === undefined) throw Object.assign(new Error('the reference lists one hospital\'s honors'), { statusCode: 400 })
  const limit = limitOf(request.query.limit)
  const [row] = await run<PageRow>(honorListSql, [hospital, limit])
  return reply.type(json).send(envelope(row!, limit, (title, id) => codec.encode({ r: 'honors', s: 'title', v: title, i: id })))
})

app.get<{ Querystring: { q?: string, limit?: string } }>('/v1/search', async (request, reply) => {
  const { q } = request.query
  if (q === undefined) throw Object.assign(new Error('q is required'), { statusCode: 400 })
  const limit = limitOf(request.query.limit)
  const [row] = await run<PageRow>(searchSql, [q, limit])
  return reply.type(json).send(envelope(row!, limit, (rank, key) => codec.encode({ r: 'search', s: q, v: rank, i: key })))
})

// The summary's first page only, unfiltered: its cursor signs the last group's key as the app's statistics cursors do.
app.get<{ Querystring: Record<string, string | undefined> }>('/v1/statistics/summary', async (request, reply) => {
  const { limit: rawLimit, units: rawUnits, ...others } = request.query
  if (Object.keys(others).length > 0) {
    throw Object.assign(new Error('the reference answers the unfiltered first page (limit and units only)'), { statusCode: 400 })
  }
  const limit = limitOf(rawLimit)
  const units = rawUnits === undefined ? 5 : Number(rawUnits)
  if (!Number.isInteger(units) || units < 0 || units > 100) throw Object.assign(new Error('bad units'), { statusCode: 400 })
  const [row] = await run<{ data: string, next_key: string | null }>(summarySql, [limit, units])
  const nextCursor = row!.next_key === null ? null : codec.encode({ r: 'statistics-summary', s: 'key', v: JSON.stringify(JSON.parse(row!.next_key)), i: '' })
  return reply.type(json).send(`{"data":${row!.data},"page":${JSON.stringify({ limit, nextCursor })}}`)
})

app.addHook('onClose', async () => { await pool.end() })
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) })
