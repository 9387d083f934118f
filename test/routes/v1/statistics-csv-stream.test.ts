import { PassThrough, type Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { testConfig } from '../../helper.ts'
import { statementsDuring } from '../../sql-statements.ts'

// The statistics CSV are streams: rows are read from the database a page at a time and written through csv-stringify's
// stream as the client takes them, so no CSV is ever built whole in memory. 250 more units make the coverage CSV
// three pages of the database (100 units each), and the bed figures of 30 of them a summary CSV of two groups' pages.

const app = await buildApp(await testConfig(t, { STATISTICS_CACHE_ENTRIES: '0', RESPONSE_CACHE_MAX_MB: '0' }))
t.teardown(() => app.close())
const chunks = new Map<string, number>()
app.addHook('onSend', async (request, _reply, payload) => {
  if (payload === null || typeof (payload as Readable).pipe !== 'function') return payload
  // Counts the chunks the route's stream hands to the response.
  let count = 0
  const counted = new PassThrough()
  counted.on('data', () => { chunks.set(request.url, ++count) })
  ;(payload as Readable).pipe(counted)
  return counted
})
await app.ready()

const seeded = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'general-gynecology' } })
const beds = await app.prisma.metricDefinition.findUniqueOrThrow({ where: { code: 'beds' } })
await app.prisma.unit.createMany({
  data: Array.from({ length: 250 }, (_, index) => ({
    hospitalId: seeded.hospitalId, kind: 'department' as const, slug: `stream-unit-${String(index).padStart(3, '0')}`,
    name: `Stream unit ${index}`, sourceId: seeded.sourceId, quote: seeded.quote
  }))
})
const streamUnits = await app.prisma.unit.findMany({ where: { slug: { startsWith: 'stream-unit-' } }, orderBy: { slug: 'asc' }, take: 30 })
await app.prisma.metricObservation.createMany({
  data: streamUnits.map((unit, index) => ({
    unitId: unit.id, metricId: beds.id, value: index + 1, statedValue: String(index + 1), comparator: index === 0 ? 'gt' as const : null,
    periodKind: 'point' as const, sourceId: seeded.sourceId, quote: 'x'
  }))
})

t.test('coverage: every unit, in pages read one after the other, written as a stream', async (t) => {
  let body = ''
  const statements = await statementsDuring(async () => {
    const response = await app.inject('/v1/statistics/coverage?format=csv')
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/csv; charset=utf-8/)
    t.equal(response.headers['content-length'], undefined, 'sent as it is written, with no length known beforehand')
    body = response.body
  })
  const rows = parse(body, { columns: true }) as Array<Record<string, string>>
  t.equal(rows.length, 255, 'the five seeded units and the 250 new ones')
  t.same(rows.map((row) => row.department), rows.map((row) => row.department).sort(), 'by slug')
  t.equal(new Set(rows.map((row) => row.department)).size, 255, 'each unit once')
  t.match(rows.find((row) => row.department === 'general-gynecology'), { reportedCount: '17', completeness: '0.85' })
  t.ok((chunks.get('/v1/statistics/coverage?format=csv') ?? 0) > 3, `${chunks.get('/v1/statistics/coverage?format=csv')} chunks`)
  const pages = statements.filter((sql) => /FROM unit u/.test(sql) && /LIMIT/.test(sql)).length
  t.equal(pages, 3, 'three pages of 100 units read from the database')
})

t.test('summary: every unit of every group, not only the first few JSON shows', async (t) => {
  const response = await app.inject('/v1/statistics/summary?format=csv&metric=beds')
  t.equal(response.statusCode, 200)
  const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>
  t.equal(rows.length, 1 + 31, 'a total row and 31 unit rows')
  t.match(rows[0], { scope: 'total', metric: 'beds', value: String(88 + (30 * 31) / 2), comparator: '>', lower: String(88 + (30 * 31) / 2), upper: '' },
    'more than 1 plus 2 … 30 plus 88: a lower bound')
  t.equal(String(rows[0]?.observationIds).split(' ').length, 31)
  const json = await app.inject('/v1/statistics/summary?metric=beds')
  t.match(json.json(), { data: [{ unitCount: 31, units: { length: 5 }, total: { value: 88 + (30 * 31) / 2, comparator: '>' } }] })
  t.ok((chunks.get('/v1/statistics/summary?format=csv&metric=beds') ?? 0) > 1)

  const empty = await app.inject('/v1/statistics/summary?format=csv&hospital=cqhcwc&metric=beds&periodKind=annual')
  t.equal(empty.statusCode, 200)
  t.equal(empty.body.split('\r\n').filter((line) => line !== '').length, 1, 'no group: the header row alone')
  const missing = await app.inject('/v1/statistics/summary?format=csv&department=nowhere')
  t.equal(missing.statusCode, 400, 'a failure reading the first page is still a problem')
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
})
