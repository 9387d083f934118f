import t, { type Test } from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Review of a source's candidates (issue 25): accepting creates the fact through the writes' own path (provenance,
// audit, caches), with or without corrections; rejecting keeps the reason; a batch is all or none; extracting again
// keeps what was decided; a failed extraction stores no candidate of its run. Extraction is relied on only for its
// contract: "… has 88 beds." gives a figure candidate of metric beds and value 88. Whether it finds the unit named in
// the sentence is its own business: a test that needs a unit gives it as a correction, or checks both answers.

const app = await buildTestApp(t)
const [writerKey, readerKey] = await Promise.all([
  createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] }),
  createApiKey(app.prisma, { name: 'Partner app', scopes: ['read'] })
])
const writer = { authorization: `Bearer ${writerKey.key}` }
const reader = { authorization: `Bearer ${readerKey.key}` }

interface Candidate {
  id: string, kind: string, status: string, quote: string, proposal: Record<string, unknown> & { subject?: { unit: string | null } },
  corrections: Record<string, unknown> | null, fact: { id: string, links: { self: string } } | null,
  review: { by: { prefix: string }, reason: string | null } | null, version: number
}
interface Figure { id: string, value: number, statedValue: string, metric: { code: string }, department: { slug: string }, statedOn: string | null, source: { id: string, quote: string } }

let counter = 0
async function source (text: string, statedOn = '2026-05-01'): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/sources',
    headers: writer,
    payload: { title: 'Capacity update', kind: 'news_article', hospital: 'cqhcwc', statedOn, text: `${text}\nReference ${++counter}.` }
  })
  if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`)
  return response.json<{ id: string }>().id
}

async function candidates (sourceId: string, query = ''): Promise<Candidate[]> {
  const response = await app.inject({ url: `/v1/sources/${sourceId}/candidates${query}`, headers: writer })
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`)
  return response.json<{ data: Candidate[] }>().data
}

/** The figure candidate of `value` beds. */
async function bedsCandidate (sourceId: string, value: string): Promise<Candidate> {
  const found = (await candidates(sourceId)).find((candidate) => candidate.kind === 'figure' && candidate.proposal.metric === 'beds' && candidate.proposal.value === value)
  if (found === undefined) throw new Error(`no candidate of ${value} beds`)
  return found
}

function accept (sourceId: string, candidateId: string, corrections: Record<string, unknown> = {}) {
  return app.inject({ method: 'POST', url: `/v1/sources/${sourceId}/candidates/${candidateId}/accept`, headers: writer, payload: corrections })
}

function isProblem (t: Test, response: Awaited<ReturnType<typeof accept>>, status: number) {
  t.equal(response.statusCode, status, response.body)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
}

async function unitFigures (slug: string, metric: string): Promise<Figure[]> {
  return (await app.inject(`/v1/departments/${slug}/metrics?metric=${metric}&limit=100`)).json<{ data: Figure[] }>().data
}

