import pg from 'pg'
import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp, databaseKind } from '../../helper.ts'

// The change feed: every write through the API, in commit order, read from a cursor. One app for the file.

type App = Awaited<ReturnType<typeof buildTestApp>>

interface Change {
  cursor: string
  resource: string
  id: string
  key: string
  version: number
  action: string
  at: string
  record: Record<string, unknown> | null
  location: string | null
}
interface ChangePage { data: Change[], page: { limit: number, since: string, nextCursor: string, more: boolean } }

const note = { note: 'Stated by the ward office' }

async function keys (app: App) {
  const [writer, admin] = await Promise.all([
    createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] }),
    createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  ])
  return { writer: { authorization: `Bearer ${writer.key}` }, writerId: writer.id, admin: { authorization: `Bearer ${admin.key}` } }
}

async function feed (app: App, query: string): Promise<ChangePage> {
  const response = await app.inject(`/v1/changes?${query}`)
  if (response.statusCode !== 200) throw new Error(`GET /v1/changes?${query}: ${response.statusCode} ${response.body}`)
  return response.json<ChangePage>()
}

t.test('the feed lists each write once, in order, from any cursor', async (t) => {
  const app = await buildTestApp(t)
  const { writer, admin } = await keys(app)

  const start = await feed(app, 'since=now')
  t.same(start.data, [], 'since=now lists nothing of the past')
  t.equal(start.page.more, false)
  const c0 = start.page.nextCursor
  t.equal(c0, start.page.since, 'and its cursor is where the feed stands')

  const created = await app.inject({
    method: 'POST',
    url: '/v1/departments',
    headers: writer,
    payload: { hospital: 'cqhcwc', parent: 'women-health-care-division', kind: 'department', slug: 'feed-unit', name: 'Feed Unit', provenance: note }
  })
  t.equal(created.statusCode, 201, created.body)
  const patched = await app.inject({
    method: 'PATCH',
    url: '/v1/departments/feed-unit',
    headers: { ...writer, 'if-match': created.headers.etag as string },
    payload: { establishedYear: 2021, provenance: note }
  })
  t.equal(patched.statusCode, 200, patched.body)
  const beforeArchive = (await feed(app, `since=${c0}`)).page.nextCursor
  const archived = await app.inject({ method: 'DELETE', url: '/v1/departments/feed-unit', headers: { ...writer, 'if-match': patched.headers.etag as string } })
  t.equal(archived.statusCode, 204, archived.body)
  const archiveEntry = (await app.inject({ url: '/v1/archive?resource=departments', headers: writer })).json<{ data: Array<{ id: string, entityId: string }> }>()
    .data.find((entry) => entry.entityId === created.json<{ id: string }>().id)
  t.ok(archiveEntry, 'the unit is in the archive')
  const restored = await app.inject({ method: 'POST', url: `/v1/archive/${archiveEntry!.id}/restore`, headers: admin })
  t.equal(restored.statusCode, 201, restored.body)
  const figure = await app.inject({
    method: 'POST',
    url: '/v1/metrics',
    headers: writer,
    payload: { department: 'feed-unit', metric: 'beds', value: 40, statedValue: 'more than 40', comparator: '>', period: { kind: 'point' }, statedOn: '2026-11-30', provenance: note }
  })
  t.equal(figure.statusCode, 201, figure.body)

  const all = await feed(app, `since=${c0}`)
  const unitId = created.json<{ id: string }>().id
  t.same(all.data.map((change) => [change.resource, change.action, change.version]), [
    ['departments', 'create', 1],
    ['departments', 'update', 2],
    ['departments', 'archive', 2],
    ['departments', 'restore', 3],
    ['metrics', 'create', 1]
  ], 'every write, in the order it committed, with the version it left')
  t.ok(all.data.every((change, index) => index === 0 || BigInt(change.cursor) > BigInt(all.data[index - 1]!.cursor)), 'cursors only grow')
  t.ok(all.data.slice(0, 4).every((change) => change.id === unitId && change.key === 'feed-unit'), 'each names the unit by id and slug')
  t.same(all.data[0]!.record, created.json(), 'a create carries the record as the write answered it')
  t.same(all.data[1]!.record, patched.json(), 'an update carries the record it produced')
  t.equal(all.data[1]!.location, '/v1/departments/feed-unit')
  t.equal(all.data[2]!.record, null, 'an archive carries no record…')
  t.equal(all.data[2]!.location, `/v1/archive/${archiveEntry!.id}`, '…but links its archived copy')
  t.same(all.data[3]!.record, restored.json(), 'a restore carries the record restored')
  t.equal(all.data[4]!.key, figure.json<{ id: string }>().id, 'a figure is keyed by its id')
  t.equal(all.data[4]!.location, `/v1/metrics/${figure.json<{ id: string }>().id}`)
  t.same(all.data[4]!.record, figure.json(), 'with its qualifier as written')
  t.equal(all.page.nextCursor, all.data[4]!.cursor, 'the next cursor is the last change\'s')
  t.equal(all.page.more, false)

  const fromBeforeArchive = await feed(app, `since=${beforeArchive}`)
  t.same(fromBeforeArchive.data.map((change) => change.action), ['archive', 'restore', 'create'], 'a cursor from before an archive sees the archive')

  t.same((await feed(app, `since=${c0}&resource=metrics`)).data.map((change) => change.id), [figure.json<{ id: string }>().id], 'resource filters')
  t.same((await feed(app, `since=${c0}&resource=hospitals,news`)).data, [], 'to the collections named')


  // Paging through: no change twice, none missed, and a Link to the next page while there is one.
  const seen: string[] = []
  let cursor = c0
  for (let pages = 0; pages < 10; pages++) {
    const response = await app.inject(`/v1/changes?since=${cursor}&limit=2`)
    const page = response.json<ChangePage>()
    seen.push(...page.data.map((change) => change.cursor))
    if (page.page.more) t.equal(response.headers.link, `</v1/changes?since=${page.page.nextCursor}&limit=2>; rel="next"`)
    else t.notOk(response.headers.link, 'no Link on the page that reaches the end')
    cursor = page.page.nextCursor
    if (!page.page.more) break
  }
  t.same(seen, all.data.map((change) => change.cursor), 'two at a time, the same changes')

  // The same URL after another write answers the new change (the response cache follows the data's version).
  const again = await feed(app, `since=${all.page.nextCursor}`)
  t.same(again.data, [])
  const renamed = await app.inject({
    method: 'PATCH',
    url: '/v1/departments/feed-unit',
    headers: { ...writer, 'if-match': '*' },
    payload: { name: 'Feed Unit, renamed', provenance: note }
  })
  t.equal(renamed.statusCode, 200, renamed.body)
  const renamedFeed = (await feed(app, `since=${all.page.nextCursor}`)).data
  t.same(renamedFeed.map((change) => change.action), ['update'], 'a cached empty page does not hide a new change')

  // By hospital: a change belongs to the hospital its record belonged to when written, an archive included.
  const other = await app.inject({
    method: 'POST',
    url: '/v1/hospitals',
    headers: writer,
    payload: { slug: 'feed-hospital', name: 'Feed Hospital', city: 'Chengdu', province: 'Sichuan', country: 'CN', provenance: note }
  })
  t.equal(other.statusCode, 201, other.body)
  const ours = await feed(app, `since=${c0}&hospital=cqhcwc`)
  t.same(ours.data.map((change) => change.cursor), [...all.data.map((change) => change.cursor), ...renamedFeed.map((change) => change.cursor)],
    'the unit\'s changes (its archive too) and its figure\'s are the hospital\'s')
  t.same((await feed(app, `since=${c0}&hospital=feed-hospital`)).data.map((change) => [change.resource, change.action]), [['hospitals', 'create']],
    'another hospital has only its own')
  t.equal((await feed(app, `since=${c0}&hospital=cqhcwc,feed-hospital`)).data.length, all.data.length + renamedFeed.length + 1, 'a list takes either')
  t.same((await feed(app, `since=${c0}&hospital=feed-hospital&resource=departments`)).data, [], 'with the resource filter too')
  const unknownHospital = await app.inject(`/v1/changes?hospital=cqhcwc,no-such-hospital`)
  t.equal(unknownHospital.statusCode, 400)
  t.match(unknownHospital.json(), { detail: /no-such-hospital/, errors: [{ field: '/hospital' }] }, 'an unknown hospital is named')

  for (const [query, field] of [['since=abc', '/since'], ['since=-1', '/since'], ['resource=patients', '/resource'], ['limit=0', '/limit'], ['limit=1001', '/limit'], ['cursor=1', '/cursor']]) {
    const refused = await app.inject(`/v1/changes?${query}`)
    t.equal(refused.statusCode, 400, `${query} is refused`)
    t.match(refused.headers['content-type'], /^application\/problem\+json/)
    t.match(refused.json(), { errors: [{ field }] }, `naming ${field}`)
  }
})

