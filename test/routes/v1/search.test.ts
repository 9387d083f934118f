import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Tests that only read share `app`; those that write share `writable` (a database of its own), each searching for
// words no other test uses.
const [app, writable] = await Promise.all([buildTestApp(t), buildTestApp(t)])

interface Hit { kind: string, id: string, title: string, snippet: string, rank: number, department: { slug: string } | null, links: { self: string } }
interface Results { data: Hit[], page: { limit: number, nextCursor: string | null, total?: number } }

const admin = await createApiKey(writable.prisma, { name: 'Search tests', scopes: ['admin'] })
const asAdmin = { authorization: `Bearer ${admin.key}` }
const provenance = { note: 'Typed in by the search tests' }
const { sourceId, hospitalId } = (await writable.prisma.$queryRaw<Array<{ sourceId: string, hospitalId: string }>>`
  SELECT source_id AS "sourceId", id AS "hospitalId" FROM hospital WHERE slug = 'cqhcwc'`)[0]!

const search = async (query: string): Promise<Results> => {
  const response = await writable.inject(`/v1/search?${query}`)
  if (response.statusCode !== 200) throw new Error(`${query}: ${response.statusCode} ${response.body}`)
  return response.json<Results>()
}
const titles = async (q: string): Promise<string[]> => (await search(`q=${q}&limit=100`)).data.map((hit) => `${hit.kind}:${hit.title}`)

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

t.test('the stored vectors follow writes, archive and restore', async (t) => {
  const created = await writable.inject({
    method: 'POST',
    url: '/v1/departments',
    headers: asAdmin,
    payload: { hospital: 'cqhcwc', parent: 'women-health-care-division', kind: 'department', slug: 'search-test-unit', name: 'Search Test Unit', summary: 'Cares for quokkas.', provenance }
  })
  t.equal(created.statusCode, 201, created.body)
  const found = await search('q=quokka')
  t.same(found.data.map((hit) => hit.links.self), ['/v1/departments/search-test-unit'], 'a new unit is found by its summary')
  t.match(found.data[0]!.snippet, /<mark>quokkas<\/mark>/)

  const patched = await writable.inject({
    method: 'PATCH',
    url: '/v1/departments/search-test-unit',
    headers: { ...asAdmin, 'if-match': created.headers.etag as string },
    payload: { summary: 'Cares for wombats.', provenance }
  })
  t.equal(patched.statusCode, 200, patched.body)
  t.same(await titles('wombat'), ['department:Search Test Unit'], 'the new word is found')
  t.same(await titles('quokka'), [], 'the old one no longer')

  // An alias (written behind the API's back) and a service of the unit, then both archived and restored.
  await writable.prisma.$executeRaw`
    INSERT INTO unit_alias (unit_id, name, slug, source_id, quote)
    SELECT id, 'The Numbat Ward', 'numbat-ward', ${sourceId}::uuid, 'The Numbat Ward' FROM unit WHERE slug = 'search-test-unit'`
  const service = await writable.inject({
    method: 'POST',
    url: '/v1/services',
    headers: asAdmin,
    payload: { department: 'search-test-unit', slug: 'capybara-therapy', name: 'Capybara therapy', kind: 'treatment', provenance }
  })
  t.equal(service.statusCode, 201, service.body)
  t.same(await titles('numbat'), ['department:Search Test Unit'], 'found by its alias')
  t.same(await titles('capybara'), ['service:Capybara therapy'])

  t.equal((await writable.inject({ method: 'DELETE', url: service.headers.location as string, headers: { ...asAdmin, 'if-match': '*' } })).statusCode, 204)
  t.equal((await writable.inject({ method: 'DELETE', url: '/v1/departments/search-test-unit', headers: { ...asAdmin, 'if-match': '*' } })).statusCode, 204)
  t.same(await titles('numbat%20or%20wombat%20or%20capybara'), [], 'archived records leave the search')

  for (const label of ['search-test-unit', 'capybara-therapy']) {
    const entry = await writable.prisma.archivedRecord.findFirstOrThrow({ where: { label } })
    const restored = await writable.inject({ method: 'POST', url: `/v1/archive/${entry.id}/restore`, headers: asAdmin })
    t.equal(restored.statusCode, 201, `${label} restored: ${restored.body}`)
  }
  t.same(await titles('wombat'), ['department:Search Test Unit'], 'a restored unit is found again')
  t.same(await titles('numbat'), ['department:Search Test Unit'], 'and by its restored alias')
  t.same(await titles('capybara'), ['service:Capybara therapy'], 'a restored service is found again')
})

t.test('a title match ranks above a summary match, and that above a body match', async (t) => {
  await writable.prisma.$transaction([
    writable.prisma.$executeRaw`
      INSERT INTO news_article (hospital_id, slug, title, published_on, body, source_id, quote)
      VALUES (${hospitalId}::uuid, 'search-test-news', 'Ward news', '2026-12-01', 'Staff rescued a pangolin from the car park.', ${sourceId}::uuid, 'pangolin')`,
    writable.prisma.$executeRaw`
      INSERT INTO unit (hospital_id, kind, slug, name, summary, source_id, quote)
      VALUES (${hospitalId}::uuid, 'department', 'search-test-summary', 'Quiet Ward', 'Named after a pangolin.', ${sourceId}::uuid, 'pangolin')`,
    writable.prisma.$executeRaw`
      INSERT INTO honor (hospital_id, slug, title, kind, source_id, quote)
      VALUES (${hospitalId}::uuid, 'search-test-honor', 'Pangolin award', 'recognition', ${sourceId}::uuid, 'pangolin')`
  ])
  const hits = (await search('q=pangolin')).data
  t.same(hits.map((hit) => `${hit.kind}:${hit.title}`), ['honor:Pangolin award', 'department:Quiet Ward', 'news:Ward news'])
  t.ok(hits[0]!.rank > hits[1]!.rank && hits[1]!.rank > hits[2]!.rank, hits.map((hit) => hit.rank).join(' > '))
})

