import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { fhirErrors } from '../../fhir-validator.ts'
import { buildTestApp } from '../../helper.ts'

// The read-only FHIR R4 view, on the seeded database: every resource it can emit validated against the official R4
// definitions, search and paging as a FHIR client uses them, and errors as OperationOutcome.

const metricSystem = 'https://hospital-departments-api.org/fhir/CodeSystem/metric'
const approximateExtension = 'https://hospital-departments-api.org/fhir/StructureDefinition/approximate'
const types = ['Organization', 'HealthcareService', 'Observation', 'Basic'] as const

interface Resource {
  resourceType: string
  id: string
  meta: { versionId: string, lastUpdated: string }
  [key: string]: unknown
}
interface Bundle {
  resourceType: 'Bundle'
  type: string
  total: number
  link: Array<{ relation: string, url: string }>
  entry?: Array<{ fullUrl: string, resource: Resource, search: { mode: string } }>
}

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  return await app.inject({ method: 'GET', url, headers })
}

async function search (app: FastifyInstance, url: string): Promise<Bundle> {
  const response = await get(app, url)
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json<Bundle>()
}

/** Every match of a search, following `next` links as a client does. */
async function allPages (app: FastifyInstance, url: string): Promise<{ resources: Resource[], pages: number, totals: number[] }> {
  const resources: Resource[] = []
  const totals: number[] = []
  let next: string | undefined = url
  let pages = 0
  while (next !== undefined) {
    const bundle = await search(app, next)
    pages++
    totals.push(bundle.total)
    resources.push(...(bundle.entry ?? []).filter((entry) => entry.search.mode === 'match').map((entry) => entry.resource))
    const link = bundle.link.find((candidate) => candidate.relation === 'next')?.url
    next = link === undefined ? undefined : link.replace(/^https?:\/\/[^/]+/, '')
    if (pages > 100) throw new Error('paging does not end')
  }
  return { resources, pages, totals }
}

function outcome (t: Test, response: { statusCode: number, headers: Record<string, unknown>, json: () => unknown }, status: number, code: string) {
  t.equal(response.statusCode, status)
  t.match(String(response.headers['content-type']), /^application\/fhir\+json/)
  const body = response.json() as { resourceType: string, issue: Array<{ code: string, diagnostics: string }> }
  t.equal(body.resourceType, 'OperationOutcome')
  t.equal(body.issue[0]?.code, code)
  t.same(fhirErrors(body), [], 'the OperationOutcome is valid R4')
  return body.issue
}

// The tests that only read share one app; those that write, or need another configuration, build their own.
const app = await buildTestApp(t)

t.test('every resource the view can emit is valid R4, and search pages reach each exactly once', async (t) => {
  const native = {
    Organization: await app.prisma.hospital.count() + await app.prisma.unit.count(),
    HealthcareService: await app.prisma.service.count(),
    Observation: await app.prisma.metricObservation.count(),
    Basic: await app.prisma.honor.count()
  }
  for (const type of types) {
    const { resources, pages, totals } = await allPages(app, `/fhir/r4/${type}?_count=4`)
    t.equal(resources.length, native[type], `${type}: every record once (${resources.length})`)
    t.equal(new Set(resources.map((resource) => resource.id)).size, resources.length, `${type}: no repeats`)
    t.ok(totals.every((total) => total === native[type]), `${type}: every page says total ${native[type]}`)
    t.equal(pages, Math.max(1, Math.ceil(native[type] / 4)), `${type}: ${pages} pages of 4`)
    for (const resource of resources) {
      t.same(fhirErrors(resource), [], `${type}/${resource.id} is valid R4`)
      const read = await get(app, `/fhir/r4/${type}/${resource.id}`)
      t.equal(read.statusCode, 200)
      t.match(read.headers['content-type'], /^application\/fhir\+json/)
      t.same(read.json(), resource, 'a read gives what the search gave')
      t.equal(read.headers.etag, `W/"${resource.meta.versionId}"`)
      t.equal(read.headers['last-modified'], new Date(resource.meta.lastUpdated).toUTCString())
      const again = await get(app, `/fhir/r4/${type}/${resource.id}`)
      t.equal(again.headers['x-cache'], 'hit', 'a second read is a cache hit')
      t.same([again.headers.etag, again.headers['last-modified'], again.headers['content-type']],
        [read.headers.etag, read.headers['last-modified'], read.headers['content-type']], 'with the same headers')
      t.same(again.json(), resource)
    }
  }
  const metadata = await get(app, '/fhir/r4/metadata')
  t.equal(metadata.statusCode, 200)
  t.same(fhirErrors(metadata.json()), [], 'the CapabilityStatement is valid R4')
  const bundle = await search(app, '/fhir/r4/HealthcareService?_include=HealthcareService:organization&_count=3')
  t.same(fhirErrors(bundle), [], 'a searchset Bundle with included resources is valid R4')
  t.same(fhirErrors(await search(app, '/fhir/r4/Basic?_summary=count')), [], 'a count-only Bundle is valid R4')
})

