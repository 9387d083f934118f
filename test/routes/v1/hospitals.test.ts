import t from 'tap'
import { buildTree } from '../../../src/plugins/app/hospitals/hospital-repository.ts'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

interface Hospital {
  id: string, slug: string, name: string, shortName: string | null, city: string, province: string, country: string,
  source: { id: string, title: string, statedOn: string | null, quote: string }, version: number, updatedAt: string,
  links: { self: string, departments: string, tree: string }
}
interface HospitalPage { data: Hospital[], page: { limit: number, nextCursor: string | null, total?: number } }
interface Problem { type: string, status: number, detail: string, instance: string, errors?: Array<{ in: string, field: string }> }
interface TreeNode { slug: string, name: string, kind: string, children: TreeNode[] }

// The seed has one hospital. Two more (one in Chongqing, one in Berlin, with fixed timestamps) give the filters and
// sorts something to tell apart; the Berlin one gets a three-level hierarchy, inserted out of slug order.
const document000 = await app.prisma.sourceDocument.findUniqueOrThrow({ where: { fileName: '000_5a20198f4fdda1e4.txt' } })
const provenance = { sourceId: document000.id, quote: 'Fixture for the hospital tests.' }
await app.prisma.hospital.create({
  data: { slug: 'anzhen-chongqing', name: 'Anzhen Hospital Chongqing', shortName: null, city: 'Chongqing', province: 'Chongqing', country: 'CN', updatedAt: new Date('2001-01-01T00:00:00Z'), ...provenance }
})
const berlin = await app.prisma.hospital.create({
  data: { slug: 'berlin-university-hospital', name: 'University Hospital Berlin', shortName: 'UHB', city: 'Berlin', province: 'Berlin', country: 'DE', updatedAt: new Date('2002-01-01T00:00:00Z'), ...provenance }
})
const berlinUnit = (slug: string, kind: 'division' | 'department' | 'center', parentId: string | null) =>
  app.prisma.unit.create({ data: { hospitalId: berlin.id, parentId, slug, name: `Berlin ${slug}`, kind, ...provenance } })
const surgery = await berlinUnit('berlin-surgery', 'division', null)
const cardiac = await berlinUnit('berlin-cardiac-surgery', 'department', surgery.id)
await berlinUnit('berlin-trauma-surgery', 'department', surgery.id)
await berlinUnit('berlin-cardiac-imaging', 'center', cardiac.id)
await berlinUnit('berlin-admissions', 'center', null)

const slugs = (body: HospitalPage): string[] => body.data.map((hospital) => hospital.slug)

t.test('GET /v1/hospitals lists hospitals in slug order, with the seeded one in full', async (t) => {
  const response = await app.inject('/v1/hospitals')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.notOk(response.headers.link, 'a single page has no next link')
  const body = response.json<HospitalPage>()
  t.same(slugs(body), ['anzhen-chongqing', 'berlin-university-hospital', 'cqhcwc'])
  t.same(body.page, { limit: 20, nextCursor: null })
  const cqhcwc = body.data.find((hospital) => hospital.slug === 'cqhcwc')!
  t.match(cqhcwc, {
    id: /^[0-9a-f-]{36}$/,
    name: 'Chongqing Health Center for Women and Children',
    shortName: 'CQHCWC',
    city: 'Chongqing',
    province: 'Chongqing',
    country: 'CN',
    version: 1,
    source: {
      id: document000.id,
      title: 'General Gynecology Department',
      statedOn: '2021-03-03',
      quote: 'The General Gynecology Department of Chongqing Health Center for Women and Children (CQHCWC) is a key department of the hospital.'
    }
  })
  t.same(cqhcwc.links, { self: '/v1/hospitals/cqhcwc', departments: '/v1/departments?hospital=cqhcwc', tree: '/v1/hospitals/cqhcwc/tree' })
})

t.test('filters by country and city', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['country=CN', ['anzhen-chongqing', 'cqhcwc']],
    ['country=DE', ['berlin-university-hospital']],
    ['country=FR', []],
    ['city=Chongqing', ['anzhen-chongqing', 'cqhcwc']],
    ['city=Berlin', ['berlin-university-hospital']],
    ['city=chongqing', []],
    ['city=Berlin&country=CN', []],
    ['city=Chongqing&country=CN&sort=-slug', ['cqhcwc', 'anzhen-chongqing']]
  ]
  for (const [query, expected] of cases) {
    const response = await app.inject(`/v1/hospitals?${query}`)
    t.equal(response.statusCode, 200, query)
    t.same(slugs(response.json<HospitalPage>()), expected, query)
  }
})

