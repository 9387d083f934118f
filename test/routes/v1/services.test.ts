import t from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

// Expectations are read off seed/facts.ts by hand.

interface Service {
  id: string
  slug: string
  name: string
  kind: string
  description: string | null
  department: { slug: string, name: string, kind: string }
  source: { id: string, title: string, statedOn: string | null, quote: string }
  updatedAt: string
}
interface ServicePage { data: Service[], page: { limit: number, nextCursor: string | null, total?: number } }

const gynecologyPage = 'General Gynecology Department'
const twinsNews = "CQHCWC's specialized department for twins recognized nationally"
const examinationPage = 'Medical Examination Center and Cancer Screening Center'

/** Every service, by name (the default sort). */
const byName = [
  'cancer-risk-screening', // Cancer risk screening
  'conservative-treatment', // Conservative treatment
  'feto', // Fetoscopic endoluminal tracheal occlusion (FETO)
  'health-care', // Health care
  'health-consultation', // Health consultation
  'health-management', // Health management
  'hysteroscopic-surgery', // Hysteroscopic surgeries
  'twin-fetal-intrauterine-surgery', // Intrauterine surgery for twin fetuses
  'laparoscopic-surgery', // Laparoscopic surgeries
  'laparotomy', // Laparotomies
  'long-term-follow-up-archives', // Long-term follow-up archives
  'giraffe-shuttle-newborn-transport', // Newborn rescue transport with the Giraffe Shuttle
  'one-stop-perinatal-management', // One-stop perinatal full-process management for twin babies
  'personalized-tumor-risk-screening', // Personalized tumor risk screening programs
  'physical-examination', // Physical examination
  'chronic-disease-management', // Post-examination chronic disease management
  'twin-pregnancy-outpatient-clinic', // Standardized outpatient clinic for twin pregnancy
  'twin-specialist-management', // Systematic specialist treatment and management for twins
  'transvaginal-surgery' // Transvaginal surgeries
]

const bySlug = [
  'cancer-risk-screening', 'chronic-disease-management', 'conservative-treatment', 'feto', 'giraffe-shuttle-newborn-transport',
  'health-care', 'health-consultation', 'health-management', 'hysteroscopic-surgery', 'laparoscopic-surgery', 'laparotomy',
  'long-term-follow-up-archives', 'one-stop-perinatal-management', 'personalized-tumor-risk-screening', 'physical-examination',
  'transvaginal-surgery', 'twin-fetal-intrauterine-surgery', 'twin-pregnancy-outpatient-clinic', 'twin-specialist-management'
]

async function list (url: string): Promise<ServicePage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<ServicePage>()
}

async function slugs (url: string): Promise<string[]> {
  return (await list(url)).data.map((service) => service.slug)
}