t.test('paging over more hits than a page neither repeats nor skips', async (t) => {
  // 63 hits of every kind, many with the same rank (so the order falls to kind and id); one unit is found by its
  // summary (B) and better by its alias (A), another by an alias only.
  await writable.prisma.$transaction([
    writable.prisma.$executeRaw`
      INSERT INTO unit (hospital_id, kind, slug, name, summary, source_id, quote)
      SELECT ${hospitalId}::uuid, 'department', 'axolotl-unit-' || n, 'Unit ' || n,
             CASE WHEN n % 3 = 0 THEN 'Axolotl care, axolotl research.' WHEN n % 3 = 1 THEN 'Axolotl care.' ELSE 'Other care.' END,
             ${sourceId}::uuid, 'axolotl'
      FROM generate_series(1, 15) n`,
    writable.prisma.$executeRaw`
      INSERT INTO unit_alias (unit_id, name, slug, source_id, quote)
      SELECT id, 'Axolotl ward ' || slug, 'alias-' || slug, source_id, 'axolotl' FROM unit WHERE slug IN ('axolotl-unit-1', 'axolotl-unit-2')`,
    writable.prisma.$executeRaw`
      INSERT INTO service (unit_id, slug, name, kind, description, source_id, quote)
      SELECT u.id, 'axolotl-service-' || n, CASE WHEN n % 2 = 0 THEN 'Axolotl clinic ' || n ELSE 'Clinic ' || n END, 'clinic',
             'For axolotl keepers.', u.source_id, 'axolotl'
      FROM generate_series(1, 25) n, unit u WHERE u.slug = 'axolotl-unit-1'`,
    writable.prisma.$executeRaw`
      INSERT INTO honor (hospital_id, slug, title, kind, source_id, quote)
      SELECT ${hospitalId}::uuid, 'axolotl-honor-' || n, 'Axolotl award ' || n, 'recognition', ${sourceId}::uuid, 'axolotl'
      FROM generate_series(1, 12) n`,
    writable.prisma.$executeRaw`
      INSERT INTO news_article (hospital_id, slug, title, published_on, body, source_id, quote)
      SELECT ${hospitalId}::uuid, 'axolotl-news-' || n, 'News ' || n, '2026-12-01', repeat('An axolotl visited. ', n), ${sourceId}::uuid, 'axolotl'
      FROM generate_series(1, 12) n`
  ])
  // Units 1–15 but 5, 8, 11, 14 (summary "Other care", no alias), plus unit 2 by its alias: 11 units.
  const expected = 11 + 25 + 12 + 12
  const all = await search('q=axolotl&limit=100&count=true')
  t.equal(all.page.total, expected, 'count')
  t.equal(all.data.length, expected)
  t.equal(new Set(all.data.map((hit) => `${hit.kind}:${hit.id}`)).size, expected, 'each hit once')
  const aliased = all.data.find((hit) => hit.links.self === '/v1/departments/axolotl-unit-1')!
  t.match(aliased.snippet, /^<mark>Axolotl<\/mark> ward/, 'a unit found best by its alias shows the alias')
  t.same(all.data.filter((hit) => hit.links.self === '/v1/departments/axolotl-unit-2').length, 1, 'found by an alias only, once')
  for (let index = 1; index < all.data.length; index++) {
    const [before, after] = [all.data[index - 1]!, all.data[index]!]
    const ordered = before.rank > after.rank ||
      (before.rank === after.rank && (before.kind < after.kind || (before.kind === after.kind && before.id < after.id)))
    if (!ordered) t.fail(`hit ${index} is out of (rank desc, kind, id) order`)
  }

  for (const limit of [1, 7, 20]) {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Results = await search(`q=axolotl&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
      t.ok(page.data.length <= limit)
      seen.push(...page.data.map((hit) => `${hit.kind}:${hit.id}`))
      cursor = page.page.nextCursor
      pages++
    } while (cursor !== null && pages <= expected)
    t.same(seen, all.data.map((hit) => `${hit.kind}:${hit.id}`), `pages of ${limit}: the same hits in the same order`)
    t.equal(pages, Math.ceil(expected / limit), `${pages} pages of ${limit}`)
  }

  const services = await search('q=axolotl&kind=service&limit=10&count=true')
  t.equal(services.page.total, 25)
  t.ok(services.data.slice(0, 10).every((hit) => hit.kind === 'service'))
  const second = await search(`q=axolotl&kind=service&limit=10&cursor=${encodeURIComponent(services.page.nextCursor!)}`)
  t.same(second.data.map((hit) => hit.id), all.data.filter((hit) => hit.kind === 'service').slice(10, 20).map((hit) => hit.id))
  t.same((await search('q=axolotl&hospital=cqhcwc&count=true')).page.total, expected, 'all in the one hospital')
})
