import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t, { type Test } from 'tap'
import { schemas as commonSchemas } from '../../../src/schemas/common.ts'
import { schemas as metricSchemas } from '../../../src/schemas/metrics.ts'
import { schemas as statisticsSchemas } from '../../../src/schemas/statistics.ts'
import { buildTestApp, nextDataChange } from '../../helper.ts'

interface Qualified { value: number, lower: number | null, upper: number | null, comparator: string | null, approximate: boolean, exact: boolean }
interface Group {
  hospital: { slug: string }
  metric: { code: string }
  additive: boolean
  period: { kind: string, duration: string | null, start: string | null, end: string | null }
  total: Qualified | null
  totalAbsent: string | null
  unitCount: number
  units: Array<{ department: { slug: string }, figure: Qualified, statedValue: string, observationId: string }>
  links: { units: string }
}

const app = await buildTestApp(t)

// The summary is sent as the JSON text PostgreSQL wrote, which Fastify neither serialises nor checks against the
// response schema: every JSON answer of these tests is checked against its schema here instead.
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
for (const schema of [...commonSchemas, ...metricSchemas, ...statisticsSchemas]) ajv.addSchema(schema)
function assertSchema (t: Test, id: string, body: unknown, label: string): void {
  const validate = ajv.getSchema(id)!
  t.ok(validate(body), `${label}: valid ${id}${validate.errors === null || validate.errors === undefined ? '' : ` ${ajv.errorsText(validate.errors)}`}`)
}
// A page large enough for every group of the seed, with every unit of each.
const summary = async (query: string): Promise<Group[]> => {
  const response = await app.inject(`/v1/statistics/summary${query}${query === '' ? '?' : '&'}limit=100&units=100`)
  t.equal(response.statusCode, 200, query)
  t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
  assertSchema(t, 'Summary', response.json(), query)
  return response.json<{ data: Group[] }>().data
}
const group = (groups: Group[], code: string, kind?: string): Group | undefined =>
  groups.find((candidate) => candidate.metric.code === code && (kind === undefined || candidate.period.kind === kind))

t.test('the seeded hospital: totals keep the qualifier of what they add up', async (t) => {
  const groups = await summary('?hospital=cqhcwc')
  t.equal(groups.length, 20, 'one group per metric and period')
  t.match(group(groups, 'outpatient_visits.annual')?.total, { value: 30000, lower: 30000, upper: null, comparator: '>', exact: false, approximate: false },
    'annual outpatients: more than 30,000, not 30000')
  t.match(group(groups, 'hysteroscopy_surgeries.cumulative')?.total, { value: 100000, lower: null, upper: 100000, comparator: '<', approximate: true })
  t.match(group(groups, 'facility.floor_area')?.total, { value: 3000, lower: null, upper: null, approximate: true, exact: false })
  t.match(group(groups, 'beds')?.total, { value: 88, lower: 88, upper: 88, exact: true })
  t.match(group(groups, 'staff.total')?.total, { value: 61, exact: true })
  const survival = group(groups, 'outcome.twin_preterm_survival_under_32w')!
  t.equal(survival.total, null, 'a rate is never summed')
  t.match(survival.totalAbsent, /cannot be summed/)
  t.match(survival.units, [{ department: { slug: 'twins-department' }, figure: { value: 84.85, exact: true } }])
  t.match(group(groups, 'research.papers')?.period, { kind: 'span', duration: 'P3Y', start: '2018-03-03', end: '2021-03-03' })
  const outpatients = group(groups, 'outpatient_visits.annual')!
  t.equal(outpatients.unitCount, 1)
  t.equal(outpatients.units[0]?.statedValue, 'more than 30,000')
  t.equal(outpatients.links.units, '/v1/statistics/summary/units?hospital=cqhcwc&metric=outpatient_visits.annual&periodKind=annual&periodDuration=P1Y')
  t.equal(group(groups, 'research.papers')?.links.units,
    '/v1/statistics/summary/units?hospital=cqhcwc&metric=research.papers&periodKind=span&periodDuration=P3Y&periodStart=2018-03-03&periodEnd=2021-03-03')
})

