import { parse } from 'csv-parse/sync'
import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// POST /v1/imports: figures from CSV (the export's own columns) or JSON; a dry run by default, reporting every row;
// a commit writes all rows in one transaction or none.

type App = Awaited<ReturnType<typeof buildTestApp>>

async function keys (app: App) {
  const [read, write, admin] = await Promise.all([
    createApiKey(app.prisma, { name: 'Partner app', scopes: ['read'] }),
    createApiKey(app.prisma, { name: 'Bureau statistics office', scopes: ['write'] }),
    createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  ])
  const bearer = (key: { key: string }) => ({ authorization: `Bearer ${key.key}` })
  return { read: bearer(read), write: bearer(write), admin: bearer(admin) }
}

async function exportCsv (app: App): Promise<string> {
  const response = await app.inject({ url: '/v1/metrics?format=csv&limit=100' })
  if (response.statusCode !== 200) throw new Error(`export answered ${response.statusCode}`)
  return response.body
}

/** An export's rows without what a re-import gives anew (id), as sorted lines, to compare two exports. */
function comparable (csv: string): string[] {
  const [header, ...rows] = parse(csv) as string[][]
  const id = header!.indexOf('id')
  return rows.map((row) => JSON.stringify(row.filter((_cell, index) => index !== id))).sort()
}

const figureCount = async (app: App) => (await app.prisma.metricObservation.count())

// One app for the two tests that need the seed's figures: rows first (it adds one figure), then the round trip (which
// deletes them all and imports them again).
const seeded = await buildTestApp(t)
const seededKeys = await keys(seeded)

t.test('rows are checked one by one; a commit with a bad row writes nothing', async (t) => {
  const app = seeded
  const { read, write } = seededKeys
  const [existing] = parse(await exportCsv(app), { columns: true }) as Array<Record<string, string>>
  const quote = 'It boasts a highly skilled medical team of 61 staff members, including 21 doctors and 36 nurses.'
  const source = (await app.prisma.sourceDocument.findFirst({ where: { fullText: { contains: quote } }, select: { id: true } }))!.id
  const header = 'department,metric,statedValue,value,comparator,approximate,periodKind,periodStart,periodEnd,statedOn,sourceId,sourceQuote,provenanceNote'
  const csv = [
    header,
    'general-gynecology,beds,92,92,,false,point,,,2026-01-01,,,"Bed count from the 2026 annual report, page 3"',
    'no-such-unit,beds,10,10,,,point,,,,,,A note',
    'general-gynecology,beds,about 90,90,,maybe,sometimes,,,,,,A note',
    `general-gynecology,staff.total,62,62,,,point,,,,${source},This sentence is not in the document.,`,
    ['department', 'metric', 'statedValue', 'value', 'comparator', 'approximate', 'periodKind', 'periodStart', 'periodEnd', 'statedOn', 'sourceId', 'sourceQuote']
      .map((column) => `"${existing![column]!.replaceAll('"', '""')}"`).join(',') + ',',
    'general-gynecology,beds,92,92,,,point,,,,,,'
  ].join('\n')
  const before = await figureCount(app)

  const dryRun = await app.inject({ method: 'POST', url: '/v1/imports', headers: { ...write, 'content-type': 'text/csv' }, payload: csv })
  t.equal(dryRun.statusCode, 200)
  const report = dryRun.json()
  t.match(report, { rows: 6, valid: 1, invalid: 5, committed: false })
  const byRow = new Map(report.results.map((row: { row: number }) => [row.row, row]))
  t.match(byRow.get(1), { status: 'valid' })
  t.match(byRow.get(2), { status: 'invalid', errors: [{ field: 'department', message: /names no department.*no-such-unit/ }] })
  t.match(byRow.get(3), { status: 'invalid' })
  const fields = (byRow.get(3) as { errors: Array<{ field: string }> }).errors.map((error) => error.field).sort()
  t.same(fields, ['approximate', 'periodKind'], 'every bad cell of a row is named by its column')
  t.match(byRow.get(4), { status: 'invalid', errors: [{ field: 'sourceQuote', message: /does not occur/ }] })
  t.match(byRow.get(5), { status: 'invalid', errors: [{ field: 'sourceId', message: /repeats an existing figure/ }] })
  t.match(byRow.get(6), { status: 'invalid', errors: [{ field: 'sourceId', message: 'is required' }] }, 'a row without provenance')

  const commit = await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { ...write, 'content-type': 'text/csv' }, payload: csv })
  t.equal(commit.statusCode, 422, 'a commit with refused rows is refused')
  t.equal(commit.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(commit.json(), { status: 422, detail: /5 of 6 rows were refused \(CSV rows 2, 3, 4, 5, 6\), so nothing was written/ })
  t.same(commit.json().errors.map((error: { field: string }) => error.field).sort(),
    ['/2/department', '/3/approximate', '/3/periodKind', '/4/sourceQuote', '/5/sourceId', '/6/sourceId'].sort(), 'each refused row\'s fields, by row and column')
  t.equal(await figureCount(app), before, 'not even the good row was written')

  const onlyGood = [header, csv.split('\n')[1]].join('\n')
  const good = await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { ...write, 'content-type': 'text/csv' }, payload: onlyGood })
  t.equal(good.statusCode, 201)
  t.equal(await figureCount(app), before + 1)
  const figure = await app.inject({ url: good.json().results[0].figure.link })
  t.match(figure.json(), { department: { slug: 'general-gynecology' }, metric: { code: 'beds' }, value: 92, statedOn: '2026-01-01', source: { quote: 'Bed count from the 2026 annual report, page 3' } })

  const readOnly = await app.inject({ method: 'POST', url: '/v1/imports', headers: { ...read, 'content-type': 'text/csv' }, payload: onlyGood })
  t.equal(readOnly.statusCode, 403, 'imports need the write scope')
  const anonymous = await app.inject({ method: 'POST', url: '/v1/imports', headers: { 'content-type': 'text/csv' }, payload: onlyGood })
  t.equal(anonymous.statusCode, 401)
})