t.test('commit order, not start order: overlapping transactions are neither skipped nor repeated', { skip: databaseKind === 'pglite' ? 'the embedded database runs one transaction at a time' : false }, async (t) => {
  const app = await buildTestApp(t)
  const { writer, writerId } = await keys(app)
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: app.config.DATABASE_URL })
    await client.connect()
    t.teardown(() => client.end())
    return client
  }
  const [early, blocking] = await Promise.all([connect(), connect()])
  // What the writer does for a write of its own: change a row, record the audit event, in one transaction.
  const writeBehind = async (client: pg.Client, name: string): Promise<void> => {
    const [unit] = (await client.query<{ id: string, version: number }>(
      'UPDATE unit SET name = $1, version = version + 1, updated_at = now() WHERE slug = $2 RETURNING id, version', [name, 'general-gynecology'])).rows
    await client.query(
      'INSERT INTO audit_event (api_key_id, resource, entity_id, action, version, key, location) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [writerId, 'departments', unit!.id, 'update', unit!.version, 'general-gynecology', '/v1/departments/general-gynecology'])
  }
  const c0 = (await feed(app, 'since=now')).page.nextCursor

  // A transaction begins (its clock starts), another write begins after it and commits first.
  await early.query('BEGIN')
  await early.query('SELECT now()')
  const later = await app.inject({ method: 'PATCH', url: '/v1/departments/twins-department', headers: { ...writer, 'if-match': '*' }, payload: { establishedYear: 1990, provenance: note } })
  t.equal(later.statusCode, 200, later.body)
  const first = await feed(app, `since=${c0}`)
  t.same(first.data.map((change) => change.key), ['twins-department'], 'a reader sees the write that committed')
  await writeBehind(early, 'General Gynecology (early transaction)')
  await early.query('COMMIT')
  const second = await feed(app, `since=${first.page.nextCursor}`)
  t.same(second.data.map((change) => change.key), ['general-gynecology'], 'the transaction that began first and committed second comes after the cursor: not skipped')
  t.ok(second.data[0]!.at < first.data[0]!.at, 'though its time is earlier: a cursor of times or of ids taken in the transaction would have lost it')

  // While a writer holds its transaction open, a second writer waits, and neither shows until each commits, in order.
  const c1 = second.page.nextCursor
  await blocking.query('BEGIN')
  await writeBehind(blocking, 'General Gynecology (held open)')
  const waiting = app.inject({ method: 'PATCH', url: '/v1/departments/twins-department', headers: { ...writer, 'if-match': '*' }, payload: { establishedYear: 1991, provenance: note } })
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.same((await feed(app, `since=${c1}`)).data, [], 'nothing of an open transaction, nor of the write queued behind it')
  await blocking.query('COMMIT')
  t.equal((await waiting).statusCode, 200)
  const third = await feed(app, `since=${c1}`)
  t.same(third.data.map((change) => change.key), ['general-gynecology', 'twins-department'], 'then both, in commit order')
  t.same((await feed(app, `since=${c0}`)).data.map((change) => change.key),
    ['twins-department', 'general-gynecology', 'general-gynecology', 'twins-department'], 'and from the start, each once')
})