t.test('across several units: exact + exact, lower bounds, approximate figures, separate periods, latest figure', async (t) => {
  const twins = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'twins-department' } })
  const center = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'medical-examination-center' } })
  const metric = async (code: string) => (await app.prisma.metricDefinition.findUniqueOrThrow({ where: { code } })).id
  const source = twins.sourceId
  const add = async (unitId: string, code: string, value: string, fields: Record<string, unknown> = {}) =>
    app.prisma.metricObservation.create({
      data: {
        unitId, metricId: await metric(code), value, statedValue: value, periodKind: 'point', sourceId: source,
        quote: 'The specialized department for twins', statedOn: new Date('2021-04-27'), ...fields
      }
    })
  // The summary below was read (and cached) by the previous test; the cache learns of these writes from the database.
  const changed = nextDataChange(app)
  await add(twins.id, 'beds', '40')
  await add(twins.id, 'outpatient_visits.annual', '12000', { approximate: true, periodKind: 'annual', periodDuration: 'P1Y' })
  await add(center.id, 'discharges.annual', '800', { comparator: 'ge', periodKind: 'annual', periodDuration: 'P1Y', sourceId: center.sourceId })
  await add(twins.id, 'research.papers', '12', { periodKind: 'span', periodDuration: 'P3Y', periodStart: new Date('2019-01-01'), periodEnd: new Date('2022-01-01') })

  await changed
  const groups = await summary('?hospital=cqhcwc')
  t.match(group(groups, 'beds')?.total, { value: 128, lower: 128, upper: 128, exact: true }, '88 + 40')
  t.match(group(groups, 'outpatient_visits.annual')?.total, { value: 42000, lower: null, upper: null, approximate: true, exact: false },
    'more than 30,000 plus about 12,000 is about 42,000, with no bound known')
  t.match(group(groups, 'discharges.annual')?.total, { value: 6800, lower: 6800, upper: null, comparator: '>', exact: false },
    'more than 6,000 plus at least 800 is more than 6,800')
  t.equal(group(groups, 'beds')?.units.length, 2)
  t.equal(group(groups, 'beds')?.unitCount, 2)
  const papers = groups.filter((candidate) => candidate.metric.code === 'research.papers')
  t.equal(papers.length, 2, 'two different three-year windows are two groups, never one sum')

  // A newer figure from the same unit for the same period, from a newer page, replaces the older one in the total.
  const text = 'The specialized department for twins now has 44 beds.'
  const newer = await app.prisma.sourceDocument.create({
    data: { fileName: 'twins-2022.txt', title: 'Twins department 2022', kind: 'department_page', statedOn: new Date('2022-01-01'), fullText: text, sha256: 'a'.repeat(64) }
  })
  await add(twins.id, 'beds', '44', { statedOn: new Date('2022-01-01'), sourceId: newer.id, quote: text })
  const later = await summary('?hospital=cqhcwc&metric=beds')
  t.equal(later.length, 1)
  t.match(later[0]?.total, { value: 132, exact: true }, '88 + 44: the twins department\'s latest count')
  t.equal(later[0]?.units.find((unit) => unit.department.slug === 'twins-department')?.figure.value, 44)
})

t.test('filters: department (with the units below it), category, metric, period kind', async (t) => {
  const division = await summary('?department=women-health-care-division&metric=staff.total')
  t.match(division, [{ metric: { code: 'staff.total' }, units: [{ department: { slug: 'general-gynecology' } }] }], 'a division covers its departments')
  const byAlias = await summary('?department=obstetrics-second-department&category=outcome')
  t.equal(byAlias.length, 2)
  const annual = await summary('?periodKind=annual')
  t.ok(annual.length > 0 && annual.every((candidate) => candidate.period.kind === 'annual'))
  const unknown = await app.inject('/v1/statistics/summary?hospital=cqhcwc,another-hospital')
  t.equal(unknown.statusCode, 400, 'a hospital that does not exist is named, not an empty answer')
  t.match(unknown.json(), { detail: /No hospital has the slug "another-hospital"/ })
})

