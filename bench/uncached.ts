import { setTimeout as sleep } from 'node:timers/promises'
import { startApp } from './app-setup.ts'
import { jsonDifferences } from './json-differences.ts'
import { compareServers, type LoadSettings, type LoadTarget, type Measurement } from './load.ts'
import { peakRss, startServer, type ServerProcess } from './processes.ts'
import { analyticsPath, rawAnswer, departmentDetailPath, departmentListPath, type ScenarioParameters } from './scenarios.ts'

// The app with its caches off (every request builds its answer) against the SQL-built JSON reference
// (bench/reference-server.ts) and, for the department list, the naive Prisma route, all on one database; then the
// cheap-revalidation ratio: a 304 for If-None-Match (the ETag of a first answer) from the same cache-less app, against
// its own uncached 200 of the same URL.

/** Which target of the issue a scenario's figures count towards. */
export type UncachedTarget = 'list' | 'detail' | 'figures' | 'summary' | 'search' | 'analytics'

export interface UncachedScenario {
  id: string
  name: string
  path: string
  target: UncachedTarget
  /** Whether the SQL-built JSON reference answers it. */
  reference: boolean
  /** The naive Prisma route reading the same rows, for context. */
  naivePath?: string
}

export function uncachedScenarios (parameters: ScenarioParameters): UncachedScenario[] {
  const list = departmentListPath(parameters)
  return [
    { id: 'department-list', name: 'department list', path: list, target: 'list', reference: true, naivePath: `/departments?hospital=${parameters.hospital}` },
    { id: 'department-list-metrics', name: 'department list + figures', path: `${list}&include=metrics`, target: 'list', reference: true },
    { id: 'department-detail', name: 'department detail + include', path: departmentDetailPath(parameters), target: 'detail', reference: true },
    {
      id: 'metrics-filtered',
      name: 'figures filtered',
      path: `/v1/metrics?department=${parameters.department}&metric=${parameters.metric}`,
      target: 'figures',
      reference: true
    },
    { id: 'honors', name: 'honors list', path: `/v1/honors?hospital=${parameters.hospital}&limit=20`, target: 'list', reference: true },
    // The first page of groups (default limit, each with its first units); its p99 is a target of its own.
    { id: 'statistics-summary', name: 'statistics summary', path: '/v1/statistics/summary', target: 'summary', reference: true },
    { id: 'search', name: 'search', path: `/v1/search?q=${encodeURIComponent(parameters.searchQuery)}`, target: 'search', reference: true },
    // Issue 26: one metric over every hospital and the generator's five years, a cell per hospital and year, ranked,
    // with the change from the year before (the first page of cells, the default 100). No reference answers it.
    { id: 'statistics-analytics', name: 'analytics: metric × hospitals × 5 years', path: analyticsPath(parameters), target: 'analytics', reference: false }
  ]
}

export interface UncachedResult {
  id: string
  name: string
  path: string
  target: UncachedTarget
  connections: number
  /** The app's body, in bytes (uncompressed, as autocannon asks). */
  bodyBytes: number
  app: Measurement
  /** Answers of 503 from the app during the measured runs (a target: none). */
  serviceUnavailable: number
  reference?: Measurement
  referenceBodyBytes?: number
  /** Where the reference's answer differs from the app's after JSON.parse; non-empty means no ratio is reported. */
  referenceDifferences: string[]
  /** app req/s ÷ reference req/s; null without a reference or when the answers differ. */
  ratio: number | null
  naive?: Measurement
}

export interface RevalidationResult {
  id: string
  name: string
  path: string
  connections: number
  notModified: Measurement
  uncached: Measurement
  /** 304 req/s ÷ uncached 200 req/s */
  ratio: number
}

export interface UncachedRun {
  scenarios: UncachedResult[]
  revalidations: RevalidationResult[]
  /** The cache-less app's peak RSS over its life. */
  peakRssBytes: number
}

const tsxChild = (script: string) => ({ command: process.execPath, args: ['--import', 'tsx', script] })

function target (server: ServerProcess, label: string, path: string, expectedStatus = 200, headers?: Record<string, string>): LoadTarget {
  return { server: label, pid: server.pid, origin: server.origin, request: { method: 'GET', path, ...(headers === undefined ? {} : { headers }) }, expectedStatus }
}

/** Both caches off: the response cache and the statistics cache (src/config.ts). */
export const cacheOff = { RESPONSE_CACHE_MAX_MB: '0', STATISTICS_CACHE_ENTRIES: '0' }