t.test('the CapabilityStatement lists exactly the parameters the routes accept', async (t) => {
  const statement = (await get(app, '/fhir/r4/metadata')).json<{
    fhirVersion: string
    rest: Array<{ resource: Array<{ type: string, interaction: Array<{ code: string }>, searchInclude: string[], searchParam: Array<{ name: string }> }> }>
  }>()
  t.equal(statement.fhirVersion, '4.0.1')
  const spec = parse(await readFile(new URL('../../../openapi.yaml', import.meta.url), 'utf8')) as {
    paths: Record<string, { get: { parameters?: Array<{ name: string, in: string, schema: { const?: string, enum?: string[] } }> } }>
  }
  const resultParameters = new Set(['_count', '_sort', '_summary', '_include', '_cursor', '_format'])
  t.same(statement.rest[0]!.resource.map((resource) => resource.type).sort(), [...types].sort())
  for (const resource of statement.rest[0]!.resource) {
    t.same(resource.interaction.map((interaction) => interaction.code), ['read', 'search-type'])
    const parameters = spec.paths[`/fhir/r4/${resource.type}`]!.get.parameters!.filter((parameter) => parameter.in === 'query')
    const searchable = parameters.map((parameter) => parameter.name.replace(/:.*$/, '')).filter((name) => !resultParameters.has(name))
    t.same([...new Set(searchable)].sort(), resource.searchParam.map((parameter) => parameter.name).sort(), `${resource.type}: the same search parameters`)
    const include = parameters.find((parameter) => parameter.name === '_include')!.schema
    t.same(resource.searchInclude, include.enum ?? [include.const], `${resource.type}: the same _include`)
  }
})

