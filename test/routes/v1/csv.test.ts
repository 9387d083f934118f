import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import YAML from 'yaml'
import { openApiPath } from '../../../src/lib/openapi.ts'
import { buildTestApp } from '../../helper.ts'

// Every statistics endpoint and both lists of figures answer CSV as well as JSON. Each CSV is read back with a real
// parser and compared, row by row, with the JSON answer to the same query.

const app = await buildTestApp(t)

type Row = Record<string, string>
interface Qualified { value: number, lower: number | null, upper: number | null, comparator: string | null, approximate: boolean, exact: boolean }

async function get (url: string, headers: Record<string, string> = {}) {
  return app.inject({ url, headers })
}

async function csvOf (url: string): Promise<Row[]> {
  const response = await get(url, { accept: 'text/csv' })
  t.equal(response.statusCode, 200, url)
  t.match(response.headers['content-type'], /^text\/csv; charset=utf-8; header=present$/)
  return parse(response.body, { columns: true }) as Row[]
}

/** A qualified figure as the CSV writes it: numbers as they are, null as an empty field. */
function cells (figure: Qualified | null): Row {
  const text = (value: number | string | boolean | null): string => (value === null ? '' : String(value))
  return figure === null
    ? { value: '', comparator: '', lower: '', upper: '', approximate: '', exact: '' }
    : { value: text(figure.value), comparator: text(figure.comparator), lower: text(figure.lower), upper: text(figure.upper), approximate: text(figure.approximate), exact: text(figure.exact) }
}

const documented = YAML.parse(await readFile(openApiPath, 'utf8')) as {
  paths: Record<string, { get: { responses: { 200: { content: Record<string, { schema: { examples?: string[] } }> } } } }>
}
function documentedHeader (path: string): string[] {
  const example = documented.paths[path]?.get.responses[200].content['text/csv']?.schema.examples?.[0]
  return (example ?? '').replace(/\r\n$/, '').split(',')
}

async function headerOf (url: string): Promise<string[]> {
  const response = await get(url, { accept: 'text/csv' })
  return response.body.split('\r\n', 1)[0]!.split(',')
}

t.test('summary: a total row per group, then one row per unit, with the qualifier and the source quote', async (t) => {
  // The CSV holds every group with every unit; one JSON page of 100 groups showing up to 100 units each is all of the seed's.
  const json = (await get('/v1/statistics/summary?limit=100&units=100')).json<{ data: Array<{ metric: { code: string }, period: { kind: string }, total: Qualified | null, totalAbsent: string | null, units: Array<{ department: { slug: string }, figure: Qualified, statedValue: string, observationId: string, source: { quote: string } }> }> }>()
  const rows = await csvOf('/v1/statistics/summary')
  t.equal(rows.length, json.data.reduce((count, group) => count + 1 + group.units.length, 0))
  let index = 0
  for (const group of json.data) {
    const total = rows[index++]!
    t.match(total, { metric: group.metric.code, periodKind: group.period.kind, scope: 'total', department: '', totalAbsent: group.totalAbsent ?? '', ...cells(group.total) })
    for (const unit of group.units) {
      t.same(rows[index++], {
        ...rows[index - 1],
        scope: 'department', department: unit.department.slug, statedValue: unit.statedValue, observationIds: unit.observationId,
        sourceQuote: unit.source.quote, ...cells(unit.figure)
      })
    }
  }
  const outpatients = rows.find((row) => row.metric === 'outpatient_visits.annual' && row.scope === 'total')
  t.match(outpatients, { value: '30000', comparator: '>', lower: '30000', upper: '', lowerInclusive: 'false', approximate: 'false', exact: 'false', periodDuration: 'P1Y' },
    'annual outpatients: more than 30,000')
  const unit = rows.find((row) => row.metric === 'outpatient_visits.annual' && row.scope === 'department')
  t.match(unit, { statedValue: 'more than 30,000', sourceQuote: /average annual outpatient capacity of more than 30,000/ })
  t.same(await headerOf('/v1/statistics/summary'), documentedHeader('/v1/statistics/summary'), 'the columns are the documented ones')
})

