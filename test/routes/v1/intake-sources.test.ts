import t, { type Test } from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Sources written through the API (issue 25): JSON, text/plain and text/html bodies, the checks on their text
// (size, duplicates, empty, binary, charset), extraction at creation, and the writes every resource has (If-Match,
// history, archive and restore with the candidates). Extraction is only relied on for what its contract promises:
// "The department has 88 beds." gives a figure candidate of metric beds and value 88; Chinese text is unreadable.

const app = await buildTestApp(t)
const [writerKey, adminKey, readerKey] = await Promise.all([
  createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] }),
  createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] }),
  createApiKey(app.prisma, { name: 'Partner app', scopes: ['read'] })
])
const writer = { authorization: `Bearer ${writerKey.key}` }
const admin = { authorization: `Bearer ${adminKey.key}` }
const reader = { authorization: `Bearer ${readerKey.key}` }

interface Extraction { status: string, message: string | null, language: string | null, candidates: { proposed: number, accepted: number, rejected: number } }
interface SourceBody {
  id: string, title: string, kind: string, hospital: { slug: string } | null, statedOn: string | null, url: string | null,
  language: string | null, contentType: string | null, sha256: string, extraction: Extraction | null, version: number,
  links: { self: string, candidates: string }
}
interface Candidate { id: string, kind: string, status: string, quote: string, start: number, end: number, proposal: Record<string, unknown> }

const metadata = { title: 'General Gynecology Department', kind: 'department_page', hospital: 'cqhcwc', statedOn: '2026-03-03', language: 'en' }
let counter = 0
/** A text no other test sends (each source's text must be new). */
const fresh = (text: string) => `${text}\nReference ${++counter}.`

async function postJson (payload: Record<string, unknown>, headers: Record<string, string> = writer) {
  return app.inject({ method: 'POST', url: '/v1/sources', headers, payload })
}

async function postRaw (body: string | Buffer, contentType: string, query: Record<string, string> = metadata, headers: Record<string, string> = writer) {
  return app.inject({ method: 'POST', url: `/v1/sources?${new URLSearchParams(query)}`, headers: { ...headers, 'content-type': contentType }, payload: body })
}