t.test('figures keep their qualifiers, periods and sources', async (t) => {
  const figures = (await get(app, '/v1/metrics?limit=100')).json<{
    data: Array<{ id: string, value: number, comparator: string | null, approximate: boolean, statedValue: string, metric: { code: string, unit: string }, period: { start: string | null, end: string | null }, statedOn: string | null, source: { quote: string } }>
  }>().data
  t.ok(figures.length >= 20)
  const { resources } = await allPages(app, '/fhir/r4/Observation?_count=100')
  const byId = new Map(resources.map((resource) => [resource.id, resource as unknown as {
    code: { coding: Array<{ system: string, code: string }> }
    valueQuantity: { value: number, comparator?: string, code: string, system: string, extension?: Array<{ url: string, valueBoolean: boolean }> }
    effectivePeriod?: { start: string, end: string }
    effectiveDateTime?: string
    note: Array<{ text: string }>
    extension: Array<{ url: string, valueString?: string }>
  }]))
  for (const figure of figures) {
    const observation = byId.get(figure.id)
    if (observation === undefined) {
      t.fail(`no Observation for figure ${figure.id}`)
      continue
    }
    t.equal(observation.code.coding[0]?.system, metricSystem)
    t.equal(observation.code.coding[0]?.code, figure.metric.code, `${figure.statedValue}: code`)
    t.equal(observation.valueQuantity.value, figure.value, `${figure.statedValue}: value`)
    t.equal(observation.valueQuantity.comparator, figure.comparator ?? undefined, `${figure.statedValue}: comparator`)
    t.equal(observation.valueQuantity.code, figure.metric.unit)
    t.equal(observation.valueQuantity.extension?.some((extension) => extension.url === approximateExtension && extension.valueBoolean) ?? false,
      figure.approximate, `${figure.statedValue}: approximate`)
    if (figure.period.start !== null && figure.period.end !== null) {
      t.same(observation.effectivePeriod, { start: figure.period.start, end: figure.period.end })
    } else {
      t.equal(observation.effectiveDateTime, figure.statedOn ?? undefined)
    }
    // FHIR strings admit no whitespace but space, tab and line breaks: a no-break space of the source is a space.
    const quote = figure.source.quote.replace(/[^\S \r\n\t]/g, ' ')
    t.ok(observation.note.some((note) => note.text.includes(quote)), 'the source sentence is in a note')
    t.ok(observation.extension.some((extension) => extension.valueString === quote), 'and in the source-quote extension')
    t.ok(observation.note[0]?.text.includes(`"${figure.statedValue}"`), 'a note says how the figure was stated')
  }
  const nearly = figures.find((figure) => figure.statedValue.startsWith('nearly'))
  t.ok(nearly, 'the seed holds a "nearly" figure')
  const nearlyObservation = byId.get(nearly!.id)!
  t.equal(nearlyObservation.valueQuantity.comparator, '<', '"nearly" is below the figure')
  t.ok(nearlyObservation.valueQuantity.extension?.some((extension) => extension.url === approximateExtension), 'and approximate')
  const more = figures.find((figure) => figure.statedValue.startsWith('more than'))!
  t.equal(byId.get(more.id)!.valueQuantity.comparator, '>', '"more than" is >')
})

t.test('the hierarchy: partOf, partof search and _include', async (t) => {
  const units = await app.prisma.unit.findMany({ include: { aliases: true } })
  const hospital = await app.prisma.hospital.findFirstOrThrow()
  for (const unit of units) {
    const organization = (await get(app, `/fhir/r4/Organization/${unit.id}`)).json<{ partOf: { reference: string }, identifier: Array<{ value: string }>, alias?: string[], name: string }>()
    t.equal(organization.partOf.reference, `Organization/${unit.parentId ?? hospital.id}`, `${unit.slug} is part of its division or hospital`)
    t.equal(organization.identifier[0]?.value, unit.slug)
    t.same(organization.alias ?? [], unit.aliases.map((alias) => alias.name).sort())
  }
  const hospitalChildren = await search(app, `/fhir/r4/Organization?partof=Organization/${hospital.id}&_count=100`)
  t.same(hospitalChildren.entry!.map((entry) => entry.resource.id).sort(), units.filter((unit) => unit.parentId === null).map((unit) => unit.id).sort())
  const division = units.find((unit) => units.some((child) => child.parentId === unit.id))
  t.ok(division, 'the seed has a division with units')
  const divisionChildren = await search(app, `/fhir/r4/Organization?partof=${division!.id}&_include=Organization:partof`)
  const matches = divisionChildren.entry!.filter((entry) => entry.search.mode === 'match')
  t.same(matches.map((entry) => entry.resource.id).sort(), units.filter((unit) => unit.parentId === division!.id).map((unit) => unit.id).sort())
  t.same(divisionChildren.entry!.filter((entry) => entry.search.mode === 'include').map((entry) => entry.resource.id), [division!.id], 'the division is included once')
  t.equal(divisionChildren.total, matches.length, 'total counts matches, not included resources')

  const services = await search(app, '/fhir/r4/HealthcareService?_count=100&_include=HealthcareService:organization')
  const providers = new Set(services.entry!.filter((entry) => entry.search.mode === 'match').map((entry) => (entry.resource.providedBy as { reference: string }).reference))
  const included = services.entry!.filter((entry) => entry.search.mode === 'include').map((entry) => `Organization/${entry.resource.id}`)
  t.same(included.sort(), [...providers].sort(), 'every provider is included, once')
  for (const entry of services.entry!) t.equal(entry.fullUrl, `http://localhost/fhir/r4/${entry.resource.resourceType}/${entry.resource.id}`)
})

