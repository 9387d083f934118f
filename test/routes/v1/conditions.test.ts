import t from 'tap'
import { buildTestApp, nextDataChange } from '../../helper.ts'

const app = await buildTestApp(t)

// Expectations are read off seed/facts.ts by hand.

interface ConditionLink {
  condition: { slug: string, name: string }
  department: { slug: string, name: string, kind: string }
  relation: string
  source: { id: string, title: string, statedOn: string | null, quote: string }
}
interface Condition { id: string, slug: string, name: string, departments: ConditionLink[], version: number, updatedAt: string }
interface ConditionPage { data: Condition[], page: { limit: number, nextCursor: string | null, total?: number } }

const gynecologyPage = 'General Gynecology Department'
const twinsNews = "CQHCWC's specialized department for twins recognized nationally"
const examinationPage = 'Medical Examination Center and Cancer Screening Center'

/** Every condition, by name (the default sort); by slug the order happens to be the same. */
const byName = [
  'cancer', // Cancer
  'cesarean-scar-pregnancy', // Cesarean scar pregnancy
  'fetal-disease', // Fetal disease
  'gynecological-benign-tumor', // Gynecological benign tumor
  'gynecological-malignant-tumor', // Gynecological malignant tumor
  'heterotopic-pregnancy', // Heterotopic pregnancy
  'intrauterine-adhesion', // Intrauterine adhesion
  'lung-cancer', // Lung cancer
  'stroke', // Stroke
  'twin-pregnancy' // Twin pregnancy
]

async function list (url: string): Promise<ConditionPage> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<ConditionPage>()
}

async function slugs (url: string): Promise<string[]> {
  return (await list(url)).data.map((condition) => condition.slug)
}

t.test('GET /v1/conditions lists the 10 seeded conditions with the units linked to each', async (t) => {
  const response = await app.inject('/v1/conditions')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<ConditionPage>()
  t.same(body.data.map((condition) => condition.slug), byName)
  t.same(body.page, { limit: 20, nextCursor: null })

  const links = body.data.flatMap((condition) => condition.departments)
  t.equal(links.length, 10, 'one link per seeded unit-condition row')
  for (const link of links) {
    t.ok(link.source.quote.length > 0, `${link.condition.slug} quotes its source`)
    t.ok([gynecologyPage, twinsNews, examinationPage].includes(link.source.title), `${link.condition.slug} names its document`)
  }

  const cancer = body.data.find((condition) => condition.slug === 'cancer')!
  t.equal(cancer.name, 'Cancer')
  t.match(cancer.id, /^[0-9a-f-]{36}$/)
  t.equal(cancer.version, 1)
  t.match(cancer.departments, [{
    condition: { slug: 'cancer', name: 'Cancer' },
    department: { slug: 'medical-examination-center', name: 'Medical Examination Center and Cancer Screening Center', kind: 'center' },
    relation: 'screened',
    source: { title: examinationPage, statedOn: null, quote: /The center is characterized by cancer risk screening/ }
  }])
  t.equal(cancer.departments.length, 1)

  const twins = body.data.find((condition) => condition.slug === 'twin-pregnancy')!
  t.match(twins.departments, [{
    department: { slug: 'twins-department' },
    relation: 'managed',
    source: { title: twinsNews, statedOn: '2021-04-27', quote: /first and only twin pregnancy standardized management institution/ }
  }])
})

t.test('filters by department, by slug or alias', async (t) => {
  t.same(await slugs('/v1/conditions?department=general-gynecology'), [
    'cesarean-scar-pregnancy', 'gynecological-benign-tumor', 'gynecological-malignant-tumor', 'heterotopic-pregnancy', 'intrauterine-adhesion'
  ])
  t.same(await slugs('/v1/conditions?department=obstetrics-second-department'), ['twin-pregnancy'], 'the alias finds the twins department')
  t.same(await slugs('/v1/conditions?department=twins-department'), ['twin-pregnancy'])
  t.same(await slugs('/v1/conditions?department=perinatal-medical-center'), ['fetal-disease'])
  t.same(await slugs('/v1/conditions?department=medical-examination-center'), ['cancer', 'lung-cancer', 'stroke'])
  t.same(await slugs('/v1/conditions?department=women-health-care-division'), [])
  t.same(await slugs('/v1/conditions?department=cardiology'), [], 'an unknown unit matches nothing')
})

t.test('filters by relation, alone and with a department', async (t) => {
  t.same(await slugs('/v1/conditions?relation=screened'), ['cancer', 'lung-cancer', 'stroke'])
  t.same(await slugs('/v1/conditions?relation=managed'), ['twin-pregnancy'])
  t.same(await slugs('/v1/conditions?relation=treated'), [
    'cesarean-scar-pregnancy', 'fetal-disease', 'gynecological-benign-tumor', 'gynecological-malignant-tumor',
    'heterotopic-pregnancy', 'intrauterine-adhesion'
  ])
  // Both must hold for the same link: gynecology treats, it does not screen.
  t.same(await slugs('/v1/conditions?department=general-gynecology&relation=screened'), [])
  t.same(await slugs('/v1/conditions?department=medical-examination-center&relation=screened'), ['cancer', 'lung-cancer', 'stroke'])
  t.same(await slugs('/v1/conditions?department=perinatal-medical-center&relation=treated'), ['fetal-disease'])
})

