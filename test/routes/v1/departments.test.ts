import t from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

interface Department { slug: string, name: string, kind: string, parent: { slug: string } | null, aliases: Array<{ slug: string }>, source: { quote: string }, links: { self: string } }
interface Observation { metric: { code: string, unit: string }, value: number, comparator: string | null, approximate: boolean, exact: boolean, statedValue: string, period: { kind: string, duration: string | null, label: string | null }, statedOn: string | null, source: { id: string, title: string, quote: string } }

t.test('GET /v1/departments lists the five seeded units', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/v1/departments' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<{ data: Department[], page: { limit: number, nextCursor: string | null } }>()
  t.same(body.data.map((unit) => unit.slug).sort(), [
    'general-gynecology', 'medical-examination-center', 'perinatal-medical-center', 'twins-department', 'women-health-care-division'
  ])
  t.same(body.page, { limit: 20, nextCursor: null })
  const gynecology = body.data.find((unit) => unit.slug === 'general-gynecology')!
  t.equal(gynecology.kind, 'department')
  t.equal(gynecology.parent?.slug, 'women-health-care-division')
  t.equal(gynecology.links.self, '/v1/departments/general-gynecology')
  t.match(gynecology.source.quote, /General Gynecology Department/)
  const twins = body.data.find((unit) => unit.slug === 'twins-department')!
  t.same(twins.aliases.map((alias) => alias.slug), ['obstetrics-second-department'])
})

t.test('filters by kind, parent and hospital', async (t) => {
  const centers = (await app.inject('/v1/departments?kind=center')).json<{ data: Department[] }>()
  t.same(centers.data.map((unit) => unit.slug), ['medical-examination-center', 'perinatal-medical-center'])
  const children = (await app.inject('/v1/departments?parent=women-health-care-division')).json<{ data: Department[] }>()
  t.same(children.data.map((unit) => unit.slug), ['general-gynecology'])
  const none = (await app.inject('/v1/departments?hospital=another-hospital')).json<{ data: Department[] }>()
  t.same(none.data, [])
  const ours = (await app.inject('/v1/departments?hospital=cqhcwc')).json<{ data: Department[] }>()
  t.equal(ours.data.length, 5)
})

t.test('walking the pages with the cursor yields every unit exactly once', async (t) => {
  const seen: string[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const url: string = cursor === null ? '/v1/departments?limit=2' : `/v1/departments?limit=2&cursor=${encodeURIComponent(cursor)}`
    const response = await app.inject(url)
    t.equal(response.statusCode, 200)
    const body = response.json<{ data: Department[], page: { limit: number, nextCursor: string | null } }>()
    t.ok(body.data.length <= 2)
    seen.push(...body.data.map((unit) => unit.slug))
    cursor = body.page.nextCursor
    pages++
  } while (cursor !== null)
  t.equal(pages, 3)
  t.same(seen, [...seen].sort(), 'in slug order')
  t.equal(new Set(seen).size, 5)
  t.equal(seen.length, 5)
})

t.test('bad query parameters are 400 problems that say what was wrong', async (t) => {
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/departments?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/departments?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/departments?limit=ten', /limit must be integer/, '/limit'],
    ['/v1/departments?kind=ward', /kind must be one of: division, department, center/, '/kind'],
    ['/v1/departments?sort=bogus', /sort must be one of: slug, -slug, name, -name/, '/sort'],
    ['/v1/departments?include=metrics,secrets', /Unknown include "secrets"; allowed: children, metrics/, '/include'],
    ['/v1/departments?fields=name,password', /Unknown fields "password"/, '/fields'],
    ['/v1/departments?colour=blue', /colour is not a known parameter/, '/colour'],
    ['/v1/departments?parent=Not%20A%20Slug', /parent must match pattern/, '/parent'],
    ['/v1/departments?cursor=bm90IGEgY3Vyc29y', /cursor is not one this API issued/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${url} content type`)
    const problem = response.json<{ type: string, title: string, status: number, detail: string, instance: string, errors: Array<{ in: string, field: string }> }>()
    t.equal(problem.type, '/problems/invalid-request')
    t.equal(problem.status, 400)
    t.equal(problem.instance, url)
    t.match(problem.detail, detail, `${url} detail`)
    t.ok(problem.errors.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})

t.test('GET /v1/departments/{slug} returns the unit with its figures, qualifiers and sources', async (t) => {
  const response = await app.inject('/v1/departments/general-gynecology')
  t.equal(response.statusCode, 200)
  const body = response.json<Department & { children: Department[], metrics: Observation[] }>()
  t.equal(body.name, 'General Gynecology Department')
  t.same(body.children, [])
  const metric = (code: string): Observation => body.metrics.find((observation) => observation.metric.code === code)!
  t.equal(body.metrics.length, 17, 'every figure of the department page')

  t.match(metric('beds'), { value: 88, comparator: null, approximate: false, exact: true, statedOn: '2021-03-03', period: { kind: 'point' } })
  t.match(metric('outpatient_visits.annual'), {
    value: 30000, comparator: '>', approximate: false, exact: false, statedValue: 'more than 30,000',
    period: { kind: 'annual', duration: 'P1Y', label: 'average annual' }
  })
  t.match(metric('hysteroscopy_surgeries.cumulative'), { value: 100000, comparator: '<', approximate: true, exact: false, statedValue: 'nearly 100,000' })
  t.match(metric('research.papers'), { value: 40, comparator: '>', period: { kind: 'span', duration: 'P3Y', label: 'in the past three years' } })
  t.match(metric('staff.total'), { value: 61, exact: true })
  t.match(metric('staff.doctors'), { value: 21 })
  t.match(metric('staff.nurses'), { value: 36 })
  const beds = metric('beds')
  t.equal(beds.source.title, 'General Gynecology Department')
  t.match(beds.source.quote, /88 beds/)
  t.match(beds.source.id, /^[0-9a-f-]{36}$/)
})

t.test('the division lists its department as a child; the twins figures keep their decimals', async (t) => {
  const division = (await app.inject('/v1/departments/women-health-care-division')).json<{ children: Array<{ slug: string, kind: string }> }>()
  t.same(division.children, [{ slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department' }])
  const twins = (await app.inject('/v1/departments/twins-department')).json<{ metrics: Observation[] }>()
  t.same(twins.metrics.map((observation) => [observation.metric.code, observation.value]).sort(), [
    ['outcome.twin_gestational_age_mean', 35.3],
    ['outcome.twin_preterm_survival_under_32w', 84.85]
  ])
  const center = (await app.inject('/v1/departments/medical-examination-center')).json<{ metrics: Observation[] }>()
  t.match(center.metrics, [{ metric: { code: 'facility.floor_area', unit: 'm2' }, value: 3000, approximate: true, comparator: null, statedOn: null }])
})

t.test('an alias redirects to the canonical unit', async (t) => {
  const response = await app.inject('/v1/departments/obstetrics-second-department')
  t.equal(response.statusCode, 301)
  t.equal(response.headers.location, '/v1/departments/twins-department')
})

t.test('an unknown slug is a 404 problem; a malformed one a 400', async (t) => {
  const missing = await app.inject('/v1/departments/cardiology')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.match(missing.json(), { type: '/problems/not-found', status: 404, detail: /cardiology/, instance: '/v1/departments/cardiology' })
  const malformed = await app.inject('/v1/departments/Bad_Slug')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/slug' }] })
})
