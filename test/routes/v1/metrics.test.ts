import t, { type Test } from 'tap'
import { buildTestApp } from '../../helper.ts'

// Expected values are read off seed/facts.ts by hand: 20 figures, 17 of General Gynecology (stated 2021-03-03),
// 2 of the twins department (stated 2021-04-27) and 1 of the Medical Examination Center (undated).

const app = await buildTestApp(t)

interface Observation {
  id: string
  department: { slug: string }
  metric: { code: string, unit: string, category: string }
  value: number
  comparator: string | null
  approximate: boolean
  exact: boolean
  period: { kind: string }
  statedOn: string | null
  updatedAt: string
  source: { id: string, title: string, quote: string }
}
interface ObservationPage { data: Observation[], page: { limit: number, nextCursor: string | null, total?: number } }
interface Problem { type: string, status: number, detail: string, instance: string, errors?: Array<{ in: string, field: string }> }

const staffCodes = ['staff.associate_senior_title', 'staff.doctors', 'staff.md_degree', 'staff.nurses', 'staff.senior_title', 'staff.total']
const twinCodes = ['outcome.twin_gestational_age_mean', 'outcome.twin_preterm_survival_under_32w']
const valuesAscending = [3, 3, 3, 3, 6, 7, 7, 21, 35.3, 36, 40, 61, 84.85, 88, 300, 3000, 5000, 6000, 30000, 100000]

async function list (url: string): Promise<ObservationPage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<ObservationPage>()
}

/** The metric codes of every figure a (single-page) query returns, sorted. */
async function codes (t: Test, query: string, path = '/v1/metrics'): Promise<string[]> {
  const body = await list(`${path}?limit=100&${query}`)
  t.equal(body.page.nextCursor, null, `${query} fits on one page`)
  return body.data.map((observation) => observation.metric.code).sort()
}

