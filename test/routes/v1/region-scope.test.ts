import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// A key scoped to a region writes only inside it, on every write route: the operations are read from the app's own
// OpenAPI document, so a write route without a case here fails this test. For each, a write to a record of a hospital
// outside the region is refused with 403 and one inside is accepted. The key has the admin scope, so that scopes are
// never why it is refused. One app and database for the file.

type App = Awaited<ReturnType<typeof buildTestApp>>
type Json = Record<string, any>
type Place = 'inside' | 'outside'
interface Call { method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object }

const note = { note: 'Entered by the district office' }

t.test('a region-scoped key is refused outside its region on every write operation', async (t) => {
  const app = await buildTestApp(t)
  const bearer = (key: { key: string }) => ({ authorization: `Bearer ${key.key}` })
  const root = bearer(await createApiKey(app.prisma, { name: 'Bureau', scopes: ['admin'] }))
  const scoped = await createApiKey(app.prisma, { name: 'Chongqing office', scopes: ['admin'], region: 'chongqing' })
  t.equal(scoped.region, 'chongqing')

  let counter = 0
  const unique = (name: string) => `${name}-${++counter}`
  async function make (url: string, payload: object): Promise<Json> {
    const response = await app.inject({ method: 'POST', url, headers: root, payload })
    if (response.statusCode !== 201) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
    return response.json()
  }

  // Outside: a province beside Chongqing, with a hospital and a unit.
  await make('/v1/regions', { slug: 'sichuan', name: 'Sichuan', level: 'province', parent: 'china' })
  await make('/v1/regions', { slug: 'chengdu', name: 'Chengdu', level: 'prefecture', parent: 'sichuan' })
  await make('/v1/hospitals', { slug: 'outside-hospital', name: 'Outside Hospital', city: 'Chengdu', province: 'Sichuan', country: 'CN', region: 'chengdu', provenance: note })
  await make('/v1/departments', { hospital: 'outside-hospital', kind: 'department', slug: 'outside-unit', name: 'Outside Unit', provenance: note })

  const hospitalOf = (place: Place) => place === 'inside' ? 'cqhcwc' : 'outside-hospital'
  const unitOf = (place: Place) => place === 'inside' ? 'general-gynecology' : 'outside-unit'
  const regionOf = (place: Place) => place === 'inside' ? 'chongqing' : 'chengdu'
  const figure = (place: Place) => ({ department: unitOf(place), metric: 'beds', value: 3, statedValue: '3', period: { kind: 'point' }, provenance: note })

  const fresh = {
    region: async (place: Place) => (await make('/v1/regions', { slug: unique('district'), name: 'District', level: 'district', parent: regionOf(place) })).slug as string,
    hospital: async (place: Place) => (await make('/v1/hospitals', {
      slug: unique('hospital'), name: 'Hospital', city: 'C', province: 'P', country: 'CN', region: regionOf(place), provenance: note
    })).slug as string,
    unit: async (place: Place) => (await make('/v1/departments', { hospital: hospitalOf(place), kind: 'department', slug: unique('unit'), name: 'Unit', provenance: note })).slug as string,
    alias: async (place: Place) => (await make('/v1/department-aliases', { department: unitOf(place), slug: unique('alias'), name: 'Alias', provenance: note })).slug as string,
    figure: async (place: Place) => (await make('/v1/metrics', figure(place))).id as string,
    honor: async (place: Place) => (await make('/v1/honors', { hospital: hospitalOf(place), slug: unique('honor'), title: 'Honor', kind: 'recognition', provenance: note })).id as string,
    service: async (place: Place) => (await make('/v1/services', { department: unitOf(place), slug: unique('service'), name: 'Service', kind: 'clinic', provenance: note })).id as string,
    condition: async () => (await make('/v1/conditions', { slug: unique('condition'), name: 'Condition' })).slug as string,
    link: async (place: Place) => (await make('/v1/condition-links', { condition: await fresh.condition(), department: unitOf(place), relation: 'treated', provenance: note })).id as string,
    definition: async () => (await make('/v1/metric-definitions', {
      code: `test.${unique('metric').replace('-', '_')}`, name: 'M', description: 'M', unit: '1', unitLabel: 'items', category: 'activity', additive: true
    })).code as string,
    event: async (place: Place) => (await make('/v1/events', { hospital: hospitalOf(place), slug: unique('event'), title: 'Event', kind: 'milestone', datePrecision: 'unknown', provenance: note })).id as string,
    news: async (place: Place) => (await make('/v1/news', { hospital: hospitalOf(place), slug: unique('news'), title: 'News', publishedOn: '2026-11-01', body: 'Body.', provenance: note })).slug as string,
    source: async (place: Place) => (await make('/v1/sources', {
      title: 'Ward report', kind: 'department_page', hospital: hospitalOf(place), text: `The ${place === 'inside' ? 'General Gynecology Department' : 'Outside Unit'} currently has ${++counter} beds.`
    })).id as string,
    /** A source of the place and one of the candidates extraction proposed from it. */
    candidate: async (place: Place) => {
      const source = await fresh.source(place)
      const listed = await app.inject({ url: `/v1/sources/${source}/candidates`, headers: root })
      const candidate = listed.json<{ data: Array<{ id: string }> }>().data[0]
      if (candidate === undefined) throw new Error(`no candidate from ${listed.body}`)
      return { source, candidate: candidate.id }
    },
    /** A webhook subscription, switched off so that nothing is sent from this test. */
    webhook: async () => (await app.prisma.webhookSubscription.create({ data: { url: 'https://93.184.215.14/hooks', secret: 'whsec_AAAA', enabled: false } })).id,
    /** A delivery of such a subscription, of a change already made. */
    delivery: async () => {
      const subscriptionId = await fresh.webhook()
      const event = await app.prisma.auditEvent.findFirstOrThrow({ select: { position: true } })
      const id = `msg_${(++counter).toString(16).padStart(32, '0')}`
      await app.prisma.webhookDelivery.create({ data: { id, subscriptionId, position: event.position, eventType: 'departments.updated' } })
      return { subscriptionId, id }
    },
    archived: async (place: Place) => {
      const honor = await fresh.honor(place)
      await app.inject({ method: 'DELETE', url: `/v1/honors/${honor}`, headers: { ...root, 'if-match': '*' } })
      const archive = await app.inject({ url: '/v1/archive?resource=honors&limit=100', headers: root })
      return archive.json<{ data: Array<{ id: string, entityId: string }> }>().data.find((entry) => entry.entityId === honor)!.id
    }
  }

  const patch = (url: string, payload: object): Call => ({ method: 'PATCH', url, payload })
  const remove = (url: string): Call => ({ method: 'DELETE', url })
  const post = (url: string, payload: object = {}): Call => ({ method: 'POST', url, payload })

  /** Each write operation: the call for a record inside or outside the region; `shared` for reference data, in none. */
  const operations: Record<string, { call: (place: Place) => Promise<Call>, shared?: true }> = {
    createRegion: { call: async (place) => post('/v1/regions', { slug: unique('district'), name: 'District', level: 'district', parent: regionOf(place) }) },
    updateRegion: { call: async (place) => patch(`/v1/regions/${await fresh.region(place)}`, { name: 'Renamed' }) },
    archiveRegion: { call: async (place) => remove(`/v1/regions/${await fresh.region(place)}`) },
    createHospital: {
      call: async (place) => post('/v1/hospitals', { slug: unique('hospital'), name: 'H', city: 'C', province: 'P', country: 'CN', region: regionOf(place), provenance: note })
    },
    updateHospital: { call: async (place) => patch(`/v1/hospitals/${await fresh.hospital(place)}`, { name: 'Renamed', provenance: note }) },
    archiveHospital: { call: async (place) => remove(`/v1/hospitals/${await fresh.hospital(place)}`) },
    createDepartment: { call: async (place) => post('/v1/departments', { hospital: hospitalOf(place), kind: 'center', slug: unique('unit'), name: 'U', provenance: note }) },
    updateDepartment: { call: async (place) => patch(`/v1/departments/${await fresh.unit(place)}`, { name: 'Renamed', provenance: note }) },
    archiveDepartment: { call: async (place) => remove(`/v1/departments/${await fresh.unit(place)}`) },
    createDepartmentAlias: { call: async (place) => post('/v1/department-aliases', { department: unitOf(place), slug: unique('alias'), name: 'A', provenance: note }) },
    updateDepartmentAlias: { call: async (place) => patch(`/v1/department-aliases/${await fresh.alias(place)}`, { name: 'Renamed', provenance: note }) },
    archiveDepartmentAlias: { call: async (place) => remove(`/v1/department-aliases/${await fresh.alias(place)}`) },
    createMetric: { call: async (place) => post('/v1/metrics', figure(place)) },
    updateMetric: { call: async (place) => patch(`/v1/metrics/${await fresh.figure(place)}`, { value: 4, statedValue: '4', provenance: note }) },
    archiveMetric: { call: async (place) => remove(`/v1/metrics/${await fresh.figure(place)}`) },
    createMetricDefinition: {
      shared: true,
      call: async () => post('/v1/metric-definitions', { code: 'test.shared', name: 'M', description: 'M', unit: '1', unitLabel: 'items', category: 'activity', additive: true })
    },
    updateMetricDefinition: { shared: true, call: async () => patch(`/v1/metric-definitions/${await fresh.definition()}`, { name: 'Renamed' }) },
    archiveMetricDefinition: { shared: true, call: async () => remove(`/v1/metric-definitions/${await fresh.definition()}`) },
    createHonor: { call: async (place) => post('/v1/honors', { hospital: hospitalOf(place), slug: unique('honor'), title: 'H', kind: 'recognition', provenance: note }) },
    updateHonor: { call: async (place) => patch(`/v1/honors/${await fresh.honor(place)}`, { title: 'Renamed', provenance: note }) },
    archiveHonor: { call: async (place) => remove(`/v1/honors/${await fresh.honor(place)}`) },
    createService: { call: async (place) => post('/v1/services', { department: unitOf(place), slug: unique('service'), name: 'S', kind: 'clinic', provenance: note }) },
    updateService: { call: async (place) => patch(`/v1/services/${await fresh.service(place)}`, { name: 'Renamed', provenance: note }) },
    archiveService: { call: async (place) => remove(`/v1/services/${await fresh.service(place)}`) },
    createCondition: { shared: true, call: async () => post('/v1/conditions', { slug: 'shared-condition', name: 'C' }) },
    updateCondition: { shared: true, call: async () => patch(`/v1/conditions/${await fresh.condition()}`, { name: 'Renamed' }) },
    archiveCondition: { shared: true, call: async () => remove(`/v1/conditions/${await fresh.condition()}`) },
    createConditionLink: {
      call: async (place) => post('/v1/condition-links', { condition: await fresh.condition(), department: unitOf(place), relation: 'managed', provenance: note })
    },
    updateConditionLink: { call: async (place) => patch(`/v1/condition-links/${await fresh.link(place)}`, { relation: 'screened', provenance: note }) },
    archiveConditionLink: { call: async (place) => remove(`/v1/condition-links/${await fresh.link(place)}`) },
    createEvent: {
      call: async (place) => post('/v1/events', { hospital: hospitalOf(place), slug: unique('event'), title: 'E', kind: 'milestone', datePrecision: 'unknown', provenance: note })
    },
    updateEvent: { call: async (place) => patch(`/v1/events/${await fresh.event(place)}`, { title: 'Renamed', provenance: note }) },
    archiveEvent: { call: async (place) => remove(`/v1/events/${await fresh.event(place)}`) },
    createNewsArticle: {
      call: async (place) => post('/v1/news', { hospital: hospitalOf(place), slug: unique('news'), title: 'N', publishedOn: '2026-11-02', body: 'B.', provenance: note })
    },
    updateNewsArticle: { call: async (place) => patch(`/v1/news/${await fresh.news(place)}`, { title: 'Renamed', provenance: note }) },
    archiveNewsArticle: { call: async (place) => remove(`/v1/news/${await fresh.news(place)}`) },
    createSource: {
      call: async (place) => post('/v1/sources', { title: 'Report', kind: 'department_page', hospital: hospitalOf(place), text: `Report number ${unique('text')}.` })
    },
    updateSource: { call: async (place) => patch(`/v1/sources/${await fresh.source(place)}`, { title: 'Renamed' }) },
    archiveSource: { call: async (place) => remove(`/v1/sources/${await fresh.source(place)}`) },
    extractSource: { call: async (place) => post(`/v1/sources/${await fresh.source(place)}/extract`) },
    acceptSourceCandidate: {
      call: async (place) => {
        const { source, candidate } = await fresh.candidate(place)
        return post(`/v1/sources/${source}/candidates/${candidate}/accept`, { department: unitOf(place) })
      }
    },
    rejectSourceCandidate: {
      call: async (place) => {
        const { source, candidate } = await fresh.candidate(place)
        return post(`/v1/sources/${source}/candidates/${candidate}/reject`, { reason: 'Not a figure of the ward' })
      }
    },
    acceptSourceCandidates: {
      call: async (place) => {
        const { source, candidate } = await fresh.candidate(place)
        return post(`/v1/sources/${source}/candidates/accept`, { ids: [candidate] })
      }
    },
    // Webhook subscriptions span every hospital: like shared reference data, only a key without a region manages them.
    createWebhook: { shared: true, call: async () => post('/v1/webhooks', { url: 'https://93.184.215.14/hooks' }) },
    updateWebhook: { shared: true, call: async () => patch(`/v1/webhooks/${await fresh.webhook()}`, { description: 'Renamed' }) },
    deleteWebhook: { shared: true, call: async () => remove(`/v1/webhooks/${await fresh.webhook()}`) },
    rotateWebhookSecret: { shared: true, call: async () => post(`/v1/webhooks/${await fresh.webhook()}/secret`) },
    redeliverWebhook: {
      shared: true,
      call: async () => {
        const { subscriptionId, id } = await fresh.delivery()
        return post(`/v1/webhooks/${subscriptionId}/deliveries/${id}/redeliver`)
      }
    },
    importFigures: { call: async (place) => post('/v1/imports?commit=true', { figures: [figure(place)] }) },
    restoreArchivedRecord: { call: async (place) => post(`/v1/archive/${await fresh.archived(place)}/restore`) }
  }

  const document = app.swagger() as { paths: Record<string, Record<string, { operationId?: string }>> }
  const writeOperations = Object.values(document.paths).flatMap((methods) => Object.entries(methods)
    .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method)).map(([, operation]) => operation.operationId!))
  t.same([...writeOperations].sort(), Object.keys(operations).sort(), 'every write operation of the OpenAPI document has a case')

  const send = (call: Call, headers: Record<string, string>) => app.inject({
    method: call.method, url: call.url, headers: { ...headers, 'if-match': '*' }, ...(call.payload === undefined ? {} : { payload: call.payload })
  })

  for (const [operationId, { call, shared }] of Object.entries(operations)) {
    await t.test(operationId, async (t) => {
      const outside = await send(await call('outside'), bearer(scoped))
      t.equal(outside.statusCode, 403, `outside the region: ${outside.body}`)
      t.match(outside.json(), { type: '/problems/forbidden', detail: /writes only in the region "chongqing"/ })
      if (shared === true) {
        // Reference data lies in no region: only a key without one writes it.
        const unscoped = await send(await call('inside'), root)
        t.ok(unscoped.statusCode < 300, `a key without a region: ${unscoped.statusCode} ${unscoped.body}`)
        return
      }
      const inside = await send(await call('inside'), bearer(scoped))
      t.ok(inside.statusCode < 300, `inside the region: ${inside.statusCode} ${inside.body}`)
    })
  }

  await t.test('nor may it move a record out of its region, or change its own region', async (t) => {
    const hospital = await fresh.hospital('inside')
    const moved = await send(patch(`/v1/hospitals/${hospital}`, { region: 'chengdu', provenance: note }), bearer(scoped))
    t.equal(moved.statusCode, 403)
    t.match((await app.inject(`/v1/hospitals/${hospital}`)).json(), { region: { slug: 'chongqing' }, version: 1 }, 'rolled back')
    t.equal((await send(patch('/v1/regions/chongqing', { name: 'Chongqing Municipality' }), bearer(scoped))).statusCode, 403)
    t.equal((await send(patch(`/v1/regions/${await fresh.region('inside')}`, { parent: 'chengdu' }), bearer(scoped))).statusCode, 403)
    const imported = await send(post('/v1/imports?commit=true', { figures: [figure('inside'), figure('outside')] }), bearer(scoped))
    t.equal(imported.statusCode, 403, 'one row outside refuses the import')
  })
})
