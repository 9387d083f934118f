import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Writes of every resource through HTTP: create, read back, change with If-Match, history, archive, restore.
// One app (and database) for the file; each resource's test works on records it creates itself.

type App = Awaited<ReturnType<typeof buildTestApp>>

const note = { note: 'Stated in the hospital\'s 2026 annual report, page 3' }

interface Case {
  resource: string
  /** The key the path takes, read from the created representation. */
  key: 'slug' | 'code' | 'id'
  create: Record<string, unknown>
  patch: Record<string, unknown>
  /** A field of the representation the patch changes, and its new value. */
  changed: [string, unknown]
  /** A list that shows the record while it is live. */
  list: string
}

const cases: Case[] = [
  {
    resource: 'hospitals',
    key: 'slug',
    create: { slug: 'test-hospital', name: 'Test Hospital', city: 'Chengdu', province: 'Sichuan', country: 'CN', provenance: note },
    patch: { name: 'Test Hospital Renamed', provenance: note },
    changed: ['name', 'Test Hospital Renamed'],
    list: '/v1/hospitals?limit=100'
  },
  {
    resource: 'departments',
    key: 'slug',
    create: { hospital: 'cqhcwc', parent: 'women-health-care-division', kind: 'department', slug: 'test-unit', name: 'Test Unit', provenance: note },
    patch: { establishedYear: 2020, provenance: note },
    changed: ['establishedYear', 2020],
    list: '/v1/departments?hospital=cqhcwc&limit=100'
  },
  {
    resource: 'metrics',
    key: 'id',
    create: { department: 'general-gynecology', metric: 'beds', value: 92, statedValue: '92', period: { kind: 'point' }, statedOn: '2026-01-01', provenance: note },
    patch: { value: 95, statedValue: 'about 95', approximate: true, provenance: note },
    changed: ['value', 95],
    list: '/v1/metrics?department=general-gynecology&metric=beds&limit=100'
  },
  {
    resource: 'metric-definitions',
    key: 'code',
    create: { code: 'beds.icu', name: 'Intensive care beds', description: 'Beds in intensive care', unit: '{bed}', unitLabel: 'beds', category: 'capacity', additive: true },
    patch: { name: 'ICU beds' },
    changed: ['name', 'ICU beds'],
    list: '/v1/metric-definitions?limit=100'
  },
  {
    resource: 'honors',
    key: 'id',
    create: { hospital: 'cqhcwc', department: 'general-gynecology', slug: 'test-honor', title: 'Test honor', kind: 'designation', level: 'national', year: 2026, provenance: note },
    patch: { title: 'Test honor, renamed', provenance: note },
    changed: ['title', 'Test honor, renamed'],
    list: '/v1/honors?department=general-gynecology&limit=100'
  },
  {
    resource: 'services',
    key: 'id',
    create: { department: 'general-gynecology', slug: 'robotic-surgery', name: 'Robot-assisted surgery', kind: 'procedure', provenance: note },
    patch: { description: 'With the new surgical robot', provenance: note },
    changed: ['description', 'With the new surgical robot'],
    list: '/v1/services?department=general-gynecology&limit=100'
  },
  {
    resource: 'conditions',
    key: 'slug',
    create: { slug: 'test-condition', name: 'Test condition' },
    patch: { name: 'Test condition, renamed' },
    changed: ['name', 'Test condition, renamed'],
    list: '/v1/conditions?limit=100'
  },
  {
    resource: 'condition-links',
    key: 'id',
    create: { condition: 'twin-pregnancy', department: 'perinatal-medical-center', relation: 'treated', provenance: note },
    patch: { relation: 'managed', provenance: note },
    changed: ['relation', 'managed'],
    list: '/v1/condition-links?condition=twin-pregnancy&limit=100'
  },
  {
    resource: 'events',
    key: 'id',
    create: { hospital: 'cqhcwc', slug: 'test-event', title: 'New building opened', kind: 'milestone', occurredOn: '2026-10-01', datePrecision: 'month', provenance: note },
    patch: { description: null, title: 'New inpatient building opened', provenance: note },
    changed: ['title', 'New inpatient building opened'],
    list: '/v1/events?hospital=cqhcwc&limit=100'
  },
  {
    resource: 'news',
    key: 'slug',
    create: { hospital: 'cqhcwc', slug: 'test-news', title: 'Test news', publishedOn: '2026-11-01', body: 'The body.', departments: ['general-gynecology'], provenance: note },
    patch: { departments: [], summary: 'In short', provenance: note },
    changed: ['summary', 'In short'],
    list: '/v1/news?hospital=cqhcwc&limit=100'
  },
  {
    resource: 'regions',
    key: 'slug',
    create: { slug: 'test-district', name: 'Test District', level: 'district', parent: 'chongqing', code: '500199' },
    patch: { name: 'Test District Renamed' },
    changed: ['name', 'Test District Renamed'],
    list: '/v1/regions?parent=chongqing&limit=100'
  }
]

