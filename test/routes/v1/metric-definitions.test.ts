import t, { type Test } from 'tap'
import { buildTestApp } from '../../helper.ts'

// Expected values are read off seed/facts.ts by hand: 20 metric definitions, two of them twin outcomes (the only
// non-additive ones) and six staff counts.

const app = await buildTestApp(t)

interface MetricDefinition { id: string, code: string, name: string, description: string, unit: string, unitLabel: string, category: string, additive: boolean, version: number, updatedAt: string }
interface DefinitionPage { data: MetricDefinition[], page: { limit: number, nextCursor: string | null, total?: number } }
interface Problem { type: string, status: number, detail: string, instance: string, errors?: Array<{ in: string, field: string }> }

const codesInOrder = [
  'beds', 'discharges.annual', 'facility.floor_area', 'hysteroscopy_surgeries.cumulative',
  'outcome.twin_gestational_age_mean', 'outcome.twin_preterm_survival_under_32w', 'outpatient_visits.annual',
  'research.papers', 'research.patents', 'research.projects', 'research.sci_papers',
  'staff.associate_senior_title', 'staff.doctors', 'staff.md_degree', 'staff.nurses', 'staff.senior_title', 'staff.total',
  'surgeries.annual', 'training.hysteroscopy_courses', 'training.hysteroscopy_trainees'
]
const twinCodes = ['outcome.twin_gestational_age_mean', 'outcome.twin_preterm_survival_under_32w']

async function list (url: string): Promise<DefinitionPage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<DefinitionPage>()
}

async function codes (query: string): Promise<string[]> {
  return (await list(`/v1/metric-definitions?limit=100&${query}`)).data.map((definition) => definition.code)
}

function problem (t: Test, response: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, status: number): Problem {
  t.equal(response.statusCode, status)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  return response.json() as Problem
}

t.test('GET /v1/metric-definitions lists the 20 definitions by code', async (t) => {
  const response = await app.inject('/v1/metric-definitions')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<DefinitionPage>()
  t.same(body.data.map((definition) => definition.code), codesInOrder)
  t.same(body.page, { limit: 20, nextCursor: null })
  t.match(body.data.find((definition) => definition.code === 'outcome.twin_preterm_survival_under_32w'), {
    name: 'Survival of premature twins under 32 weeks', unit: '%', unitLabel: 'percent', category: 'outcome', additive: false, version: 1
  })
})

t.test('category and additive filters', async (t) => {
  t.same(await codes('category=outcome'), twinCodes)
  t.same(await codes('category=staffing'), codesInOrder.filter((code) => code.startsWith('staff.')))
  t.same(await codes('category=facility'), ['facility.floor_area'])
  t.same(await codes('additive=false'), twinCodes)
  t.same(await codes('additive=true'), codesInOrder.filter((code) => !twinCodes.includes(code)))
  t.same(await codes('category=outcome&additive=true'), [], 'both filters apply')
})

t.test('sorts: code (default), name and updatedAt, both directions', async (t) => {
  t.same(await codes('sort=code'), codesInOrder)
  t.same(await codes('sort=-code'), [...codesInOrder].reverse())
  const byName = (await list('/v1/metric-definitions?sort=name')).data.map((definition) => definition.name)
  t.equal(byName[0], 'Annual discharges')
  t.equal(byName.at(-1), 'Total staff')
  const byNameDescending = (await list('/v1/metric-definitions?sort=-name')).data.map((definition) => definition.name)
  t.equal(byNameDescending[0], 'Total staff')
  t.equal(byNameDescending.at(-1), 'Annual discharges')
  t.same(byNameDescending, [...byName].reverse())
  // The seed writes every definition at once, so updatedAt ties; the order must still hold and list each once.
  const byUpdate = (await list('/v1/metric-definitions?sort=updatedAt')).data.map((definition) => definition.updatedAt)
  t.same(byUpdate, [...byUpdate].sort())
  const byUpdateDescending = await list('/v1/metric-definitions?sort=-updatedAt')
  t.equal(new Set(byUpdateDescending.data.map((definition) => definition.id)).size, 20)
})

