import t from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

// Expectations are read off seed/facts.ts by hand.

interface Honor {
  id: string
  slug: string
  title: string
  kind: string
  issuer: string | null
  level: string | null
  year: number | null
  statedOn: string | null
  hospital: { slug: string }
  department: { slug: string, kind: string } | null
  source: { id: string, title: string, statedOn: string | null, quote: string }
  updatedAt: string
}
interface HonorPage { data: Honor[], page: { limit: number, nextCursor: string | null, total?: number } }

const gynecologyPage = 'General Gynecology Department'
const twinsNews = "CQHCWC's specialized department for twins recognized nationally"
const examinationPage = 'Medical Examination Center and Cancer Screening Center'

/** Every honor, by title (the default sort). */
const byTitle = [
  'twins-first-standardized-management-institution-chongqing', // Chongqing's first and only …
  'medical-examination-lung-cancer-screening-collaborator', // Collaborating unit …
  'medical-examination-southwest-alliance-council', // Council member …
  'general-gynecology-key-department', // Key department of the hospital
  'general-gynecology-hysteroscopy-leader', // Leading the municipality …
  'perinatal-german-class-i-standard', // Meets the German Class I standard …
  'general-gynecology-municipal-specialty', // Municipal-level medical specialty department
  'medical-examination-stroke-collaborative-unit', // National collaborative unit …
  'medical-examination-health-management-demonstration-base', // National health management …
  'perinatal-most-fetal-surgical-methods', // One of the fetal medical centers …
  'cqhcwc-only-giraffe-shuttle-china', // Only hospital in China …
  'perinatal-only-feto-center-china', // Only perinatal center …
  'medical-examination-only-professional-institution-chongqing', // Only professional …
  'twins-standardized-management-pilot-unit', // Pilot unit …
  'twins-standardized-outpatient-department', // Standardized outpatient department …
  'general-gynecology-resident-training-base' // Standardized training base …
]

async function list (url: string): Promise<HonorPage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<HonorPage>()
}

async function slugs (url: string): Promise<string[]> {
  return (await list(url)).data.map((honor) => honor.slug)
}

