import t, { type Test } from 'tap'
import { buildTestApp } from '../../helper.ts'
import { statementsDuring } from '../../sql-statements.ts'

// How many SQL statements a request costs. Embedded relations are built into the one query that reads the page
// (JSON written by PostgreSQL, or Prisma's relationJoins), never read once per row, so a page of twenty costs what a
// page of one does. Reading the data version (for the ETag) is counted apart: at most one small query per request, and
// none while it is known (it is read again only after a change). The budgets are what each request needs today; a change
// that needs more should say why here. The statistics and response caches are off, so every request reads the database.

const app = await buildTestApp(t, { STATISTICS_CACHE_ENTRIES: '0', RESPONSE_CACHE_MAX_MB: '0' })
const everyInclude = 'children,metrics,honors,services,conditions,events,news'

// The seed has one news article; two more, each about two units, make a page of news longer than one.
const seeded = await app.prisma.newsArticle.findFirstOrThrow()
const units = await app.prisma.unit.findMany({ select: { id: true }, orderBy: { slug: 'asc' }, take: 2 })
for (const slug of ['query-count-one', 'query-count-two']) {
  await app.prisma.newsArticle.create({
    data: {
      slug, title: slug, publishedOn: seeded.publishedOn, body: seeded.body, hospitalId: seeded.hospitalId, sourceId: seeded.sourceId,
      quote: seeded.quote, units: { create: units.map((unit) => ({ unitId: unit.id })) }
    }
  })
}

interface Measured { statements: number, body: { data?: unknown[] } }

async function measure (t: Test, url: string): Promise<Measured> {
  let body: Measured['body'] = {}
  const statements = await statementsDuring(async () => {
    const response = await app.inject(url)
    t.equal(response.statusCode, 200, url)
    body = response.json()
  })
  const versionReads = statements.filter((sql) => sql.includes('data_version')).length
  t.ok(versionReads <= 1, `${url}: the data version read at most once (${versionReads})`)
  return { statements: statements.length - versionReads, body }
}

t.test('a page costs the same statements whatever its size', async (t) => {
  const lists: Array<[string, number]> = [
    [`/v1/departments?include=${everyInclude}`, 1],
    ['/v1/conditions', 1],
    ['/v1/news', 1],
    // Every reference expanded into its resource, still inside the statement that reads the page.
    ['/v1/news?include=hospital,departments,source', 1],
    ['/v1/honors?include=hospital,department,source', 1],
    ['/v1/services?include=department,source', 1],
    ['/v1/events?include=hospital,department,source', 1],
    ['/v1/condition-links?include=condition,department,source', 1],
    ['/v1/metrics?include=department,metric,source', 1]
  ]
  for (const [list, budget] of lists) {
    const one = await measure(t, `${list}${list.includes('?') ? '&' : '?'}limit=1`)
    const twenty = await measure(t, `${list}${list.includes('?') ? '&' : '?'}limit=20`)
    t.equal(one.body.data?.length, 1, `${list}: a page of one`)
    t.ok((twenty.body.data?.length ?? 0) > 1, `${list}: the larger page holds more rows`)
    t.equal(twenty.statements, one.statements, `${list}: ${one.statements} statements for 1 row and for ${twenty.body.data?.length}`)
    t.ok(twenty.statements <= budget, `${list}: ${twenty.statements} statements, budget ${budget}`)
  }
})

t.test('a unit with every include costs the same statements whatever it holds', async (t) => {
  const full = await measure(t, `/v1/departments/general-gynecology?include=${everyInclude}`)
  const empty = await measure(t, `/v1/departments/women-health-care-division?include=${everyInclude}`)
  t.equal(full.statements, empty.statements, 'a unit with many facts and one with none')
  t.ok(full.statements <= 1, `${full.statements} statements, budget 1`)
})

t.test('a source costs the same statements whatever facts it backs', async (t) => {
  const sources = (await app.inject('/v1/sources?limit=100')).json<{ data: Array<{ id: string }> }>().data
  t.ok(sources.length > 1)
  const counts = new Set<number>()
  for (const source of sources) counts.add((await measure(t, `/v1/sources/${source.id}`)).statements)
  t.equal(counts.size, 1, `every source: ${[...counts].join(', ')} statements`)
  t.ok(Math.max(...counts) <= 8, 'budget 8: the document, then one query per kind of fact it backs')
})

t.test('an uncached statistic costs at most three statements', async (t) => {
  for (const url of [
    '/v1/statistics/summary?hospital=cqhcwc&category=staffing&periodKind=point',
    '/v1/statistics/summary?department=women-health-care-division&metric=staff.total,beds',
    '/v1/statistics/ratios',
    '/v1/statistics/ratios?department=obstetrics-second-department',
    '/v1/statistics/timeseries?metric=beds&department=women-health-care-division',
    '/v1/statistics/coverage?department=women-health-care-division'
  ]) {
    const { statements } = await measure(t, url)
    t.ok(statements <= 3, `${url}: ${statements} statements`)
  }
  const { statements } = await measure(t, '/v1/statistics/summary')
  t.equal(statements, 1, 'the whole summary, every group and every unit\'s figure, is one statement')
  for (const url of [
    '/v1/statistics/analytics?metric=beds,staff.total&groupBy=hospital,period',
    '/v1/statistics/analytics?metric=beds&hospital=cqhcwc&department=women-health-care-division,general-gynecology&groupBy=department'
  ]) {
    t.equal((await measure(t, url)).statements, 1, `${url}: the filters' check, the cells, their ranks and changes in one statement`)
  }
})
