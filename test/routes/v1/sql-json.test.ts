import t from 'tap'
import { department, departmentInclude, observation, observationInclude, type DepartmentRow } from '../../../src/lib/representation.ts'
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