t.test('accepting as proposed creates the figure, visible at once, with the source and quote, audited', async (t) => {
  const id = await source('The Specialized Department for Twins has 88 beds.')
  const candidate = await bedsCandidate(id, '88')
  const before = await unitFigures('twins-department', 'beds')
  await app.inject('/v1/departments/twins-department/metrics?metric=beds') // cached now: the accept must empty the cache
  let response = await accept(id, candidate.id)
  if (candidate.proposal.subject?.unit === null || candidate.proposal.subject?.unit === undefined) {
    isProblem(t, response, 422)
    t.match(response.json(), { errors: [{ field: '/department', message: /is required/ }] }, 'a figure needs a unit')
    t.equal((await bedsCandidate(id, '88')).status, 'proposed', 'nothing was written')
    response = await accept(id, candidate.id, { department: 'twins-department' })
  } else {
    t.equal(candidate.proposal.subject.unit, 'twins-department', 'the unit named in the sentence')
  }
  t.equal(response.statusCode, 201, response.body)
  const { candidate: accepted, fact } = response.json<{ candidate: Candidate, fact: Figure }>()
  t.equal(response.headers.location, `/v1/metrics/${fact.id}`)
  t.match(response.headers.etag, /^"1\./)
  t.match(fact, { value: 88, statedValue: '88', metric: { code: 'beds' }, department: { slug: 'twins-department' }, statedOn: '2026-05-01', source: { id, quote: candidate.quote } })
  t.match(accepted, { status: 'accepted', fact: { id: fact.id, links: { self: `/v1/metrics/${fact.id}` } }, review: { by: { prefix: writerKey.prefix }, reason: null }, version: 2 })

  const after = await unitFigures('twins-department', 'beds')
  t.equal(after.length, before.length + 1, 'GET /v1/departments/{slug}/metrics shows it at once')
  t.ok(after.some((figure) => figure.id === fact.id))
  const csv = await app.inject({ url: '/v1/metrics?department=twins-department&metric=beds', headers: { accept: 'text/csv' } })
  t.match(csv.body, fact.id, 'and the CSV')
  t.equal((await app.inject(`/fhir/r4/Observation/${fact.id}`)).statusCode, 200, 'and the FHIR view')
  const sourceDetail = (await app.inject(`/v1/sources/${id}`)).json<{ facts: { observations: Array<{ id: string }> }, extraction: { candidates: { accepted: number } } }>()
  t.ok(sourceDetail.facts.observations.some((figure) => figure.id === fact.id), 'the source lists the figure it backs')
  t.equal(sourceDetail.extraction.candidates.accepted, 1)

  const audit = await app.prisma.auditEvent.findMany({ where: { entityId: { in: [fact.id, candidate.id] } }, orderBy: { occurredAt: 'asc' } })
  t.same(audit.map((event) => [event.resource, event.action]), [['metrics', 'create'], ['candidates', 'update']])
  t.match(audit[1]!.before, { status: 'proposed', fact: null })
  t.match(audit[1]!.after, { status: 'accepted', fact: { id: fact.id } })

  const twice = await accept(id, candidate.id)
  isProblem(t, twice, 409)
  t.match(twice.json(), { type: '/problems/conflict', detail: /already accepted: it became \/v1\/metrics\// })
  t.equal((await unitFigures('twins-department', 'beds')).length, after.length, 'no second figure')
})

t.test('corrections: a reviewer fixes what extraction read; the proposal and the correction both stay', async (t) => {
  const id = await source('The department has 40 beds.')
  const candidate = await bedsCandidate(id, '40')
  const refusals: Array<[Record<string, unknown>, number, string, RegExp]> = [
    [{ department: 'general-gynecology', metric: 'no.such.metric' }, 422, '/metric', /names no metric definition: "no.such.metric"/],
    [{ department: 'no-such-unit' }, 422, '/department', /names no department, division or center: "no-such-unit"/],
    [{ department: 'general-gynecology', title: 'A title' }, 422, '/title', /does not apply to a figure candidate/],
    [{ department: 'general-gynecology', value: 'forty' }, 400, '/value', /must be number/],
    [{ department: 'general-gynecology', colour: 'red' }, 400, '/colour', /not a known field/]
  ]
  for (const [corrections, status, field, message] of refusals) {
    const response = await accept(id, candidate.id, corrections)
    isProblem(t, response, status)
    t.match(response.json(), { errors: [{ field, message }] }, JSON.stringify(corrections))
  }
  t.equal((await bedsCandidate(id, '40')).status, 'proposed', 'a refused accept changes nothing')

  const corrections = { department: 'general-gynecology', metric: 'beds', value: 42, statedValue: 'about 42', approximate: true, note: 'Checked with the ward' }
  const response = await accept(id, candidate.id, corrections)
  t.equal(response.statusCode, 201, response.body)
  const { candidate: accepted, fact } = response.json<{ candidate: Candidate, fact: Figure & { approximate: boolean, note: string } }>()
  t.match(fact, { value: 42, statedValue: 'about 42', approximate: true, note: 'Checked with the ward', department: { slug: 'general-gynecology' }, source: { id, quote: candidate.quote } })
  t.same(accepted.corrections, corrections)
  t.equal(accepted.proposal.value, '40', 'the proposal is kept as extraction read it')
  const audit = await app.prisma.auditEvent.findFirstOrThrow({ where: { resource: 'candidates', entityId: candidate.id } })
  t.match(audit.before, { status: 'proposed', corrections: null, proposal: { value: '40' } })
  t.match(audit.after, { status: 'accepted', corrections, proposal: { value: '40' } })

  // One source states one figure per unit and metric.
  const second = await source('The department has 41 beds. Later it had 43 beds.')
  const [first, other] = [await bedsCandidate(second, '41'), await bedsCandidate(second, '43')]
  t.equal((await accept(second, first.id, { department: 'perinatal-medical-center' })).statusCode, 201)
  const duplicate = await accept(second, other.id, { department: 'perinatal-medical-center' })
  isProblem(t, duplicate, 409)
  t.match(duplicate.json(), { errors: [{ field: '/metric', message: /already stated by this source/ }] })
})

t.test('rejecting keeps the reason; a decided candidate cannot be decided again', async (t) => {
  const id = await source('The department has 77 beds.')
  const candidate = await bedsCandidate(id, '77')
  const url = `/v1/sources/${id}/candidates/${candidate.id}/reject`
  isProblem(t, await app.inject({ method: 'POST', url, headers: writer, payload: {} }), 400)
  isProblem(t, await app.inject({ method: 'POST', url, headers: reader, payload: { reason: 'x' } }), 403)
  const rejected = await app.inject({ method: 'POST', url, headers: writer, payload: { reason: 'The figure is the hospital\'s, not a unit\'s' } })
  t.equal(rejected.statusCode, 200, rejected.body)
  t.match(rejected.json(), { status: 'rejected', fact: null, review: { by: { prefix: writerKey.prefix }, reason: 'The figure is the hospital\'s, not a unit\'s' } })
  isProblem(t, await app.inject({ method: 'POST', url, headers: writer, payload: { reason: 'again' } }), 409)
  isProblem(t, await accept(id, candidate.id, { department: 'general-gynecology' }), 409)
  t.same((await candidates(id, '?status=rejected')).map((item) => item.id), [candidate.id])
  t.same(await candidates(id, '?status=accepted'), [])
  isProblem(t, await app.inject({ method: 'POST', url: `/v1/sources/${id}/candidates/00000000-0000-4000-8000-000000000000/reject`, headers: writer, payload: { reason: 'x' } }), 404)
})

t.test('a batch is accepted all or none, each refusal named', async (t) => {
  const id = await source('The General Gynecology Department has 91 beds.\nThe Specialized Department for Twins has 52 beds.\nThe Perinatal Medical Center has 33 beds.')
  const [gynecology, twins, perinatal] = [await bedsCandidate(id, '91'), await bedsCandidate(id, '52'), await bedsCandidate(id, '33')]
  const rejected = await app.inject({ method: 'POST', url: `/v1/sources/${id}/candidates/${perinatal.id}/reject`, headers: writer, payload: { reason: 'Old figure' } })
  t.equal(rejected.statusCode, 200)
  const figures = await app.prisma.metricObservation.count()
  const audits = await app.prisma.auditEvent.count()
  const url = `/v1/sources/${id}/candidates/accept`

  const refused = await app.inject({ method: 'POST', url, headers: writer, payload: { ids: [gynecology.id, perinatal.id, '00000000-0000-4000-8000-000000000000'] } })
  isProblem(t, refused, 422)
  const errors = refused.json<{ errors: Array<{ field: string, message: string }> }>().errors
  t.same(errors.map((error) => error.field).slice(-2), ['/ids/1', '/ids/2'], 'each candidate that cannot be accepted is named')
  t.match(errors.at(-2)!.message, /already rejected/)
  t.match(errors.at(-1)!.message, /has no candidate/)
  t.equal(await app.prisma.metricObservation.count(), figures, 'none was accepted')
  t.equal(await app.prisma.auditEvent.count(), audits, 'nothing audited')
  t.equal((await bedsCandidate(id, '91')).status, 'proposed')

  const onlyConflicts = await app.inject({ method: 'POST', url, headers: writer, payload: { ids: [perinatal.id] } })
  isProblem(t, onlyConflicts, 409)
  isProblem(t, await app.inject({ method: 'POST', url, headers: writer, payload: { ids: [] } }), 400)
  isProblem(t, await app.inject({ method: 'POST', url, headers: writer, payload: { ids: [twins.id, twins.id] } }), 400)

  // As proposed, each needs the unit extraction found: complete ones are accepted, the others named.
  const complete = (candidate: Candidate) => typeof candidate.proposal.subject?.unit === 'string'
  const batch = await app.inject({ method: 'POST', url, headers: writer, payload: { ids: [gynecology.id, twins.id] } })
  if (complete(gynecology) && complete(twins)) {
    t.equal(batch.statusCode, 201, batch.body)
    const data = batch.json<{ data: Array<{ candidate: Candidate, fact: Figure }> }>().data
    t.same(data.map((item) => [item.candidate.id, item.candidate.status]), [[gynecology.id, 'accepted'], [twins.id, 'accepted']])
    t.same(data.map((item) => [item.fact.department.slug, item.fact.value]), [['general-gynecology', 91], ['twins-department', 52]])
    t.equal(await app.prisma.metricObservation.count(), figures + 2)
  } else {
    isProblem(t, batch, 422)
    t.equal(await app.prisma.metricObservation.count(), figures)
  }
})

t.test('extracting again replaces the proposals and keeps what was decided', async (t) => {
  const id = await source('The General Gynecology Department has 61 beds. The Perinatal Medical Center has 62 beds. The department has 63 beds.')
  const [accepted, rejected, proposed] = [await bedsCandidate(id, '61'), await bedsCandidate(id, '62'), await bedsCandidate(id, '63')]
  t.equal((await accept(id, accepted.id, { department: 'general-gynecology' })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: `/v1/sources/${id}/candidates/${rejected.id}/reject`, headers: writer, payload: { reason: 'Not this page\'s' } })).statusCode, 200)
  const etag = (await app.inject(`/v1/sources/${id}`)).headers.etag as string

  const again = await app.inject({ method: 'POST', url: `/v1/sources/${id}/extract`, headers: writer })
  t.equal(again.statusCode, 200, again.body)
  t.match(again.json(), { id, version: 2, extraction: { status: 'extracted', candidates: { accepted: 1, rejected: 1 } } })
  t.not(again.headers.etag, etag)
  const after = await candidates(id)
  t.match(after.find((item) => item.id === accepted.id), { status: 'accepted' }, 'the accepted one is kept')
  t.match(after.find((item) => item.id === rejected.id), { status: 'rejected' }, 'the rejected one is kept')
  t.notOk(after.some((item) => item.id === proposed.id), 'the proposal is replaced')
  for (const value of ['61', '62', '63']) {
    t.equal(after.filter((item) => item.proposal.value === value).length, 1, `${value} beds is listed once`)
  }
  t.match(after.find((item) => item.proposal.value === '63'), { status: 'proposed' })
  const audit = await app.prisma.auditEvent.findMany({ where: { resource: 'sources', entityId: id }, orderBy: { occurredAt: 'asc' } })
  t.same(audit.map((event) => event.action), ['create', 'update'], 'extracting again is an audited update of the source')
  isProblem(t, await app.inject({ method: 'POST', url: '/v1/sources/00000000-0000-4000-8000-000000000000/extract', headers: writer }), 404)
  const seeded = await app.prisma.sourceDocument.findFirstOrThrow({ where: { fileName: { not: { startsWith: 'intake/' } }, kind: 'department_page' } })
  const nohospital = await app.inject({ method: 'POST', url: `/v1/sources/${seeded.id}/extract`, headers: writer })
  isProblem(t, nohospital, 422)
  t.match(nohospital.json(), { detail: /names no hospital/ })
})

t.test('a failed extraction keeps the source, marked, with no candidate of its run', async (t) => {
  // The candidates' table refuses this run's rows after writing them: a failure in the middle of storing them.
  await app.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_candidates() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure after % rows', (SELECT count(*) FROM extraction_candidate); END $$`)
  const refuse = 'CREATE TRIGGER refuse_candidates AFTER INSERT ON extraction_candidate FOR EACH STATEMENT EXECUTE FUNCTION refuse_candidates()'
  const allow = 'DROP TRIGGER refuse_candidates ON extraction_candidate'
  await app.prisma.$executeRawUnsafe(refuse)
  const created = await app.inject({ method: 'POST', url: '/v1/sources', headers: writer, payload: { title: 'Capacity', kind: 'news_article', hospital: 'cqhcwc', text: 'The department has 88 beds. The ward has 12 beds.' } })
  await app.prisma.$executeRawUnsafe(allow)
  t.equal(created.statusCode, 201, created.body)
  const id = created.json<{ id: string }>().id
  t.match(created.json(), { extraction: { status: 'failed', message: /Extraction failed: .*injected failure/, candidates: { proposed: 0 } } })
  t.equal(await app.prisma.extractionCandidate.count({ where: { sourceId: id } }), 0, 'no partial candidates')
  t.equal((await app.inject(`/v1/sources/${id}`)).statusCode, 200, 'the source is stored')

  const retried = await app.inject({ method: 'POST', url: `/v1/sources/${id}/extract`, headers: writer })
  t.match(retried.json(), { extraction: { status: 'extracted', message: null } })
  const proposals = (await candidates(id)).map((item) => item.id).sort()
  t.ok(proposals.length >= 1)

  await app.prisma.$executeRawUnsafe(refuse)
  const failedAgain = await app.inject({ method: 'POST', url: `/v1/sources/${id}/extract`, headers: writer })
  await app.prisma.$executeRawUnsafe(allow)
  t.equal(failedAgain.statusCode, 200)
  t.match(failedAgain.json(), { extraction: { status: 'failed' } })
  t.same((await candidates(id)).map((item) => item.id).sort(), proposals, 'the earlier proposals are as they were')
})
