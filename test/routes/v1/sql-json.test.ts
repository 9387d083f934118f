import t from 'tap'
import {
  conditionLink, conditionLinkInclude, department, departmentInclude, event, eventInclude, honor, honorInclude, newsInclude, newsSummary,
  observation, observationInclude, service, serviceInclude, type DepartmentRow
} from '../../../bench/naive-representation.ts'
import { departmentIncludes } from '../../../src/schemas/departments.ts'
import { buildTestApp } from '../../helper.ts'

// The hot reads are written as JSON by PostgreSQL (src/plugins/app/*/…-json.ts). Their answers must be exactly what
// the JavaScript presenters make of the same rows (the presenters the writes still use): same keys, same values,
// same formats (ISO timestamps, dates, decimals as numbers, qualifiers), same order of embedded lists.

const app = await buildTestApp(t)

t.test('every unit with every embed is what the presenter makes of it', async (t) => {
  const rows = await app.prisma.unit.findMany({ include: departmentInclude([...departmentIncludes]), orderBy: { slug: 'asc' } })
  t.ok(rows.length >= 5)
  for (const row of rows) {
    const response = await app.inject({ url: `/v1/departments/${row.slug}?include=${departmentIncludes.join(',')}` })
    t.equal(response.statusCode, 200)
    t.same(response.json(), JSON.parse(JSON.stringify(department(row as unknown as DepartmentRow))), row.slug)
  }
})

t.test('a list page with embeds and one with fields', async (t) => {
  const rows = await app.prisma.unit.findMany({ include: departmentInclude(['children', 'metrics']), orderBy: [{ slug: 'asc' }, { id: 'asc' }], take: 3 })
  const page = await app.inject({ url: '/v1/departments?limit=3&include=children,metrics' })
  t.equal(page.statusCode, 200)
  t.same(page.json().data, JSON.parse(JSON.stringify(rows.map((row) => department(row as unknown as DepartmentRow)))))
  const trimmed = await app.inject({ url: '/v1/departments?limit=3&include=metrics&fields=name,metrics' })
  t.same(trimmed.json().data, page.json().data.map((item: Record<string, unknown>) => ({ id: item.id, name: item.name, metrics: item.metrics })))
})

t.test('figures, filtered and sorted, are what the presenter makes of them', async (t) => {
  for (const sort of ['statedOn', '-statedOn', 'value', '-value', 'updatedAt']) {
    const rows = await app.prisma.metricObservation.findMany({ include: observationInclude })
    const response = await app.inject({ url: `/v1/metrics?limit=100&sort=${sort}` })
    t.equal(response.statusCode, 200)
    const byId = new Map(rows.map((row) => [row.id, JSON.parse(JSON.stringify(observation(row))) as unknown]))
    const data = response.json().data as Array<{ id: string }>
    t.equal(data.length, rows.length)
    for (const item of data) t.same(item, byId.get(item.id))
  }
})

// The fact lists: every row of each, on one page, against the presenter (or, for the resources whose presenters are
// gone, the same shape built here from the Prisma rows).

async function everyItem (url: string): Promise<Array<{ id: string }>> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<{ data: Array<{ id: string }> }>().data
}

function presented<Row extends { id: string }> (rows: Row[], present: (row: Row) => unknown): Map<string, unknown> {
  return new Map(rows.map((row) => [row.id, JSON.parse(JSON.stringify(present(row))) as unknown]))
}

t.test('honors, services, events and condition links are what the presenters make of them', async (t) => {
  const lists: Array<[string, Map<string, unknown>]> = [
    ['/v1/honors', presented(await app.prisma.honor.findMany({ include: honorInclude }), honor)],
    ['/v1/services', presented(await app.prisma.service.findMany({ include: serviceInclude }), service)],
    ['/v1/events', presented(await app.prisma.event.findMany({ include: eventInclude }), event)],
    ['/v1/condition-links', presented(await app.prisma.unitCondition.findMany({ include: conditionLinkInclude }), conditionLink)]
  ]
  for (const [url, byId] of lists) {
    const data = await everyItem(`${url}?limit=100`)
    t.ok(data.length >= 7, `${url}: ${data.length} rows`)
    t.equal(data.length, byId.size, url)
    for (const item of data) t.same(item, byId.get(item.id), `${url} ${item.id}`)
    // The answer a write gives (the SQL of that one row) is the list's item.
    for (const item of data.slice(0, 2)) {
      const detail = await app.inject(`${url}/${item.id}`)
      t.equal(detail.statusCode, 200)
      t.same(detail.json(), item, `${url}/${item.id}`)
    }
  }
})

t.test('conditions, in the list and one by one, are each with all their links', async (t) => {
  const rows = await app.prisma.condition.findMany({
    include: { units: { include: conditionLinkInclude, orderBy: [{ unit: { slug: 'asc' } }, { id: 'asc' }] } }
  })
  const byId = presented(rows, (row) => ({
    id: row.id, slug: row.slug, name: row.name, departments: row.units.map(conditionLink), version: row.version, updatedAt: row.updatedAt
  }))
  const data = await everyItem('/v1/conditions?limit=100')
  t.equal(data.length, rows.length)
  for (const item of data) t.same(item, byId.get(item.id))
  for (const row of rows) {
    const detail = await app.inject(`/v1/conditions/${row.slug}`)
    t.same(detail.json(), byId.get(row.id), row.slug)
    const changed = Math.max(row.updatedAt.getTime(), ...row.units.map((link) => link.updatedAt.getTime()))
    t.equal(detail.headers['last-modified'], new Date(changed).toUTCString(), `${row.slug}: it or its last changed link`)
  }
})

t.test('news, in the list without the body and one by one with it', async (t) => {
  // The seed has one article: two more, one about no unit and one about two, from a hospital without a short name.
  const seeded = await app.prisma.newsArticle.findFirstOrThrow()
  const units = await app.prisma.unit.findMany({ select: { id: true }, orderBy: { slug: 'desc' }, take: 2 })
  const hospital = await app.prisma.hospital.create({
    data: { slug: 'sql-json-hospital', name: 'SQL JSON Hospital', city: 'Berlin', province: 'Berlin', country: 'DE', sourceId: seeded.sourceId, quote: seeded.quote }
  })
  for (const [slug, about] of [['sql-json-none', []], ['sql-json-two', units]] as const) {
    await app.prisma.newsArticle.create({
      data: {
        slug, title: slug, publishedOn: new Date('2022-05-06'), body: `${slug} body`, hospitalId: hospital.id, sourceId: seeded.sourceId,
        quote: seeded.quote, imageFile: 'image.jpg', units: { create: about.map((unit) => ({ unitId: unit.id })) }
      }
    })
  }

  const rows = await app.prisma.newsArticle.findMany({ include: newsInclude })
  t.equal(rows.length, 3)
  const summaries = presented(rows, newsSummary)
  const data = await everyItem('/v1/news?limit=100')
  t.equal(data.length, 3)
  for (const item of data) t.same(item, summaries.get(item.id))
  for (const row of rows) {
    const detail = await app.inject(`/v1/news/${row.slug}`)
    t.equal(detail.statusCode, 200)
    t.same(detail.json(), { ...(summaries.get(row.id) as object), body: row.body }, row.slug)
    t.equal(detail.headers['last-modified'], row.updatedAt.toUTCString())
  }
})