/** Follows nextCursor from the first page to the last, checking the Link header on the way. */
async function walk (t: Test, url: string): Promise<{ rows: Observation[], pages: number }> {
  const rows: Observation[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const pageUrl: string = cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`
    const response = await app.inject(pageUrl)
    t.equal(response.statusCode, 200, pageUrl)
    const body = response.json<ObservationPage>()
    rows.push(...body.data)
    cursor = body.page.nextCursor
    if (cursor === null) t.notOk(response.headers.link, 'no Link header on the last page')
    else t.match(response.headers.link, /^<\/v1\/[^>]+cursor=[^>]+>; rel="next"$/)
    pages++
  } while (cursor !== null)
  return { rows, pages }
}

function problem (t: Test, response: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, status: number): Problem {
  t.equal(response.statusCode, status)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  return response.json() as Problem
}

t.test('GET /v1/metrics lists every figure with its unit, period and source quote', async (t) => {
  const response = await app.inject('/v1/metrics')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<ObservationPage>()
  t.equal(body.data.length, 20)
  t.same(body.page, { limit: 20, nextCursor: null })
  const perUnit: Record<string, number> = {}
  for (const observation of body.data) perUnit[observation.department.slug] = (perUnit[observation.department.slug] ?? 0) + 1
  t.same(perUnit, { 'general-gynecology': 17, 'twins-department': 2, 'medical-examination-center': 1 })
  for (const observation of body.data) {
    t.ok(observation.metric.unit.length > 0, `${observation.metric.code} has a unit`)
    t.ok(observation.period.kind.length > 0, `${observation.metric.code} has a period`)
    t.ok(observation.source.quote.length > 0, `${observation.metric.code} has a source quote`)
  }
  t.match(body.data.find((observation) => observation.metric.code === 'outpatient_visits.annual'), {
    department: { slug: 'general-gynecology' },
    metric: { unit: '{visit}', category: 'activity' },
    value: 30000,
    comparator: '>',
    exact: false,
    period: { kind: 'annual' },
    source: { title: 'General Gynecology Department', quote: /more than 30,000/ }
  })
})

t.test('the default order is by date stated, undated figures last', async (t) => {
  const body = await list('/v1/metrics')
  t.same(body.data.map((observation) => observation.statedOn), [
    ...Array<string>(17).fill('2021-03-03'), '2021-04-27', '2021-04-27', null
  ])
  t.equal(body.data.at(-1)?.metric.code, 'facility.floor_area')
})

t.test('department (slug or alias) and hospital filters', async (t) => {
  t.equal((await codes(t, 'department=general-gynecology')).length, 17)
  t.same(await codes(t, 'department=twins-department'), twinCodes)
  t.same(await codes(t, 'department=obstetrics-second-department'), twinCodes, 'an alias names the same unit')
  t.same(await codes(t, 'department=medical-examination-center'), ['facility.floor_area'])
  t.equal((await app.inject('/v1/metrics?department=cardiology')).statusCode, 400, 'an unknown unit is a 400')
  t.equal((await codes(t, 'hospital=cqhcwc')).length, 20)
  const unknown = await app.inject('/v1/metrics?hospital=cqhcwc,another-hospital&metric=beds,heartbeats')
  t.equal(unknown.statusCode, 400, 'a hospital or metric that does not exist is named, not an empty page')
  t.match(unknown.json(), { detail: /No hospital has the slug "another-hospital".*No metric has the code "heartbeats"/ })
  t.same((await codes(t, 'department=twins-department,medical-examination-center')).sort(), [...twinCodes, 'facility.floor_area'].sort(), 'several units')
  t.equal((await codes(t, 'hospital=cqhcwc&department=general-gynecology')).length, 17, 'both unit conditions apply')
})

t.test('metric filter: one code or a comma-separated list', async (t) => {
  const one = await list('/v1/metrics?metric=outpatient_visits.annual')
  t.match(one.data, [{ metric: { code: 'outpatient_visits.annual' }, value: 30000 }])
  t.equal(one.data.length, 1)
  t.same(await codes(t, 'metric=staff.doctors,staff.nurses'), ['staff.doctors', 'staff.nurses'])
  t.same(await codes(t, 'metric=staff.doctors,staff.doctors'), ['staff.doctors'], 'a repeated code counts once')
  t.equal((await app.inject('/v1/metrics?metric=staff.unknown')).statusCode, 400, 'an unknown metric code is named')
  t.same(await codes(t, 'metric=beds&category=staffing'), [], 'metric and category both apply')
})

t.test('category and periodKind filters', async (t) => {
  t.same(await codes(t, 'category=staffing'), staffCodes)
  t.same(await codes(t, 'category=outcome'), twinCodes)
  t.same(await codes(t, 'category=capacity'), ['beds'])
  t.same(await codes(t, 'periodKind=span'), [
    'research.papers', 'research.patents', 'research.projects', 'research.sci_papers',
    'training.hysteroscopy_courses', 'training.hysteroscopy_trainees'
  ])
  t.same(await codes(t, 'periodKind=annual'), ['discharges.annual', 'outpatient_visits.annual', 'surgeries.annual'])
  t.same(await codes(t, 'periodKind=cumulative'), ['hysteroscopy_surgeries.cumulative'])
  t.same(await codes(t, 'periodKind=point'), ['beds', 'facility.floor_area', ...twinCodes, ...staffCodes].sort())
})

t.test('comparator, approximate and exact filters', async (t) => {
  const more = await list(`/v1/metrics?comparator=${encodeURIComponent('>')}&sort=value`)
  t.same(more.data.map((observation) => [observation.metric.code, observation.value]), [
    ['research.papers', 40], ['surgeries.annual', 5000], ['discharges.annual', 6000], ['outpatient_visits.annual', 30000]
  ])
  t.ok(more.data.every((observation) => observation.comparator === '>'))

  const less = await list(`/v1/metrics?comparator=${encodeURIComponent('<')}`)
  t.match(less.data, [{ metric: { code: 'hysteroscopy_surgeries.cumulative' }, value: 100000, comparator: '<', approximate: true, exact: false }])
  t.equal(less.data.length, 1)
  t.same(await codes(t, `comparator=${encodeURIComponent('<=')}`), [])
  t.same(await codes(t, `comparator=${encodeURIComponent('>=')}`), [])
  const none = await list('/v1/metrics?comparator=none&limit=100')
  t.equal(none.data.length, 15, '20 figures less the five with a comparator')
  t.ok(none.data.every((observation) => observation.comparator === null))

  const approximate = await list('/v1/metrics?approximate=true')
  t.same(approximate.data.map((observation) => [observation.metric.code, observation.value]).sort(), [
    ['facility.floor_area', 3000], ['hysteroscopy_surgeries.cumulative', 100000]
  ])
  t.equal((await codes(t, 'approximate=false')).length, 18)

  const exact = await list('/v1/metrics?exact=true&limit=100')
  t.same(exact.data.map((observation) => observation.metric.code).sort(), [
    'beds', ...twinCodes, 'research.patents', 'research.projects', 'research.sci_papers', ...staffCodes,
    'training.hysteroscopy_courses', 'training.hysteroscopy_trainees'
  ].sort())
  t.ok(exact.data.every((observation) => observation.exact && observation.comparator === null && !observation.approximate))
  t.same(await codes(t, 'exact=false'), [
    'discharges.annual', 'facility.floor_area', 'hysteroscopy_surgeries.cumulative', 'outpatient_visits.annual',
    'research.papers', 'surgeries.annual'
  ])
  t.same(await codes(t, 'exact=true&approximate=true'), [], 'contradictory filters match nothing')
})

t.test('statedFrom and statedTo bound the date stated, inclusively, and leave undated figures out', async (t) => {
  const toMarch = await list('/v1/metrics?statedTo=2021-03-31&limit=100')
  t.equal(toMarch.data.length, 17)
  t.ok(toMarch.data.every((observation) => observation.department.slug === 'general-gynecology'), 'no twins figures, no floor area')
  t.same(await codes(t, 'statedFrom=2021-04-01'), twinCodes)
  t.same(await codes(t, 'statedFrom=2021-04-27&statedTo=2021-04-27'), twinCodes, 'both bounds inclusive')
  t.equal((await codes(t, 'statedFrom=2021-03-03&statedTo=2021-03-03')).length, 17)
  t.equal((await codes(t, 'statedFrom=2000-01-01')).length, 19, 'only the undated floor area falls outside an open range')
  t.same(await codes(t, 'statedTo=2021-03-02'), [])

  const reversed = problem(t, await app.inject('/v1/metrics?statedFrom=2021-05-01&statedTo=2021-03-31'), 400)
  t.equal(reversed.type, '/problems/invalid-request')
  t.match(reversed.detail, /statedFrom \(2021-05-01\) is after statedTo \(2021-03-31\)/)
  t.same(reversed.errors?.map((error) => error.field), ['/statedFrom', '/statedTo'])
})

t.test('sort=value and sort=-value order by the decimal value', async (t) => {
  const ascending = await list('/v1/metrics?sort=value')
  t.same(ascending.data.map((observation) => observation.value), valuesAscending)
  t.equal(ascending.data[0]?.value, 3)
  t.equal(ascending.data.at(-1)?.metric.code, 'hysteroscopy_surgeries.cumulative')
  const descending = await list('/v1/metrics?sort=-value')
  t.same(descending.data.map((observation) => observation.value), [...valuesAscending].reverse())
  t.equal(descending.data[0]?.value, 100000)
  t.equal(descending.data.at(-1)?.value, 3)
})

t.test('sort=-statedOn puts the latest first and still keeps undated figures last', async (t) => {
  const body = await list('/v1/metrics?sort=-statedOn')
  t.same(body.data.map((observation) => observation.statedOn), [
    '2021-04-27', '2021-04-27', ...Array<string>(17).fill('2021-03-03'), null
  ])
})

t.test('sort by updatedAt and createdAt, both directions', async (t) => {
  // The seed writes every figure at once, so these keys tie; the id tie-break must still give a total order.
  const byUpdate = (await list('/v1/metrics?sort=updatedAt')).data.map((observation) => observation.updatedAt)
  t.same(byUpdate, [...byUpdate].sort())
  const byUpdateDescending = (await list('/v1/metrics?sort=-updatedAt')).data.map((observation) => observation.updatedAt)
  t.same(byUpdateDescending, [...byUpdate].sort().reverse())
  for (const sort of ['createdAt', '-createdAt']) {
    const body = await list(`/v1/metrics?sort=${sort}`)
    t.equal(body.data.length, 20, sort)
  }
})

t.test('walking the pages yields every figure exactly once, for every sort and direction', async (t) => {
  for (const sort of ['statedOn', '-statedOn', 'value', '-value', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']) {
    const { rows, pages } = await walk(t, `/v1/metrics?limit=3&sort=${sort}`)
    t.equal(pages, 7, `${sort}: 20 figures in pages of 3`)
    t.equal(rows.length, 20, sort)
    t.equal(new Set(rows.map((observation) => observation.id)).size, 20, `${sort}: no figure repeated`)
    const whole = await list(`/v1/metrics?sort=${sort}`)
    t.same(rows.map((observation) => observation.id), whole.data.map((observation) => observation.id), `${sort}: same order as one page`)
  }
  const values = (await walk(t, '/v1/metrics?limit=2&sort=value')).rows.map((observation) => observation.value)
  t.same(values, valuesAscending, 'the four tied 3s straddle a page boundary without loss')
  const filtered = await walk(t, '/v1/metrics?limit=2&category=staffing')
  t.same(filtered.rows.map((observation) => observation.metric.code).sort(), staffCodes, 'filters hold on every page')
})

t.test('count=true adds the number of matching figures', async (t) => {
  const all = await list('/v1/metrics?count=true&limit=5')
  t.equal(all.page.total, 20)
  t.equal(all.data.length, 5)
  t.type(all.page.nextCursor, 'string')
  const response = await app.inject(`/v1/metrics?count=true&limit=2&comparator=${encodeURIComponent('>')}`)
  t.equal(response.json<ObservationPage>().page.total, 4)
  t.match(response.headers.link, /^<\/v1\/metrics\?count=true&limit=2&comparator=%3E&cursor=[^>]+>; rel="next"$/)
  t.notOk((await list('/v1/metrics')).page.total, 'no total unless asked')
})

t.test('cursors are signed and bound to their sort', async (t) => {
  const first = await list('/v1/metrics?limit=5&sort=value')
  const cursor = first.page.nextCursor!
  const [body, signature] = cursor.split('.') as [string, string]
  const tampered = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${signature}`
  const altered = problem(t, await app.inject(`/v1/metrics?limit=5&sort=value&cursor=${encodeURIComponent(tampered)}`), 400)
  t.match(altered, { type: '/problems/invalid-request', detail: /not one this API issued/, errors: [{ in: 'querystring', field: '/cursor' }] })
  const resorted = problem(t, await app.inject(`/v1/metrics?limit=5&sort=-value&cursor=${encodeURIComponent(cursor)}`), 400)
  t.match(resorted, { type: '/problems/invalid-request', detail: /issued for sort=value/, errors: [{ in: 'querystring', field: '/cursor' }] })
  const definitions = (await app.inject('/v1/metric-definitions?limit=5')).json<ObservationPage>()
  const foreign = problem(t, await app.inject(`/v1/metrics?cursor=${encodeURIComponent(definitions.page.nextCursor!)}`), 400)
  t.match(foreign.detail, /belongs to another list/)
})