t.test('sorts by slug, name and updatedAt in both directions', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['slug', ['anzhen-chongqing', 'berlin-university-hospital', 'cqhcwc']],
    ['-slug', ['cqhcwc', 'berlin-university-hospital', 'anzhen-chongqing']],
    // Anzhen…, Chongqing…, University… — not the slug order.
    ['name', ['anzhen-chongqing', 'cqhcwc', 'berlin-university-hospital']],
    ['-name', ['berlin-university-hospital', 'cqhcwc', 'anzhen-chongqing']],
    // The fixtures are dated 2001 and 2002; the seeded hospital was written when the test started.
    ['updatedAt', ['anzhen-chongqing', 'berlin-university-hospital', 'cqhcwc']],
    ['-updatedAt', ['cqhcwc', 'berlin-university-hospital', 'anzhen-chongqing']]
  ]
  for (const [sort, expected] of cases) {
    const response = await app.inject(`/v1/hospitals?sort=${sort}`)
    t.equal(response.statusCode, 200, sort)
    t.same(slugs(response.json<HospitalPage>()), expected, `sort=${sort}`)
  }
})

t.test('walking the pages yields every hospital exactly once, in order, for every sort', async (t) => {
  const expected: Record<string, string[]> = {
    slug: ['anzhen-chongqing', 'berlin-university-hospital', 'cqhcwc'],
    '-name': ['berlin-university-hospital', 'cqhcwc', 'anzhen-chongqing'],
    '-updatedAt': ['cqhcwc', 'berlin-university-hospital', 'anzhen-chongqing']
  }
  for (const [sort, order] of Object.entries(expected)) {
    const seen: string[] = []
    let url: string | null = `/v1/hospitals?limit=1&sort=${sort}`
    while (url !== null) {
      const response = await app.inject(url)
      t.equal(response.statusCode, 200, url)
      const body = response.json<HospitalPage>()
      t.equal(body.data.length, 1)
      seen.push(...slugs(body))
      const link = response.headers.link as string | undefined
      if (body.page.nextCursor === null) {
        t.notOk(link, 'the last page has no next link')
        url = null
      } else {
        t.match(link, /^<\/v1\/hospitals\?limit=1&sort=[^&]+&cursor=[^>]+>; rel="next"$/)
        url = /^<([^>]+)>/.exec(link!)![1]!
      }
    }
    t.same(seen, order, `sort=${sort}: every row once, in order`)
  }
})

t.test('count=true adds the number of matching hospitals', async (t) => {
  const all = (await app.inject('/v1/hospitals?count=true')).json<HospitalPage>()
  t.equal(all.page.total, 3)
  const chinese = (await app.inject('/v1/hospitals?count=true&country=CN&limit=1')).json<HospitalPage>()
  t.equal(chinese.page.total, 2, 'counts every match, not just the page')
  t.equal(chinese.data.length, 1)
  t.type(chinese.page.nextCursor, 'string')
  const none = (await app.inject('/v1/hospitals')).json<HospitalPage>()
  t.notOk('total' in none.page, 'no total unless asked')
})

