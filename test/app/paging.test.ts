import t from 'tap'
import { buildTestApp } from '../helper.ts'

interface Page { data: Array<{ slug: string, establishedYear: number | null }>, page: { nextCursor: string | null, total?: number } }

const app = await buildTestApp(t)

async function walk (query: string, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  let cursor: string | null = null
  let page = 0
  do {
    const url: string = `/v1/departments?${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`
    const response = await app.inject(url)
    t.equal(response.statusCode, 200)
    const body = response.json<Page>()
    seen.push(...body.data.map((unit) => unit.slug))
    cursor = body.page.nextCursor
    await between?.(++page)
  } while (cursor !== null)
  return seen
}

t.test('rows inserted while a client pages never make it skip or repeat a row', async (t) => {
  const before = await walk('limit=100')
  const hospital = await app.prisma.hospital.findUniqueOrThrow({ where: { slug: 'cqhcwc' }, select: { id: true, sourceId: true } })
  let inserted = 0
  const seen = await walk('limit=2&sort=name', async () => {
    // Insert a unit that sorts before and one that sorts after the current position.
    for (const name of [`AAA Unit ${inserted}`, `ZZZ Unit ${inserted}`]) {
      await app.prisma.unit.create({
        data: {
          hospitalId: hospital.id, kind: 'department', slug: `concurrent-${name.toLowerCase().replaceAll(' ', '-')}`,
          name, sourceId: hospital.sourceId, quote: 'Chongqing Health Center for Women and Children'
        }
      })
    }
    inserted++
  })
  const original = seen.filter((slug) => before.includes(slug))
  t.same([...original].sort(), [...before].sort(), 'every row that existed throughout is seen')
  t.equal(new Set(seen).size, seen.length, 'no row is seen twice')
})

t.test('sorting by a nullable column pages through nulls last, both directions', async (t) => {
  const ascending = await walk('limit=2&sort=establishedYear')
  const descending = await walk('limit=2&sort=-establishedYear')
  const all = (await app.inject('/v1/departments?limit=100&sort=establishedYear')).json<Page>().data
  t.same(ascending, all.map((unit) => unit.slug))
  const years = all.map((unit) => unit.establishedYear)
  const firstNull = years.indexOf(null)
  t.ok(firstNull > 0 && years.slice(firstNull).every((year) => year === null), 'nulls last ascending')
  t.same(years.slice(0, 3), [2007, 2016, 2018])
  const descendingYears = (await app.inject('/v1/departments?limit=100&sort=-establishedYear')).json<Page>().data.map((unit) => unit.establishedYear)
  t.same(descendingYears.slice(0, 3), [2018, 2016, 2007], 'nulls last descending too')
  t.equal(descending.length, ascending.length)
})

t.test('count=true adds the exact total, independent of the page', async (t) => {
  const body = (await app.inject('/v1/departments?limit=1&count=true&kind=center')).json<Page>()
  t.equal(body.page.total, 2)
  t.equal(body.data.length, 1)
  t.equal((await app.inject('/v1/departments?limit=1')).json<Page>().page.total, undefined, 'absent unless asked for')
})

t.test('tampered, foreign and re-sorted cursors are refused with 400', async (t) => {
  const first = (await app.inject('/v1/departments?limit=1&sort=name')).json<Page>()
  const cursor = first.page.nextCursor!
  const [body, signature] = cursor.split('.')
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), v: 'A' })).toString('base64url')
  const cases: Array<[string, RegExp]> = [
    [`/v1/departments?limit=1&sort=name&cursor=${forged}.${signature}`, /altered/],
    [`/v1/departments?limit=1&sort=name&cursor=${cursor.slice(0, -2)}xx`, /altered/],
    ['/v1/departments?limit=1&sort=name&cursor=garbage', /not one this API issued/],
    [`/v1/departments?limit=1&sort=-name&cursor=${encodeURIComponent(cursor)}`, /issued for sort=name/],
    [`/v1/search?q=twins&cursor=${encodeURIComponent(cursor)}`, /another search/]
  ]
  for (const [url, detail] of cases) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.json(), { type: '/problems/invalid-request', detail, errors: [{ field: '/cursor' }] }, url)
  }
})

t.test('the Link header points at the next page with the same query', async (t) => {
  const response = await app.inject('/v1/departments?limit=2&kind=department&sort=-name')
  const body = response.json<Page>()
  t.equal(response.headers.link, `</v1/departments?limit=2&kind=department&sort=-name&cursor=${encodeURIComponent(body.page.nextCursor!)}>; rel="next"`)
  t.equal((await app.inject('/v1/departments?limit=100')).headers.link, undefined, 'no Link on the last page')
})

t.test('include embeds related resources on lists; fields trims items to id and the named fields', async (t) => {
  const withMetrics = (await app.inject('/v1/departments?include=metrics,honors&limit=100')).json<{ data: Array<{ slug: string, metrics: unknown[], honors: unknown[] }> }>()
  const gynecology = withMetrics.data.find((unit) => unit.slug === 'general-gynecology')!
  t.equal(gynecology.metrics.length, 17)
  t.equal(gynecology.honors.length, 4)
  const sparse = await app.inject('/v1/departments?fields=name,kind&limit=1')
  t.same(Object.keys(sparse.json<{ data: Array<Record<string, unknown>> }>().data[0]!).sort(), ['id', 'kind', 'name'])
})

t.test('fields works on every list', async (t) => {
  const lists: Array<[string, string]> = [
    ['/v1/hospitals?fields=name', 'name'],
    ['/v1/metrics?fields=statedValue', 'statedValue'],
    ['/v1/departments/general-gynecology/metrics?fields=value', 'value'],
    ['/v1/metric-definitions?fields=code', 'code'],
    ['/v1/honors?fields=title', 'title'],
    ['/v1/services?fields=name', 'name'],
    ['/v1/conditions?fields=name', 'name'],
    ['/v1/events?fields=title', 'title'],
    ['/v1/news?fields=title', 'title'],
    ['/v1/sources?fields=title', 'title']
  ]
  for (const [url, field] of lists) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, url)
    t.equal(response.headers['content-type'], 'application/json; charset=utf-8', `${url} content type`)
    const items = response.json<{ data: Array<Record<string, unknown>> }>().data
    t.ok(items.length > 0, `${url} has items`)
    t.ok(items.every((item) => Object.keys(item).sort().join() === ['id', field].sort().join()), `${url} items are id and ${field}`)
    t.equal((await app.inject(`${url.split('?')[0]}?fields=nope`)).statusCode, 400, `${url}: unknown field is a 400`)
  }
})