/** Follows nextCursor from `url` to the end; returns every row in the order served and the number of pages. */
async function walk (url: string): Promise<{ rows: Service[], pages: number }> {
  const rows: Service[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const body: ServicePage = await list(cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`)
    rows.push(...body.data)
    cursor = body.page.nextCursor
    pages++
  } while (cursor !== null && pages < 50)
  return { rows, pages }
}

t.test('GET /v1/services lists the 19 seeded services by name, each with its source sentence', async (t) => {
  const response = await app.inject('/v1/services')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.notOk(response.headers.link)
  const body = response.json<ServicePage>()
  t.same(body.data.map((service) => service.slug), byName)
  t.same(body.page, { limit: 20, nextCursor: null })
  for (const service of body.data) {
    t.ok(service.source.quote.length > 0, `${service.slug} quotes its source`)
    t.ok([gynecologyPage, twinsNews, examinationPage].includes(service.source.title), `${service.slug} names its document`)
  }

  const find = (slug: string): Service => body.data.find((service) => service.slug === slug)!
  t.match(find('laparoscopic-surgery'), {
    name: 'Laparoscopic surgeries',
    kind: 'procedure',
    description: null,
    department: { slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department' },
    source: { title: gynecologyPage, statedOn: '2021-03-03', quote: 'Laparoscopic surgeries;' }
  })
  t.match(find('feto'), {
    kind: 'procedure',
    description: /most difficult surgery in fetal intrauterine treatment/,
    department: { slug: 'perinatal-medical-center', kind: 'center' },
    source: { title: twinsNews, statedOn: '2021-04-27', quote: /In 2020, the center completed the fetoscopic endoluminal tracheal occlusion \(FETO\)/ }
  })
  t.match(find('giraffe-shuttle-newborn-transport'), { kind: 'transport', source: { quote: /Giraffe Shuttle/ } })
  t.match(find('health-care'), { department: { slug: 'medical-examination-center' }, source: { title: examinationPage, statedOn: null } })
  t.match(find('cancer-risk-screening').id, /^[0-9a-f-]{36}$/)
})

t.test('filters by department, by slug or alias', async (t) => {
  t.same(await slugs('/v1/services?department=general-gynecology'), [
    'conservative-treatment', 'hysteroscopic-surgery', 'laparoscopic-surgery', 'laparotomy', 'transvaginal-surgery'
  ])
  const twins = ['twin-pregnancy-outpatient-clinic', 'twin-specialist-management']
  t.same(await slugs('/v1/services?department=twins-department'), twins)
  t.same(await slugs('/v1/services?department=obstetrics-second-department'), twins, 'the alias finds the same unit')
  t.same(await slugs('/v1/services?department=perinatal-medical-center'), [
    'feto', 'twin-fetal-intrauterine-surgery', 'giraffe-shuttle-newborn-transport', 'one-stop-perinatal-management'
  ])
  t.same(await slugs('/v1/services?department=medical-examination-center'), [
    'cancer-risk-screening', 'health-care', 'health-consultation', 'health-management', 'long-term-follow-up-archives',
    'personalized-tumor-risk-screening', 'physical-examination', 'chronic-disease-management'
  ])
  t.same(await slugs('/v1/services?department=women-health-care-division'), [])
  t.same(await slugs('/v1/services?department=cardiology'), [], 'an unknown unit matches nothing')
})

t.test('filters by hospital (the unit\'s) and kind', async (t) => {
  t.same(await slugs('/v1/services?hospital=cqhcwc'), byName)
  t.same(await slugs('/v1/services?hospital=another-hospital'), [])

  t.same(await slugs('/v1/services?kind=procedure'), [
    'feto', 'hysteroscopic-surgery', 'twin-fetal-intrauterine-surgery', 'laparoscopic-surgery', 'laparotomy', 'transvaginal-surgery'
  ])
  t.same(await slugs('/v1/services?kind=screening'), ['cancer-risk-screening', 'personalized-tumor-risk-screening', 'physical-examination'])
  t.same(await slugs('/v1/services?kind=treatment'), ['conservative-treatment'])
  t.same(await slugs('/v1/services?kind=clinic'), ['twin-pregnancy-outpatient-clinic'])
  t.same(await slugs('/v1/services?kind=consultation'), ['health-consultation'])
  t.same(await slugs('/v1/services?kind=transport'), ['giraffe-shuttle-newborn-transport'])
  t.equal((await slugs('/v1/services?kind=management')).length, 6)

  t.same(await slugs('/v1/services?department=medical-examination-center&kind=management&hospital=cqhcwc'), [
    'health-care', 'health-management', 'long-term-follow-up-archives', 'chronic-disease-management'
  ], 'filters combine')
})

t.test('sorts by name, slug and updatedAt in both directions', async (t) => {
  t.same(await slugs('/v1/services?sort=name'), byName)
  t.same(await slugs('/v1/services?sort=-name'), [...byName].reverse())
  t.same(await slugs('/v1/services?sort=slug'), bySlug)
  t.same(await slugs('/v1/services?sort=-slug'), [...bySlug].reverse())
  for (const sort of ['updatedAt', '-updatedAt']) {
    const body = await list(`/v1/services?sort=${sort}`)
    const times = body.data.map((service) => Date.parse(service.updatedAt))
    t.same(times, [...times].sort((a, b) => sort === 'updatedAt' ? a - b : b - a), `sort=${sort}`)
    t.equal(body.data.length, 19)
  }
})

t.test('count=true adds the number of matching services', async (t) => {
  t.same((await list('/v1/services?count=true')).page, { limit: 20, nextCursor: null, total: 19 })
  const screening = await list('/v1/services?kind=screening&count=true&limit=1')
  t.equal(screening.data.length, 1)
  t.equal(screening.page.total, 3)
  t.notOk('total' in (await list('/v1/services')).page, 'no total unless asked')
})

t.test('walking the pages with limit=3 yields every service exactly once, in order', async (t) => {
  const first = await app.inject('/v1/services?limit=3&department=medical-examination-center')
  const { page } = first.json<ServicePage>()
  t.equal(first.headers.link,
    `</v1/services?limit=3&department=medical-examination-center&cursor=${encodeURIComponent(page.nextCursor!)}>; rel="next"`,
    'the next link keeps the filters')

  const { rows, pages } = await walk('/v1/services?limit=3')
  t.equal(pages, 7)
  t.same(rows.map((service) => service.slug), byName)

  for (const [sort, expected] of [['-name', [...byName].reverse()], ['slug', bySlug], ['-slug', [...bySlug].reverse()]] as const) {
    const walked = await walk(`/v1/services?limit=3&sort=${sort}`)
    t.same(walked.rows.map((service) => service.slug), expected, `sort=${sort}`)
  }
  const byUpdate = await walk('/v1/services?limit=3&sort=updatedAt')
  t.equal(new Set(byUpdate.rows.map((service) => service.id)).size, 19, 'sort=updatedAt: every service once')
  t.equal(byUpdate.rows.length, 19)

  const examination = await walk('/v1/services?limit=3&department=medical-examination-center')
  t.equal(examination.pages, 3)
  t.equal(examination.rows.length, 8)
  t.ok(examination.rows.every((service) => service.department.slug === 'medical-examination-center'), 'the filter holds on every page')
})

t.test('fields trims each service to the fields asked for', async (t) => {
  const body = (await app.inject('/v1/services?fields=name,department&kind=transport')).json<{ data: Array<Record<string, unknown>> }>()
  t.same(body.data, [{
    id: body.data[0]?.id,
    name: 'Newborn rescue transport with the Giraffe Shuttle',
    department: { slug: 'perinatal-medical-center', name: 'Perinatal Medical Center', kind: 'center' }
  }])
})

t.test('bad query parameters are 400 problems that say what was wrong', async (t) => {
  const cursor = (await list('/v1/services?limit=3')).page.nextCursor!
  const [body, signature] = cursor.split('.') as [string, string]
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/services?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/services?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/services?sort=kind', /sort must be one of: name, -name, slug, -slug, updatedAt, -updatedAt/, '/sort'],
    ['/v1/services?kind=surgery', /kind must be one of: procedure, treatment, clinic/, '/kind'],
    ['/v1/services?hospital=CQHCWC', /hospital must match pattern/, '/hospital'],
    ['/v1/services?fields=name,price', /Unknown fields "price"/, '/fields'],
    ['/v1/services?unit=feto', /unit is not a known parameter/, '/unit'],
    [`/v1/services?limit=3&cursor=${encodeURIComponent(`${body}.${signature.slice(1)}A`)}`, /cursor is not one this API issued/, '/cursor'],
    [`/v1/services?limit=3&sort=slug&cursor=${encodeURIComponent(cursor)}`, /cursor was issued for sort=name/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${url} content type`)
    const problem = response.json<{ type: string, detail: string, instance: string, errors: Array<{ in: string, field: string }> }>()
    t.equal(problem.type, '/problems/invalid-request', url)
    t.equal(problem.instance, url)
    t.match(problem.detail, detail, `${url} detail`)
    t.ok(problem.errors.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})