t.test('bad query parameters are 400 problems that name the parameter', async (t) => {
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/metrics?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/metrics?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/metrics?sort=name', /sort must be one of: statedOn, -statedOn, value, -value, createdAt, -createdAt, updatedAt, -updatedAt/, '/sort'],
    ['/v1/metrics?colour=blue', /colour is not a known parameter/, '/colour'],
    ['/v1/metrics?category=finance', /category must be one of: capacity, staffing/, '/category'],
    ['/v1/metrics?periodKind=hourly', /periodKind must be one of: annual, span, cumulative, point/, '/periodKind'],
    ['/v1/metrics?comparator=%7E', /comparator must be one of: <, <=, >=, >, none/, '/comparator'],
    ['/v1/metrics?approximate=maybe', /approximate must be boolean/, '/approximate'],
    ['/v1/metrics?exact=perhaps', /exact must be boolean/, '/exact'],
    ['/v1/metrics?metric=Staff.Total', /metric must match pattern/, '/metric'],
    ['/v1/metrics?metric=staff.total,', /metric must match pattern/, '/metric'],
    ['/v1/metrics?statedFrom=2021-02-30', /statedFrom must match format "date"/, '/statedFrom'],
    ['/v1/metrics?statedTo=yesterday', /statedTo must match format "date"/, '/statedTo'],
    ['/v1/metrics?department=Not%20A%20Slug', /department must match pattern/, '/department'],
    ['/v1/metrics?cursor=bm90IGEgY3Vyc29y', /cursor is not one this API issued/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const body = problem(t, await app.inject(url), 400)
    t.equal(body.type, '/problems/invalid-request', url)
    t.equal(body.instance, url)
    t.match(body.detail, detail, `${url} detail`)
    t.ok(body.errors?.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})

t.test('a client that accepts no JSON gets a 406 problem', async (t) => {
  const body = problem(t, await app.inject({ url: '/v1/metrics', headers: { accept: 'text/html' } }), 406)
  t.equal(body.type, '/problems/not-acceptable')
})

t.test('GET /v1/departments/{slug}/metrics lists one unit\'s figures', async (t) => {
  const response = await app.inject('/v1/departments/general-gynecology/metrics?limit=100')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<ObservationPage>()
  t.equal(body.data.length, 17)
  t.ok(body.data.every((observation) => observation.department.slug === 'general-gynecology'))
  t.match(body.data.find((observation) => observation.metric.code === 'beds'), { value: 88, exact: true, source: { quote: /88 beds/ } })

  const twins = await list('/v1/departments/twins-department/metrics?sort=value')
  t.same(twins.data.map((observation) => [observation.metric.code, observation.value]), [
    ['outcome.twin_gestational_age_mean', 35.3], ['outcome.twin_preterm_survival_under_32w', 84.85]
  ])
  const alias = await app.inject('/v1/departments/obstetrics-second-department/metrics?sort=value')
  t.equal(alias.statusCode, 301, 'an alias answers with the unit\'s own URL')
  t.equal(alias.headers.location, '/v1/departments/twins-department/metrics?sort=value')
  t.same(await codes(t, 'approximate=true', '/v1/departments/medical-examination-center/metrics'), ['facility.floor_area'])
})

t.test('the per-unit list takes the same filters, sorts, paging and count', async (t) => {
  const path = '/v1/departments/general-gynecology/metrics'
  t.same(await codes(t, `comparator=${encodeURIComponent('>')}`, path), ['discharges.annual', 'outpatient_visits.annual', 'research.papers', 'surgeries.annual'])
  t.same(await codes(t, 'category=staffing', path), staffCodes)
  t.same(await codes(t, 'periodKind=cumulative', path), ['hysteroscopy_surgeries.cumulative'])
  t.same(await codes(t, 'metric=beds,staff.total', path), ['beds', 'staff.total'])
  t.equal((await codes(t, 'exact=true', path)).length, 12, '17 less the four ">" figures and the hysteroscopy total')
  t.same(await codes(t, 'statedFrom=2021-04-01', path), [])
  t.same(await codes(t, 'statedTo=2021-03-31', '/v1/departments/twins-department/metrics'), [])
  t.same(await codes(t, 'metric=beds', '/v1/departments/twins-department/metrics'), [], 'never another unit\'s figures')

  const ascending = await list(`${path}?sort=value&limit=100`)
  t.equal(ascending.data[0]?.value, 3)
  t.equal(ascending.data.at(-1)?.value, 100000)
  const descending = await list(`${path}?sort=-value&limit=100`)
  t.equal(descending.data[0]?.value, 100000)
  t.equal(descending.data.at(-1)?.value, 3)

  const { rows, pages } = await walk(t, `${path}?limit=5&sort=-value`)
  t.equal(pages, 4)
  t.equal(new Set(rows.map((observation) => observation.id)).size, 17)
  t.same(rows.map((observation) => observation.id), descending.data.map((observation) => observation.id))
  t.equal((await list(`${path}?count=true&limit=1`)).page.total, 17)
})

t.test('the per-unit list: 404 for a missing unit, 400 for bad input', async (t) => {
  const missing = problem(t, await app.inject('/v1/departments/cardiology/metrics'), 404)
  t.match(missing, { type: '/problems/not-found', status: 404, detail: /cardiology/, instance: '/v1/departments/cardiology/metrics' })
  const filteredMissing = problem(t, await app.inject('/v1/departments/cardiology/metrics?category=staffing'), 404)
  t.equal(filteredMissing.type, '/problems/not-found', 'a missing unit is a 404 even with filters, never an empty page')

  const cases: Array<[string, string, string]> = [
    ['/v1/departments/Bad_Slug/metrics', 'params', '/slug'],
    ['/v1/departments/general-gynecology/metrics?department=twins-department', 'querystring', '/department'],
    ['/v1/departments/general-gynecology/metrics?hospital=cqhcwc', 'querystring', '/hospital'],
    ['/v1/departments/general-gynecology/metrics?sort=code', 'querystring', '/sort'],
    ['/v1/departments/general-gynecology/metrics?limit=101', 'querystring', '/limit'],
    ['/v1/departments/general-gynecology/metrics?statedFrom=2021-04-01&statedTo=2021-03-01', 'querystring', '/statedFrom'],
    ['/v1/departments/cardiology/metrics?statedFrom=2021-04-01&statedTo=2021-03-01', 'querystring', '/statedFrom']
  ]
  for (const [url, where, field] of cases) {
    const body = problem(t, await app.inject(url), 400)
    t.equal(body.type, '/problems/invalid-request', url)
    t.ok(body.errors?.some((error) => error.in === where && error.field === field), `${url} names ${field}`)
  }

  const first = await list('/v1/departments/general-gynecology/metrics?limit=5&sort=value')
  const resorted = problem(t, await app.inject(`/v1/departments/general-gynecology/metrics?sort=statedOn&cursor=${encodeURIComponent(first.page.nextCursor!)}`), 400)
  t.match(resorted.detail, /issued for sort=value/)
})