t.test('search parameters filter as documented', async (t) => {
  const gynecology = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'general-gynecology' }, include: { services: true, observations: true, honors: true } })
  const ids = async (url: string) => (await search(app, url)).entry?.filter((entry) => entry.search.mode === 'match').map((entry) => entry.resource.id).sort() ?? []

  t.same(await ids(`/fhir/r4/Organization?name=GENERAL%20gyn`), [gynecology.id], 'name: starts with, ignoring case')
  t.same(await ids('/fhir/r4/Organization?name=gynecology'), [], 'name does not match inside a word')
  t.same(await ids('/fhir/r4/Organization?name:contains=GYNECOLOGY%20DEP'), [gynecology.id], 'name:contains')
  t.same(await ids(`/fhir/r4/Organization?name:exact=${encodeURIComponent(gynecology.name.toLowerCase())}`), [], 'name:exact is case-sensitive')
  t.same(await ids(`/fhir/r4/Organization?name:exact=${encodeURIComponent(gynecology.name)}`), [gynecology.id])
  for (const type of ['Organization', 'HealthcareService']) {
    t.same(await ids(`/fhir/r4/${type}?name:contains=%25`), [], `${type}: a % is a literal character`)
    t.same(await ids(`/fhir/r4/${type}?name=_`), [], `${type}: so is a _`)
  }
  t.ok((await ids('/fhir/r4/HealthcareService?name:contains=SURG&_count=100')).length > 0, 'HealthcareService name:contains')
  t.same(await ids(`/fhir/r4/Organization?_id=${gynecology.id},not-a-uuid,${gynecology.id.toUpperCase()}`), [gynecology.id], '_id takes a list')
  t.same(await ids(`/fhir/r4/HealthcareService?organization=Organization/${gynecology.id}&_count=100`), gynecology.services.map((row) => row.id).sort())
  t.same(await ids(`/fhir/r4/Observation?performer=${gynecology.id}&_count=100`), gynecology.observations.map((row) => row.id).sort())
  t.same(await ids(`/fhir/r4/Basic?subject=${gynecology.id}&_count=100`), gynecology.honors.map((row) => row.id).sort())
  t.same(await ids('/fhir/r4/Observation?performer=Organization/no-such-unit'), [], 'a reference that names nothing matches nothing')

  const beds = (await app.prisma.metricObservation.findMany({ where: { metric: { code: 'beds' } } })).map((row) => row.id).sort()
  t.ok(beds.length > 0)
  t.same(await ids('/fhir/r4/Observation?code=beds'), beds, 'code')
  t.same(await ids(`/fhir/r4/Observation?code=${encodeURIComponent(`${metricSystem}|beds`)}`), beds, 'code with its system')
  t.same(await ids(`/fhir/r4/Observation?code=${encodeURIComponent('http://loinc.org|beds')}`), [], 'another system matches nothing')
  t.equal((await search(app, '/fhir/r4/Observation?code=beds,staff.total&_summary=count')).total,
    await app.prisma.metricObservation.count({ where: { metric: { code: { in: ['beds', 'staff.total'] } } } }), 'a list of codes: any of them')

  const total = await app.prisma.service.count()
  t.equal((await search(app, '/fhir/r4/HealthcareService?_lastUpdated=le2999-12-31&_summary=count')).total, total)
  t.equal((await search(app, '/fhir/r4/HealthcareService?_lastUpdated=gt2999&_summary=count')).total, 0)
  t.equal((await search(app, '/fhir/r4/HealthcareService?_lastUpdated=ge2000-01-01T00:00:00Z&_lastUpdated=lt2999-01&_summary=count')).total, total, 'a range')
  t.equal((await search(app, `/fhir/r4/HealthcareService?_lastUpdated=${new Date().getUTCFullYear()}&_summary=count`)).total, total, 'eq a year: the whole year')

  const counted = await search(app, '/fhir/r4/Organization?_summary=count')
  t.equal(counted.total, await app.prisma.unit.count() + 1)
  t.equal(counted.entry, undefined, '_summary=count gives no entries')
  t.equal((await search(app, '/fhir/r4/Organization?_count=0')).entry, undefined, '_count=0 too')

  const names = (await search(app, '/fhir/r4/Organization?_sort=-name&_count=100')).entry!.map((entry) => entry.resource.name as string)
  const ascending = (await search(app, '/fhir/r4/Organization?_sort=name&_count=100')).entry!.map((entry) => entry.resource.name as string)
  t.same(names, [...ascending].reverse(), '_sort=-name is the reverse of _sort=name')
  const byUpdate = (await allPages(app, '/fhir/r4/HealthcareService?_sort=-_lastUpdated&_count=3')).resources.map((resource) => resource.meta.lastUpdated)
  t.same(byUpdate, [...byUpdate].sort().reverse(), '_sort=-_lastUpdated, across pages')
})