interface SummaryPage { data: Group[], page: { limit: number, nextCursor: string | null } }

/** Follows Link rel="next" from `url` to the last page; every page must be valid and carry its cursor in Link too. */
async function everyPage<Item> (t: Test, url: string, schema: string, server = app): Promise<Item[][]> {
  const pages: Item[][] = []
  for (let next: string | null = url; next !== null;) {
    const response: Awaited<ReturnType<typeof app.inject>> = await server.inject(next)
    t.equal(response.statusCode, 200, next)
    const body = response.json<{ data: Item[], page: { nextCursor: string | null } }>()
    assertSchema(t, schema, body, next)
    pages.push(body.data)
    const link = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link ?? ''))?.[1] ?? null
    t.equal(link === null ? null : new URL(link, 'http://localhost').searchParams.get('cursor'), body.page.nextCursor, 'Link carries the cursor')
    next = link
  }
  return pages
}

t.test('groups come a page at a time; each shows its first units, counts them all and links to every one', async (t) => {
  const every = await summary('?hospital=cqhcwc')
  t.ok(every.length > 6)
  const pages = await everyPage<Group>(t, '/v1/statistics/summary?hospital=cqhcwc&limit=6&units=100', 'Summary')
  t.same(pages.map((page) => page.length), [...Array(Math.ceil(every.length / 6)).keys()].map((index) => Math.min(6, every.length - index * 6)))
  t.same(pages.flat(), every, 'the pages together are the whole summary, each group once, in order')
  const keys = every.map((candidate) => [candidate.hospital.slug, candidate.metric.code, candidate.period.kind].join(' '))
  t.same(keys, [...keys].sort(), 'ordered by hospital, metric and period')

  // The previous tests left the seeded 88 beds and the twins department's 44 in one group.
  const beds = (await app.inject('/v1/statistics/summary?metric=beds&units=1')).json<SummaryPage>()
  assertSchema(t, 'Summary', beds, 'units=1')
  t.match(beds.data, [{ unitCount: 2, total: { value: 132, exact: true }, units: [{ department: { slug: 'general-gynecology' }, figure: { value: 88 } }] }],
    'the total covers both units; the page shows the first')
  t.equal(beds.data[0]?.units.length, 1)
  t.same(beds.page, { limit: 20, nextCursor: null })
  const none = (await app.inject('/v1/statistics/summary?metric=beds&units=0')).json<SummaryPage>().data[0]
  t.match(none, { unitCount: 2, units: [], total: { value: 132 } })

  const link = beds.data[0]!.links.units
  t.equal(link, '/v1/statistics/summary/units?hospital=cqhcwc&metric=beds&periodKind=point')
  const units = await everyPage<Group['units'][number]>(t, `${link}&limit=1`, 'SummaryUnits')
  t.same(units.map((page) => page.map((unit) => [unit.department.slug, unit.figure.value, unit.statedValue])),
    [[['general-gynecology', 88, '88']], [['twins-department', 44, '44']]], 'one unit a page, by slug, each its latest figure')
  const all = (await app.inject(link)).json<{ data: Array<Group['units'][number]>, page: unknown }>()
  t.same(all.data[0], beds.data[0]?.units[0], 'the same entry as in the group')

  const division = (await app.inject('/v1/statistics/summary?department=obstetrics-second-department&metric=beds')).json<SummaryPage>().data[0]!
  t.match(division, { unitCount: 1, total: { value: 44 } })
  t.equal(division.links.units, '/v1/statistics/summary/units?hospital=cqhcwc&metric=beds&periodKind=point&department=obstetrics-second-department')
  t.same((await app.inject(division.links.units)).json<{ data: Array<{ department: { slug: string } }> }>().data.map((unit) => unit.department.slug),
    ['twins-department'], 'the link keeps the department filter')

  const papers = every.filter((candidate) => candidate.metric.code === 'research.papers')
  for (const candidate of papers) {
    const listed = (await app.inject(candidate.links.units)).json<{ data: Array<{ observationId: string }> }>().data
    t.same(listed.map((unit) => unit.observationId), candidate.units.map((unit) => unit.observationId), `${candidate.links.units}: only that window`)
  }

  const cases: Array<[string, number, RegExp]> = [
    ['?metric=beds&periodKind=point', 400, /hospital/],
    ['?hospital=cqhcwc&metric=beds&periodKind=weekly', 400, /periodKind must be one of/],
    ['?hospital=cqhcwc&metric=beds&periodKind=annual&periodDuration=1Y', 400, /periodDuration must match pattern/],
    ['?hospital=cqhcwc&metric=beds&periodKind=point&periodStart=2021-13-40', 400, /periodStart must match format/],
    ['?hospital=cqhcwc&metric=beds&periodKind=point&department=nowhere', 400, /No department has the slug "nowhere"/],
    [`?hospital=cqhcwc&metric=beds&periodKind=point&cursor=${encodeURIComponent(String(beds.page.nextCursor ?? (await app.inject('/v1/statistics/summary?limit=1')).json<SummaryPage>().page.nextCursor))}`, 400, /another list/]
  ]
  for (const [query, status, detail] of cases) {
    const response = await app.inject(`/v1/statistics/summary/units${query}`)
    t.equal(response.statusCode, status, query)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { status, detail }, query)
  }
  t.same((await app.inject('/v1/statistics/summary/units?hospital=cqhcwc&metric=beds&periodKind=annual')).json(),
    { data: [], page: { limit: 20, nextCursor: null } }, 'a group that does not exist has no units')
})

