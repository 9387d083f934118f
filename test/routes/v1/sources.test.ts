import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import { buildTestApp, nextDataChange } from '../../helper.ts'

const app = await buildTestApp(t)

interface Source {
  id: string, fileName: string, title: string, kind: string, statedOn: string | null, breadcrumb: string | null,
  sha256: string, version: number, updatedAt: string, links: { self: string }
}
interface SourcePage { data: Source[], page: { limit: number, nextCursor: string | null, total?: number } }
interface SourceReference { id: string, title: string, statedOn: string | null, quote: string }
interface Fact { slug?: string, updatedAt?: string, department?: { slug: string } | null, condition?: { slug: string }, source: SourceReference }
interface SourceDetail extends Source {
  fullText: string
  facts: {
    departments: Array<{ slug: string, name: string, kind: string }>
    observations: Array<Fact & { metric: { code: string }, department: { slug: string } }>
    honors: Fact[]
    services: Fact[]
    conditions: Array<Fact & { condition: { slug: string }, department: { slug: string } }>
    events: Fact[]
    news: Fact[]
  }
}
interface Problem { type: string, status: number, detail: string, instance: string, errors?: Array<{ in: string, field: string }> }

const doc000 = '000_5a20198f4fdda1e4.txt'
const doc001 = '001_57199530afde975d.txt'
const doc002 = '002_d22dcd341c396f53.txt'
const fixture = '003_fixture_annual_report.txt'

// A fourth document that backs nothing, undated like 002 and with an id after every random one, so a statedOn
// sort has two nulls to order by id, and a detail has nothing to list.
const fixtureText = 'Annual report.\n'
await app.prisma.sourceDocument.create({
  data: {
    id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    fileName: fixture,
    title: 'Annual report',
    kind: 'news_article',
    statedOn: null,
    breadcrumb: null,
    fullText: fixtureText,
    sha256: createHash('sha256').update(fixtureText).digest('hex'),
    updatedAt: new Date('2001-01-01T00:00:00Z')
  }
})

const fileNames = (body: SourcePage): string[] => body.data.map((source) => source.fileName)

async function sourceId (fileName: string): Promise<string> {
  const list = (await app.inject('/v1/sources?limit=100')).json<SourcePage>()
  return list.data.find((source) => source.fileName === fileName)!.id
}

t.test('GET /v1/sources lists the documents in file-name order, without their text', async (t) => {
  const response = await app.inject('/v1/sources')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<SourcePage>()
  t.same(fileNames(body), [doc000, doc001, doc002, fixture])
  t.same(body.page, { limit: 20, nextCursor: null })
  const [gynecology, twins, examination] = body.data
  t.match(gynecology, { title: 'General Gynecology Department', kind: 'department_page', statedOn: '2021-03-03', breadcrumb: 'Home>Women Health Care Division', version: 1 })
  t.match(twins, { title: "CQHCWC's specialized department for twins recognized nationally", kind: 'news_article', statedOn: '2021-04-27', breadcrumb: 'Home>Related News' })
  t.match(examination, { title: 'Medical Examination Center and Cancer Screening Center', kind: 'center_page', statedOn: null, breadcrumb: null })
  for (const source of body.data) {
    t.match(source.sha256, /^[0-9a-f]{64}$/)
    t.equal(source.links.self, `/v1/sources/${source.id}`)
    t.notOk('fullText' in source, `${source.fileName}: a list item has no full text`)
  }
})

t.test('filters by kind', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['department_page', [doc000]],
    ['center_page', [doc002]],
    ['news_article', [doc001, fixture]]
  ]
  for (const [kind, expected] of cases) {
    const response = await app.inject(`/v1/sources?kind=${kind}`)
    t.equal(response.statusCode, 200, kind)
    t.same(fileNames(response.json<SourcePage>()), expected, `kind=${kind}`)
  }
})