async function keys (app: App) {
  const [reader, writer, admin] = await Promise.all([
    createApiKey(app.prisma, { name: 'Partner app', scopes: ['read'] }),
    createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] }),
    createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
  ])
  const bearer = (key: { key: string }) => ({ authorization: `Bearer ${key.key}` })
  return { reader: bearer(reader), writer: bearer(writer), admin: bearer(admin), writerPrefix: writer.prefix }
}

function listed (app: App, url: string, id: string) {
  return app.inject(url).then((response) => response.json<{ data: Array<{ id: string }> }>().data.some((item) => item.id === id))
}

t.test('every resource: create, read, change, history, archive, restore', async (t) => {
  const app = await buildTestApp(t)
  const { writer, admin, reader, writerPrefix } = await keys(app)

  for (const testCase of cases) {
    await t.test(testCase.resource, async (t) => {
      const base = `/v1/${testCase.resource}`
      const auditBefore = await app.prisma.auditEvent.count()

      const created = await app.inject({ method: 'POST', url: base, headers: writer, payload: testCase.create })
      t.equal(created.statusCode, 201, created.body)
      t.match(created.headers['content-type'], /^application\/json/)
      const body = created.json<Record<string, unknown> & { id: string, version: number }>()
      t.equal(body.version, 1)
      const location = `${base}/${String(body[testCase.key])}`
      t.equal(created.headers.location, location, 'Location is the new record\'s URL')
      t.match(created.headers.etag, /^"1\.[A-Za-z0-9_-]+"$/, 'a strong ETag naming version 1')
      t.ok(await listed(app, testCase.list, body.id), 'the list shows it')

      const read = await app.inject(location)
      t.equal(read.statusCode, 200)
      t.equal(read.headers.etag, created.headers.etag, 'GET has the ETag the write returned')
      t.same(read.json(), body, 'GET shows what the write returned')
      t.equal((await app.inject({ url: location, headers: { 'if-none-match': created.headers.etag as string } })).statusCode, 304)

      const noPrecondition = await app.inject({ method: 'PATCH', url: location, headers: writer, payload: testCase.patch })
      t.equal(noPrecondition.statusCode, 428)
      t.match(noPrecondition.json(), { type: '/problems/precondition-required' })

      const changed = await app.inject({
        method: 'PATCH',
        url: location,
        headers: { ...writer, 'if-match': created.headers.etag as string, 'content-type': 'application/merge-patch+json' },
        payload: JSON.stringify(testCase.patch)
      })
      t.equal(changed.statusCode, 200, changed.body)
      const after = changed.json<Record<string, unknown> & { version: number }>()
      t.equal(after.version, 2)
      t.equal(after[testCase.changed[0]], testCase.changed[1])
      t.match(changed.headers.etag, /^"2\./)
      t.not(changed.headers.etag, created.headers.etag)

      const stale = await app.inject({ method: 'PATCH', url: location, headers: { ...writer, 'if-match': created.headers.etag as string }, payload: testCase.patch })
      t.equal(stale.statusCode, 412, 'the first ETag is stale now')
      t.match(stale.json(), { type: '/problems/precondition-failed', detail: /version 2/ })
      t.equal(stale.headers.etag, changed.headers.etag, 'the 412 names the current ETag')

      const history = await app.inject({ url: `${location}/history`, headers: reader })
      t.equal(history.statusCode, 200)
      const events = history.json<{ data: Array<{ action: string, version: number, actor: { prefix: string }, before: unknown, after: unknown }> }>().data
      t.same(events.map((event) => [event.action, event.version]), [['update', 2], ['create', 1]], 'newest first')
      t.equal(events[0]!.actor.prefix, writerPrefix)
      t.match(events[0]!.before, { version: 1 })
      t.match(events[0]!.after, { version: 2, [testCase.changed[0]]: testCase.changed[1] })
      t.equal(events[1]!.before, null)

      const archived = await app.inject({ method: 'DELETE', url: location, headers: { ...writer, 'if-match': changed.headers.etag as string } })
      t.equal(archived.statusCode, 204, archived.body)
      t.equal(archived.body, '')
      t.equal((await app.inject(location)).statusCode, 404, 'gone from reads')
      t.notOk(await listed(app, testCase.list, body.id), 'gone from the list')
      t.equal((await app.inject({ method: 'DELETE', url: location, headers: { ...writer, 'if-match': '*' } })).statusCode, 404)

      const archive = await app.inject({ url: `/v1/archive?resource=${testCase.resource}`, headers: writer })
      const entry = archive.json<{ data: Array<{ id: string, entityId: string, representation: { version: number } }> }>().data
        .find((record) => record.entityId === body.id)
      t.ok(entry, 'the archive holds it')
      t.equal(entry!.representation.version, 2)

      t.equal((await app.inject({ method: 'POST', url: `/v1/archive/${entry!.id}/restore`, headers: writer })).statusCode, 403, 'restoring is for admins')
      const restored = await app.inject({ method: 'POST', url: `/v1/archive/${entry!.id}/restore`, headers: admin })
      t.equal(restored.statusCode, 201, restored.body)
      t.equal(restored.headers.location, location)
      const back = await app.inject(location)
      t.equal(back.statusCode, 200)
      t.equal(back.json<{ id: string }>().id, body.id, 'same id')
      t.equal(back.json<{ version: number }>().version, 3, 'one version later')
      t.same({ ...back.json<object>(), version: 0, updatedAt: '' }, { ...after, version: 0, updatedAt: '' }, 'restored as it was archived')
      t.ok(await listed(app, testCase.list, body.id), 'listed again')
      t.equal((await app.inject({ method: 'POST', url: `/v1/archive/${entry!.id}/restore`, headers: admin })).statusCode, 404, 'restored once')

      const actions = (await app.prisma.auditEvent.findMany({ where: { entityId: body.id }, orderBy: { occurredAt: 'asc' } })).map((event) => event.action)
      t.same(actions, ['create', 'update', 'archive', 'restore'])
      t.equal(await app.prisma.auditEvent.count(), auditBefore + 4, 'one audit row per write, none for the refused ones')
    })
  }
})

t.test('bodies are closed: unknown and server-owned fields are refused, not dropped', async (t) => {
  const app = await buildTestApp(t)
  const { writer } = await keys(app)
  for (const testCase of cases) {
    for (const field of ['id', 'version', 'createdAt', 'updatedAt', 'source', 'links', 'colour']) {
      const response = await app.inject({ method: 'POST', url: `/v1/${testCase.resource}`, headers: writer, payload: { ...testCase.create, [field]: 'x' } })
      t.equal(response.statusCode, 400, `${testCase.resource} POST with ${field}`)
      t.match(response.headers['content-type'], /^application\/problem\+json/)
      t.match(response.json(), {
        type: '/problems/invalid-request',
        errors: [{ in: 'body', field: `/${field}`, message: field === 'colour' ? 'is not a known field' : 'is set by the server and cannot be written' }]
      })
    }
  }
  t.equal(await app.prisma.auditEvent.count(), 0, 'nothing was written')
  const honor = await app.inject({ method: 'GET', url: '/v1/honors?limit=1' })
  const id = honor.json<{ data: Array<{ id: string }> }>().data[0]!.id
  const patched = await app.inject({ method: 'PATCH', url: `/v1/honors/${id}`, headers: { ...writer, 'if-match': '*' }, payload: { version: 7, provenance: note } })
  t.equal(patched.statusCode, 400)
  t.match(patched.json(), { errors: [{ field: '/version', message: 'is set by the server and cannot be written' }] })
  const empty = await app.inject({ method: 'PATCH', url: `/v1/conditions/cesarean-scar-pregnancy`, headers: { ...writer, 'if-match': '*' }, payload: {} })
  t.equal(empty.statusCode, 400, 'an empty patch changes nothing and is refused')
})

t.test('references, uniqueness and provenance answer 409/422/400 problems that name the field', async (t) => {
  const app = await buildTestApp(t)
  const { writer } = await keys(app)
  const honor = { hospital: 'cqhcwc', slug: 'unique-honor', title: 'Honor', kind: 'recognition', provenance: note }
  const post = async (url: string, payload: object) => app.inject({ method: 'POST', url, headers: writer, payload })

  t.equal((await post('/v1/honors', honor)).statusCode, 201)
  const sources = await app.prisma.sourceDocument.count()
  const audits = await app.prisma.auditEvent.count()

  const duplicate = await post('/v1/honors', honor)
  t.equal(duplicate.statusCode, 409)
  t.match(duplicate.json(), { type: '/problems/conflict', errors: [{ in: 'body', field: '/slug' }] })

  const refusals: Array<[string, object, number, string]> = [
    ['/v1/honors', { ...honor, slug: 'x1', hospital: 'no-such-hospital' }, 422, '/hospital'],
    ['/v1/honors', { ...honor, slug: 'x2', department: 'no-such-unit' }, 422, '/department'],
    ['/v1/metrics', { ...cases[2]!.create, metric: 'no.such.metric' }, 422, '/metric'],
    ['/v1/departments', { ...cases[1]!.create, parent: 'general-gynecology-nope' }, 422, '/parent'],
    ['/v1/departments', { ...cases[1]!.create, slug: 'general-gynecology' }, 409, '/slug'],
    ['/v1/metrics', { ...cases[2]!.create, period: { kind: 'span', start: '2026-01-01', end: '2025-01-01' } }, 400, '/period/start'],
    ['/v1/honors', { ...honor, slug: 'x3', provenance: {} }, 400, '/provenance/source'],
    ['/v1/honors', { ...honor, slug: 'x4', provenance: { note: 'n', quote: 'q' } }, 400, '/provenance'],
    ['/v1/honors', { ...honor, slug: 'x5', provenance: { source: '00000000-0000-4000-8000-000000000000', quote: 'q' } }, 422, '/provenance/source']
  ]
  for (const [url, payload, status, field] of refusals) {
    const response = await post(url, payload)
    t.equal(response.statusCode, status, `${url} ${field}: ${response.body}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { status, errors: [{ field }] })
  }
  const withoutProvenance = await post('/v1/honors', { ...honor, slug: 'x6', provenance: undefined })
  t.equal(withoutProvenance.statusCode, 400)
  t.match(withoutProvenance.json(), { errors: [{ field: '/provenance', message: 'is required' }] })

  t.equal(await app.prisma.sourceDocument.count(), sources, 'a refused write leaves no manual-entry source behind')
  t.equal(await app.prisma.auditEvent.count(), audits, 'and no audit row')
})

t.test('provenance: a quote must occur in its document; a note becomes a manual entry by the key', async (t) => {
  const app = await buildTestApp(t)
  const { writer, writerPrefix } = await keys(app)
  const document = await app.prisma.sourceDocument.findFirstOrThrow({ where: { title: 'General Gynecology Department' } })
  const sentence = document.fullText.split(/(?<=\.)\s+/).find((line) => line.includes('88 beds'))!
  const figure = { department: 'general-gynecology', metric: 'staff.doctors', value: 21, statedValue: '21', period: { kind: 'point' } }

  const quoted = await app.inject({
    method: 'POST',
    url: '/v1/metrics',
    headers: writer,
    // Whitespace may differ from the document's; nothing else may.
    payload: { ...figure, metric: 'beds.icu.none', provenance: { source: document.id, quote: sentence.replace(/ /g, '  ') } }
  })
  t.equal(quoted.statusCode, 422, 'the metric does not exist')
  const good = await app.inject({ method: 'POST', url: '/v1/metrics', headers: writer, payload: { ...figure, note: 'x', provenance: { source: document.id, quote: `  ${sentence.replace(/ /g, '\n')}` } } })
  t.equal(good.statusCode, 409, 'the document already backs a doctors figure for this unit')
  t.match(good.json(), { type: '/problems/conflict' })

  const typo = await app.inject({ method: 'POST', url: '/v1/honors', headers: writer, payload: { hospital: 'cqhcwc', slug: 'q', title: 'Q', kind: 'recognition', provenance: { source: document.id, quote: sentence.replace('88', '89') } } })
  t.equal(typo.statusCode, 422)
  t.match(typo.json(), { errors: [{ field: '/provenance/quote', message: /does not occur in "General Gynecology Department"/ }] })

  const cited = await app.inject({ method: 'POST', url: '/v1/honors', headers: writer, payload: { hospital: 'cqhcwc', slug: 'q', title: 'Q', kind: 'recognition', provenance: { source: document.id, quote: sentence } } })
  t.equal(cited.statusCode, 201)
  t.match(cited.json(), { source: { id: document.id, title: 'General Gynecology Department', quote: sentence } })

  const noted = await app.inject({ method: 'POST', url: '/v1/metrics', headers: writer, payload: { ...figure, metric: 'beds', value: 92, statedValue: '92', provenance: note } })
  t.equal(noted.statusCode, 201)
  const source = noted.json<{ source: { id: string, title: string, quote: string, statedOn: string } }>().source
  t.equal(source.quote, note.note, 'the note is the quote')
  t.equal(source.title, `Entered by Ward office (${writerPrefix})`)
  t.equal(source.statedOn, new Date().toISOString().slice(0, 10))
  const detail = await app.inject(`/v1/sources/${source.id}`)
  t.match(detail.json(), { kind: 'manual_entry', enteredBy: { prefix: writerPrefix, name: 'Ward office' }, fullText: note.note })
  t.equal(detail.json<{ facts: { observations: unknown[] } }>().facts.observations.length, 1, 'the source lists the figure it backs')
})

t.test('20 concurrent writers with the same ETag: exactly one succeeds', async (t) => {
  const app = await buildTestApp(t)
  const { writer } = await keys(app)
  const url = '/v1/departments/general-gynecology'
  const etag = (await app.inject(url)).headers.etag as string
  const responses = await Promise.all(Array.from({ length: 20 }, (_, index) => app.inject({
    method: 'PATCH',
    url,
    headers: { ...writer, 'if-match': etag },
    payload: { focus: `writer ${index}`, provenance: note }
  })))
  const statuses = responses.map((response) => response.statusCode)
  t.equal(statuses.filter((status) => status === 200).length, 1, `statuses: ${statuses.join(',')}`)
  t.equal(statuses.filter((status) => status === 412).length, 19)
  const winner = responses.find((response) => response.statusCode === 200)!.json<{ focus: string }>().focus
  const now = (await app.inject(url)).json<{ focus: string, version: number }>()
  t.equal(now.focus, winner, 'the stored state is the winner\'s')
  t.equal(now.version, 2)
  t.equal(await app.prisma.auditEvent.count({ where: { action: 'update' } }), 1, 'one audit row')
})

t.test('If-Match: weak tags and other versions never match; * matches any version', async (t) => {
  const app = await buildTestApp(t)
  const { writer } = await keys(app)
  const url = '/v1/conditions/cesarean-scar-pregnancy'
  const read = await app.inject(url)
  t.equal(read.statusCode, 200)
  const etag = read.headers.etag as string
  t.match(etag, /^"\d+\.\d+-[A-Za-z0-9_-]{16}"$/)
  for (const ifMatch of [`W/${etag}`, '"99"', '"abc"', 'garbage']) {
    const response = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': ifMatch }, payload: { name: 'x' } })
    t.equal(response.statusCode, 412, ifMatch)
  }
  const listed = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': `"77.x", ${etag}` }, payload: { name: 'Cesarean scar pregnancy (any stage)' } })
  t.equal(listed.statusCode, 200, 'a list matches when one of its tags does')
  const any = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': '*' }, payload: { name: 'Cesarean scar pregnancy' } })
  t.equal(any.statusCode, 200)
  t.equal(any.json<{ version: number }>().version, 3)
})

t.test('archiving what others refer to is refused; restoring into a taken slug is refused', async (t) => {
  const app = await buildTestApp(t)
  const { writer, admin } = await keys(app)
  const refused = await app.inject({ method: 'DELETE', url: '/v1/departments/general-gynecology', headers: { ...writer, 'if-match': '*' } })
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), { type: '/problems/conflict', detail: /still has \d+ figures, .*archive those first/ })
  t.equal((await app.inject('/v1/departments/general-gynecology')).statusCode, 200, 'still there')

  const definition = await app.inject({ method: 'DELETE', url: '/v1/metric-definitions/beds', headers: { ...writer, 'if-match': '*' } })
  t.equal(definition.statusCode, 409, 'a metric with figures')

  const created = await app.inject({ method: 'POST', url: '/v1/conditions', headers: writer, payload: { slug: 'twice', name: 'First' } })
  t.equal(created.statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/conditions/twice', headers: { ...writer, 'if-match': created.headers.etag as string } })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: '/v1/conditions', headers: writer, payload: { slug: 'twice', name: 'Second' } })).statusCode, 201, 'the slug is free again')
  const entry = (await app.prisma.archivedRecord.findFirstOrThrow({ where: { label: 'twice' } })).id
  const restore = await app.inject({ method: 'POST', url: `/v1/archive/${entry}/restore`, headers: admin })
  t.equal(restore.statusCode, 409)
  t.match(restore.json(), { type: '/problems/conflict', detail: /cannot be restored/ })
  t.ok(await app.prisma.archivedRecord.findUnique({ where: { id: entry } }), 'the archive entry stays')
  t.equal((await app.inject('/v1/conditions/twice')).json<{ name: string }>().name, 'Second')

  // A condition takes the links to the units that treat it along into the archive, and back.
  const links = await app.prisma.unitCondition.count({ where: { condition: { slug: 'cesarean-scar-pregnancy' } } })
  t.ok(links > 0)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/conditions/cesarean-scar-pregnancy', headers: { ...writer, 'if-match': '*' } })).statusCode, 204)
  t.equal(await app.prisma.unitCondition.count({ where: { condition: { slug: 'cesarean-scar-pregnancy' } } }), 0)
  const archived = await app.prisma.archivedRecord.findFirstOrThrow({ where: { label: 'cesarean-scar-pregnancy' } })
  t.equal((await app.inject({ method: 'POST', url: `/v1/archive/${archived.id}/restore`, headers: admin })).statusCode, 201)
  t.equal(await app.prisma.unitCondition.count({ where: { condition: { slug: 'cesarean-scar-pregnancy' } } }), links, 'links restored')
})

t.test('condition links: written with provenance, one per unit and condition, archived before their unit', async (t) => {
  const app = await buildTestApp(t)
  const { writer, admin } = await keys(app)
  const post = async (url: string, payload: object) => app.inject({ method: 'POST', url, headers: writer, payload })
  const unit = await post('/v1/departments', { ...cases[1]!.create, slug: 'link-test-unit' })
  t.equal(unit.statusCode, 201, unit.body)
  const link = await post('/v1/condition-links', { condition: 'lung-cancer', department: 'link-test-unit', relation: 'screened', provenance: note })
  t.equal(link.statusCode, 201, link.body)
  const linkBody = link.json<{ id: string, condition: { slug: string }, department: { slug: string }, source: { quote: string } }>()
  t.match(linkBody, { condition: { slug: 'lung-cancer' }, department: { slug: 'link-test-unit' }, relation: 'screened', source: { quote: note.note } })

  const condition = (await app.inject('/v1/conditions/lung-cancer')).json<{ departments: Array<{ id: string }> }>()
  t.ok(condition.departments.some((item) => item.id === linkBody.id), 'the condition lists the unit with the link\'s id')
  const included = (await app.inject('/v1/departments/link-test-unit?include=conditions')).json<{ conditions: Array<{ id: string }> }>()
  t.same(included.conditions.map((item) => item.id), [linkBody.id], 'and the unit lists the condition')

  const twice = await post('/v1/condition-links', { condition: 'lung-cancer', department: 'link-test-unit', relation: 'treated', provenance: note })
  t.equal(twice.statusCode, 409, 'one link per unit and condition')
  t.match(twice.json(), { type: '/problems/conflict', errors: [{ field: '/department' }] })
  const nothing = await post('/v1/condition-links', { condition: 'no-such-condition', department: 'link-test-unit', relation: 'treated', provenance: note })
  t.equal(nothing.statusCode, 422)
  t.match(nothing.json(), { errors: [{ field: '/condition', message: /names no condition/ }] })
  const unsourced = await post('/v1/condition-links', { condition: 'stroke', department: 'link-test-unit', relation: 'treated' })
  t.equal(unsourced.statusCode, 400, 'a link needs provenance like any other fact')

  const blocked = await app.inject({ method: 'DELETE', url: '/v1/departments/link-test-unit', headers: { ...writer, 'if-match': '*' } })
  t.equal(blocked.statusCode, 409)
  t.match(blocked.json(), { detail: /1 condition link/ })
  t.equal((await app.inject({ method: 'DELETE', url: link.headers.location as string, headers: { ...writer, 'if-match': link.headers.etag as string } })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/departments/link-test-unit', headers: { ...writer, 'if-match': '*' } })).statusCode, 204, 'the unit goes once its link has')

  // The link cannot come back while its unit is archived: the problem says what to restore first.
  const linkEntry = await app.prisma.archivedRecord.findFirstOrThrow({ where: { entityId: linkBody.id } })
  const early = await app.inject({ method: 'POST', url: `/v1/archive/${linkEntry.id}/restore`, headers: admin })
  t.equal(early.statusCode, 409, early.body)
  t.match(early.headers['content-type'], /^application\/problem\+json/)
  t.match(early.json(), { type: '/problems/conflict', detail: /cannot be restored: something it belongs to .* is archived\. Restore that first/ })
  t.ok(await app.prisma.archivedRecord.findUnique({ where: { id: linkEntry.id } }), 'the archive entry stays')
  t.equal(await app.prisma.auditEvent.count({ where: { entityId: linkBody.id, action: 'restore' } }), 0, 'and no restore is recorded')

  const unitEntry = await app.prisma.archivedRecord.findFirstOrThrow({ where: { label: 'link-test-unit' } })
  t.equal((await app.inject({ method: 'POST', url: `/v1/archive/${unitEntry.id}/restore`, headers: admin })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: `/v1/archive/${linkEntry.id}/restore`, headers: admin })).statusCode, 201, 'then the link')
  const back = await app.inject(`/v1/condition-links?department=link-test-unit`)
  t.same(back.json<{ data: Array<{ id: string }> }>().data.map((item) => item.id), [linkBody.id])
})

t.test('archived records leave statistics and search', async (t) => {
  const app = await buildTestApp(t)
  const { writer } = await keys(app)
  const total = async () => (await app.inject('/v1/statistics/summary?metric=beds')).json<{ data: Array<{ total: { value: number } }> }>().data[0]!.total.value
  const before = await total()
  const created = await app.inject({ method: 'POST', url: '/v1/metrics', headers: writer, payload: { ...cases[2]!.create, department: 'twins-department' } })
  t.equal(created.statusCode, 201, created.body)
  t.equal(await total(), before + 92, 'the new figure counts at once (same instance)')
  t.equal((await app.inject({ method: 'DELETE', url: created.headers.location as string, headers: { ...writer, 'if-match': created.headers.etag as string } })).statusCode, 204)
  t.equal(await total(), before, 'the archived figure no longer counts')

  const honor = await app.inject({ method: 'POST', url: '/v1/honors', headers: writer, payload: { hospital: 'cqhcwc', slug: 'zyxwv-award', title: 'Zyxwv award', kind: 'recognition', provenance: note } })
  const found = async () => (await app.inject('/v1/search?q=zyxwv')).json<{ data: unknown[] }>().data.length
  t.equal(await found(), 1)
  await app.inject({ method: 'DELETE', url: honor.headers.location as string, headers: { ...writer, 'if-match': '*' } })
  t.equal(await found(), 0)
})
