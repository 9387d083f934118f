import { request as httpRequest } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CeilingRoute } from './ceiling-server.ts'
import type { LoadRequest } from './load.ts'
import { lastFigureYear } from '../seed/synthetic/generator.ts'
import { defaults } from '../seed/synthetic/region.ts'

// What the bench asks of the app, and how each scenario's ceiling is derived from the app's own answer: the body is
// fetched once from the app and the ceiling serves those same bytes from memory, so the two differ only in the work
// done per request.

export type ScenarioKind = 'read' | 'revalidation' | 'write'

export interface Scenario {
  id: string
  name: string
  kind: ScenarioKind
  method: 'GET' | 'PATCH'
  path: string
}

/** Which hospital, unit and metric the scenarios read: the seed's own at N = 1, a synthetic one found by query above. */
export interface ScenarioParameters {
  hospital: string
  department: string
  metric: string
  searchQuery: string
}

export const seedParameters: ScenarioParameters = {
  hospital: 'cqhcwc',
  department: 'general-gynecology',
  metric: 'beds',
  searchQuery: 'surgery'
}

export const departmentListPath = (parameters: ScenarioParameters) => `/v1/departments?hospital=${parameters.hospital}&limit=20`
export const departmentDetailPath = (parameters: ScenarioParameters) =>
  `/v1/departments/${parameters.department}?include=children,metrics,honors,services`

/** The synthetic generator's years of figures (the last five, at its defaults). */
const analyticsYears = Array.from({ length: defaults.years }, (_, index) => lastFigureYear - defaults.years + 1 + index)

/** The analytics for the scenario's metric over every hospital and the generator's years, a cell per hospital and year. */
export const analyticsPath = (parameters: ScenarioParameters) =>
  `/v1/statistics/analytics?metric=${parameters.metric}&period=${analyticsYears.join(',')}&groupBy=hospital,period`

/** The cached scenarios (against the ceiling); `writes` adds the PATCH, which the seed-only run measures. */
export function cachedScenarios (parameters: ScenarioParameters, writes: boolean): Scenario[] {
  const list = departmentListPath(parameters)
  return [
    { id: 'department-list', name: 'department list', kind: 'read', method: 'GET', path: list },
    { id: 'department-detail', name: 'department detail + include', kind: 'read', method: 'GET', path: departmentDetailPath(parameters) },
    {
      id: 'metrics-filtered',
      name: 'metrics filtered',
      kind: 'read',
      method: 'GET',
      path: `/v1/metrics?department=${parameters.department}&metric=${parameters.metric}`
    },
    { id: 'statistics-summary', name: 'statistics summary', kind: 'read', method: 'GET', path: '/v1/statistics/summary' },
    { id: 'statistics-ratios', name: 'statistics ratios', kind: 'read', method: 'GET', path: '/v1/statistics/ratios' },
    { id: 'csv-export', name: 'CSV export', kind: 'read', method: 'GET', path: '/v1/metrics?format=csv&limit=100' },
    { id: 'search', name: 'search', kind: 'read', method: 'GET', path: `/v1/search?q=${encodeURIComponent(parameters.searchQuery)}` },
    { id: 'revalidation', name: '304 revalidation', kind: 'revalidation', method: 'GET', path: list },
    // Last: it changes the data, which would invalidate what the read scenarios measure.
    ...(writes ? [{ id: 'write', name: 'write (PATCH)', kind: 'write', method: 'PATCH', path: `/v1/departments/${parameters.department}` } as const] : [])
  ]
}

export interface PreparedScenario {
  scenario: Scenario
  app: LoadRequest & { expectedStatus: number }
  ceilingRoute: CeilingRoute
  ceilingRequest: LoadRequest
  /** GETs: the same answer as the app's, served from memory by the ceiling server (context, no target). */
  sameAnswerRequest?: LoadRequest
  /** Fewer connections than asked for, where more would only contend (one connection per unit for writes). */
  maxConnections?: number
}

let writeCounter = 0

/** What answers one request and not another: left out of the headers the same-answer route replays, and compared. */
const perRequestHeaders = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-request-id'])