t.test('sorts by fileName, title, statedOn (undated last either way) and updatedAt', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['fileName', [doc000, doc001, doc002, fixture]],
    ['-fileName', [fixture, doc002, doc001, doc000]],
    // Annual…, CQHCWC's…, General…, Medical…
    ['title', [fixture, doc001, doc000, doc002]],
    ['-title', [doc002, doc000, doc001, fixture]],
    // 2021-03-03, 2021-04-27, then the two undated documents by id (the fixture's id is the largest possible).
    ['statedOn', [doc000, doc001, doc002, fixture]],
    ['-statedOn', [doc001, doc000, doc002, fixture]]
  ]
  for (const [sort, expected] of cases) {
    const response = await app.inject(`/v1/sources?sort=${sort}`)
    t.equal(response.statusCode, 200, sort)
    t.same(fileNames(response.json<SourcePage>()), expected, `sort=${sort}`)
  }
  // The seed writes its three documents in one run, so only the fixture (dated 2001) has a known place.
  const ascending = (await app.inject('/v1/sources?sort=updatedAt')).json<SourcePage>().data
  const descending = (await app.inject('/v1/sources?sort=-updatedAt')).json<SourcePage>().data
  t.equal(ascending[0]!.fileName, fixture, 'oldest first')
  t.equal(descending.at(-1)!.fileName, fixture, 'oldest last')
  for (const [list, direction] of [[ascending, 1], [descending, -1]] as const) {
    for (let i = 1; i < list.length; i++) {
      const step = Date.parse(list[i]!.updatedAt) - Date.parse(list[i - 1]!.updatedAt)
      t.ok(step * direction >= 0, `updatedAt ${direction > 0 ? 'ascending' : 'descending'} at ${i}`)
      if (step === 0) t.ok(list[i - 1]!.id < list[i]!.id, `ties broken by id at ${i}`)
    }
  }
})

t.test('walking the pages yields every document exactly once, across the undated ones too', async (t) => {
  const expected: Record<string, string[]> = {
    fileName: [doc000, doc001, doc002, fixture],
    statedOn: [doc000, doc001, doc002, fixture],
    '-statedOn': [doc001, doc000, doc002, fixture],
    '-title': [doc002, doc000, doc001, fixture]
  }
  for (const [sort, order] of Object.entries(expected)) {
    const seen: string[] = []
    let url: string | null = `/v1/sources?limit=1&sort=${sort}`
    let pages = 0
    while (url !== null) {
      const response = await app.inject(url)
      t.equal(response.statusCode, 200, url)
      const body = response.json<SourcePage>()
      seen.push(...fileNames(body))
      pages++
      const link = response.headers.link as string | undefined
      if (body.page.nextCursor === null) {
        t.notOk(link)
        url = null
      } else {
        t.match(link, /^<\/v1\/sources\?limit=1&sort=[^&]+&cursor=[^>]+>; rel="next"$/)
        url = /^<([^>]+)>/.exec(link!)![1]!
      }
    }
    t.equal(pages, 4, `sort=${sort}: one page per document`)
    t.same(seen, order, `sort=${sort}: every document once, in order`)
  }
})

t.test('count=true adds the number of matching documents', async (t) => {
  t.equal((await app.inject('/v1/sources?count=true')).json<SourcePage>().page.total, 4)
  const news = (await app.inject('/v1/sources?count=true&kind=news_article&limit=1')).json<SourcePage>()
  t.equal(news.page.total, 2)
  t.equal(news.data.length, 1)
})

