import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { parse } from 'csv-parse/sync'
import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { schemas as commonSchemas } from '../../../src/schemas/common.ts'
import { schemas as metricSchemas } from '../../../src/schemas/metrics.ts'
import { schemas as regionSchemas } from '../../../src/schemas/regions.ts'
import { schemas as statisticsSchemas } from '../../../src/schemas/statistics.ts'
import { buildTestApp } from '../../helper.ts'

// Cross-hospital analytics (issue 26, item 2), on three small hospitals written through the API, with figures chosen
// so that every total, bound, rank and change can be checked by hand:
//
//   beds            2024                        2025
//   analytics-a     a-one 100, a-two > 50       a-one 110, a-two 60
//   analytics-b     b-one about 120             b-one 300
//   analytics-c     c-one 90                    c-one 80 (and an older statement of 999, which does not count)

const app = await buildTestApp(t)
const writerKey = await createApiKey(app.prisma, { name: 'Bureau office', scopes: ['write'] })
const writer = { authorization: `Bearer ${writerKey.key}` }
const note = { note: 'Stated in the bureau\'s yearly returns' }

const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
for (const schema of [...commonSchemas, ...metricSchemas, ...regionSchemas, ...statisticsSchemas]) ajv.addSchema(schema)

interface Qualified { value: number, lower: number | null, upper: number | null, lowerInclusive: boolean, upperInclusive: boolean, comparator: string | null, approximate: boolean, exact: boolean }
interface Cell {
  metric: string
  period: { year: number, kind: string, duration: string | null }
  hospital?: { slug: string }
  department?: { slug: string }
  value: Qualified | null
  count: number
  rank: { position: number, of: number, best: number, worst: number, uncertain: boolean, overlapCount: number, overlaps: string[] } | null
  change: { fromYear: number, fromCount: number, from: Qualified, difference: Qualified, ratio: Qualified | null } | null
  observationIds: string[]
  links: { breakdown: string | null }
}
interface Answer { metrics: Array<{ code: string }>, groupBy: string[], data: Cell[], page: { limit: number, nextCursor: string | null } }

async function post (url: string, payload: object): Promise<string> {
  const response = await app.inject({ method: 'POST', url, headers: writer, payload })
  if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<{ id?: string }>().id ?? ''
}

const ids = new Map<string, string>()
for (const hospital of ['a', 'b', 'c']) {
  await post('/v1/hospitals', { slug: `analytics-${hospital}`, name: `Analytics ${hospital.toUpperCase()}`, city: 'Chengdu', province: 'Sichuan', country: 'CN', provenance: note })
}
for (const [hospital, unit] of [['a', 'a-one'], ['a', 'a-two'], ['b', 'b-one'], ['c', 'c-one']] as const) {
  await post('/v1/departments', { hospital: `analytics-${hospital}`, kind: 'department', slug: `analytics-${unit}`, name: `Unit ${unit}`, provenance: note })
}
const beds = [
  ['a-one', 2024, 100, null, false], ['a-two', 2024, 50, '>', false], ['b-one', 2024, 120, null, true], ['c-one', 2024, 90, null, false],
  ['a-one', 2025, 110, null, false], ['a-two', 2025, 60, null, false], ['b-one', 2025, 300, null, false], ['c-one', 2025, 80, null, false]
] as const
for (const [unit, year, value, comparator, approximate] of beds) {
  const stated = `${approximate ? 'about ' : comparator === '>' ? 'more than ' : ''}${value}`
  ids.set(`${unit}/${year}`, await post('/v1/metrics', {
    department: `analytics-${unit}`, metric: 'beds', value, statedValue: stated, comparator, approximate,
    period: { kind: 'point', end: `${year}-12-31` }, statedOn: `${year + 1}-02-01`, provenance: note
  }))
}
// An older statement of the same unit, metric and period: the latest stated counts, so this one never does.
await post('/v1/metrics', {
  department: 'analytics-c-one', metric: 'beds', value: 999, statedValue: '999', period: { kind: 'point', end: '2025-12-31' }, statedOn: '2026-01-01', provenance: note
})

