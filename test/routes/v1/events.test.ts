import t, { type Test } from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

// Expectations are read off seed/facts.ts by hand.

interface Event {
  id: string
  slug: string
  title: string
  description: string | null
  kind: string
  year: number | null
  occurredOn: string | null
  datePrecision: string
  hospital: { slug: string }
  department: { slug: string, kind: string } | null
  source: { id: string, title: string, statedOn: string | null, quote: string }
  updatedAt: string
}
interface EventPage { data: Event[], page: { limit: number, nextCursor: string | null, total?: number } }

const gynecologyPage = 'General Gynecology Department'
const twinsNews = "CQHCWC's specialized department for twins recognized nationally"
const examinationPage = 'Medical Examination Center and Cancer Screening Center'

/** The dated events, oldest first. */
const chronological = [
  'medical-examination-center-established', // 2007
  'general-gynecology-municipal-specialty-approved', // 2009
  'twins-department-set-up', // 2016
  'perinatal-medical-center-established', // 2018
  'perinatal-feto-completed' // 2020
]
/** The events whose date the sources do not state; they come last, in id order (ids are random). */
const undated = ['giraffe-shuttle', 'twins-department-recognized-by-cmcha']

const byTitle = [
  'perinatal-feto-completed', // Fetoscopic endoluminal tracheal occlusion (FETO) completed
  'general-gynecology-municipal-specialty-approved', // General Gynecology approved …
  'medical-examination-center-established', // Medical Examination Center and Cancer Screening Center established
  'giraffe-shuttle', // Only hospital in China with the Giraffe Shuttle
  'perinatal-medical-center-established', // Perinatal Medical Center established …
  'twins-department-set-up', // Specialized department for twins set up
  'twins-department-recognized-by-cmcha' // Twins department recognized …
]

async function list (url: string): Promise<EventPage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<EventPage>()
}

async function slugs (url: string): Promise<string[]> {
  return (await list(url)).data.map((event) => event.slug)
}

/** Dated events in the expected order, then the undated ones (any order), as the API must serve them. */
function expectTimeline (t: Test, served: string[], dated: string[], label: string): void {
  t.same(served.slice(0, dated.length), dated, `${label}: dated events in order`)
  t.same(served.slice(dated.length).sort(), undated, `${label}: undated events last`)
}

t.test('GET /v1/events lists the 7 seeded events chronologically, undated last', async (t) => {
  const response = await app.inject('/v1/events')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<EventPage>()
  t.same(body.page, { limit: 20, nextCursor: null })
  expectTimeline(t, body.data.map((event) => event.slug), chronological, 'default sort')
  for (const event of body.data) {
    t.ok(event.source.quote.length > 0, `${event.slug} quotes its source`)
    t.ok([gynecologyPage, twinsNews, examinationPage].includes(event.source.title), `${event.slug} names its document`)
  }

  const find = (slug: string): Event => body.data.find((event) => event.slug === slug)!
  t.match(find('perinatal-medical-center-established'), {
    title: 'Perinatal Medical Center established with the University of Magdeburg, Germany',
    description: /University of Magdeburg in Germany/,
    kind: 'partnership',
    year: 2018,
    occurredOn: '2018-01-01',
    datePrecision: 'year',
    hospital: { slug: 'cqhcwc', name: 'Chongqing Health Center for Women and Children', shortName: 'CQHCWC' },
    department: { slug: 'perinatal-medical-center', name: 'Perinatal Medical Center', kind: 'center' },
    source: { title: twinsNews, statedOn: '2021-04-27', quote: /In 2018, CQHCWC joined hands with the University of Magdeburg in Germany/ }
  })
  t.match(find('perinatal-feto-completed'), {
    title: 'Fetoscopic endoluminal tracheal occlusion (FETO) completed',
    kind: 'milestone',
    year: 2020,
    occurredOn: '2020-01-01',
    datePrecision: 'year',
    department: { slug: 'perinatal-medical-center' },
    source: { title: twinsNews, quote: /In 2020, the center completed the fetoscopic endoluminal tracheal occlusion \(FETO\)/ }
  })
  t.match(find('giraffe-shuttle'), {
    title: 'Only hospital in China with the Giraffe Shuttle',
    kind: 'equipment',
    year: null,
    occurredOn: null,
    datePrecision: 'unknown',
    hospital: { slug: 'cqhcwc' },
    department: null,
    source: { title: twinsNews, quote: /only one in China that boasts the Giraffe Shuttle/ }
  })
  t.match(find('medical-examination-center-established'), { kind: 'founding', year: 2007, source: { title: examinationPage, statedOn: null } })
  t.match(find('general-gynecology-municipal-specialty-approved'), { kind: 'designation', year: 2009, source: { title: gynecologyPage } })
  t.match(find('twins-department-set-up').id, /^[0-9a-f-]{36}$/)
})

t.test('filters by department (slug or alias), hospital and kind', async (t) => {
  t.same(await slugs('/v1/events?department=perinatal-medical-center'), ['perinatal-medical-center-established', 'perinatal-feto-completed'])
  t.same(await slugs('/v1/events?department=general-gynecology'), ['general-gynecology-municipal-specialty-approved'])
  const twins = ['twins-department-set-up', 'twins-department-recognized-by-cmcha']
  t.same(await slugs('/v1/events?department=twins-department'), twins)
  t.same(await slugs('/v1/events?department=obstetrics-second-department'), twins, 'the alias finds the same unit')
  t.same(await slugs('/v1/events?department=cardiology'), [], 'an unknown unit matches nothing')

  expectTimeline(t, await slugs('/v1/events?hospital=cqhcwc'), chronological, 'hospital=cqhcwc')
  t.same(await slugs('/v1/events?hospital=another-hospital'), [])

  t.same(await slugs('/v1/events?kind=partnership'), ['perinatal-medical-center-established'])
  t.same(await slugs('/v1/events?kind=founding'), ['medical-examination-center-established', 'twins-department-set-up'])
  t.same(await slugs('/v1/events?kind=milestone'), ['perinatal-feto-completed'])
  t.same(await slugs('/v1/events?kind=equipment'), ['giraffe-shuttle'])
  t.same(await slugs('/v1/events?kind=recognition'), ['twins-department-recognized-by-cmcha'])
  t.same(await slugs('/v1/events?kind=founding&department=twins-department'), ['twins-department-set-up'], 'filters combine')
})