t.test('errors are OperationOutcomes', async (t) => {
  const issues = outcome(t, await get(app, '/fhir/r4/Organization?foo=bar'), 400, 'invalid')
  t.match(issues[0]?.diagnostics, /foo is not a known parameter/)
  outcome(t, await get(app, '/fhir/r4/Organization?_count=1000'), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Observation?_lastUpdated=2021-02-30'), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Observation?_lastUpdated=ap2021'), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Organization?name=a&name:exact=b'), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Organization?_include=HealthcareService:organization'), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Organization?_cursor=forged.cursor'), 400, 'invalid')
  const next = (await search(app, '/fhir/r4/Basic?_count=2')).link.find((link) => link.relation === 'next')!.url
  const cursor = new URL(next).searchParams.get('_cursor')!
  outcome(t, await get(app, `/fhir/r4/HealthcareService?_cursor=${cursor}`), 400, 'invalid')
  outcome(t, await get(app, '/fhir/r4/Organization/00000000-0000-4000-8000-000000000000'), 404, 'not-found')
  outcome(t, await get(app, '/fhir/r4/Organization/not%20an%20id'), 400, 'invalid')
  for (const type of types) outcome(t, await get(app, `/fhir/r4/${type}/not-a-uuid.but-a-fhir-id`), 404, 'not-found')
  outcome(t, await get(app, '/fhir/r4/Patient'), 404, 'not-found')
  outcome(t, await get(app, '/fhir/r4/metadata', { accept: 'application/fhir+xml' }), 406, 'not-supported')
  outcome(t, await get(app, '/fhir/r4/metadata?_format=xml'), 400, 'invalid')
  t.equal((await get(app, '/fhir/r4/metadata?_format=json', { accept: 'application/fhir+xml' })).statusCode, 200, '_format overrides Accept')
  t.equal((await get(app, '/fhir/r4/metadata', { accept: 'application/json' })).statusCode, 200)
  outcome(t, await app.inject({ method: 'POST', url: '/fhir/r4/Organization', payload: {} }), 405, 'not-supported')
  outcome(t, await get(app, '/fhir/r4/Organization', { host: 'bad host' }), 400, 'invalid')
})