async function analytics (query: string): Promise<Answer> {
  const response = await app.inject(`/v1/statistics/analytics?${query}`)
  if (response.statusCode !== 200) throw new Error(`${query}: ${response.statusCode} ${response.body}`)
  t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  const validate = ajv.getSchema('Analytics')!
  t.ok(validate(response.json()), `${query}: valid Analytics ${ajv.errorsText(validate.errors)}`)
  return response.json<Answer>()
}
const cell = (answer: Answer, hospital: string, year: number): Cell => {
  const found = answer.data.find((candidate) => candidate.hospital?.slug === `analytics-${hospital}` && candidate.period.year === year)
  if (found === undefined) throw new Error(`no cell ${hospital} ${year}`)
  return found
}
const three = 'hospital=analytics-a,analytics-b,analytics-c'

t.test('totals across hospitals keep their bounds: a sum with a "more than" is a lower bound, with an "about" has none', async (t) => {
  const all = await analytics(`metric=beds&period=2024,2025&${three}`)
  t.same(all.groupBy, ['metric', 'period'], 'by default, one total per metric and year across every hospital')
  t.equal(all.data.length, 2)
  t.match(all.data[0], { metric: 'beds', period: { year: 2024, kind: 'point', duration: null }, count: 4 })
  t.match(all.data[0]!.value, { value: 360, lower: null, upper: null, approximate: true, exact: false }, '100 + >50 + about 120 + 90: about 360')
  t.match(all.data[1], { period: { year: 2025 }, count: 4, value: { value: 550, lower: 550, upper: 550, exact: true } }, 'the older 999 does not count')
  t.equal(all.data[0]!.hospital, undefined, 'not grouped by hospital: no hospital member')
  t.equal(all.data[0]!.rank, null, 'nothing to rank across')

  const twoHospitals = await analytics('metric=beds&period=2024&hospital=analytics-a,analytics-c')
  t.match(twoHospitals.data[0], { count: 3, value: { value: 240, lower: 240, upper: null, lowerInclusive: false, comparator: '>', approximate: false } },
    '100 + >50 + 90: more than 240')
  t.same([...twoHospitals.data[0]!.observationIds].sort(), [ids.get('a-one/2024'), ids.get('a-two/2024'), ids.get('c-one/2024')].sort(), 'the ids of the figures behind it')
  t.equal(twoHospitals.data[0]!.links.breakdown, '/v1/statistics/analytics?metric=beds&period=2024&hospital=analytics-a,analytics-c&groupBy=department')
})

t.test('hospitals compared as intervals: overlapping ranks are uncertain and say with whom', async (t) => {
  const answer = await analytics(`metric=beds&period=2024,2025&groupBy=hospital,period&${three}`)
  t.same(answer.groupBy, ['metric', 'hospital', 'period'])
  t.same(answer.data.map((item) => `${item.hospital?.slug} ${item.period.year}`),
    ['analytics-a 2024', 'analytics-a 2025', 'analytics-b 2024', 'analytics-b 2025', 'analytics-c 2024', 'analytics-c 2025'], 'in groupBy order')
  // 2025: 300, 170, 80, all exact: certain ranks.
  t.same(cell(answer, 'b', 2025).rank, { position: 1, of: 3, best: 1, worst: 1, uncertain: false, overlapCount: 0, overlaps: [] })
  t.match(cell(answer, 'a', 2025), { value: { value: 170, exact: true }, count: 2, rank: { position: 2, best: 2, worst: 2, uncertain: false } })
  t.match(cell(answer, 'c', 2025).rank, { position: 3, best: 3, worst: 3, uncertain: false })
  // 2024: a is more than 150, b about 120 (no bound), c exactly 90. a is certainly above c; b overlaps both.
  t.match(cell(answer, 'a', 2024), { value: { value: 150, lower: 150, upper: null, comparator: '>' } })
  t.same(cell(answer, 'a', 2024).rank, { position: 1, of: 3, best: 1, worst: 2, uncertain: true, overlapCount: 1, overlaps: ['analytics-b'] })
  t.same(cell(answer, 'b', 2024).rank, { position: 2, of: 3, best: 1, worst: 3, uncertain: true, overlapCount: 2, overlaps: ['analytics-a', 'analytics-c'] })
  t.same(cell(answer, 'c', 2024).rank, { position: 3, of: 3, best: 2, worst: 3, uncertain: true, overlapCount: 1, overlaps: ['analytics-b'] })
})