t.test('bad query parameters and cursors are 400 problems that say what was wrong', async (t) => {
  const first = (await app.inject('/v1/hospitals?limit=1&sort=name')).json<HospitalPage>()
  const cursor = first.page.nextCursor!
  const tampered = cursor.slice(0, -1) + (cursor.endsWith('A') ? 'B' : 'A')
  const departmentCursor = (await app.inject('/v1/departments?limit=1')).json<HospitalPage>().page.nextCursor!
  const cases: Array<[string, RegExp, string]> = [
    ['/v1/hospitals?country=cn', /country must match pattern/, '/country'],
    ['/v1/hospitals?country=CHN', /country must match pattern/, '/country'],
    ['/v1/hospitals?city=', /city must NOT have fewer than 1 characters/, '/city'],
    ['/v1/hospitals?limit=0', /limit must be >= 1/, '/limit'],
    ['/v1/hospitals?limit=101', /limit must be <= 100/, '/limit'],
    ['/v1/hospitals?sort=bogus', /sort must be one of: slug, -slug, name, -name, updatedAt, -updatedAt/, '/sort'],
    ['/v1/hospitals?sort=city', /sort must be one of/, '/sort'],
    ['/v1/hospitals?province=Chongqing', /province is not a known parameter/, '/province'],
    ['/v1/hospitals?cursor=bm90IGEgY3Vyc29y', /cursor is not one this API issued/, '/cursor'],
    [`/v1/hospitals?sort=name&cursor=${encodeURIComponent(tampered)}`, /or it was altered/, '/cursor'],
    [`/v1/hospitals?sort=slug&cursor=${encodeURIComponent(cursor)}`, /issued for sort=name/, '/cursor'],
    [`/v1/hospitals?cursor=${encodeURIComponent(departmentCursor)}`, /belongs to another list/, '/cursor']
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

t.test('GET /v1/hospitals/{slug} returns the hospital with Last-Modified', async (t) => {
  const response = await app.inject('/v1/hospitals/berlin-university-hospital')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers['last-modified'], 'Tue, 01 Jan 2002 00:00:00 GMT')
  t.match(response.headers.etag, /^"1\.\d+-[A-Za-z0-9_-]{16}"$/, 'a strong ETag naming the version (and the data version)')
  t.match(response.json<Hospital>(), {
    slug: 'berlin-university-hospital', name: 'University Hospital Berlin', shortName: 'UHB', city: 'Berlin', country: 'DE',
    updatedAt: '2002-01-01T00:00:00.000Z', links: { tree: '/v1/hospitals/berlin-university-hospital/tree' }
  })
  const cqhcwc = await app.inject('/v1/hospitals/cqhcwc')
  t.equal(cqhcwc.statusCode, 200)
  t.equal(cqhcwc.json<Hospital>().shortName, 'CQHCWC')
  const notModified = await app.inject({ url: '/v1/hospitals/cqhcwc', headers: { 'if-none-match': cqhcwc.headers.etag as string } })
  t.equal(notModified.statusCode, 304)
})

t.test('GET /v1/hospitals/{slug}/tree nests the seeded units under their parents', async (t) => {
  const response = await app.inject('/v1/hospitals/cqhcwc/tree')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.same(response.json(), {
    hospital: { slug: 'cqhcwc', name: 'Chongqing Health Center for Women and Children' },
    units: [
      { slug: 'medical-examination-center', name: 'Medical Examination Center and Cancer Screening Center', kind: 'center', children: [] },
      { slug: 'perinatal-medical-center', name: 'Perinatal Medical Center', kind: 'center', children: [] },
      { slug: 'twins-department', name: 'Specialized Department for Twins', kind: 'department', children: [] },
      {
        slug: 'women-health-care-division',
        name: 'Women Health Care Division',
        kind: 'division',
        children: [{ slug: 'general-gynecology', name: 'General Gynecology Department', kind: 'department', children: [] }]
      }
    ]
  })
})

t.test('the tree goes as deep as the hierarchy, children in slug order, and only holds the hospital\'s own units', async (t) => {
  const tree = (await app.inject('/v1/hospitals/berlin-university-hospital/tree')).json<{ units: TreeNode[] }>()
  const node = (slug: string, kind: string, children: TreeNode[] = []): TreeNode => ({ slug, name: `Berlin ${slug}`, kind, children })
  t.same(tree.units, [
    node('berlin-admissions', 'center'),
    node('berlin-surgery', 'division', [
      node('berlin-cardiac-surgery', 'department', [node('berlin-cardiac-imaging', 'center')]),
      node('berlin-trauma-surgery', 'department')
    ])
  ])
  const empty = await app.inject('/v1/hospitals/anzhen-chongqing/tree')
  t.equal(empty.statusCode, 200)
  t.same(empty.json(), { hospital: { slug: 'anzhen-chongqing', name: 'Anzhen Hospital Chongqing' }, units: [] })
})

t.test('buildTree keeps a unit whose parent is not among the units, at the top level', async (t) => {
  const unit = (id: string, parentId: string | null) => ({ id, parentId, slug: id, name: id, kind: 'department' as const })
  t.same(buildTree([unit('a', 'elsewhere'), unit('b', null), unit('c', 'b')]), [
    { slug: 'a', name: 'a', kind: 'department', children: [] },
    { slug: 'b', name: 'b', kind: 'department', children: [{ slug: 'c', name: 'c', kind: 'department', children: [] }] }
  ])
})

t.test('unknown hospitals are 404 problems; malformed slugs and unknown parameters 400', async (t) => {
  for (const url of ['/v1/hospitals/atlantis', '/v1/hospitals/atlantis/tree']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { type: '/problems/not-found', status: 404, detail: 'No hospital has the slug "atlantis".', instance: url })
  }
  const malformed = await app.inject('/v1/hospitals/Not_A_Slug/tree')
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { type: '/problems/invalid-request', errors: [{ in: 'params', field: '/slug' }] })
  for (const url of ['/v1/hospitals/cqhcwc?include=units', '/v1/hospitals/cqhcwc/tree?depth=2']) {
    const unknown = await app.inject(url)
    t.equal(unknown.statusCode, 400, url)
    t.match(unknown.json(), { type: '/problems/invalid-request', detail: /is not a known parameter/ })
  }
})