t.test('bad input', async (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['?department=nowhere', 400, /No department has the slug "nowhere"/],
    ['?metric=beds,heartbeats', 400, /No metric has the code "heartbeats"/],
    ['?category=money', 400, /category must be one of/],
    ['?metric=Beds!', 400, /metric must match pattern/],
    ['?periodKind=weekly', 400, /periodKind must be one of/],
    ['?sort=metric', 400, /sort is not a known parameter/],
    ['?limit=0', 400, /limit must be >= 1/],
    ['?limit=101', 400, /limit must be <= 100/],
    ['?units=101', 400, /units must be <= 100/],
    ['?cursor=forged.cursor', 400, /not one this API issued/],
    ['?format=csv&limit=5', 400, /leave out limit/],
    ['?format=csv&units=1', 400, /leave out units/]
  ]
  for (const [query, status, detail] of cases) {
    const response = await app.inject(`/v1/statistics/summary${query}`)
    t.equal(response.statusCode, status, query)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { status, detail }, query)
  }
})

interface Ratio { code: string, formula: string, unit: string, value: Qualified | null, absent: string | null, inputs: Array<{ metric: string, statedValue: string, source: { quote: string } }> }
interface UnitRatios { department: { slug: string }, ratios: Ratio[] }

t.test('ratios for the seeded general gynecology department, qualifiers carried through', async (t) => {
  const fresh = await buildTestApp(t)
  const response = await fresh.inject('/v1/statistics/ratios?department=general-gynecology')
  t.equal(response.statusCode, 200)
  const [unit, ...others] = response.json<{ data: UnitRatios[] }>().data
  t.equal(others.length, 0)
  t.equal(unit?.department.slug, 'general-gynecology')
  const byCode = new Map(unit!.ratios.map((ratio) => [ratio.code, ratio]))
  t.same([...byCode.keys()].sort(), ['bed_turnover', 'beds_per_nurse', 'nurses_per_doctor', 'outpatients_per_doctor', 'senior_title_share', 'surgeries_per_bed'])
  t.match(byCode.get('beds_per_nurse'), { formula: 'beds / staff.nurses', value: { value: 88 / 36, lower: 88 / 36, upper: 88 / 36, exact: true } })
  t.match(byCode.get('nurses_per_doctor')?.value, { value: 36 / 21, exact: true })
  t.match(byCode.get('senior_title_share')?.value, { value: 3 / 61, exact: true })
  t.match(byCode.get('outpatients_per_doctor')?.value, { value: 30000 / 21, lower: 30000 / 21, upper: null, comparator: '>', exact: false },
    'more than 30,000 visits over 21 doctors is more than 1,428.6 per doctor')
  t.match(byCode.get('bed_turnover')?.value, { value: 6000 / 88, lower: 6000 / 88, upper: null, comparator: '>' })
  t.match(byCode.get('surgeries_per_bed')?.value, { value: 5000 / 88, comparator: '>' })
  const inputs = byCode.get('outpatients_per_doctor')!.inputs
  t.same(inputs.map((input) => [input.metric, input.statedValue]), [['outpatient_visits.annual', 'more than 30,000'], ['staff.doctors', '21']])
  t.match(inputs[0]?.source.quote, /more than 30,000/)
})

