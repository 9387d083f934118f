import t from 'tap'
import { buildTestApp } from '../../helper.ts'

// GET /v1/condition-links: the links the documents state, flat, with filters, paging and bad input.
// Expected values are counted by hand from seed/facts.ts: general-gynecology treats five conditions (doc 000), the
// twins department manages twin pregnancy and the perinatal center treats fetal disease (doc 001), and the medical
// examination center screens for cancer, lung cancer and stroke (doc 002): ten links.

const app = await buildTestApp(t)

interface Link { id: string, condition: { slug: string }, department: { slug: string }, relation: string, source: { quote: string } }
interface Page { data: Link[], page: { nextCursor: string | null, total?: number } }

t.test('filters by relation, condition and unit (an alias slug included)', async (t) => {
  const all = await app.inject('/v1/condition-links?limit=100&count=true')
  t.equal(all.statusCode, 200)
  t.equal(all.json<Page>().data.length, 10)
  t.equal(all.json<Page>().page.total, 10)

  const screened = (await app.inject('/v1/condition-links?relation=screened&limit=100')).json<Page>().data
  t.same(screened.map((link) => link.condition.slug).sort(), ['cancer', 'lung-cancer', 'stroke'])
  t.ok(screened.every((link) => link.department.slug === 'medical-examination-center'))
  t.equal((await app.inject('/v1/condition-links?relation=treated&limit=100')).json<Page>().data.length, 6)

  const stroke = (await app.inject('/v1/condition-links?condition=stroke')).json<Page>().data
  t.equal(stroke.length, 1)
  t.match(stroke[0], { department: { slug: 'medical-examination-center' }, relation: 'screened', source: { quote: /stroke early warning/ } })

  const byAlias = (await app.inject('/v1/condition-links?department=obstetrics-second-department')).json<Page>().data
  t.same(byAlias.map((link) => [link.department.slug, link.condition.slug, link.relation]), [['twins-department', 'twin-pregnancy', 'managed']])
  t.same((await app.inject('/v1/condition-links?condition=no-such-condition')).json<Page>().data, [], 'an unknown condition matches nothing')

  const detail = await app.inject(`/v1/condition-links/${stroke[0]!.id}`)
  t.equal(detail.statusCode, 200)
  t.match(detail.headers.etag, /^"/, 'a strong ETag')
  t.same(detail.json<Link>().id, stroke[0]!.id)
})

t.test('pages follow the cursor and cover every link once', async (t) => {
  const seen: string[] = []
  let url: string | null = '/v1/condition-links?limit=3'
  while (url !== null) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200)
    const body: Page = response.json<Page>()
    seen.push(...body.data.map((link) => link.id))
    url = body.page.nextCursor === null ? null : `/v1/condition-links?limit=3&cursor=${encodeURIComponent(body.page.nextCursor)}`
  }
  t.equal(seen.length, 10)
  t.equal(new Set(seen).size, 10)
})

t.test('bad input is a 400 problem that names the parameter', async (t) => {
  for (const [query, parameter] of [
    ['relation=cured', 'relation'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['sort=name', 'sort'],
    ['cursor=not-a-cursor', 'cursor'],
    ['fields=secret', 'fields'],
    ['condition=Not%20A%20Slug', 'condition'],
    ['color=blue', 'color']
  ] as Array<[string, string]>) {
    const response = await app.inject(`/v1/condition-links?${query}`)
    t.equal(response.statusCode, 400, query)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { type: '/problems/invalid-request', status: 400 }, query)
    t.match(response.body, parameter, `${query}: names ${parameter}`)
  }
  const missing = await app.inject('/v1/condition-links/00000000-0000-4000-8000-000000000000')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['content-type'], /^application\/problem\+json/)
  t.equal((await app.inject('/v1/condition-links/not-a-uuid')).statusCode, 400)
})