t.test('an export imported into a database without figures gives the same figures back', async (t) => {
  const app = seeded
  const { write, admin } = seededKeys
  const exported = await exportCsv(app)
  const figures = comparable(exported)
  t.ok(figures.length >= 20, `the seed's figures were exported (${figures.length})`)
  t.match(exported.split('\n')[0], /,sourceId\r?$/, 'the export names each figure\'s source by id')

  await app.prisma.$executeRawUnsafe('DELETE FROM metric_observation')
  t.equal(await figureCount(app), 0)

  const dryRun = await app.inject({ method: 'POST', url: '/v1/imports', headers: { ...write, 'content-type': 'text/csv' }, payload: exported })
  t.equal(dryRun.statusCode, 200, 'a dry run by default')
  const report = dryRun.json()
  t.match(report, { format: 'csv', committed: false, rows: figures.length, valid: figures.length, invalid: 0 })
  t.ok(report.results.every((row: { status: string }) => row.status === 'valid'))
  t.same(report.results.map((row: { row: number }) => row.row), figures.map((_figure, index) => index + 1), 'a result per row, numbered from 1')
  t.equal(await figureCount(app), 0, 'a dry run writes nothing')

  const committed = await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: { ...write, 'content-type': 'text/csv' }, payload: exported })
  t.equal(committed.statusCode, 201)
  const written = committed.json()
  t.match(written, { committed: true, valid: figures.length, invalid: 0 })
  t.ok(written.results.every((row: { status: string, figure?: { link: string } }) => row.status === 'created' && /^\/v1\/metrics\/[0-9a-f-]{36}$/.test(row.figure!.link)))
  t.same(comparable(await exportCsv(app)), figures, 'the same figures, qualifiers, periods and quotes')

  const first = await app.inject({ url: written.results[0].figure.link })
  t.equal(first.statusCode, 200, 'each created figure is readable at its link')
  const audit = await app.inject({ url: '/v1/audit?resource=metrics&limit=100', headers: admin })
  t.equal(audit.statusCode, 200)
  t.equal(audit.json().data.filter((event: { action: string, requestId: string }) => event.action === 'create' && event.requestId === committed.headers['x-request-id']).length,
    figures.length, 'every row is audited as a create, under the import\'s request id')
})