t.test('units without inputs have no ratios; a zero denominator is absent with its reason; filters', async (t) => {
  const fresh = await buildTestApp(t)
  const all = (await fresh.inject('/v1/statistics/ratios')).json<{ data: UnitRatios[] }>().data
  t.same(all.map((unit) => unit.department.slug), ['general-gynecology'], 'only the department with staff and beds')
  const only = (await fresh.inject('/v1/statistics/ratios?ratio=beds_per_nurse')).json<{ data: UnitRatios[] }>().data
  t.same(only[0]?.ratios.map((ratio) => ratio.code), ['beds_per_nurse'])

  const twins = await fresh.prisma.unit.findUniqueOrThrow({ where: { slug: 'twins-department' } })
  for (const [code, value] of [['beds', '20'], ['staff.nurses', '0']] as const) {
    const metric = await fresh.prisma.metricDefinition.findUniqueOrThrow({ where: { code } })
    await fresh.prisma.metricObservation.create({
      data: { unitId: twins.id, metricId: metric.id, value, statedValue: value, periodKind: 'point', sourceId: twins.sourceId, quote: 'The specialized department for twins' }
    })
  }
  const zero = (await fresh.inject('/v1/statistics/ratios?department=obstetrics-second-department')).json<{ data: UnitRatios[] }>().data
  t.match(zero, [{ department: { slug: 'twins-department' }, ratios: [{ code: 'beds_per_nurse', value: null, absent: 'the denominator is zero' }] }])
  const pages = await everyPage<UnitRatios>(t, '/v1/statistics/ratios?limit=1', 'Ratios', fresh)
  t.same(pages.map((page) => page.map((unit) => unit.department.slug)), [['general-gynecology'], ['twins-department']], 'a unit a page, by slug')

  for (const [query, status] of [['?ratio=happiness', 400], ['?department=nowhere', 400], ['?sort=code', 400]] as const) {
    const response = await fresh.inject(`/v1/statistics/ratios${query}`)
    t.equal(response.statusCode, status, query)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
  }
})

interface Point { department: { slug: string }, at: string | null, figure: Qualified, statedValue: string, source: { quote: string } }