t.test('ratios: one row per unit and ratio, with both inputs\' stated values and quotes', async (t) => {
  const json = (await get('/v1/statistics/ratios')).json<{ data: Array<{ department: { slug: string }, ratios: Array<{ code: string, formula: string, value: Qualified | null, absent: string | null, inputs: Array<{ statedValue: string, observationId: string, source: { quote: string } }> }> }> }>()
  const rows = await csvOf('/v1/statistics/ratios')
  const expected = json.data.flatMap((unit) => unit.ratios.map((ratio) => ({
    department: unit.department.slug, ratio: ratio.code, formula: ratio.formula, absent: ratio.absent ?? '', ...cells(ratio.value),
    numeratorStatedValue: ratio.inputs[0]!.statedValue, numeratorQuote: ratio.inputs[0]!.source.quote,
    denominatorStatedValue: ratio.inputs[1]!.statedValue, denominatorQuote: ratio.inputs[1]!.source.quote,
    observationIds: ratio.inputs.map((input) => input.observationId).join(' ')
  })))
  t.equal(rows.length, expected.length)
  t.ok(rows.length > 0)
  expected.forEach((row, index) => t.match(rows[index], row))
  t.match(rows.find((row) => row.ratio === 'outpatients_per_doctor'), { comparator: '>', upper: '', numeratorStatedValue: 'more than 30,000', denominatorStatedValue: '21' })
  t.same(await headerOf('/v1/statistics/ratios'), documentedHeader('/v1/statistics/ratios'))
})

t.test('timeseries: the points in the same order, each with its bounds and source', async (t) => {
  const json = (await get('/v1/statistics/timeseries?metric=staff.total')).json<{ data: Array<{ at: string | null, observationId: string, figure: Qualified, source: { quote: string } }> }>()
  const rows = await csvOf('/v1/statistics/timeseries?metric=staff.total')
  t.same(rows.map((row) => row.observationId), json.data.map((point) => point.observationId))
  json.data.forEach((point, index) => t.match(rows[index], { metric: 'staff.total', at: point.at ?? '', sourceQuote: point.source.quote, ...cells(point.figure) }))
  t.same(await headerOf('/v1/statistics/timeseries?metric=beds'), documentedHeader('/v1/statistics/timeseries'))
})

t.test('coverage: one row per unit with counts, share and the codes', async (t) => {
  const rows = await csvOf('/v1/statistics/coverage')
  const json = (await get('/v1/statistics/coverage')).json<{ data: Array<{ department: { slug: string }, reported: string[], missing: string[] }> }>()
  t.same(rows.map((row) => row.department), json.data.map((unit) => unit.department.slug))
  t.match(rows.find((row) => row.department === 'general-gynecology'), { reportedCount: '17', missingCount: '3', completeness: '0.85' })
  json.data.forEach((unit, index) => t.match(rows[index], { reported: unit.reported.join(' '), missing: unit.missing.join(' ') }))
  t.same(await headerOf('/v1/statistics/coverage'), documentedHeader('/v1/statistics/coverage'))
})

t.test('figures: the page as rows, the next page in Link, the total in X-Total-Count', async (t) => {
  const json = await get('/v1/metrics?limit=5&count=true')
  const csv = await get('/v1/metrics?limit=5&count=true&format=csv')
  t.equal(csv.statusCode, 200)
  const rows = parse(csv.body, { columns: true }) as Row[]
  const page = json.json<{ data: Array<{ id: string, value: number, comparator: string | null, statedValue: string, source: { quote: string } }>, page: { total: number } }>()
  t.same(rows.map((row) => row.id), page.data.map((item) => item.id))
  page.data.forEach((item, index) => t.match(rows[index], { value: String(item.value), comparator: item.comparator ?? '', statedValue: item.statedValue, sourceQuote: item.source.quote }))
  t.equal(csv.headers['x-total-count'], String(page.page.total))
  t.equal(csv.headers['x-total-count'], '20')
  t.equal(csv.headers.link, String(json.headers.link).replace('count=true', 'count=true&format=csv'), 'Link keeps the format')
  t.equal(json.headers['x-total-count'], undefined, 'JSON has the total in its envelope')

  const next = await get(/<([^>]+)>/.exec(String(csv.headers.link))![1]!)
  t.match(next.headers['content-type'], /^text\/csv/, 'following Link gets the next page as CSV')
  t.same((parse(next.body, { columns: true }) as Row[]).map((row) => row.id),
    (await get(/<([^>]+)>/.exec(String(json.headers.link))![1]!)).json<{ data: Array<{ id: string }> }>().data.map((item) => item.id))

  const mixed = await get('/v1/metrics?format=csv&fields=value&limit=1')
  t.equal(mixed.statusCode, 400)
  t.match(mixed.headers['content-type'], /^application\/problem\+json/)
  t.match(mixed.json(), { detail: /fields selects JSON properties/, errors: [{ in: 'querystring', field: '/fields' }] })
  t.equal(mixed.headers.link, undefined, 'a problem has no Link to a next page')

  const unit = await csvOf('/v1/departments/twins-department/metrics')
  t.same(unit.map((row) => row.department), ['twins-department', 'twins-department'])
  const missing = await get('/v1/departments/nowhere/metrics?format=csv')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.same(await headerOf('/v1/metrics'), documentedHeader('/v1/metrics'))
  t.same(await headerOf('/v1/departments/general-gynecology/metrics'), documentedHeader('/v1/departments/{slug}/metrics'))
})