t.test('JSON imports, bodies refused as a whole, and no handler timeout', async (t) => {
  // HANDLER_TIMEOUT_MS=1: an import is not answered 503 at the handler timeout while it may still commit.
  const app = await buildTestApp(t, { IMPORT_BODY_LIMIT_BYTES: '4096', HANDLER_TIMEOUT_MS: '1' })
  const { write } = await keys(app)
  const figure = { department: 'general-gynecology', metric: 'beds', value: 92, statedValue: '92', period: { kind: 'point' }, provenance: { note: 'Annual report 2026, page 3' } }
  const post = (payload: string, contentType: string, query = '') =>
    app.inject({ method: 'POST', url: `/v1/imports${query}`, headers: { ...write, 'content-type': contentType }, payload })

  const dryRun = await post(JSON.stringify({ figures: [figure] }), 'application/json')
  t.equal(dryRun.statusCode, 200)
  t.match(dryRun.json(), { format: 'json', rows: 1, valid: 1, committed: false })
  const committed = await post(JSON.stringify({ figures: [figure] }), 'application/json', '?commit=true')
  t.equal(committed.statusCode, 201)
  const again = await post(JSON.stringify({ figures: [figure, { ...figure, department: 'nowhere' }] }), 'application/json')
  t.match(again.json().results, [{ row: 1, status: 'valid' }, { row: 2, status: 'invalid', errors: [{ field: '/department' }] }],
    'JSON rows report their fields as pointers within the figure (a note is a new source each time, so row 1 is no duplicate)')

  const badShape = await post(JSON.stringify({ figures: [{ ...figure, period: { kind: 'sometimes' } }] }), 'application/json')
  t.equal(badShape.statusCode, 400)
  t.equal(badShape.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(badShape.json().errors, [{ field: '/figures/0/period/kind' }])

  const unknownColumn = await post('department,metric,colour\ngeneral-gynecology,beds,red\n', 'text/csv')
  t.equal(unknownColumn.statusCode, 400)
  t.match(unknownColumn.json(), { detail: /columns this import does not know: colour/, errors: [{ field: 'colour' }] })
  const broken = await post('department,metric\n"general-gynecology,beds\n', 'text/csv')
  t.equal(broken.statusCode, 400)
  t.match(broken.json().detail, /The CSV cannot be read/)
  const headerOnly = await post('department,metric\n', 'text/csv')
  t.equal(headerOnly.statusCode, 400)
  t.match(headerOnly.json().detail, /no figure/)
  const plain = await post('department,metric\n', 'text/plain')
  t.equal(plain.statusCode, 415)
  const large = await post(`department,metric\n${'general-gynecology,beds\n'.repeat(300)}`, 'text/csv')
  t.equal(large.statusCode, 413)
  t.equal(large.headers['content-type'], 'application/problem+json; charset=utf-8')

  const manyFigures = Array.from({ length: 12 }, (_unused, index) => ({
    department: 'general-gynecology', metric: 'beds', value: index, statedValue: String(index),
    period: { kind: 'annual', start: `${2000 + index}-01-01`, end: `${2000 + index}-12-31` }, provenance: { note: `Annual report ${2000 + index}` }
  }))
  const before = await figureCount(app)
  const response = await app.inject({ method: 'POST', url: '/v1/imports?commit=true', headers: write, payload: { figures: manyFigures } })
  t.equal(response.statusCode, 201, 'twelve rows take longer than 1 ms, and the import still answers what it did')
  t.equal(await figureCount(app), before + 12)
})
