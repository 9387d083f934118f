import t from 'tap'
import { buildTestApp, nextDataChange } from '../helper.ts'
import { statementsDuring } from '../sql-statements.ts'

// Conditional GETs are answered before the route runs: the ETag is made from the data's version (a counter every
// committed change moves on), the URL and Accept, so with the response cache off a 304 costs at most the read of one
// row, never the query that builds the answer.

const app = await buildTestApp(t, { RESPONSE_CACHE_MAX_MB: '0' })
const list = '/v1/departments?hospital=cqhcwc&include=metrics'
const detail = '/v1/departments/general-gynecology'

function readsData (statements: string[]): string[] {
  return statements.filter((sql) => !sql.includes('data_version'))
}

t.test('a list revalidates without building its answer', async (t) => {
  const first = await app.inject(list)
  t.equal(first.statusCode, 200)
  const etag = String(first.headers.etag)
  t.match(etag, /^W\/"\d+-[A-Za-z0-9_-]{16}"$/, 'a weak tag naming the data version')
  t.equal((await app.inject(list)).headers.etag, etag, 'the same answer, the same tag')

  const statements = await statementsDuring(async () => {
    const again = await app.inject({ url: list, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304)
    t.equal(again.headers.etag, etag)
    t.equal(again.headers['x-cache'], 'revalidated')
    t.equal(again.body, '')
  })
  t.same(readsData(statements), [], 'no statement but the data version')
  t.ok(statements.length <= 1)

  const other = await app.inject({ url: '/v1/departments?hospital=cqhcwc', headers: { 'if-none-match': etag } })
  t.equal(other.statusCode, 200, 'the tag of one URL does not revalidate another')
  for (const accept of ['*/*', 'application/json', 'application/*;q=0.5']) {
    const same = await app.inject({ url: list, headers: { 'if-none-match': etag, accept } })
    t.equal(same.statusCode, 304, `Accept ${accept} gets the same JSON, so the same tag`)
  }
  const figures = '/v1/metrics?department=general-gynecology'
  const json = await app.inject({ url: figures, headers: { accept: 'application/json' } })
  const csv = await app.inject({ url: figures, headers: { accept: 'text/csv' } })
  t.not(csv.headers.etag, json.headers.etag, 'a list that also answers CSV has a tag per media type')
  t.equal((await app.inject({ url: figures, headers: { accept: 'text/csv', 'if-none-match': String(json.headers.etag) } })).statusCode, 200,
    'the JSON answer\'s tag does not revalidate the CSV')
  t.equal((await app.inject({ url: figures, headers: { accept: 'text/csv', 'if-none-match': String(csv.headers.etag) } })).statusCode, 304)
  const forged = await app.inject({ url: list, headers: { 'if-none-match': etag.replace(/-[A-Za-z0-9_-]{16}/, '-AAAAAAAAAAAAAAAA') } })
  t.equal(forged.statusCode, 200, 'a tag this server did not make never matches')
})

t.test('an entity revalidates; its tag names its version for If-Match', async (t) => {
  const first = await app.inject(detail)
  const etag = String(first.headers.etag)
  t.match(etag, /^"\d+\.\d+-[A-Za-z0-9_-]{16}"$/)
  const statements = await statementsDuring(async () => {
    const again = await app.inject({ url: detail, headers: { 'if-none-match': `"other", W/${etag}` } })
    t.equal(again.statusCode, 304, 'compared weakly, in a list of tags')
    t.equal(again.headers.etag, `W/${etag}`)
  })
  t.same(readsData(statements), [])
})

t.test('any change to the data ends the 304s; the new answer has a new tag', async (t) => {
  const first = await app.inject(list)
  const etag = String(first.headers.etag)
  const changed = nextDataChange(app)
  await app.prisma.$executeRaw`UPDATE unit SET focus = 'Revalidation test' WHERE slug = 'general-gynecology'`
  await changed
  const after = await app.inject({ url: list, headers: { 'if-none-match': etag } })
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, etag)
  t.match(after.body, /Revalidation test/)
  t.equal((await app.inject({ url: list, headers: { 'if-none-match': String(after.headers.etag) } })).statusCode, 304)
})

t.test('the data version moves on with each committed change, and not on a rollback', async (t) => {
  const version = async (): Promise<number> =>
    Number((await app.prisma.$queryRaw<Array<{ value: bigint }>>`SELECT value FROM data_version`)[0]!.value)
  const before = await version()
  await app.prisma.$executeRaw`UPDATE unit SET focus = 'Moved on' WHERE slug = 'general-gynecology'`
  t.ok(await version() > before, 'a committed change moves it on')
  const committed = await version()
  await t.rejects(app.prisma.$transaction(async (db) => {
    await db.$executeRaw`UPDATE unit SET focus = 'Rolled back' WHERE slug = 'general-gynecology'`
    throw new Error('roll back')
  }))
  t.equal(await version(), committed, 'a rolled-back change does not')
})

t.test('a 304 answered before the route carries the Vary and Cache-Control of its 200', async (t) => {
  const url = '/v1/metrics?department=general-gynecology&metric=beds'
  const full = await app.inject(url)
  t.equal(full.headers.vary, 'accept', 'the list answers JSON or CSV')
  const again = await app.inject({ url, headers: { 'if-none-match': String(full.headers.etag) } })
  t.equal(again.statusCode, 304)
  t.equal(again.headers['x-cache'], 'revalidated')
  for (const name of ['vary', 'cache-control', 'etag']) t.equal(again.headers[name], full.headers[name], name)
})
