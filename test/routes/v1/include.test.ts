import t, { type Test } from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// `include` on the fact lists expands a reference in place into the full resource, as a GET of that resource shows
// it: the unit as GET /v1/departments/{slug}?include= (no embeds), the hospital as GET /v1/hospitals/{slug}, the
// metric as GET /v1/metric-definitions/{code}, the condition as GET /v1/conditions/{slug}, and the source as it is
// listed by GET /v1/sources with the fact's quote added (a superset of the reference it replaces). Everything else
// in the item stays as it was.

const app = await buildTestApp(t)

// One honor whose source is a note typed in through the API, so a cited source with `enteredBy` is expanded too.
const writer = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
const created = await app.inject({
  method: 'POST',
  url: '/v1/honors',
  headers: { authorization: `Bearer ${writer.key}` },
  payload: {
    hospital: 'cqhcwc', department: 'twins-department', slug: 'include-test-honor', title: 'Include test honor', kind: 'recognition',
    provenance: { note: 'Stated by the ward office' }
  }
})
if (created.statusCode !== 201) throw new Error(`POST /v1/honors: ${created.statusCode} ${created.body}`)

type Item = Record<string, unknown> & { id: string }

async function json<T> (url: string): Promise<T> {
  const response = await app.inject(url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<T>()
}

async function items (url: string): Promise<Item[]> {
  return (await json<{ data: Item[] }>(url)).data
}

const sources = new Map((await items('/v1/sources?limit=100')).map((source) => [source.id, source]))

type Reference = Record<string, string>
type Name = 'department' | 'hospital' | 'metric' | 'condition' | 'source'

/** What each name expands to, as the resource's own GET shows it. */
const expanded: Record<Name, (reference: Reference) => Promise<unknown>> = {
  department: async (reference) => json(`/v1/departments/${reference.slug}?include=`),
  hospital: async (reference) => json(`/v1/hospitals/${reference.slug}`),
  metric: async (reference) => json(`/v1/metric-definitions/${reference.code}`),
  condition: async (reference) => json(`/v1/conditions/${reference.slug}`),
  source: async (reference) => ({ ...sources.get(reference.id!), quote: reference.quote })
}

/**
 * Lists `url` with and without `include`, and checks each item: the named references expanded into the resource
 * (the reference's own fields keeping their values), the rest of the item unchanged.
 */
async function checkList (t: Test, url: string, include: Array<[field: string, as: Name]>) {
  const plain = await items(url)
  const full = await items(`${url}${url.includes('?') ? '&' : '?'}include=${include.map(([field]) => field).join(',')}`)
  t.ok(plain.length > 0, `${url}: some rows`)
  t.same(full.map((item) => item.id), plain.map((item) => item.id), `${url}: the same rows in the same order`)
  for (const [index, item] of full.entries()) {
    const reference = plain[index]!
    const rest: Record<string, unknown> = { ...item }
    const unchanged: Record<string, unknown> = { ...reference }
    for (const [field, as] of include) {
      const references = reference[field]
      delete rest[field]
      delete unchanged[field]
      if (references === null) {
        t.equal(item[field], null, `${url}: ${field} stays null`)
        continue
      }
      const pairs = Array.isArray(references)
        ? references.map((one, position) => [one, (item[field] as unknown[])[position]] as const)
        : [[references, item[field]] as const]
      if (Array.isArray(references)) t.equal((item[field] as unknown[]).length, references.length, `${url}: every ${field}`)
      for (const [one, expansion] of pairs) {
        t.same(expansion, await expanded[as](one as Reference), `${url}: ${item.id} ${field} is the ${as}`)
        t.match(expansion, one as object, `${url}: ${item.id} ${field} keeps the reference's fields`)
      }
    }
    t.same(rest, unchanged, `${url}: ${item.id} is otherwise unchanged`)
  }
}

t.test('each list expands what include names into the resource its GET shows', async (t) => {
  await checkList(t, '/v1/honors?limit=100', [['hospital', 'hospital'], ['department', 'department'], ['source', 'source']])
  await checkList(t, '/v1/services?limit=100', [['department', 'department'], ['source', 'source']])
  await checkList(t, '/v1/events?limit=100', [['hospital', 'hospital'], ['department', 'department'], ['source', 'source']])
  await checkList(t, '/v1/news?limit=100', [['hospital', 'hospital'], ['departments', 'department'], ['source', 'source']])
  await checkList(t, '/v1/condition-links?limit=100', [['condition', 'condition'], ['department', 'department'], ['source', 'source']])
  await checkList(t, '/v1/metrics?limit=100', [['department', 'department'], ['metric', 'metric'], ['source', 'source']])
  await checkList(t, '/v1/departments/general-gynecology/metrics?limit=100', [['metric', 'metric']])
  // One name at a time expands only that one.
  await checkList(t, '/v1/honors?limit=100', [['department', 'department']])
  await checkList(t, '/v1/events?kind=partnership', [['source', 'source']])
})

t.test('the honor entered with a note cites a manual entry with the key that typed it', async (t) => {
  const [honor] = await items('/v1/honors?department=twins-department&include=source&fields=source&sort=-updatedAt&limit=1')
  t.match(honor, {
    source: { kind: 'manual_entry', enteredBy: { prefix: writer.prefix, name: 'Ward office' }, synthetic: false, quote: 'Stated by the ward office' }
  })
})

t.test('an article is expanded in its detail as in the list', async (t) => {
  const [summary] = await items('/v1/news?include=hospital,departments,source&limit=1')
  const slug = String(summary!.slug)
  const article = await json<Item>(`/v1/news/${slug}?include=hospital,departments,source`)
  const { body, ...rest } = article
  t.type(body, 'string')
  t.same(rest, summary)
  const plain = await json<Item>(`/v1/news/${slug}`)
  t.same(plain.hospital, { slug: 'cqhcwc', name: 'Chongqing Health Center for Women and Children', shortName: 'CQHCWC' })
})

t.test('fields and include together: the fields named, expanded where included', async (t) => {
  const plain = await items('/v1/honors?limit=100')
  const trimmed = await items('/v1/honors?limit=100&include=department,source&fields=title,department')
  t.equal(trimmed.length, plain.length)
  for (const [index, item] of trimmed.entries()) {
    t.same(Object.keys(item), ['id', 'title', 'department'], 'only id and the fields named: source is included but not named')
    const department = plain[index]!.department as Reference | null
    t.same(item.department, department === null ? null : await expanded.department(department))
  }
  const figures = await items('/v1/metrics?limit=3&include=metric&fields=value,metric')
  t.same(figures.map((item) => Object.keys(item)), [['id', 'metric', 'value'], ['id', 'metric', 'value'], ['id', 'metric', 'value']])
  for (const figure of figures) t.same(figure.metric, await expanded.metric(figure.metric as Reference))
  const news = await items('/v1/news?include=departments&fields=departments')
  t.same(Object.keys(news[0]!), ['id', 'departments'])
})

t.test('a list of figures with include is the same CSV', async (t) => {
  const plain = await app.inject({ url: '/v1/metrics?limit=100', headers: { accept: 'text/csv' } })
  const full = await app.inject({ url: '/v1/metrics?limit=100&include=department,metric,source', headers: { accept: 'text/csv' } })
  t.equal(full.statusCode, 200)
  t.match(full.headers['content-type'], /^text\/csv/)
  t.equal(full.body, plain.body)
})

t.test('an unknown include is a 400 problem naming it', async (t) => {
  for (const [url, allowed] of [
    ['/v1/honors?include=unit', 'hospital, department, source'],
    ['/v1/services?include=hospital', 'department, source'],
    ['/v1/events?include=department,news', 'hospital, department, source'],
    ['/v1/news?include=department', 'hospital, departments, source'],
    ['/v1/news/twins-department-recognized-nationally?include=body', 'hospital, departments, source'],
    ['/v1/condition-links?include=relation', 'condition, department, source'],
    ['/v1/metrics?include=unit', 'department, metric, source'],
    ['/v1/departments/general-gynecology/metrics?include=period', 'department, metric, source']
  ] as const) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), {
      type: '/problems/invalid-request',
      detail: new RegExp(`^Unknown include ".+"; allowed: ${allowed}\\.$`),
      errors: [{ in: 'querystring', field: '/include' }]
    }, url)
  }
  const conditions = await app.inject('/v1/conditions?include=departments')
  t.equal(conditions.statusCode, 400, 'conditions embed their links already: include is not one of their parameters')
})