t.test('negotiation: Accept or format chooses, JSON by default; anything else is a 406 problem', async (t) => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['', {}, /^application\/json/],
    ['', { accept: '*/*' }, /^application\/json/],
    ['', { accept: 'text/csv' }, /^text\/csv/],
    ['', { accept: 'text/*' }, /^text\/csv/],
    ['', { accept: 'application/json;q=0.5, text/csv' }, /^text\/csv/],
    ['', { accept: 'text/csv;q=0.5, application/json' }, /^application\/json/],
    ['?format=csv', {}, /^text\/csv/],
    ['?format=csv', { accept: 'application/json' }, /^text\/csv/],
    ['?format=json', { accept: 'text/csv' }, /^application\/json/]
  ]
  for (const [query, headers, type] of cases) {
    const response = await get(`/v1/statistics/coverage${query}`, headers)
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], type, `${query} ${JSON.stringify(headers)}`)
    t.match(response.headers.vary, /accept/, 'the answer varies with Accept')
  }
  const csv = await get('/v1/statistics/coverage?format=csv')
  t.equal(csv.headers['content-disposition'], 'attachment; filename="statistics-coverage.csv"')
  t.equal((await get('/v1/statistics/timeseries?metric=beds&format=csv')).headers['content-disposition'], 'attachment; filename="statistics-timeseries-beds.csv"')

  const html = await get('/v1/statistics/summary', { accept: 'text/html' })
  t.equal(html.statusCode, 406)
  t.match(html.headers['content-type'], /^application\/problem\+json/)
  t.match(html.json(), { detail: /application\/json or text\/csv/ })
  const xml = await get('/v1/statistics/summary?format=xml')
  t.equal(xml.statusCode, 400)
  t.match(xml.json(), { detail: /format must be one of/ })
  const elsewhere = await get('/v1/departments', { accept: 'text/csv' })
  t.equal(elsewhere.statusCode, 406, 'a resource without a CSV form refuses text/csv')
})

t.test('caching and compression: a page of figures as CSV is cached like JSON; a streamed statistics CSV is compressed', async (t) => {
  const json = await get('/v1/metrics?limit=5')
  const csv = await get('/v1/metrics?limit=5', { accept: 'text/csv' })
  t.not(csv.headers.etag, json.headers.etag, 'each representation has its own ETag')
  const revalidated = await get('/v1/metrics?limit=5', { accept: 'text/csv', 'if-none-match': String(csv.headers.etag) })
  t.equal(revalidated.statusCode, 304)

  // A statistics CSV is written as it is read from the database, so there is no body to hash before it is sent.
  const streamed = await get('/v1/statistics/summary', { accept: 'text/csv' })
  t.equal(streamed.headers.etag, undefined, 'a stream has no ETag')
  const compressed = await get('/v1/statistics/summary', { accept: 'text/csv', 'accept-encoding': 'gzip' })
  t.equal(compressed.headers['content-encoding'], 'gzip')
  t.match(compressed.headers.vary, /accept/)
  t.match(compressed.headers.vary, /accept-encoding/)
  t.equal(compressed.body.length > 0, true)
})

t.test('bom=true: a UTF-8 byte order mark first, the same rows after it', async (t) => {
  const plain = await get('/v1/statistics/summary?format=csv')
  const marked = await get('/v1/statistics/summary?format=csv&bom=true')
  t.same([...marked.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf])
  t.not(plain.rawPayload[0], 0xef)
  t.same(parse(marked.body, { columns: true, bom: true }), parse(plain.body, { columns: true }))
  t.equal(marked.rawPayload.subarray(3).toString('utf8'), plain.body)
  t.match((await get('/v1/statistics/summary?bom=true')).headers['content-type'], /^application\/json/, 'bom alone does not change the format')
})

t.test('RFC 4180 framing on the real data: CRLF after every record, quoted commas', async (t) => {
  const body = (await get('/v1/metrics?format=csv&limit=100')).body
  t.ok(body.endsWith('\r\n'))
  t.notOk(/[^\r]\n/.test(body.replace(/"[^"]*"/g, '')), 'outside quoted fields every line break is CRLF')
  t.match(body, /"The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually\."/)
  const rows = parse(body, { columns: true, record_delimiter: '\r\n' }) as Row[]
  t.equal(rows.length, 20)
})