export interface RawAnswer {
  status: number
  /** Lower-case names; the per-request ones left out. */
  headers: Record<string, string>
  body: Buffer
}

/**
 * One request as autocannon sends it: no Accept, no Accept-Encoding, only the headers given (fetch would add its own,
 * and the app would answer it compressed).
 */
export async function rawAnswer (origin: string, request: Pick<LoadRequest, 'path' | 'headers'>): Promise<RawAnswer> {
  return await new Promise((resolve, reject) => {
    const sent = httpRequest(`${origin}${request.path}`, { headers: request.headers ?? {} }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(response.headers)) {
          if (!perRequestHeaders.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) })
      })
    })
    sent.on('error', reject)
    sent.end()
  })
}

/**
 * A GET as autocannon sends it, asked again once when the app sheds load (a 503 with Retry-After, after a slow first
 * answer blocked its event loop), so a set-up answer is never a refusal.
 */
async function settledAnswer (origin: string, path: string): Promise<RawAnswer> {
  const answer = await rawAnswer(origin, { path })
  const retryAfter = Number(answer.headers['retry-after'])
  if (answer.status !== 503 || !(retryAfter > 0 && retryAfter <= 30)) return answer
  process.stderr.write(`  GET ${path} answered 503; asking again in ${retryAfter} s\n`)
  await sleep(retryAfter * 1000)
  return await rawAnswer(origin, { path })
}

/** A PATCH body that really changes the unit each time, so every write does the whole job (version, audit, events). */
function writeBody (): string {
  writeCounter += 1
  return JSON.stringify({ focus: `Benchmark write ${writeCounter}`, provenance: { note: 'bench' } })
}

/**
 * One request of the bench's set-up. A 503 with Retry-After (the app shedding load after a stall, such as an embedded
 * instance's first write after a cold start: first compilations and first reads of PGlite's catalog) is retried once,
 * when it says, as a client would; it is reported, and never retried during the measured runs.
 */