t.test('bad query parameters and cursors are 400 problems that say what was wrong', async (t) => {
  const cursor = (await app.inject('/v1/sources?limit=1&sort=title')).json<SourcePage>().page.nextCursor!
  const tampered = cursor.slice(0, -1) + (cursor.endsWith('A') ? 'B' : 'A')
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/sources?kind=blog_post', /kind must be one of: department_page, center_page, news_article/, '/kind'],
    ['/v1/sources?sort=bogus', /sort must be one of: fileName, -fileName, title, -title, statedOn, -statedOn, updatedAt, -updatedAt/, '/sort'],
    ['/v1/sources?sort=kind', /sort must be one of/, '/sort'],
    ['/v1/sources?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/sources?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/sources?q=twins', /q is not a known parameter/, '/q'],
    ['/v1/sources?cursor=bm90IGEgY3Vyc29y', /cursor is not one this API issued/, '/cursor'],
    [`/v1/sources?sort=title&cursor=${encodeURIComponent(tampered)}`, /or it was altered/, '/cursor'],
    [`/v1/sources?sort=-title&cursor=${encodeURIComponent(cursor)}`, /issued for sort=title/, '/cursor']
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

async function detail (t: Test, fileName: string): Promise<SourceDetail> {
  const id = await sourceId(fileName)
  const response = await app.inject(`/v1/sources/${id}`)
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.match(response.headers['last-modified'], /GMT$/)
  const body = response.json<SourceDetail>()
  t.equal(body.id, id)
  t.equal(body.fileName, fileName)
  t.equal(body.sha256, createHash('sha256').update(body.fullText).digest('hex'), 'sha256 is of the full text')
  const facts = Object.entries(body.facts).flatMap(([kind, rows]) =>
    kind === 'departments' ? [] : (rows as Fact[]).map((fact) => [kind, fact] as const))
  for (const [kind, fact] of facts) {
    t.equal(fact.source.id, id, `${kind} ${fact.slug ?? ''} is backed by this document`)
    t.ok(body.fullText.includes(fact.source.quote), `${kind} ${fact.slug ?? ''}: the quote occurs verbatim in the text`)
  }
  return body
}

t.test('GET /v1/sources/{id} for the gynecology page lists every fact it backs', async (t) => {
  const body = await detail(t, doc000)
  t.match(body.fullText, /^Home>Women Health Care Division\n\nGeneral Gynecology Department\n\nUpdated: 2021-03-03/)
  const { facts } = body
  t.same(facts.departments, [
    { slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department' },
    { slug: 'women-health-care-division', name: 'Women Health Care Division', kind: 'division' }
  ])
  t.equal(facts.observations.length, 17)
  t.ok(facts.observations.every((observation) => observation.department.slug === 'general-gynecology'))
  t.same(facts.observations.map((observation) => observation.metric.code).slice(0, 3), ['beds', 'discharges.annual', 'hysteroscopy_surgeries.cumulative'])
  t.same(facts.honors.map((honor) => honor.slug), [
    'general-gynecology-hysteroscopy-leader', 'general-gynecology-key-department',
    'general-gynecology-municipal-specialty', 'general-gynecology-resident-training-base'
  ])
  t.same(facts.services.map((service) => service.slug), [
    'conservative-treatment', 'hysteroscopic-surgery', 'laparoscopic-surgery', 'laparotomy', 'transvaginal-surgery'
  ])
  t.same(facts.conditions.map((link) => link.condition.slug), [
    'cesarean-scar-pregnancy', 'gynecological-benign-tumor', 'gynecological-malignant-tumor', 'heterotopic-pregnancy', 'intrauterine-adhesion'
  ])
  t.same(facts.events.map((event) => event.slug), ['general-gynecology-municipal-specialty-approved'])
  t.same(facts.news, [])
})

t.test('the twins news page backs units, figures, honors, services, conditions, events and the article', async (t) => {
  const { facts } = await detail(t, doc001)
  t.same(facts.departments.map((unit) => unit.slug), ['perinatal-medical-center', 'twins-department'])
  t.same(facts.observations.map((observation) => [observation.department.slug, observation.metric.code]), [
    ['twins-department', 'outcome.twin_gestational_age_mean'],
    ['twins-department', 'outcome.twin_preterm_survival_under_32w']
  ])
  t.same(facts.honors.map((honor) => honor.slug), [
    'cqhcwc-only-giraffe-shuttle-china', 'perinatal-german-class-i-standard', 'perinatal-most-fetal-surgical-methods',
    'perinatal-only-feto-center-china', 'twins-first-standardized-management-institution-chongqing',
    'twins-standardized-management-pilot-unit', 'twins-standardized-outpatient-department'
  ])
  t.equal(facts.honors[0]!.department, null, 'a hospital-wide honor has no department')
  t.same(facts.services.map((service) => service.slug), [
    'feto', 'giraffe-shuttle-newborn-transport', 'one-stop-perinatal-management', 'twin-fetal-intrauterine-surgery',
    'twin-pregnancy-outpatient-clinic', 'twin-specialist-management'
  ])
  t.same(facts.conditions.map((link) => [link.department.slug, link.condition.slug]), [
    ['perinatal-medical-center', 'fetal-disease'], ['twins-department', 'twin-pregnancy']
  ])
  // Dated events in date order, then the undated ones by slug.
  t.same(facts.events.map((event) => event.slug), [
    'twins-department-set-up', 'perinatal-medical-center-established', 'perinatal-feto-completed',
    'giraffe-shuttle', 'twins-department-recognized-by-cmcha'
  ])
  t.equal(facts.news.length, 1)
  t.match(facts.news[0], { slug: 'twins-department-recognized-nationally', publishedOn: '2021-04-27', links: { self: '/v1/news/twins-department-recognized-nationally' } })
  t.notOk('body' in facts.news[0]!, 'news appear as summaries')
})

t.test('the undated examination center page backs one unit and its facts', async (t) => {
  const body = await detail(t, doc002)
  t.equal(body.statedOn, null)
  const { facts } = body
  t.same(facts.departments.map((unit) => unit.slug), ['medical-examination-center'])
  t.match(facts.observations, [{ metric: { code: 'facility.floor_area' }, value: 3000, approximate: true, statedOn: null, source: { statedOn: null } }])
  t.equal(facts.observations.length, 1)
  t.equal(facts.honors.length, 5)
  t.equal(facts.services.length, 8)
  t.same(facts.conditions.map((link) => link.condition.slug), ['cancer', 'lung-cancer', 'stroke'])
  t.same(facts.events.map((event) => event.slug), ['medical-examination-center-established'])
  t.same(facts.news, [])
})

t.test('a document that backs nothing lists no facts, and its Last-Modified is its own', async (t) => {
  const response = await app.inject('/v1/sources/ffffffff-ffff-4fff-bfff-ffffffffffff')
  t.equal(response.statusCode, 200)
  t.equal(response.headers['last-modified'], 'Mon, 01 Jan 2001 00:00:00 GMT')
  const body = response.json<SourceDetail>()
  t.equal(body.fullText, fixtureText)
  t.same(body.facts, { departments: [], observations: [], honors: [], services: [], conditions: [], events: [], news: [] })
})

t.test('Last-Modified follows the latest change to a fact the document backs', async (t) => {
  const id = await sourceId(doc002)
  const before = Date.parse((await app.inject(`/v1/sources/${id}`)).headers['last-modified'] as string)
  const changedAt = new Date('2099-06-01T12:00:00Z')
  // Written behind the API's back: the response cache hears of it from the database a moment after the commit.
  const heard = nextDataChange(app)
  await app.prisma.service.updateMany({ where: { slug: 'health-care', sourceId: id }, data: { updatedAt: changedAt } })
  await heard
  const after = (await app.inject(`/v1/sources/${id}`)).headers['last-modified']
  t.ok(before < changedAt.getTime())
  t.equal(after, changedAt.toUTCString())
})

t.test('an unknown id is a 404 problem; a malformed one or an unknown parameter a 400', async (t) => {
  const missing = await app.inject('/v1/sources/00000000-0000-4000-8000-000000000000')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.match(missing.json(), {
    type: '/problems/not-found', status: 404,
    detail: 'No source document has the id "00000000-0000-4000-8000-000000000000".',
    instance: '/v1/sources/00000000-0000-4000-8000-000000000000'
  })
  const malformed = await app.inject(`/v1/sources/${doc000}`)
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/id' }] })
  const unknown = await app.inject(`/v1/sources/${await sourceId(doc000)}?include=facts`)
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json(), { type: '/problems/invalid-request', detail: /include is not a known parameter/ })
})
