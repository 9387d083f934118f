import t from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

interface UnitReference { slug: string, name: string, kind: string }
interface NewsSummary {
  id: string, slug: string, title: string, publishedOn: string, summary: string | null, imageFile: string | null,
  imageCaption: string | null, hospital: { slug: string, name: string, shortName: string | null },
  departments: UnitReference[], source: { id: string, title: string, statedOn: string | null, quote: string },
  version: number, updatedAt: string, links: { self: string }
}
interface NewsArticle extends NewsSummary { body: string }
interface NewsPage { data: NewsSummary[], page: { limit: number, nextCursor: string | null, total?: number } }
interface Problem { type: string, status: number, detail: string, instance: string, errors?: Array<{ in: string, field: string, message: string }> }

const seeded = 'twins-department-recognized-nationally'
const twinsQuote = "Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins\u00a0was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy."

// The seed has one article. Three more, with fixed dates and timestamps, give the filters and sorts something to
// tell apart: one published the same day as the seeded one (with the smallest possible id, so it comes first in
// that tie), one earlier about general gynecology, one later about the examination center; the same-day one
// belongs to a second hospital.
const document001 = await app.prisma.sourceDocument.findUniqueOrThrow({ where: { fileName: '001_57199530afde975d.txt' } })
const provenance = { sourceId: document001.id, quote: 'Fixture for the news tests.' }
const unitId = async (slug: string) => (await app.prisma.unit.findUniqueOrThrow({ where: { slug } })).id
const cqhcwc = await app.prisma.hospital.findUniqueOrThrow({ where: { slug: 'cqhcwc' } })
const berlin = await app.prisma.hospital.create({
  data: { slug: 'berlin-university-hospital', name: 'University Hospital Berlin', shortName: null, city: 'Berlin', province: 'Berlin', country: 'DE', ...provenance }
})
const symposium = 'berlin-twins-symposium'
const course = 'hysteroscopy-training-course'
const openDay = 'examination-center-open-day'
await app.prisma.newsArticle.create({
  data: {
    id: '00000000-0000-4000-8000-000000000001', slug: symposium, hospitalId: berlin.id, title: 'Berlin twins symposium',
    publishedOn: new Date('2021-04-27T00:00:00Z'), body: 'A symposium.', updatedAt: new Date('2003-01-01T00:00:00Z'), ...provenance
  }
})
await app.prisma.newsArticle.create({
  data: {
    slug: course, hospitalId: cqhcwc.id, title: 'Hysteroscopy training course held', publishedOn: new Date('2020-06-01T00:00:00Z'),
    body: 'A course.', updatedAt: new Date('2001-01-01T00:00:00Z'), units: { create: [{ unitId: await unitId('general-gynecology') }] }, ...provenance
  }
})
await app.prisma.newsArticle.create({
  data: {
    slug: openDay, hospitalId: cqhcwc.id, title: 'Medical examination center open day', publishedOn: new Date('2022-01-15T00:00:00Z'),
    body: 'An open day.', updatedAt: new Date('2002-01-01T00:00:00Z'), units: { create: [{ unitId: await unitId('medical-examination-center') }] }, ...provenance
  }
})

const slugs = (body: NewsPage): string[] => body.data.map((article) => article.slug)

t.test('GET /v1/news lists summaries, newest first', async (t) => {
  const response = await app.inject('/v1/news')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<NewsPage>()
  t.same(slugs(body), [openDay, symposium, seeded, course])
  t.same(body.page, { limit: 20, nextCursor: null })
  const twins = body.data.find((article) => article.slug === seeded)!
  t.match(twins, {
    title: "CQHCWC's specialized department for twins recognized nationally",
    publishedOn: '2021-04-27',
    summary: twinsQuote,
    imageFile: '妇幼 双胎.jpg',
    imageCaption: /^Honors received by CQHCWC's specialized department for twins/,
    hospital: { slug: 'cqhcwc', name: 'Chongqing Health Center for Women and Children', shortName: 'CQHCWC' },
    source: { id: document001.id, title: "CQHCWC's specialized department for twins recognized nationally", statedOn: '2021-04-27', quote: twinsQuote },
    version: 1,
    links: { self: `/v1/news/${seeded}` }
  })
  t.same(twins.departments, [
    { slug: 'perinatal-medical-center', name: 'Perinatal Medical Center', kind: 'center' },
    { slug: 'twins-department', name: 'Specialized Department for Twins', kind: 'department' }
  ])
  for (const article of body.data) t.notOk('body' in article, `${article.slug}: a summary has no body`)
})

