import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { createApiKey } from '../../src/db/api-keys.ts'
import { pageMetadata } from '../../src/plugins/app/intake/page-metadata.ts'
import { buildTestApp } from '../helper.ts'
import { runCommand, type Run } from './run-command.ts'

// `npm run ingest` end to end: the command sends files to a running server as sources and accepts what extraction
// proposed; the facts are then in the API like any other.

function ingest (env: Record<string, string>, ...args: string[]): Promise<Run> {
  return runCommand(process.execPath, ['--import', 'tsx', 'src/cli/ingest.ts', ...args], env)
}

const page = `<!DOCTYPE html>
<html><head><title>General Gynecology Department - CQHCWC</title><script>var visits = 999999;</script></head>
<body><p class="breadcrumb">Home&gt;Women Health Care Division</p>
<h1>General Gynecology Department</h1>
<p>Updated: 2026-05-01</p>
<p>The General Gynecology Department of Chongqing Health Center for Women and Children now has 96 beds. It performs more than 6,500 surgeries each year.</p>
</body></html>
`

t.test('what a page says of itself', async (t) => {
  t.same(pageMetadata('Home>Women Health Care Division\n\nGeneral Gynecology Department\n\nUpdated: 2021-03-03\n\nText.', false, 'a.txt'),
    { title: 'General Gynecology Department', breadcrumb: 'Home>Women Health Care Division', statedOn: '2021-03-03' })
  t.same(pageMetadata(page, true, 'page.html'), { title: 'General Gynecology Department', statedOn: '2026-05-01' }, 'HTML: its first heading')
  t.same(pageMetadata('Just a line of text about 5 beds.', false, '/tmp/annual-report.txt'), { title: 'Just a line of text about 5 beds.' })
  t.same(pageMetadata('<p>no heading</p>', true, '/tmp/annual-report.html'), { title: 'annual-report' }, 'else the file name')
})

t.test('files become sources, and --accept-all makes their figures facts', async (t) => {
  const app = await buildTestApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address() as { port: number }
  const key = await createApiKey(app.prisma, { name: 'Information office', scopes: ['write'] })
  const directory = await mkdtemp(path.join(tmpdir(), 'ingest-'))
  t.teardown(() => rm(directory, { recursive: true, force: true }))
  const file = path.join(directory, 'general-gynecology.html')
  await writeFile(file, page)
  const env = { HOSPITAL_API_KEY: key.key, API_URL: `http://127.0.0.1:${address.port}` }

  const first = await ingest(env, file, '--hospital', 'cqhcwc', '--accept-all')
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /general-gynecology\.html: source [0-9a-f-]{36} "General Gynecology Department" \(2026-05-01\); extraction extracted: \d+ proposed/)
  t.match(first.stdout, /general-gynecology\.html: accepted [1-9]\d* candidates?/)

  const beds = (await app.inject('/v1/metrics?department=general-gynecology&metric=beds&limit=100')).json<{ data: Array<{ value: number, statedOn: string, source: { quote: string } }> }>().data
  t.match(beds.find((figure) => figure.value === 96), {
    statedOn: '2026-05-01',
    source: { quote: 'The General Gynecology Department of Chongqing Health Center for Women and Children now has 96 beds.' }
  }, 'the page\'s figure is a fact, with its sentence and the page\'s date')
  const sources = (await app.inject('/v1/sources?limit=100')).json<{ data: Array<{ title: string, breadcrumb: string | null }> }>().data
  t.ok(sources.some((source) => source.title === 'General Gynecology Department' && source.breadcrumb === null))
  const stored = await app.prisma.sourceDocument.findFirst({ where: { statedOn: new Date('2026-05-01') }, select: { fullText: true } })
  t.notMatch(stored!.fullText, /999999/, 'the script is not in the stored text')

  const again = await ingest(env, file, '--hospital', 'cqhcwc', '--accept-all')
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /already a source \([0-9a-f-]{36}\): the same text was sent before/)
  t.match(again.stdout, /accepted 0 candidates/, 'a repeated run writes nothing new')

  const unreachable = await ingest({ ...env, API_URL: 'http://127.0.0.1:9' }, file, '--hospital', 'cqhcwc')
  t.equal(unreachable.code, 1)
  t.match(unreachable.stderr, /cannot reach the API at http:\/\/127\.0\.0\.1:9/)
  const noHospital = await ingest(env, file)
  t.equal(noHospital.code, 1)
  t.match(noHospital.stderr, /--hospital is required/)
  const unknownHospital = await ingest(env, file, '--hospital', 'nowhere')
  t.equal(unknownHospital.code, 1, 'a file that is not sent fails the run')
  t.match(unknownHospital.stdout, /not sent: POST \/v1\/sources\?.*: 422/)
})