t.test('sorts by name and slug in both directions', async (t) => {
  t.same(await slugs('/v1/conditions?sort=name'), byName)
  t.same(await slugs('/v1/conditions?sort=-name'), [...byName].reverse())
  t.same(await slugs('/v1/conditions?sort=slug'), byName)
  t.same(await slugs('/v1/conditions?sort=-slug'), [...byName].reverse())
})

t.test('count=true, and walking the pages yields every condition exactly once', async (t) => {
  t.same((await list('/v1/conditions?count=true')).page, { limit: 20, nextCursor: null, total: 10 })
  t.equal((await list('/v1/conditions?relation=treated&count=true&limit=2')).page.total, 6)

  for (const sort of ['name', '-slug']) {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const url: string = `/v1/conditions?limit=3&sort=${sort}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
      const response = await app.inject(url)
      const body = response.json<ConditionPage>()
      if (body.page.nextCursor !== null) t.match(response.headers.link, /^<\/v1\/conditions\?limit=3&sort=.+&cursor=.+>; rel="next"$/)
      seen.push(...body.data.map((condition) => condition.slug))
      cursor = body.page.nextCursor
      pages++
    } while (cursor !== null && pages < 20)
    t.equal(pages, 4, `sort=${sort}`)
    t.same(seen, sort === 'name' ? byName : [...byName].reverse(), `sort=${sort}: each once, in order`)
  }
})

t.test('fields trims each condition to the fields asked for', async (t) => {
  const body = (await app.inject('/v1/conditions?fields=name&relation=managed')).json<{ data: Array<Record<string, unknown>> }>()
  t.same(body.data, [{ id: body.data[0]?.id, name: 'Twin pregnancy' }])
})

t.test('bad query parameters are 400 problems that say what was wrong', async (t) => {
  const cursor = (await list('/v1/conditions?limit=3')).page.nextCursor!
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/conditions?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/conditions?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/conditions?sort=updatedAt', /sort must be one of: name, -name, slug, -slug/, '/sort'],
    ['/v1/conditions?relation=cured', /relation must be one of: treated, managed, screened/, '/relation'],
    ['/v1/conditions?department=_', /department must match pattern/, '/department'],
    ['/v1/conditions?fields=icd10', /Unknown fields "icd10"/, '/fields'],
    ['/v1/conditions?include=departments', /include is not a known parameter/, '/include'],
    ['/v1/conditions?cursor=not.acursor', /cursor is not one this API issued/, '/cursor'],
    [`/v1/conditions?limit=3&sort=-name&cursor=${encodeURIComponent(cursor)}`, /cursor was issued for sort=name/, '/cursor']
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

t.test('GET /v1/conditions/{slug} returns the condition with its units and sources', async (t) => {
  const response = await app.inject('/v1/conditions/cesarean-scar-pregnancy')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const condition = response.json<Condition>()
  t.match(condition, {
    slug: 'cesarean-scar-pregnancy',
    name: 'Cesarean scar pregnancy',
    departments: [{
      condition: { slug: 'cesarean-scar-pregnancy', name: 'Cesarean scar pregnancy' },
      department: { slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department' },
      relation: 'treated',
      source: { title: gynecologyPage, statedOn: '2021-03-03', quote: /heterotopic pregnancy, cesarean scar pregnancy and intrauterine adhesion/ }
    }]
  })
  t.equal(condition.departments.length, 1)

  // Last-Modified is an HTTP date no earlier than the condition's own updatedAt (its links may be newer).
  const lastModified = response.headers['last-modified']
  t.match(lastModified, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
  t.ok(Date.parse(String(lastModified)) >= Math.floor(Date.parse(condition.updatedAt) / 1000) * 1000)
  const revalidated = await app.inject({ url: '/v1/conditions/cesarean-scar-pregnancy', headers: { 'if-modified-since': String(lastModified) } })
  t.equal(revalidated.statusCode, 304, 'unchanged since Last-Modified')

  // The links are part of the representation: a newer link moves Last-Modified, so the old date no longer answers 304.
  const heard = nextDataChange(app)
  await app.prisma.unitCondition.updateMany({
    where: { condition: { slug: 'cesarean-scar-pregnancy' } },
    data: { updatedAt: new Date('2030-01-02T03:04:05Z') }
  })
  await heard
  const changed = await app.inject({ url: '/v1/conditions/cesarean-scar-pregnancy', headers: { 'if-modified-since': String(lastModified) } })
  t.equal(changed.statusCode, 200)
  t.equal(changed.headers['last-modified'], 'Wed, 02 Jan 2030 03:04:05 GMT')
})

t.test('an unknown condition is a 404 problem; a malformed slug a 400', async (t) => {
  const missing = await app.inject('/v1/conditions/appendicitis')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.match(missing.json(), { type: '/problems/not-found', status: 404, detail: /appendicitis/, instance: '/v1/conditions/appendicitis' })
  const malformed = await app.inject('/v1/conditions/Lung_Cancer')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/slug' }] })
  const unknownParameter = await app.inject('/v1/conditions/cancer?include=departments')
  t.equal(unknownParameter.statusCode, 400, 'the detail route takes no query parameters')
})