async function candidatesOf (id: string, query = ''): Promise<Candidate[]> {
  const response = await app.inject({ url: `/v1/sources/${id}/candidates${query}`, headers: writer })
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`)
  return response.json<{ data: Candidate[] }>().data
}

function isProblem (t: Test, response: Awaited<ReturnType<typeof postJson>>, status: number, message?: string) {
  t.equal(response.statusCode, status, message ?? response.body)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
}

t.test('a JSON source is stored, extracted at once, and its candidates are listed', async (t) => {
  const text = fresh('General Gynecology Department\nThe department has 88 beds.')
  const created = await postJson({ ...metadata, url: 'https://www.example.org/gyn', text })
  t.equal(created.statusCode, 201, created.body)
  const source = created.json<SourceBody>()
  t.equal(created.headers.location, `/v1/sources/${source.id}`)
  t.match(created.headers.etag, /^"1\./)
  t.match(source, {
    title: metadata.title, kind: 'department_page', hospital: { slug: 'cqhcwc' }, statedOn: '2026-03-03', url: 'https://www.example.org/gyn',
    language: 'en', contentType: 'text/plain', version: 1, extraction: { status: 'extracted', message: null }
  })
  t.ok(source.extraction!.candidates.proposed >= 1, 'candidates were proposed')
  t.equal(source.links.candidates, `/v1/sources/${source.id}/candidates`)

  const detail = await app.inject(source.links.self)
  t.equal(detail.statusCode, 200)
  t.equal(detail.json<{ fullText: string }>().fullText, text, 'plain text is stored as sent')
  t.equal(detail.headers.etag, created.headers.etag, 'the GET has the ETag the write returned')

  const candidates = await candidatesOf(source.id)
  const beds = candidates.find((candidate) => candidate.kind === 'figure' && candidate.proposal.metric === 'beds' && candidate.proposal.value === '88')
  t.ok(beds, 'a figure candidate of 88 beds')
  t.equal(beds!.status, 'proposed')
  t.equal(text.slice(beds!.start, beds!.end), beds!.quote, 'the quote is the stored text at its offsets')
  t.same(await candidatesOf(source.id, '?status=accepted'), [], 'filtered by status')
  t.same((await candidatesOf(source.id, '?kind=figure')).map((candidate) => candidate.id), candidates.filter((candidate) => candidate.kind === 'figure').map((candidate) => candidate.id), 'filtered by kind')
  const one = await app.inject({ url: `/v1/sources/${source.id}/candidates/${beds!.id}`, headers: writer })
  t.equal(one.statusCode, 200)
  t.same(one.json(), beds)
  t.equal((await app.inject({ url: `/v1/sources/${source.id}/candidates`, headers: reader })).statusCode, 403, 'candidates are for editors')
  t.equal((await app.inject({ url: '/v1/sources/00000000-0000-4000-8000-000000000000/candidates', headers: writer })).statusCode, 404)

  const audit = await app.prisma.auditEvent.findMany({ where: { entityId: source.id } })
  t.same(audit.map((event) => [event.resource, event.action]), [['sources', 'create']], 'audited')
})

t.test('text/plain and text/html bodies take their metadata from the query', async (t) => {
  const plain = fresh('The department has 88 beds.')
  const created = await postRaw(plain, 'text/plain; charset=utf-8', { ...metadata, breadcrumb: 'Home>Women Health Care Division' })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { contentType: 'text/plain', title: metadata.title, hospital: { slug: 'cqhcwc' }, breadcrumb: 'Home>Women Health Care Division' })
  t.equal((await app.inject(`/v1/sources/${created.json<SourceBody>().id}`)).json<{ fullText: string }>().fullText, plain)

  const html = `<!doctype html><html><head><title>Gynecology</title><style>p { color: red }</style>
    <script>var beds = 999; document.write("tracking")</script></head>
    <body><nav><a href="/home">Home</a></nav><h1>General Gynecology Department</h1>
    <p>The department has <b>88</b> beds.</p><ul><li>Hysteroscopy</li><li>Laparoscopy</li></ul>
    <noscript>Enable scripts</noscript><p>${fresh('Updated: 2026-03-03')}</p></body></html>`
  const page = await postRaw(html, 'text/html', { ...metadata, kind: 'center_page' })
  t.equal(page.statusCode, 201, page.body)
  const source = page.json<SourceBody>()
  t.equal(source.contentType, 'text/html', 'the original media type is kept')
  const stored = (await app.inject(`/v1/sources/${source.id}`)).json<{ fullText: string }>().fullText
  t.notMatch(stored, /var beds|tracking|color: red|Enable scripts|</, 'scripts, styles and markup are gone')
  const lines = stored.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  for (const line of ['General Gynecology Department', 'The department has 88 beds.', 'Hysteroscopy', 'Laparoscopy']) {
    t.ok(lines.includes(line), `"${line}" is a line of its own`)
  }
  const beds = (await candidatesOf(source.id)).find((candidate) => candidate.proposal.value === '88')
  t.ok(beds, 'extraction read the text, not the script')
  t.equal(stored.slice(beds!.start, beds!.end), beds!.quote)

  const missing = await postRaw(fresh('Text'), 'text/plain', { kind: 'department_page' })
  isProblem(t, missing, 400)
  t.match(missing.json(), { errors: [{ in: 'querystring', field: '/title', message: 'is required' }, { in: 'querystring', field: '/hospital' }] })
  const both = await app.inject({ method: 'POST', url: '/v1/sources?title=Other', headers: writer, payload: { ...metadata, text: fresh('Text') } })
  isProblem(t, both, 400)
  t.match(both.json(), { errors: [{ in: 'querystring', field: '/title' }] })
  const unknownHospital = await postRaw(fresh('Text'), 'text/plain', { ...metadata, hospital: 'no-such-hospital' })
  isProblem(t, unknownHospital, 422)
  t.match(unknownHospital.json(), { errors: [{ in: 'querystring', field: '/hospital', message: /names no hospital/ }] })
  const unknownJson = await postJson({ ...metadata, hospital: 'no-such-hospital', text: fresh('Text') })
  isProblem(t, unknownJson, 422)
  t.match(unknownJson.json(), { errors: [{ in: 'body', field: '/hospital' }] })
  isProblem(t, await postRaw('<p>x</p>', 'application/xml'), 415)
  const latin1 = await postRaw(Buffer.from(fresh('Caf\u00e9'), 'latin1'), 'text/plain; charset=iso-8859-1')
  isProblem(t, latin1, 415)
  t.match(latin1.json(), { detail: /UTF-8 only/ })
  isProblem(t, await postRaw(fresh('Text'), 'text/plain', metadata, reader), 403)
})

t.test('the same text again is a 409 naming the source that has it', async (t) => {
  const text = fresh('The department has 88 beds.')
  const first = await postJson({ ...metadata, text })
  t.equal(first.statusCode, 201)
  const id = first.json<SourceBody>().id
  const sources = await app.prisma.sourceDocument.count()
  for (const again of [await postJson({ ...metadata, title: 'Another title', text }), await postRaw(text, 'text/plain'), await postRaw(text.replace(/\n/g, '\r\n'), 'text/plain')]) {
    isProblem(t, again, 409)
    t.match(again.json(), { type: '/problems/conflict', detail: new RegExp(`${id}.*/v1/sources/${id}`) })
    t.match(again.json<{ errors: Array<{ field: string, message: string }> }>().errors[0]!.message, `/v1/sources/${id}`)
    t.equal(again.headers.link, `</v1/sources/${id}>; rel="duplicate"`)
  }
  t.equal(await app.prisma.sourceDocument.count(), sources, 'nothing stored')
})

t.test('empty, binary and oversized texts are refused, saying what is wrong', async (t) => {
  const sources = await app.prisma.sourceDocument.count()
  const audits = await app.prisma.auditEvent.count()
  const cases: Array<[string, Awaited<ReturnType<typeof postJson>>, number, RegExp]> = [
    ['empty JSON text', await postJson({ ...metadata, text: '' }), 400, /text must NOT have fewer than 1 characters/],
    ['blank JSON text', await postJson({ ...metadata, text: ' \n\t ' }), 400, /text is empty/],
    ['empty raw body', await postRaw('', 'text/plain'), 400, /empty/],
    ['HTML with no text', await postRaw('<html><script>x = 1</script><style>p {}</style></html>', 'text/html'), 422, /holds no text/],
    ['NUL bytes', await postRaw(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]), 'text/plain'), 400, /NUL bytes: it is binary data/],
    ['invalid UTF-8', await postRaw(Buffer.from([0x54, 0x65, 0x78, 0x74, 0xff, 0xfe, 0x80]), 'text/plain'), 400, /not valid UTF-8/],
    ['invalid UTF-8 in JSON', await app.inject({ method: 'POST', url: '/v1/sources', headers: { ...writer, 'content-type': 'application/json' }, payload: Buffer.concat([Buffer.from('{"title":"T","kind":"department_page","hospital":"cqhcwc","text":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) }), 400, /not valid UTF-8/],
    ['NUL in JSON', await postJson({ ...metadata, text: 'a\u0000b' }), 400, /NUL character/]
  ]
  for (const [name, response, status, detail] of cases) {
    isProblem(t, response, status, `${name}: ${response.body}`)
    t.match(response.json(), { status, detail }, name)
  }

  const limit = app.config.SOURCE_BODY_LIMIT_BYTES
  const huge = await postRaw(Buffer.alloc(limit + 1, 'a'), 'text/plain')
  isProblem(t, huge, 413)
  t.match(huge.json(), { type: '/problems/payload-too-large', detail: `larger than the limit of ${limit} bytes` })
  const hugeJson = await postJson({ ...metadata, text: 'a'.repeat(limit) })
  isProblem(t, hugeJson, 413)
  t.equal(await app.prisma.sourceDocument.count(), sources, 'nothing stored')
  t.equal(await app.prisma.auditEvent.count(), audits, 'nothing audited')
})

t.test('a Chinese text is stored, and its extraction is unreadable with a message', async (t) => {
  const text = fresh('妇科是重庆市妇幼保健院的重点专科，现有床位88张，年门诊量超过3万人次。')
  const created = await postJson({ ...metadata, language: 'zh', text })
  t.equal(created.statusCode, 201, created.body)
  const source = created.json<SourceBody>()
  t.match(source.extraction, { status: 'unreadable', message: /\S/, candidates: { proposed: 0, accepted: 0, rejected: 0 } })
  t.equal((await app.inject(`/v1/sources/${source.id}`)).json<{ fullText: string }>().fullText, text, 'stored as sent')
  t.same(await candidatesOf(source.id), [])
})

t.test('Idempotency-Key: a raw body\'s retry is replayed; the same key with other metadata is refused', async (t) => {
  const text = fresh('The department has 88 beds.')
  const headers = { ...writer, 'idempotency-key': 'b0c1d2e3-intake-source' }
  const first = await postRaw(text, 'text/plain', metadata, headers)
  t.equal(first.statusCode, 201)
  const retry = await postRaw(text, 'text/plain', metadata, headers)
  t.equal(retry.statusCode, 201)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.same(retry.json(), first.json())
  const other = await postRaw(text, 'text/plain', { ...metadata, title: 'Another page' }, headers)
  isProblem(t, other, 422)
  t.match(other.json(), { type: '/problems/idempotency-key-reused' })
})

t.test('metadata changes with If-Match; archive takes the candidates along, restore brings them back', async (t) => {
  const created = await postJson({ ...metadata, text: fresh('The department has 88 beds.') })
  const source = created.json<SourceBody>()
  const url = `/v1/sources/${source.id}`
  const candidates = await candidatesOf(source.id)
  t.ok(candidates.length > 0)

  isProblem(t, await app.inject({ method: 'PATCH', url, headers: writer, payload: { title: 'Renamed' } }), 428)
  const changed = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': created.headers.etag as string }, payload: { title: 'Renamed', statedOn: null } })
  t.equal(changed.statusCode, 200, changed.body)
  t.match(changed.json(), { title: 'Renamed', statedOn: null, version: 2 })
  const text = await app.inject({ method: 'PATCH', url, headers: { ...writer, 'if-match': '*' }, payload: { text: 'Another text' } })
  isProblem(t, text, 400)
  t.match(text.json(), { errors: [{ field: '/text', message: 'is not a known field' }] }, 'the text never changes')
  const history = await app.inject({ url: `${url}/history`, headers: reader })
  t.same(history.json<{ data: Array<{ action: string }> }>().data.map((event) => event.action), ['update', 'create'])

  const archived = await app.inject({ method: 'DELETE', url, headers: { ...writer, 'if-match': changed.headers.etag as string } })
  t.equal(archived.statusCode, 204, archived.body)
  t.equal((await app.inject(url)).statusCode, 404)
  t.equal(await app.prisma.extractionCandidate.count({ where: { sourceId: source.id } }), 0, 'the candidates went with it')
  const entry = await app.prisma.archivedRecord.findFirstOrThrow({ where: { entityId: source.id } })
  t.equal(entry.resource, 'sources')
  const restored = await app.inject({ method: 'POST', url: `/v1/archive/${entry.id}/restore`, headers: admin })
  t.equal(restored.statusCode, 201, restored.body)
  t.equal(restored.headers.location, url)
  t.match(restored.json(), { id: source.id, title: 'Renamed', version: 3 })
  t.same((await candidatesOf(source.id)).map((candidate) => candidate.id), candidates.map((candidate) => candidate.id), 'and came back with it')

  const seeded = await app.prisma.sourceDocument.findFirstOrThrow({ where: { title: 'General Gynecology Department', fileName: { not: { startsWith: 'intake/' } } } })
  const refused = await app.inject({ method: 'DELETE', url: `/v1/sources/${seeded.id}`, headers: { ...writer, 'if-match': '*' } })
  isProblem(t, refused, 409)
  t.match(refused.json(), { detail: /still has .*figures, .* citing it; archive those first/ })
})