export async function benchUncached (env: NodeJS.ProcessEnv, parameters: ScenarioParameters, settings: LoadSettings,
  appLog: string, log: (line: string) => void): Promise<UncachedRun> {
  const databaseEnv = { ...process.env, DATABASE_URL: env.DATABASE_URL, CURSOR_SECRET: env.CURSOR_SECRET }
  const servers: ServerProcess[] = []
  try {
    const app = await startApp('app (caches off)', { ...env, ...cacheOff }, appLog)
    servers.push(app)
    const reference = await startServer({ name: 'reference', ...tsxChild('bench/reference-server.ts'), env: databaseEnv, stdoutFile: '/dev/null' })
    servers.push(reference)
    const naive = await startServer({ name: 'naive', ...tsxChild('bench/naive-server.ts'), env: databaseEnv, stdoutFile: '/dev/null' })
    servers.push(naive)

    // Each measurement resets the kernel's high-water mark, so the life-long peak is the largest of theirs.
    let peakRssBytes = peakRss(app.pid)
    const results: UncachedResult[] = []
    for (const scenario of uncachedScenarios(parameters)) {
      let answer = await rawAnswer(app.origin, { path: scenario.path })
      // A first answer may find the app shedding load after a slow start (503 with Retry-After): asked again once.
      if (answer.status === 503) answer = await sleep(2000).then(async () => rawAnswer(app.origin, { path: scenario.path }))
      // Still a 503 (an unbounded answer timing out at a large N): the app is measured alone, its 503s counted.
      if (answer.status === 503) log(`  ${scenario.name}: the app answered 503 twice: ${answer.body.toString().slice(0, 200)}`)
      else if (answer.status !== 200) throw new Error(`GET ${scenario.path} answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`)
      let referenceDifferences: string[] = []
      let referenceBodyBytes: number | undefined
      if (answer.status === 503 && scenario.reference) {
        referenceDifferences = ['the app answered 503, nothing to compare']
      } else if (scenario.reference) {
        const referenceAnswer = await rawAnswer(reference.origin, { path: scenario.path })
        referenceBodyBytes = referenceAnswer.body.length
        referenceDifferences = referenceAnswer.status === 200
          ? jsonDifferences(answer.body.toString(), referenceAnswer.body.toString())
          : [`status ${referenceAnswer.status}: ${referenceAnswer.body.toString().slice(0, 200)}`]
        if (referenceDifferences.length > 0) log(`  ${scenario.name}: the reference answers otherwise, not compared: ${referenceDifferences.join('; ')}`)
      }
      log(`  ${scenario.name} (caches off)…`)
      const targets = [target(app, 'app (caches off)', scenario.path)]
      const compared = scenario.reference && referenceDifferences.length === 0
      if (compared) targets.push(target(reference, 'SQL-built JSON', scenario.path))
      if (scenario.naivePath !== undefined) targets.push(target(naive, 'naive', scenario.naivePath))
      const [appMeasurement, ...others] = await compareServers(targets, settings)
      peakRssBytes = Math.max(peakRssBytes, appMeasurement!.peakRssBytes)
      const referenceMeasurement = compared ? others.shift() : undefined
      const naiveMeasurement = scenario.naivePath === undefined ? undefined : others.shift()
      results.push({
        id: scenario.id,
        name: scenario.name,
        path: scenario.path,
        target: scenario.target,
        connections: settings.connections,
        bodyBytes: answer.body.length,
        app: appMeasurement!,
        serviceUnavailable: appMeasurement!.statusCounts['503'] ?? 0,
        ...(referenceMeasurement === undefined ? {} : { reference: referenceMeasurement }),
        ...(referenceBodyBytes === undefined ? {} : { referenceBodyBytes }),
        referenceDifferences,
        ratio: referenceMeasurement !== undefined && referenceMeasurement.requestsPerSecond > 0
          ? appMeasurement!.requestsPerSecond / referenceMeasurement.requestsPerSecond
          : null,
        ...(naiveMeasurement === undefined ? {} : { naive: naiveMeasurement })
      })
    }

    const revalidations: RevalidationResult[] = []
    for (const scenario of uncachedScenarios(parameters).filter((item) => item.target === 'list' || item.target === 'detail').slice(0, 3)) {
      const first = await rawAnswer(app.origin, { path: scenario.path })
      if (first.status !== 200) {
        log(`  ${scenario.name}: no 200 to revalidate (${first.status}); 304 not measured`)
        continue
      }
      const etag = first.headers.etag
      if (etag === undefined) throw new Error(`${scenario.path} sent no ETag to revalidate with`)
      log(`  ${scenario.name}: 304 without a cached body…`)
      const [notModified, uncached] = await compareServers([
        target(app, 'app 304 (caches off)', scenario.path, 304, { 'if-none-match': etag }),
        target(app, 'app 200 (caches off)', scenario.path)
      ], settings)
      peakRssBytes = Math.max(peakRssBytes, notModified!.peakRssBytes, uncached!.peakRssBytes)
      revalidations.push({
        id: scenario.id,
        name: scenario.name,
        path: scenario.path,
        connections: settings.connections,
        notModified: notModified!,
        uncached: uncached!,
        ratio: uncached!.requestsPerSecond > 0 ? notModified!.requestsPerSecond / uncached!.requestsPerSecond : Number.NaN
      })
    }
    return { scenarios: results, revalidations, peakRssBytes: Math.max(peakRssBytes, peakRss(app.pid)) }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}