t.test('filters by department (slug or alias), hospital and publication date', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['department=twins-department', [seeded]],
    ['department=obstetrics-second-department', [seeded]],
    ['department=perinatal-medical-center', [seeded]],
    ['department=general-gynecology', [course]],
    ['department=women-health-care-division', []],
    ['department=cardiology', []],
    ['hospital=cqhcwc', [openDay, seeded, course]],
    ['hospital=berlin-university-hospital', [symposium]],
    ['hospital=atlantis', []],
    ['from=2021-04-27&to=2021-04-27', [symposium, seeded]],
    ['from=2020-06-01&to=2022-01-15', [openDay, symposium, seeded, course]],
    ['from=2020-06-02&to=2022-01-14', [symposium, seeded]],
    ['from=2021-04-28', [openDay]],
    ['to=2021-04-26', [course]],
    ['department=twins-department&from=2021-04-28', []],
    ['hospital=cqhcwc&from=2021-01-01&to=2021-12-31', [seeded]]
  ]
  for (const [query, expected] of cases) {
    const response = await app.inject(`/v1/news?${query}`)
    t.equal(response.statusCode, 200, query)
    t.same(slugs(response.json<NewsPage>()), expected, query)
  }
})

t.test('sorts by publishedOn, title and updatedAt in both directions; ties go by id', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['-publishedOn', [openDay, symposium, seeded, course]],
    ['publishedOn', [course, symposium, seeded, openDay]],
    // Berlin…, CQHCWC's…, Hysteroscopy…, Medical…
    ['title', [symposium, seeded, course, openDay]],
    ['-title', [openDay, course, seeded, symposium]],
    // The fixtures are dated 2001–2003; the seeded article was written when the test started.
    ['updatedAt', [course, openDay, symposium, seeded]],
    ['-updatedAt', [seeded, symposium, openDay, course]]
  ]
  for (const [sort, expected] of cases) {
    const response = await app.inject(`/v1/news?sort=${sort}`)
    t.equal(response.statusCode, 200, sort)
    t.same(slugs(response.json<NewsPage>()), expected, `sort=${sort}`)
  }
})

t.test('walking the pages yields every article exactly once, across a tie on the sort key', async (t) => {
  const expected: Record<string, string[]> = {
    '-publishedOn': [openDay, symposium, seeded, course],
    publishedOn: [course, symposium, seeded, openDay],
    title: [symposium, seeded, course, openDay]
  }
  for (const [sort, order] of Object.entries(expected)) {
    const seen: string[] = []
    let url: string | null = `/v1/news?limit=1&sort=${sort}`
    while (url !== null) {
      const response = await app.inject(url)
      t.equal(response.statusCode, 200, url)
      const body = response.json<NewsPage>()
      seen.push(...slugs(body))
      const link = response.headers.link as string | undefined
      if (body.page.nextCursor === null) {
        t.notOk(link)
        url = null
      } else {
        t.match(link, /^<\/v1\/news\?limit=1&sort=[^&]+&cursor=[^>]+>; rel="next"$/)
        url = /^<([^>]+)>/.exec(link!)![1]!
      }
    }
    t.same(seen, order, `sort=${sort}: every article once, in order`)
  }
  // Filters travel with the cursor in the next link.
  const first = await app.inject('/v1/news?hospital=cqhcwc&limit=2')
  t.match(first.headers.link, /^<\/v1\/news\?hospital=cqhcwc&limit=2&cursor=/)
  const next = (await app.inject(/^<([^>]+)>/.exec(first.headers.link as string)![1]!)).json<NewsPage>()
  t.same([...slugs(first.json<NewsPage>()), ...slugs(next)], [openDay, seeded, course])
})

t.test('count=true adds the number of matching articles', async (t) => {
  t.equal((await app.inject('/v1/news?count=true')).json<NewsPage>().page.total, 4)
  const cqhcwcNews = (await app.inject('/v1/news?count=true&hospital=cqhcwc&limit=1')).json<NewsPage>()
  t.equal(cqhcwcNews.page.total, 3)
  t.equal(cqhcwcNews.data.length, 1)
  t.equal((await app.inject('/v1/news?count=true&department=obstetrics-second-department')).json<NewsPage>().page.total, 1)
})