t.test('filters by an inclusive year range, leaving out undated events', async (t) => {
  t.same(await slugs('/v1/events?yearFrom=2009&yearTo=2009'), ['general-gynecology-municipal-specialty-approved'])
  t.same(await slugs('/v1/events?yearFrom=2018'), ['perinatal-medical-center-established', 'perinatal-feto-completed'])
  t.same(await slugs('/v1/events?yearTo=2009'), ['medical-examination-center-established', 'general-gynecology-municipal-specialty-approved'])
  t.same(await slugs('/v1/events?yearFrom=2000&yearTo=2030'), chronological)
  t.same(await slugs('/v1/events?yearFrom=2021'), [])
  t.same(await slugs('/v1/events?yearFrom=2016&department=obstetrics-second-department'), ['twins-department-set-up'])

  const response = await app.inject('/v1/events?yearFrom=2020&yearTo=2018')
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json(), {
    type: '/problems/invalid-request',
    detail: /yearFrom \(2020\) is after yearTo \(2018\)/,
    errors: [{ in: 'querystring', field: '/yearFrom' }]
  })
})

t.test('sorts by occurredOn, year, title and updatedAt in both directions; undated events stay last', async (t) => {
  const reversed = [...chronological].reverse()
  expectTimeline(t, await slugs('/v1/events?sort=occurredOn'), chronological, 'sort=occurredOn')
  expectTimeline(t, await slugs('/v1/events?sort=-occurredOn'), reversed, 'sort=-occurredOn')
  expectTimeline(t, await slugs('/v1/events?sort=year'), chronological, 'sort=year')
  expectTimeline(t, await slugs('/v1/events?sort=-year'), reversed, 'sort=-year')
  t.same(await slugs('/v1/events?sort=title'), byTitle)
  t.same(await slugs('/v1/events?sort=-title'), [...byTitle].reverse())
  for (const sort of ['updatedAt', '-updatedAt']) {
    const body = await list(`/v1/events?sort=${sort}`)
    const times = body.data.map((event) => Date.parse(event.updatedAt))
    t.same(times, [...times].sort((a, b) => sort === 'updatedAt' ? a - b : b - a), `sort=${sort}`)
    t.equal(body.data.length, 7)
  }
})

t.test('count=true adds the number of matching events', async (t) => {
  t.same((await list('/v1/events?count=true')).page, { limit: 20, nextCursor: null, total: 7 })
  t.equal((await list('/v1/events?yearFrom=2010&count=true&limit=1')).page.total, 3)
})

t.test('walking the pages yields every event exactly once, across the undated ones', async (t) => {
  for (const sort of ['occurredOn', '-occurredOn', 'year', '-year', 'title', 'updatedAt']) {
    const onePage = await slugs(`/v1/events?sort=${sort}`)
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const url: string = `/v1/events?limit=2&sort=${sort}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
      const response = await app.inject(url)
      t.equal(response.statusCode, 200, url)
      const body = response.json<EventPage>()
      seen.push(...body.data.map((event) => event.slug))
      cursor = body.page.nextCursor
      pages++
    } while (cursor !== null && pages < 20)
    t.equal(pages, 4, `sort=${sort}`)
    t.same(seen, onePage, `sort=${sort}: the same order as one page, each event once`)
    t.equal(new Set(seen).size, 7)
  }
})

t.test('fields trims each event to the fields asked for', async (t) => {
  const body = (await app.inject('/v1/events?fields=year,datePrecision&kind=partnership')).json<{ data: Array<Record<string, unknown>> }>()
  t.same(body.data, [{ id: body.data[0]?.id, year: 2018, datePrecision: 'year' }])
})

t.test('bad query parameters are 400 problems that say what was wrong', async (t) => {
  const cursor = (await list('/v1/events?limit=2')).page.nextCursor!
  const honors = (await app.inject('/v1/honors?limit=2')).json<{ page: { nextCursor: string } }>()
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/events?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/events?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/events?sort=date', /sort must be one of: occurredOn, -occurredOn, year, -year, title, -title, updatedAt, -updatedAt/, '/sort'],
    ['/v1/events?kind=party', /kind must be one of: founding, designation, partnership/, '/kind'],
    ['/v1/events?yearFrom=999', /yearFrom must be >= 1000/, '/yearFrom'],
    ['/v1/events?yearTo=2018.5', /yearTo must be integer/, '/yearTo'],
    ['/v1/events?department=Perinatal', /department must match pattern/, '/department'],
    ['/v1/events?fields=when', /Unknown fields "when"/, '/fields'],
    ['/v1/events?occurredOn=2018-01-01', /occurredOn is not a known parameter/, '/occurredOn'],
    ['/v1/events?cursor=abc', /cursor is not one this API issued/, '/cursor'],
    [`/v1/events?limit=2&sort=year&cursor=${encodeURIComponent(cursor)}`, /cursor was issued for sort=occurredOn/, '/cursor'],
    [`/v1/events?limit=2&cursor=${encodeURIComponent(honors.page.nextCursor)}`, /cursor belongs to another list/, '/cursor']
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
