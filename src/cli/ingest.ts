import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { exitWithError, OperatorError, UsageError } from '../lib/fatal.ts'
import { pageMetadata } from '../plugins/app/intake/page-metadata.ts'

// npm run -s ingest -- page.html report.txt --hospital cqhcwc [--accept-all]
// Sends each file to a running API as a source document (POST /v1/sources: stored, its text extracted), prints what
// extraction proposed and, with --accept-all, accepts every proposed candidate (the facts are written, audited and
// cited like any other). It is a client of the API, so it works the same on the embedded database and on PostgreSQL,
// locally or against a remote server, and goes through the same checks as every other write. The key (write scope)
// comes from HOSPITAL_API_KEY; the server from --url or API_URL (default http://localhost:3000). A file sent before
// (the same text) is reported as already there, and --accept-all still accepts what it has left proposed, so a run
// can be repeated.

const usage = 'usage: npm run -s ingest -- FILE... --hospital <slug> [--kind department_page|center_page|news_article] ' +
  '[--title <title>] [--stated-on YYYY-MM-DD] [--accept-all] [--url <API URL>]   (key: HOSPITAL_API_KEY)'

const kinds = ['department_page', 'center_page', 'news_article']

interface Options {
  files: string[]
  hospital: string
  kind: string
  title?: string
  statedOn?: string
  acceptAll: boolean
  url: string
  key: string
}

function commandLine (argv: string[], env: NodeJS.ProcessEnv): Options {
  const { positionals, values } = (() => {
    try {
      return parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          hospital: { type: 'string' },
          kind: { type: 'string' },
          title: { type: 'string' },
          'stated-on': { type: 'string' },
          'accept-all': { type: 'boolean' },
          url: { type: 'string' }
        }
      })
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    }
  })()
  if (positionals.length === 0) throw new UsageError(`name at least one file\n${usage}`)
  if (values.hospital === undefined) throw new UsageError(`--hospital is required: the hospital the documents are about\n${usage}`)
  const kind = values.kind ?? 'department_page'
  if (!kinds.includes(kind)) throw new UsageError(`--kind must be one of ${kinds.join(', ')}\n${usage}`)
  if (values.title !== undefined && positionals.length > 1) throw new UsageError('--title names one document: give one file with it')
  if (values['stated-on'] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values['stated-on'])) throw new UsageError('--stated-on takes a date as YYYY-MM-DD')
  const key = env.HOSPITAL_API_KEY
  if (key === undefined || key === '') throw new UsageError('set HOSPITAL_API_KEY to a key with the write scope (npm run -s keys -- create --name … --scopes write)')
  return {
    files: positionals,
    hospital: values.hospital,
    kind,
    ...(values.title === undefined ? {} : { title: values.title }),
    ...(values['stated-on'] === undefined ? {} : { statedOn: values['stated-on'] }),
    acceptAll: values['accept-all'] === true,
    url: (values.url ?? env.API_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
    key
  }
}

interface Problem { status: number, detail?: string, errors?: Array<{ field: string, message: string }> }

class ApiError extends OperatorError {
  constructor (readonly status: number, readonly problem: Problem | undefined, what: string) {
    super(`${what}: ${status} ${problem?.detail ?? ''}`.trim())
  }
}

function client (options: Options) {
  return async function call<T> (method: string, url: string, body?: { type: string, data: string | Buffer }): Promise<{ body: T, headers: Headers }> {
    let response: Response
    try {
      response = await fetch(`${options.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${options.key}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': body.type }) },
        ...(body === undefined ? {} : { body: body.data })
      })
    } catch (error) {
      throw new OperatorError(`cannot reach the API at ${options.url} (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}); is it running? (--url, API_URL)`)
    }
    const text = await response.text()
    const parsed = text === '' ? undefined : JSON.parse(text) as unknown
    if (!response.ok) throw new ApiError(response.status, parsed as Problem | undefined, `${method} ${url}`)
    return { body: parsed as T, headers: response.headers }
  }
}

interface Source { id: string, extraction: { status: string, message: string | null, candidates: Record<string, number> } | null }
interface Candidate { id: string, kind: string, quote: string }

async function proposedCandidates (call: ReturnType<typeof client>, sourceId: string): Promise<Candidate[]> {
  const candidates: Candidate[] = []
  let cursor: string | null = null
  do {
    const page: { body: { data: Candidate[], page: { nextCursor: string | null } } } =
      await call('GET', `/v1/sources/${sourceId}/candidates?status=proposed&limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)
    candidates.push(...page.body.data)
    cursor = page.body.page.nextCursor
  } while (cursor !== null)
  return candidates
}