async function fetchOnce (url: string, init: RequestInit, expectedStatus: number): Promise<{ headers: Headers, text: string }> {
  let response = await fetch(url, init)
  const retryAfter = Number(response.headers.get('retry-after'))
  if (response.status === 503 && expectedStatus !== 503 && retryAfter > 0 && retryAfter <= 30) {
    const detail = (await response.text()).slice(0, 300)
    process.stderr.write(`  ${init.method ?? 'GET'} ${url} answered 503 (${detail}); retrying in ${retryAfter} s\n`)
    await sleep(retryAfter * 1000)
    response = await fetch(url, init)
  }
  const text = await response.text()
  if (response.status !== expectedStatus) {
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}, not ${expectedStatus}: ${text.slice(0, 500)}`)
  }
  return { headers: response.headers, text }
}

/** Asks the app once for the scenario's answer and builds the app's and the ceiling's requests from it. */
export async function prepareScenario (scenario: Scenario, appOrigin: string, writeKey: string): Promise<PreparedScenario> {
  const ceilingUrl = `/ceiling/${scenario.id}`
  const writeHeaders = { authorization: `Bearer ${writeKey}`, 'if-match': '*', 'content-type': 'application/json' }
  const headers = scenario.kind === 'write' ? writeHeaders : {}
  const first = await fetchOnce(`${appOrigin}${scenario.path}`, {
    method: scenario.method,
    headers,
    ...(scenario.kind === 'write' ? { body: writeBody() } : {})
  }, 200)
  const contentType = first.headers.get('content-type') ?? 'application/octet-stream'
  const ceilingRoute: CeilingRoute = {
    method: scenario.method,
    url: ceilingUrl,
    contentType,
    body: first.text,
    json: /[/+]json\b/.test(contentType)
  }

  const sameAnswerUrl = `/same-answer/${scenario.id}`
  if (scenario.method === 'GET') {
    // Asked twice: the second answer is a response-cache hit, as the measured requests are.
    await settledAnswer(appOrigin, scenario.path)
    ceilingRoute.sameAnswer = { url: sameAnswerUrl, headers: (await settledAnswer(appOrigin, scenario.path)).headers }
  }

  if (scenario.kind === 'revalidation') {
    const etag = first.headers.get('etag')
    if (etag === null) throw new Error(`${scenario.path} sent no ETag to revalidate with`)
    await fetchOnce(`${appOrigin}${scenario.path}`, { headers: { 'if-none-match': etag } }, 304)
    return {
      scenario,
      app: { method: 'GET', path: scenario.path, headers: { 'if-none-match': etag }, expectedStatus: 304 },
      ceilingRoute,
      ceilingRequest: { method: 'GET', path: ceilingUrl },
      sameAnswerRequest: { method: 'GET', path: sameAnswerUrl, headers: { 'if-none-match': etag } }
    }
  }
  if (scenario.kind === 'write') {
    // The seed has a handful of units: each connection writes its own, so no write loses a race for a row (412).
    const units = JSON.parse((await fetchOnce(`${appOrigin}/v1/departments?limit=100`, {}, 200)).text) as { data: Array<{ slug: string }> }
    const connectionPaths = units.data.map((unit) => `/v1/departments/${unit.slug}`)
    return {
      scenario,
      app: { method: 'PATCH', path: scenario.path, headers, body: writeBody, connectionPaths, expectedStatus: 200 },
      ceilingRoute,
      // The ceiling's PATCH parses the same JSON body; the key and If-Match mean nothing to it.
      ceilingRequest: { method: 'PATCH', path: ceilingUrl, headers: { 'content-type': 'application/json' }, body: writeBody },
      maxConnections: connectionPaths.length
    }
  }
  return {
    scenario,
    app: { method: 'GET', path: scenario.path, expectedStatus: 200 },
    ceilingRoute,
    ceilingRequest: { method: 'GET', path: ceilingUrl },
    sameAnswerRequest: { method: 'GET', path: sameAnswerUrl }
  }
}

/**
 * Where the same-answer route answers otherwise than the app, asked alike: the status, a header, or the body (a
 * response-cache header such as X-Cache included: the app's measured requests are hits). Empty when it is the same.
 */
export async function sameAnswerDifferences (prepared: PreparedScenario, appOrigin: string, ceilingOrigin: string): Promise<string[]> {
  if (prepared.sameAnswerRequest === undefined) return []
  const [app, same] = await Promise.all([rawAnswer(appOrigin, prepared.app), rawAnswer(ceilingOrigin, prepared.sameAnswerRequest)])
  const differences: string[] = []
  if (app.status !== same.status) differences.push(`status ${same.status}, not ${app.status}`)
  for (const name of new Set([...Object.keys(app.headers), ...Object.keys(same.headers)])) {
    if (app.headers[name] !== same.headers[name]) differences.push(`${name}: ${same.headers[name] ?? '(none)'}, not ${app.headers[name] ?? '(none)'}`)
  }
  if (!app.body.equals(same.body)) differences.push('body')
  return differences
}

export type BodyCheck = 'identical' | 'same JSON' | 'different'

/** Whether the ceiling answers what the app answered: the comparison is only fair when it does. */
export async function checkCeilingBody (prepared: PreparedScenario, ceilingOrigin: string): Promise<BodyCheck> {
  const { ceilingRequest, ceilingRoute } = prepared
  const response = await fetch(`${ceilingOrigin}${ceilingRequest.path}`, {
    method: ceilingRequest.method,
    headers: ceilingRequest.headers ?? {},
    ...(ceilingRequest.body === undefined ? {} : { body: ceilingRequest.body() })
  })
  const text = await response.text()
  if (response.status !== 200) return 'different'
  if (text === ceilingRoute.body) return 'identical'
  if (!ceilingRoute.json) return 'different'
  return JSON.stringify(sortKeys(JSON.parse(text))) === JSON.stringify(sortKeys(JSON.parse(ceilingRoute.body))) ? 'same JSON' : 'different'
}

function sortKeys (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, sortKeys(item)]))
}