t.test('year-over-year change as the interval of the difference and of the ratio', async (t) => {
  const answer = await analytics(`metric=beds&period=2025&groupBy=hospital&${three}`)
  t.equal(answer.data.length, 3, 'only the year asked for, though 2024 is read for the change')
  // 170 (exact) from more than 150: the difference is less than 20, the ratio less than 170/150.
  t.match(cell(answer, 'a', 2025).change, {
    fromYear: 2024,
    fromCount: 2,
    from: { value: 150, lower: 150, upper: null },
    difference: { value: 20, lower: null, upper: 20, upperInclusive: false, comparator: '<', exact: false },
    ratio: { value: 170 / 150, lower: null, upper: 170 / 150, comparator: '<' }
  })
  t.match(cell(answer, 'c', 2025).change, { difference: { value: -10, lower: -10, upper: -10, exact: true }, ratio: { value: 80 / 90, exact: true } })
  t.match(cell(answer, 'b', 2025).change, { difference: { value: 180, lower: null, upper: null, approximate: true } }, 'from "about": no bound')
  const first = await analytics(`metric=beds&period=2024&groupBy=hospital&${three}`)
  t.equal(cell(first, 'a', 2024).change, null, 'no figures for 2023')
})

t.test('a breakdown lists every figure behind a cell; the department filter covers several units', async (t) => {
  const answer = await analytics(`metric=beds&period=2025&groupBy=hospital&${three}`)
  const link = cell(answer, 'a', 2025).links.breakdown!
  t.equal(link, '/v1/statistics/analytics?metric=beds&period=2025&hospital=analytics-a&groupBy=department')
  const breakdown = await analytics(link.split('?')[1]!)
  t.same(breakdown.data.map((item) => [item.department?.slug, item.value?.value, item.count, item.observationIds, item.links.breakdown]), [
    ['analytics-a-one', 110, 1, [ids.get('a-one/2025')], null],
    ['analytics-a-two', 60, 1, [ids.get('a-two/2025')], null]
  ])
  const units = await analytics('metric=beds&period=2025&department=analytics-a-two,analytics-c-one&groupBy=department')
  t.same(units.data.map((item) => [item.department?.slug, item.value?.value]), [['analytics-a-two', 60], ['analytics-c-one', 80]])
})