/**
 * Accepts every proposed candidate: a hundred at a time in one all-or-none request; when a batch is refused (a
 * candidate without a unit or metric, a figure the source already states), one by one, so every acceptable one is
 * accepted and each refusal is reported.
 */
async function acceptAll (call: ReturnType<typeof client>, sourceId: string, log: (line: string) => void): Promise<{ accepted: number, refused: number }> {
  const candidates = await proposedCandidates(call, sourceId)
  let accepted = 0
  let refused = 0
  for (let start = 0; start < candidates.length; start += 100) {
    const batch = candidates.slice(start, start + 100)
    try {
      await call('POST', `/v1/sources/${sourceId}/candidates/accept`, { type: 'application/json', data: JSON.stringify({ ids: batch.map((item) => item.id) }) })
      accepted += batch.length
      continue
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) throw error
    }
    for (const candidate of batch) {
      try {
        await call('POST', `/v1/sources/${sourceId}/candidates/${candidate.id}/accept`, { type: 'application/json', data: '{}' })
        accepted++
      } catch (error) {
        if (!(error instanceof ApiError) || (error.status !== 409 && error.status !== 422)) throw error
        refused++
        const quote = candidate.quote.length > 70 ? `${candidate.quote.slice(0, 67)}…` : candidate.quote
        log(`  not accepted: ${candidate.kind} "${quote}": ${error.problem?.detail ?? error.status}`)
      }
    }
  }
  return { accepted, refused }
}

async function ingest (options: Options, log: (line: string) => void): Promise<boolean> {
  const call = client(options)
  let allSent = true
  for (const file of options.files) {
    const bytes = await readFile(file).catch((error: unknown) => {
      throw new OperatorError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`)
    })
    const html = /\.x?html?$/i.test(file)
    const metadata = { ...pageMetadata(bytes.toString('utf8'), html, file), ...(options.title === undefined ? {} : { title: options.title }), ...(options.statedOn === undefined ? {} : { statedOn: options.statedOn }) }
    const query = new URLSearchParams({ title: metadata.title, kind: options.kind, hospital: options.hospital })
    if (metadata.statedOn !== undefined) query.set('statedOn', metadata.statedOn)
    if (metadata.breadcrumb !== undefined) query.set('breadcrumb', metadata.breadcrumb)
    let sourceId: string
    try {
      const created = await call<Source>('POST', `/v1/sources?${query.toString()}`, { type: `${html ? 'text/html' : 'text/plain'}; charset=utf-8`, data: bytes })
      sourceId = created.body.id
      const extraction = created.body.extraction
      const counts = Object.entries(extraction?.candidates ?? {}).map(([status, count]) => `${count} ${status}`).join(', ')
      log(`${file}: source ${sourceId} "${metadata.title}"${metadata.statedOn === undefined ? '' : ` (${metadata.statedOn})`}; ` +
        `extraction ${extraction?.status ?? 'not run'}${counts === '' ? '' : `: ${counts}`}${extraction?.message == null ? '' : ` (${extraction.message})`}`)
    } catch (error) {
      // An answer about this file is reported and the run goes on; a server that cannot be reached ends it.
      if (!(error instanceof ApiError)) throw error
      const duplicate = error.status === 409 ? /\/v1\/sources\/([0-9a-f-]{36})/.exec(JSON.stringify(error.problem))?.[1] : undefined
      if (duplicate === undefined) {
        allSent = false
        log(`${file}: not sent: ${error.message}`)
        continue
      }
      sourceId = duplicate
      log(`${file}: already a source (${sourceId}): the same text was sent before`)
    }
    if (options.acceptAll) {
      const { accepted, refused } = await acceptAll(call, sourceId, log)
      log(`${file}: accepted ${accepted} candidate${accepted === 1 ? '' : 's'}${refused === 0 ? '' : `, ${refused} left proposed for review`}`)
    }
  }
  return allSent
}

try {
  const options = commandLine(process.argv.slice(2), process.env)
  const ok = await ingest(options, (line) => process.stdout.write(`${line}\n`))
  process.exitCode = ok ? 0 : 1
} catch (error) {
  exitWithError('ingest', error)
}
