import t from 'tap'
import { buildTestApp } from '../../helper.ts'

const app = await buildTestApp(t)

interface Hit { kind: string, id: string, title: string, snippet: string, rank: number, department: { slug: string } | null, links: { self: string } }
interface Results { data: Hit[], page: { limit: number, nextCursor: string | null, total?: number } }

t.test('finds units, services and honors by stemmed words, ranked, with highlighted snippets', async (t) => {
  const response = await app.inject('/v1/search?q=hysteroscopy')
  t.equal(response.statusCode, 200)
  const body = response.json<Results>()
  t.same(body.data.map((hit) => `${hit.kind}:${hit.title}`).sort(), [
    'department:General Gynecology Department',
    'honor:Leading the municipality in hysteroscopy surgery numbers and operating difficulty'
  ])
  const honor = body.data.find((hit) => hit.kind === 'honor')!
  t.match(honor.snippet, /<mark>hysteroscopy<\/mark>/i)
  t.equal(honor.department?.slug, 'general-gynecology')
  t.equal(honor.links.self, '/v1/honors?department=general-gynecology')
  const ranks = body.data.map((hit) => hit.rank)
  t.same(ranks, [...ranks].sort((a, b) => b - a), 'best first')
})

t.test('an alias finds its unit; the news article mentioning it is found too', async (t) => {
  const body = (await app.inject('/v1/search?q=obstetrics%20second%20department')).json<Results>()
  const department = body.data.find((hit) => hit.kind === 'department')
  t.equal(department?.title, 'Specialized Department for Twins')
  t.equal(department?.links.self, '/v1/departments/twins-department')
  t.ok(body.data.some((hit) => hit.kind === 'news' && hit.links.self === '/v1/news/twins-department-recognized-nationally'))
  t.equal(body.data.filter((hit) => hit.kind === 'department').length, 1, 'one hit per unit even when name and alias both match')
})

t.test('kind and hospital filters, and count', async (t) => {
  const services = (await app.inject('/v1/search?q=screening&kind=service&count=true')).json<Results>()
  t.ok(services.data.length > 0)
  t.ok(services.data.every((hit) => hit.kind === 'service'))
  t.equal(services.page.total, services.data.length)
  const conditions = (await app.inject('/v1/search?q=pregnancy&kind=condition')).json<Results>()
  t.same(conditions.data.map((hit) => hit.links.self).sort(), ['/v1/conditions/cesarean-scar-pregnancy', '/v1/conditions/heterotopic-pregnancy', '/v1/conditions/twin-pregnancy'])
  const elsewhere = (await app.inject('/v1/search?q=twins&hospital=another-hospital')).json<Results>()
  t.same(elsewhere.data, [])
})

t.test('paging through hits yields each hit once, in rank order', async (t) => {
  const all = (await app.inject('/v1/search?q=twins&limit=100')).json<Results>().data
  t.ok(all.length >= 4, `${all.length} hits for "twins"`)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const url: string = `/v1/search?q=twins&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
    const response = await app.inject(url)
    t.equal(response.statusCode, 200)
    const body = response.json<Results>()
    seen.push(...body.data.map((hit) => `${hit.kind}:${hit.id}`))
    cursor = body.page.nextCursor
    if (cursor !== null) t.match(response.headers.link, /rel="next"/)
  } while (cursor !== null)
  t.same(seen, all.map((hit) => `${hit.kind}:${hit.id}`))
})

t.test('bad searches are 400 problems', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['/v1/search', /q is required/],
    ['/v1/search?q=', /q must NOT have fewer than 1 characters/],
    ['/v1/search?q=the%20and%20of', /no searchable words/],
    ['/v1/search?q=twins&kind=people', /Unknown kind "people"/],
    ['/v1/search?q=twins&sort=rank', /sort is not a known parameter/],
    ['/v1/search?q=twins&limit=500', /limit must be <= 100/]
  ]
  for (const [url, detail] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { type: '/problems/invalid-request', detail }, url)
  }
  const first = (await app.inject('/v1/search?q=twins&limit=1')).json<Results>()
  const other = await app.inject(`/v1/search?q=gynecology&cursor=${encodeURIComponent(first.page.nextCursor!)}`)
  t.equal(other.statusCode, 400, 'a cursor from another query is refused')
  t.match(other.json(), { detail: /another search/ })
})

t.test('hostile input is just text', async (t) => {
  for (const q of ["'; DROP TABLE unit; --", '"unclosed', 'a & | ! ( ) :*', '__proto__', '漢字 双胎']) {
    const response = await app.inject({ url: '/v1/search', query: { q } })
    t.ok([200, 400].includes(response.statusCode), `${q} → ${response.statusCode}`)
  }
  t.equal((await app.inject('/v1/departments')).json<{ data: unknown[] }>().data.length, 5, 'tables intact')
})