/** Follows nextCursor from `url` to the end; returns every row in the order served and the number of pages. */
async function walk (url: string): Promise<{ rows: Honor[], pages: number }> {
  const rows: Honor[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const body: HonorPage = await list(cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`)
    rows.push(...body.data)
    cursor = body.page.nextCursor
    pages++
  } while (cursor !== null && pages < 50)
  return { rows, pages }
}

t.test('GET /v1/honors lists the 16 seeded honors by title, each with its source sentence', async (t) => {
  const response = await app.inject('/v1/honors')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.notOk(response.headers.link, 'a single page has no next link')
  const body = response.json<HonorPage>()
  t.same(body.data.map((honor) => honor.slug), byTitle)
  t.same(body.page, { limit: 20, nextCursor: null })
  for (const honor of body.data) {
    t.ok(honor.source.quote.length > 0, `${honor.slug} quotes its source`)
    t.ok([gynecologyPage, twinsNews, examinationPage].includes(honor.source.title), `${honor.slug} names its document`)
  }

  const specialty = body.data.find((honor) => honor.slug === 'general-gynecology-municipal-specialty')!
  t.match(specialty, {
    title: 'Municipal-level medical specialty department',
    kind: 'designation',
    issuer: null,
    level: 'municipal',
    year: 2009,
    statedOn: '2021-03-03',
    hospital: { slug: 'cqhcwc', name: 'Chongqing Health Center for Women and Children', shortName: 'CQHCWC' },
    department: { slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department' },
    source: { title: gynecologyPage, statedOn: '2021-03-03', quote: /approved as a municipal-level medical specialty department in 2009/ }
  })
  t.match(specialty.id, /^[0-9a-f-]{36}$/)
  t.match(specialty.source.id, /^[0-9a-f-]{36}$/)

  const giraffe = body.data.find((honor) => honor.slug === 'cqhcwc-only-giraffe-shuttle-china')!
  t.match(giraffe, {
    kind: 'distinction',
    level: 'national',
    year: null,
    statedOn: '2021-04-27',
    department: null,
    source: { title: twinsNews, quote: /only one in China that boasts the Giraffe Shuttle/ }
  })
  const screening = body.data.find((honor) => honor.slug === 'medical-examination-lung-cancer-screening-collaborator')!
  t.match(screening, { kind: 'membership', level: null, statedOn: null, source: { title: examinationPage, statedOn: null } })
})

t.test('filters by department, by slug or alias', async (t) => {
  t.same(await slugs('/v1/honors?department=general-gynecology'), [
    'general-gynecology-key-department',
    'general-gynecology-hysteroscopy-leader',
    'general-gynecology-municipal-specialty',
    'general-gynecology-resident-training-base'
  ])
  const twins = [
    'twins-first-standardized-management-institution-chongqing',
    'twins-standardized-management-pilot-unit',
    'twins-standardized-outpatient-department'
  ]
  t.same(await slugs('/v1/honors?department=twins-department'), twins)
  t.same(await slugs('/v1/honors?department=obstetrics-second-department'), twins, 'the alias finds the same unit')
  t.same(await slugs('/v1/honors?department=women-health-care-division'), [], 'the division itself has none')
  t.same(await slugs('/v1/honors?department=cardiology'), [], 'an unknown unit matches nothing')
})

t.test('filters by hospital', async (t) => {
  t.equal((await slugs('/v1/honors?hospital=cqhcwc')).length, 16)
  t.same(await slugs('/v1/honors?hospital=another-hospital'), [])
})

t.test('filters by issuer, ignoring case, as a substring', async (t) => {
  const association = ['twins-standardized-management-pilot-unit', 'twins-standardized-outpatient-department']
  t.same(await slugs(`/v1/honors?issuer=${encodeURIComponent('China Maternal and Child Health Association')}`), association)
  t.same(await slugs(`/v1/honors?issuer=${encodeURIComponent('maternal AND child')}`), association)
  t.same(await slugs('/v1/honors?issuer=alliance'), ['medical-examination-southwest-alliance-council'])
  t.same(await slugs('/v1/honors?issuer=cqhcwc'), ['general-gynecology-key-department'])
  t.same(await slugs('/v1/honors?issuer=ministry'), [])
  // "%", "_" and a backslash are literal text here, not LIKE pattern characters.
  t.same(await slugs('/v1/honors?issuer=%25'), [])
  t.same(await slugs('/v1/honors?issuer=_'), [])
  t.same(await slugs('/v1/honors?issuer=%5C'), [])
  t.same(await slugs('/v1/honors?issuer=child%25association'), [])
})

t.test('filters by level and kind', async (t) => {
  t.same(await slugs('/v1/honors?level=national'), [
    'medical-examination-stroke-collaborative-unit',
    'medical-examination-health-management-demonstration-base',
    'perinatal-most-fetal-surgical-methods',
    'cqhcwc-only-giraffe-shuttle-china',
    'perinatal-only-feto-center-china',
    'twins-standardized-management-pilot-unit',
    'twins-standardized-outpatient-department'
  ])
  t.same(await slugs('/v1/honors?level=municipal'), [
    'twins-first-standardized-management-institution-chongqing',
    'general-gynecology-hysteroscopy-leader',
    'general-gynecology-municipal-specialty',
    'medical-examination-only-professional-institution-chongqing',
    'general-gynecology-resident-training-base'
  ])
  t.same(await slugs('/v1/honors?level=international'), ['perinatal-german-class-i-standard'])
  t.same(await slugs('/v1/honors?level=regional'), ['medical-examination-southwest-alliance-council'])
  t.same(await slugs('/v1/honors?level=institutional'), ['general-gynecology-key-department'])
  t.same(await slugs('/v1/honors?level=provincial'), [])

  t.same(await slugs('/v1/honors?kind=accreditation'), ['perinatal-german-class-i-standard', 'twins-standardized-outpatient-department'])
  t.same(await slugs('/v1/honors?kind=membership'), [
    'medical-examination-lung-cancer-screening-collaborator', 'medical-examination-southwest-alliance-council'
  ])
  t.equal((await slugs('/v1/honors?kind=distinction')).length, 6)
  t.equal((await slugs('/v1/honors?kind=designation')).length, 6)
  t.same(await slugs('/v1/honors?kind=recognition'), [])

  t.same(await slugs('/v1/honors?department=perinatal-medical-center&level=national'), [
    'perinatal-most-fetal-surgical-methods', 'perinatal-only-feto-center-china'
  ], 'filters combine')
})

t.test('filters by an inclusive year range, leaving out honors with no stated year', async (t) => {
  t.same(await slugs('/v1/honors?yearFrom=2009&yearTo=2009'), ['general-gynecology-municipal-specialty'])
  t.same(await slugs('/v1/honors?yearFrom=2010'), ['perinatal-german-class-i-standard'])
  t.same(await slugs('/v1/honors?yearTo=2017'), ['general-gynecology-municipal-specialty'])
  t.same(await slugs('/v1/honors?yearFrom=2009&yearTo=2018'), ['perinatal-german-class-i-standard', 'general-gynecology-municipal-specialty'])
  t.same(await slugs('/v1/honors?yearFrom=2019'), [])

  const response = await app.inject('/v1/honors?yearFrom=2019&yearTo=2009')
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), {
    type: '/problems/invalid-request',
    status: 400,
    detail: /yearFrom \(2019\) is after yearTo \(2009\)/,
    instance: '/v1/honors?yearFrom=2019&yearTo=2009',
    errors: [{ in: 'querystring', field: '/yearFrom' }]
  })
})

t.test('hospitalWide separates honors of the hospital as a whole from those of its units', async (t) => {
  const whole = await list('/v1/honors?hospitalWide=true')
  t.same(whole.data.map((honor) => honor.slug), ['cqhcwc-only-giraffe-shuttle-china'])
  t.equal(whole.data[0]?.department, null)
  const units = await list('/v1/honors?hospitalWide=false')
  t.equal(units.data.length, 15)
  t.ok(units.data.every((honor) => honor.department !== null))
  t.same(await slugs('/v1/honors?hospitalWide=true&department=general-gynecology'), [])
})

t.test('sorts by title, year and updatedAt in both directions', async (t) => {
  t.same(await slugs('/v1/honors?sort=title'), byTitle)
  t.same(await slugs('/v1/honors?sort=-title'), [...byTitle].reverse())

  // Only two honors state a year; the rest follow them in either direction.
  const byYear = await list('/v1/honors?sort=year')
  t.same(byYear.data.slice(0, 2).map((honor) => [honor.slug, honor.year]), [
    ['general-gynecology-municipal-specialty', 2009], ['perinatal-german-class-i-standard', 2018]
  ])
  t.ok(byYear.data.slice(2).every((honor) => honor.year === null))
  t.equal(byYear.data.length, 16)
  const byYearDescending = await list('/v1/honors?sort=-year')
  t.same(byYearDescending.data.slice(0, 2).map((honor) => honor.year), [2018, 2009])
  t.ok(byYearDescending.data.slice(2).every((honor) => honor.year === null))

  for (const sort of ['updatedAt', '-updatedAt']) {
    const body = await list(`/v1/honors?sort=${sort}`)
    const times = body.data.map((honor) => Date.parse(honor.updatedAt))
    const ordered = [...times].sort((a, b) => sort === 'updatedAt' ? a - b : b - a)
    t.same(times, ordered, `sort=${sort}`)
    t.equal(body.data.length, 16)
  }
})

t.test('count=true adds the number of matching honors', async (t) => {
  t.same((await list('/v1/honors?count=true')).page, { limit: 20, nextCursor: null, total: 16 })
  const national = await list('/v1/honors?level=national&count=true&limit=3')
  t.equal(national.data.length, 3)
  t.equal(national.page.total, 7)
  t.notOk('total' in (await list('/v1/honors')).page, 'no total unless asked')
})

t.test('walking the pages with limit=3 yields every honor exactly once, in order', async (t) => {
  const first = await app.inject('/v1/honors?limit=3')
  const { page } = first.json<HonorPage>()
  t.equal(first.headers.link, `</v1/honors?limit=3&cursor=${encodeURIComponent(page.nextCursor!)}>; rel="next"`)

  const { rows, pages } = await walk('/v1/honors?limit=3')
  t.equal(pages, 6)
  t.same(rows.map((honor) => honor.slug), byTitle)

  // Keyset paging across the nulls: the two dated honors, then the 14 undated ones, none lost or repeated.
  for (const sort of ['year', '-year', '-title', 'updatedAt']) {
    const walked = await walk(`/v1/honors?limit=3&sort=${sort}`)
    t.equal(walked.rows.length, 16, `sort=${sort}`)
    t.equal(new Set(walked.rows.map((honor) => honor.id)).size, 16, `sort=${sort} repeats nothing`)
    t.same(walked.rows.map((honor) => honor.slug), (await slugs(`/v1/honors?sort=${sort}`)), `sort=${sort} same order as one page`)
  }

  const national = await walk('/v1/honors?level=national&limit=3')
  t.equal(national.pages, 3)
  t.equal(national.rows.length, 7)
  t.ok(national.rows.every((honor) => honor.level === 'national'), 'the filter holds on every page')
})

t.test('fields trims each honor to the fields asked for', async (t) => {
  const body = (await app.inject('/v1/honors?fields=title,year&yearFrom=2009&yearTo=2009')).json<{ data: Array<Record<string, unknown>> }>()
  t.same(Object.keys(body.data[0]!).sort(), ['id', 'title', 'year'])
  t.match(body.data[0], { title: 'Municipal-level medical specialty department', year: 2009 })
})

t.test('bad query parameters are 400 problems that say what was wrong', async (t) => {
  const firstPage = await list('/v1/honors?limit=3')
  const cursor = firstPage.page.nextCursor!
  const [body, signature] = cursor.split('.') as [string, string]
  const forged = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace('"s":"title"', '"s":"-title"')).toString('base64url')
  const services = (await app.inject('/v1/services?limit=3')).json<{ page: { nextCursor: string } }>()

  const cases: Array<[string, RegExp, string]> = [
    ['/v1/honors?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/honors?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/honors?sort=issuer', /sort must be one of: title, -title, year, -year, updatedAt, -updatedAt/, '/sort'],
    ['/v1/honors?level=galactic', /level must be one of: institutional, municipal/, '/level'],
    ['/v1/honors?kind=trophy', /kind must be one of: designation, accreditation/, '/kind'],
    ['/v1/honors?hospitalWide=maybe', /hospitalWide must be boolean/, '/hospitalWide'],
    ['/v1/honors?yearFrom=last', /yearFrom must be integer/, '/yearFrom'],
    ['/v1/honors?yearTo=99999', /yearTo must be <= 9999/, '/yearTo'],
    ['/v1/honors?issuer=', /issuer must NOT have fewer than 1 characters/, '/issuer'],
    ['/v1/honors?department=General%20Gynecology', /department must match pattern/, '/department'],
    ['/v1/honors?fields=title,secret', /Unknown fields "secret"/, '/fields'],
    ['/v1/honors?awarded=2009', /awarded is not a known parameter/, '/awarded'],
    [`/v1/honors?limit=3&cursor=${encodeURIComponent(`${body}x.${signature}`)}`, /cursor is not one this API issued/, '/cursor'],
    [`/v1/honors?limit=3&sort=-title&cursor=${encodeURIComponent(`${forged}.${signature}`)}`, /cursor is not one this API issued/, '/cursor'],
    [`/v1/honors?limit=3&sort=-title&cursor=${encodeURIComponent(cursor)}`, /cursor was issued for sort=title/, '/cursor'],
    [`/v1/honors?cursor=${encodeURIComponent(services.page.nextCursor)}&sort=name`, /sort must be one of/, '/sort'],
    [`/v1/honors?cursor=${encodeURIComponent(services.page.nextCursor)}`, /cursor belongs to another list/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${url} content type`)
    const problem = response.json<{ type: string, status: number, detail: string, instance: string, errors: Array<{ in: string, field: string }> }>()
    t.equal(problem.type, '/problems/invalid-request', url)
    t.equal(problem.instance, url)
    t.match(problem.detail, detail, `${url} detail`)
    t.ok(problem.errors.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})

t.test('a client that accepts no JSON gets a 406 problem', async (t) => {
  const response = await app.inject({ url: '/v1/honors', headers: { accept: 'text/csv' } })
  t.equal(response.statusCode, 406)
  t.match(response.json(), { type: '/problems/not-acceptable' })
})