t.test('versions, conditional reads and archived records', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createApiKey(app.prisma, { name: 'FHIR test administrator', scopes: ['admin'] })
  const writer = { authorization: `Bearer ${admin.key}` }
  const unit = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'general-gynecology' } })
  const url = `/fhir/r4/Organization/${unit.id}`
  const first = await get(app, url)
  t.equal(first.headers.etag, `W/"${unit.version}"`)
  t.equal(first.json().meta.versionId, String(unit.version))
  t.equal((await get(app, url, { 'if-none-match': String(first.headers.etag) })).statusCode, 304)

  const patched = await app.inject({
    method: 'PATCH',
    url: '/v1/departments/general-gynecology',
    headers: { ...writer, 'if-match': '*', 'content-type': 'application/merge-patch+json' },
    payload: { establishedYear: 1999, provenance: { note: 'Stated by the department office, 2026' } }
  })
  t.equal(patched.statusCode, 200, patched.body)
  const second = await get(app, url, { 'if-none-match': String(first.headers.etag) })
  t.equal(second.statusCode, 200, 'a change of the record is seen at once')
  t.equal(second.headers.etag, `W/"${unit.version + 1}"`)
  t.equal(second.json().meta.versionId, String(unit.version + 1), 'the version the native API counts')
  t.equal(second.json().meta.lastUpdated, (await app.prisma.unit.findUniqueOrThrow({ where: { id: unit.id } })).updatedAt.toISOString())

  const service = await app.prisma.service.findFirstOrThrow({ where: { unitId: unit.id } })
  t.equal((await get(app, `/fhir/r4/HealthcareService/${service.id}`)).statusCode, 200)
  const archived = await app.inject({ method: 'DELETE', url: `/v1/services/${service.id}`, headers: { ...writer, 'if-match': '*' } })
  t.equal(archived.statusCode, 204, archived.body)
  outcome(t, await get(app, `/fhir/r4/HealthcareService/${service.id}`), 410, 'deleted')
  outcome(t, await get(app, `/fhir/r4/Observation/${service.id}`), 404, 'not-found')
  const remaining = await search(app, `/fhir/r4/HealthcareService?_id=${service.id}`)
  t.equal(remaining.total, 0, 'an archived record is not found by search')
})

t.test('with READS_REQUIRE_KEY, the view asks for a key in an OperationOutcome', async (t) => {
  const app = await buildTestApp(t, { READS_REQUIRE_KEY: 'true' })
  const refused = await get(app, '/fhir/r4/Organization')
  outcome(t, refused, 401, 'login')
  t.match(refused.headers['www-authenticate'], /^Bearer/)
  const reader = await createApiKey(app.prisma, { name: 'FHIR client', scopes: ['read'] })
  t.equal((await get(app, '/fhir/r4/Organization', { authorization: `Bearer ${reader.key}` })).statusCode, 200)
})

t.test('absolute URLs follow the host asked, through the response cache, or PUBLIC_URL when set', async (t) => {
  const app = await buildTestApp(t)
  for (const host of ['api.one.example', 'api.two.example:8443', 'api.one.example']) {
    const response = await get(app, '/fhir/r4/Basic?_count=1', { host })
    const bundle = response.json<Bundle>()
    t.equal(bundle.link[0]!.url, `http://${host}/fhir/r4/Basic?_count=1`, `self for ${host}`)
    t.ok(bundle.entry!.every((entry) => entry.fullUrl.startsWith(`http://${host}/fhir/r4/Basic/`)), `fullUrl for ${host}`)
  }
  const configured = await buildTestApp(t, { PUBLIC_URL: 'https://hospitals.example.org/' })
  const bundle = (await get(configured, '/fhir/r4/Basic?_count=1', { host: 'internal:3000' })).json<Bundle>()
  t.match(bundle.link.find((link) => link.relation === 'next')!.url, /^https:\/\/hospitals\.example\.org\/fhir\/r4\/Basic\?_count=1&_cursor=/)
  const statement = (await get(configured, '/fhir/r4/metadata')).json<{ implementation: { url: string } }>()
  t.equal(statement.implementation.url, 'https://hospitals.example.org/fhir/r4')
})