t.test('a range that ends before it starts is a 400 problem that names both bounds', async (t) => {
  const url = '/v1/news?from=2022-01-01&to=2021-01-01'
  const response = await app.inject(url)
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  const problem = response.json<Problem>()
  t.match(problem, {
    type: '/problems/invalid-request',
    status: 400,
    instance: url,
    detail: 'from (2022-01-01) is after to (2021-01-01); both bounds are inclusive, so from must be on or before to.'
  })
  t.same(problem.errors?.map((error) => error.field), ['/from', '/to'])
})

t.test('bad query parameters and cursors are 400 problems that say what was wrong', async (t) => {
  const cursor = (await app.inject('/v1/news?limit=1')).json<NewsPage>().page.nextCursor!
  const tampered = cursor.slice(0, -1) + (cursor.endsWith('A') ? 'B' : 'A')
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/news?from=2021-02-30', /from must match format "date"/, '/from'],
    ['/v1/news?to=20210101', /to must match format "date"/, '/to'],
    ['/v1/news?from=yesterday', /from must match format "date"/, '/from'],
    ['/v1/news?department=Twins_Department', /department must match pattern/, '/department'],
    ['/v1/news?hospital=', /hospital must NOT have fewer than 1 characters/, '/hospital'],
    ['/v1/news?sort=bogus', /sort must be one of: publishedOn, -publishedOn, title, -title, updatedAt, -updatedAt/, '/sort'],
    ['/v1/news?sort=slug', /sort must be one of/, '/sort'],
    ['/v1/news?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/news?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/news?unit=twins-department', /unit is not a known parameter/, '/unit'],
    ['/v1/news?cursor=bm90IGEgY3Vyc29y', /cursor is not one this API issued/, '/cursor'],
    [`/v1/news?cursor=${encodeURIComponent(tampered)}`, /or it was altered/, '/cursor'],
    [`/v1/news?sort=title&cursor=${encodeURIComponent(cursor)}`, /issued for sort=-publishedOn/, '/cursor']
  ]
  for (const [url, detail, field] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, `${url} content type`)
    const problem = response.json<Problem>()
    t.equal(problem.type, '/problems/invalid-request', url)
    t.equal(problem.instance, url)
    t.match(problem.detail, detail, `${url} detail`)
    t.ok(problem.errors?.some((error) => error.in === 'querystring' && error.field === field), `${url} names ${field}`)
  }
})

t.test('GET /v1/news/{slug} returns the article with its body', async (t) => {
  const response = await app.inject(`/v1/news/${seeded}`)
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const article = response.json<NewsArticle>()
  t.equal(response.headers['last-modified'], new Date(article.updatedAt).toUTCString())
  t.match(article, { slug: seeded, publishedOn: '2021-04-27', hospital: { slug: 'cqhcwc' }, source: { quote: twinsQuote } })
  t.same(article.departments.map((unit) => unit.slug), ['perinatal-medical-center', 'twins-department'])
  const paragraphs = article.body.split('\n\n')
  t.equal(paragraphs.length, 9)
  t.equal(paragraphs[0], twinsQuote)
  t.match(paragraphs[6], /^In 2020, the center completed the fetoscopic endoluminal tracheal occlusion \(FETO\)/)
  t.match(paragraphs[8], /will continue to offer compassionate services/)

  const fixture = await app.inject(`/v1/news/${symposium}`)
  t.equal(fixture.statusCode, 200)
  t.equal(fixture.headers['last-modified'], 'Wed, 01 Jan 2003 00:00:00 GMT')
  t.match(fixture.json<NewsArticle>(), { body: 'A symposium.', departments: [], hospital: { slug: 'berlin-university-hospital', shortName: null } })
})

t.test('an unknown article is a 404 problem; a malformed slug or an unknown parameter a 400', async (t) => {
  const missing = await app.inject('/v1/news/no-such-article')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.match(missing.json(), { type: '/problems/not-found', status: 404, detail: 'No news article has the slug "no-such-article".', instance: '/v1/news/no-such-article' })
  const malformed = await app.inject('/v1/news/No_Such_Article')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/slug' }] })
  const unknown = await app.inject(`/v1/news/${seeded}?fields=title`)
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), { type: '/problems/invalid-request', detail: /fields is not a known parameter/ })
})