t.test('timeseries: points in time with bounds, oldest first, undated last', async (t) => {
  const fresh = await buildTestApp(t)
  const outpatients = await fresh.inject('/v1/statistics/timeseries?metric=outpatient_visits.annual')
  t.equal(outpatients.statusCode, 200)
  const body = outpatients.json<{ metric: { code: string, unit: string }, data: Point[] }>()
  t.match(body.metric, { code: 'outpatient_visits.annual', unit: '{visit}' })
  t.match(body.data, [{ department: { slug: 'general-gynecology' }, at: '2021-03-03', figure: { value: 30000, lower: 30000, upper: null, comparator: '>' }, statedValue: 'more than 30,000' }])
  t.match(body.data[0]?.source.quote, /more than 30,000/)

  const papers = (await fresh.inject('/v1/statistics/timeseries?metric=research.papers')).json<{ data: Point[] }>()
  t.equal(papers.data[0]?.at, '2021-03-03', 'a span is placed at its end')

  const twins = await fresh.prisma.unit.findUniqueOrThrow({ where: { slug: 'twins-department' } })
  const beds = await fresh.prisma.metricDefinition.findUniqueOrThrow({ where: { code: 'beds' } })
  const center = await fresh.prisma.unit.findUniqueOrThrow({ where: { slug: 'medical-examination-center' } })
  await fresh.prisma.metricObservation.create({ data: { unitId: twins.id, metricId: beds.id, value: '40', statedValue: '40', periodKind: 'point', statedOn: new Date('2019-06-01'), sourceId: twins.sourceId, quote: 'x' } })
  await fresh.prisma.metricObservation.create({ data: { unitId: center.id, metricId: beds.id, value: '12', statedValue: 'about 12', approximate: true, periodKind: 'point', sourceId: center.sourceId, quote: 'x' } })
  const series = (await fresh.inject('/v1/statistics/timeseries?metric=beds')).json<{ data: Point[] }>()
  t.same(series.data.map((point) => [point.department.slug, point.at, point.figure.value]), [
    ['twins-department', '2019-06-01', 40],
    ['general-gynecology', '2021-03-03', 88],
    ['medical-examination-center', null, 12]
  ])
  t.match(series.data[2]?.figure, { approximate: true, exact: false })
  const pages = await everyPage<Point>(t, '/v1/statistics/timeseries?metric=beds&limit=2', 'Timeseries', fresh)
  t.same(pages.map((page) => page.map((point) => point.department.slug)), [['twins-department', 'general-gynecology'], ['medical-examination-center']],
    'pages in plotting order, undated last')
  const one = (await fresh.inject('/v1/statistics/timeseries?metric=beds&department=obstetrics-second-department')).json<{ data: Point[] }>()
  t.equal(one.data.length, 1)

  for (const [query, status] of [['', 400], ['?metric=Beds', 400], ['?metric=heartbeats', 404], ['?metric=beds&department=nowhere', 400], ['?metric=beds&limit=0', 400], ['?metric=beds&cursor=x.y', 400]] as const) {
    const response = await fresh.inject(`/v1/statistics/timeseries${query}`)
    t.equal(response.statusCode, status, query || '(no metric)')
    t.match(response.headers['content-type'], /^application\/problem\+json/)
  }
})

t.test('coverage: reported and missing metrics per unit', async (t) => {
  const fresh = await buildTestApp(t)
  const response = await fresh.inject('/v1/statistics/coverage?hospital=cqhcwc')
  t.equal(response.statusCode, 200)
  const body = response.json<{ metrics: string[], data: Array<{ department: { slug: string }, reported: string[], missing: string[], completeness: number }> }>()
  t.equal(body.metrics.length, 20)
  const bySlug = new Map(body.data.map((unit) => [unit.department.slug, unit]))
  t.equal(bySlug.size, 5, 'every unit, including those with no figures')
  t.equal(bySlug.get('general-gynecology')?.reported.length, 17)
  t.equal(bySlug.get('general-gynecology')?.completeness, 17 / 20)
  t.same(bySlug.get('twins-department')?.reported, ['outcome.twin_gestational_age_mean', 'outcome.twin_preterm_survival_under_32w'])
  t.same(bySlug.get('women-health-care-division')?.reported, [])
  t.equal(bySlug.get('women-health-care-division')?.completeness, 0)
  t.ok(bySlug.get('medical-examination-center')?.missing.includes('beds'))

  assertSchema(t, 'Coverage', body, 'coverage')
  const pages = await everyPage<(typeof body)['data'][number]>(t, '/v1/statistics/coverage?hospital=cqhcwc&limit=2', 'Coverage', fresh)
  t.same(pages.map((page) => page.length), [2, 2, 1])
  t.same(pages.flat(), body.data, 'the pages together are every unit, by slug')
  const staffing = (await fresh.inject('/v1/statistics/coverage?category=staffing&department=women-health-care-division')).json<typeof body>()
  t.equal(staffing.metrics.length, 6)
  t.same(staffing.data.map((unit) => [unit.department.slug, unit.completeness]), [['general-gynecology', 1], ['women-health-care-division', 0]])
  for (const [query, status] of [['?category=money', 400], ['?department=nowhere', 400]] as const) {
    t.equal((await fresh.inject(`/v1/statistics/coverage${query}`)).statusCode, status, query)
  }
})