t.test('records written through the API, with optional fields absent and values at their edges, are valid R4 too', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createApiKey(app.prisma, { name: 'FHIR edge writer', scopes: ['admin'] })
  const headers = { authorization: `Bearer ${admin.key}` }
  const provenance = { note: 'Entered\u00a0by the test, with a no-break space' }
  const post = async (resource: string, payload: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url: `/v1/${resource}`, headers, payload })
    t.equal(response.statusCode, 201, `${resource}: ${response.body.slice(0, 300)}`)
    return response.json<{ id: string }>()
  }
  const hospital = await post('hospitals', { slug: 'edge-hospital', name: 'Edge\u00a0Hospital', city: 'Chengdu', province: 'Sichuan', country: 'CN', provenance })
  const division = await post('departments', { hospital: 'edge-hospital', kind: 'division', slug: 'edge-division', name: 'Edge Division', provenance })
  const unit = await post('departments', { hospital: 'edge-hospital', parent: 'edge-division', kind: 'department', slug: 'edge-unit', name: 'Edge Unit', provenance })
  await post('metric-definitions', { code: 'edge.metric', name: 'Edge metric', description: 'A metric whose unit is no FHIR code', unit: ' odd  unit', unitLabel: 'odd units', category: 'capacity', additive: false })
  const figures = [
    await post('metrics', { department: 'edge-unit', metric: 'edge.metric', value: -2.5, comparator: '<=', approximate: true, statedValue: 'at most about -2.5', period: { kind: 'point' }, provenance }),
    await post('metrics', { department: 'edge-unit', metric: 'beds', value: 1e12, comparator: '>=', statedValue: 'at least a trillion', period: { kind: 'span', start: '2020-01-01' }, statedOn: '2026-01-01', provenance }),
    await post('metrics', { department: 'edge-division', metric: 'beds', value: 0.0001, statedValue: '0.0001', period: { kind: 'annual', duration: 'P1Y', start: '2025-01-01', end: '2025-12-31', label: 'in 2025' }, provenance })
  ]
  const service = await post('services', { department: 'edge-unit', slug: 'edge-service', name: 'Edge service', kind: 'transport', provenance })
  const honor = await post('honors', { hospital: 'edge-hospital', slug: 'edge-honor', title: 'Edge honor', kind: 'membership', provenance })

  const read = async (type: string, id: string) => {
    const response = await get(app, `/fhir/r4/${type}/${id}`)
    t.equal(response.statusCode, 200)
    const resource = response.json<Record<string, unknown> & { resourceType: string }>()
    t.same(fhirErrors(resource), [], `${type}/${id} is valid R4`)
    return resource
  }
  const hospitalOrganization = await read('Organization', hospital.id)
  t.equal(hospitalOrganization.name, 'Edge Hospital', 'a no-break space is a space in FHIR')
  t.equal(hospitalOrganization.alias, undefined, 'no short name, no alias')
  t.same((await read('Organization', division.id)).partOf, { reference: `Organization/${hospital.id}`, display: 'Edge Hospital' })
  t.same((await read('Organization', unit.id)).partOf, { reference: `Organization/${division.id}`, display: 'Edge Division' })
  const [odd, large, annual] = await Promise.all(figures.map((figure) => read('Observation', figure.id))) as Array<Record<string, any>>
  t.same(odd!.valueQuantity, { extension: [{ url: approximateExtension, valueBoolean: true }], value: -2.5, comparator: '<=', unit: 'odd units' }, 'a unit that is no code is text only')
  t.equal(odd!.effectiveDateTime, undefined, 'no date stated, no effective time')
  t.same(large!.valueQuantity, { value: 1e12, comparator: '>=', unit: 'beds', system: 'http://unitsofmeasure.org', code: '{bed}' })
  t.equal(large!.effectiveDateTime, '2026-01-01', 'a window without an end: the date it was stated')
  t.same(annual!.effectivePeriod, { start: '2025-01-01', end: '2025-12-31' })
  const edgeService = await read('HealthcareService', service.id)
  t.equal(edgeService.comment, undefined)
  t.equal(edgeService.characteristic, undefined, 'a unit without conditions gives no characteristic')
  const edgeHonor = await read('Basic', honor.id)
  t.same(edgeHonor.subject, { reference: `Organization/${hospital.id}`, display: 'Edge Hospital' }, 'an honor of the whole hospital')
  t.equal(edgeHonor.created, undefined)
  t.same((edgeHonor.extension as unknown[]).length, 1, 'only the source quote: no issuer, level or year')
  const performed = await search(app, `/fhir/r4/Observation?performer=${unit.id}&_include=Observation:performer`)
  t.same(fhirErrors(performed), [], 'a Bundle of them is valid R4')
})