t.test('walking the pages yields every definition exactly once, in order', async (t) => {
  for (const sort of ['code', '-code', 'name', '-name', 'updatedAt', '-updatedAt']) {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const url: string = `/v1/metric-definitions?limit=6&sort=${sort}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
      const response = await app.inject(url)
      t.equal(response.statusCode, 200, url)
      const body = response.json<DefinitionPage>()
      seen.push(...body.data.map((definition) => definition.code))
      cursor = body.page.nextCursor
      if (cursor === null) t.notOk(response.headers.link)
      else t.match(response.headers.link, /^<\/v1\/metric-definitions\?limit=6&sort=[^&]+&cursor=[^>]+>; rel="next"$/)
      pages++
    } while (cursor !== null)
    t.equal(pages, 4, `${sort}: 20 definitions in pages of 6`)
    t.same(seen, await codes(`sort=${sort}`), `${sort}: each once, in the order of one page`)
  }
  t.same(await codes('sort=code'), codesInOrder)
})

t.test('count=true adds the number of matching definitions', async (t) => {
  const all = await list('/v1/metric-definitions?count=true&limit=3')
  t.equal(all.page.total, 20)
  t.equal(all.data.length, 3)
  t.equal((await list('/v1/metric-definitions?count=true&category=staffing')).page.total, 6)
  t.notOk((await list('/v1/metric-definitions')).page.total, 'no total unless asked')
})

t.test('bad query parameters and cursors are 400 problems', async (t) => {
  const first = await list('/v1/metric-definitions?limit=5')
  const cursor = first.page.nextCursor!
  const [body, signature] = cursor.split('.') as [string, string]
  const tampered = `${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}.${signature}`
  const metrics = await list('/v1/metrics?limit=5')
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/metric-definitions?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/metric-definitions?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/metric-definitions?sort=value', /sort must be one of: code, -code, name, -name, updatedAt, -updatedAt/, '/sort'],
    ['/v1/metric-definitions?category=finance', /category must be one of: capacity, staffing/, '/category'],
    ['/v1/metric-definitions?additive=sometimes', /additive must be boolean/, '/additive'],
    ['/v1/metric-definitions?unit=m2', /unit is not a known parameter/, '/unit'],
    [`/v1/metric-definitions?limit=5&cursor=${encodeURIComponent(tampered)}`, /not one this API issued/, '/cursor'],
    [`/v1/metric-definitions?limit=5&sort=-code&cursor=${encodeURIComponent(cursor)}`, /issued for sort=code/, '/cursor'],
    [`/v1/metric-definitions?cursor=${encodeURIComponent(metrics.page.nextCursor!)}`, /belongs to another list/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const problemBody = problem(t, await app.inject(url), 400)
    t.equal(problemBody.type, '/problems/invalid-request', url)
    t.equal(problemBody.instance, url)
    t.match(problemBody.detail, detail, `${url} detail`)
    t.ok(problemBody.errors?.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})

t.test('GET /v1/metric-definitions/{code} returns one definition with Last-Modified', async (t) => {
  const response = await app.inject('/v1/metric-definitions/staff.total')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const definition = response.json<MetricDefinition>()
  t.match(definition, {
    code: 'staff.total', name: 'Total staff', description: 'Number of staff members in the unit.',
    unit: '{person}', unitLabel: 'persons', category: 'staffing', additive: true, version: 1
  })
  t.match(definition.id, /^[0-9a-f-]{36}$/)
  t.equal(response.headers['last-modified'], new Date(definition.updatedAt).toUTCString())
  t.ok(response.headers.etag)

  const twins = (await app.inject('/v1/metric-definitions/outcome.twin_gestational_age_mean')).json<MetricDefinition>()
  t.match(twins, { name: 'Mean gestational age of twins', unit: 'wk', unitLabel: 'weeks', category: 'outcome', additive: false })
  const beds = (await app.inject('/v1/metric-definitions/beds')).json<MetricDefinition>()
  t.match(beds, { unit: '{bed}', category: 'capacity' })
})

t.test('a missing code is a 404 problem; a malformed one or an unknown parameter a 400', async (t) => {
  const missing = problem(t, await app.inject('/v1/metric-definitions/staff.interns'), 404)
  t.match(missing, { type: '/problems/not-found', status: 404, detail: /staff\.interns/, instance: '/v1/metric-definitions/staff.interns' })
  for (const code of ['Staff.Total', 'staff-total', 'staff..total', '.beds']) {
    const malformed = problem(t, await app.inject(`/v1/metric-definitions/${code}`), 400)
    t.match(malformed, { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/code' }] }, code)
  }
  const unknown = problem(t, await app.inject('/v1/metric-definitions/beds?include=observations'), 400)
  t.match(unknown, { type: '/problems/invalid-request', errors: [{ in: 'querystring', field: '/include' }] })
})