t.test('paged, cached and revalidated like the other statistics', async (t) => {
  const query = `metric=beds&period=2024,2025&groupBy=hospital,period&${three}`
  const first = await app.inject(`/v1/statistics/analytics?${query}&limit=4`)
  const body = first.json<Answer>()
  t.equal(body.data.length, 4)
  t.ok(body.page.nextCursor)
  t.match(first.headers.link, /rel="next"/)
  const second = (await analytics(`${query}&limit=4&cursor=${encodeURIComponent(body.page.nextCursor!)}`))
  t.same(second.data.map((item) => `${item.hospital?.slug} ${item.period.year}`), ['analytics-c 2024', 'analytics-c 2025'])
  t.equal(second.page.nextCursor, null)
  const otherGrouping = await app.inject(`/v1/statistics/analytics?metric=beds&limit=1&cursor=${encodeURIComponent(body.page.nextCursor!)}`)
  t.equal(otherGrouping.statusCode, 400, 'a cursor is bound to its grouping')
  t.ok(first.headers.etag)
  const again = await app.inject({ url: `/v1/statistics/analytics?${query}&limit=4`, headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(again.statusCode, 304)
})

t.test('CSV: one row per cell, with the bounds, rank and change', async (t) => {
  const response = await app.inject(`/v1/statistics/analytics?metric=beds&period=2025&groupBy=hospital&${three}&format=csv`)
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/csv/)
  const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>
  t.equal(rows.length, 3)
  t.match(rows[0], {
    metric: 'beds', year: '2025', periodKind: 'point', hospital: 'analytics-a', department: '', value: '170', exact: 'true', count: '2',
    rank: '2', rankOf: '3', rankUncertain: 'false', changeFromYear: '2024', changeValue: '20', changeLower: '', changeUpper: '20'
  })
  t.equal((await app.inject(`/v1/statistics/analytics?metric=beds&format=csv&limit=5`)).statusCode, 400, 'CSV has no pages')
})

t.test('regions: the filter takes a region and every region below it; cells group by the hospitals\' own region', async (t) => {
  await post('/v1/regions', { slug: 'analytics-province', name: 'Analytics City', level: 'municipality', parent: 'china' })
  await post('/v1/regions', { slug: 'analytics-district', name: 'Analytics District', level: 'district', parent: 'analytics-province' })
  for (const [hospital, region] of [['a', 'analytics-district'], ['b', 'analytics-province']]) {
    const placed = await app.inject({ method: 'PATCH', url: `/v1/hospitals/analytics-${hospital}`, headers: { ...writer, 'if-match': '*' }, payload: { region, provenance: note } })
    t.equal(placed.statusCode, 200, placed.body)
  }
  const byRegion = await analytics('metric=beds&period=2025&region=analytics-province&groupBy=region,period')
  t.same(byRegion.data.map((entry) => [(entry as Cell & { region: { slug: string, level: string } }).region.slug, entry.count]).sort(),
    [['analytics-district', 2], ['analytics-province', 1]], 'a region\'s filter reaches the hospitals of the regions below it, grouped by their own')
  const total = await analytics('metric=beds&period=2025&region=analytics-province')
  t.same(total.data.map((entry) => [entry.count, entry.value?.value]), [[3, 470]], 'and totals them: 110 + 60 + 300')
  t.same((await analytics('metric=beds&period=2025&region=analytics-district')).data.map((entry) => entry.count), [2], 'a district, only its own')
  const unknown = await app.inject('/v1/statistics/analytics?metric=beds&region=atlantis')
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), { detail: /No region has the slug "atlantis" \(see \/v1\/regions\)/ })
})

t.test('bad slices are 400 problems naming what is wrong', async (t) => {
  for (const [query, detail] of [
    ['metric=beds&hospital=analytics-a,nowhere,elsewhere', /No hospital has the slugs "elsewhere", "nowhere"/],
    ['metric=beds,heartbeats', /No metric has the code "heartbeats"/],
    ['metric=beds&department=no-such-unit', /No department has the slug "no-such-unit"/],
    ['metric=beds&groupBy=ward', /Unknown groupBy "ward"/],
    [`metric=beds&hospital=${Array.from({ length: 101 }, (_, index) => `h${index}`).join(',')}`, /hospital takes at most 100/],
    ['metric=beds&period=20x4', /period must match pattern/],
    ['period=2024', /metric/]
  ] as const) {
    const response = await app.inject(`/v1/statistics/analytics?${query}`)
    t.equal(response.statusCode, 400, query)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(response.json(), { type: '/problems/invalid-request', detail }, query)
  }
})

t.test('the other statistics take several hospitals too, and name an unknown one', async (t) => {
  const summary = await app.inject('/v1/statistics/summary?hospital=analytics-a,analytics-c&metric=beds&limit=100')
  t.equal(summary.statusCode, 200)
  t.same([...new Set(summary.json<{ data: Array<{ hospital: { slug: string } }> }>().data.map((group) => group.hospital.slug))], ['analytics-a', 'analytics-c'])
  const coverage = await app.inject('/v1/statistics/coverage?department=analytics-a-one,analytics-b-one')
  t.same(coverage.json<{ data: Array<{ department: { slug: string } }> }>().data.map((unit) => unit.department.slug), ['analytics-a-one', 'analytics-b-one'])
  const unknown = await app.inject('/v1/statistics/timeseries?metric=beds&hospital=analytics-a,nowhere')
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), { detail: /No hospital has the slug "nowhere"/, errors: [{ in: 'querystring', field: '/hospital' }] })
})
