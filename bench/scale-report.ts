import type { ModeResult, ScenarioResult } from './report.ts'
import type { ScenarioParameters } from './scenarios.ts'
import type { UncachedRun, UncachedTarget } from './uncached.ts'

// Issue 24's targets, judged from one run: per N hospitals the caches-off app against the SQL-built JSON reference,
// the warm app against the ceiling, the 304 without a cached body against the uncached 200, latency, 503s and
// memory at the largest N, and the growth of each scenario's cost from N to N.

const MB = 1024 * 1024

/** Everything measured on one database of N hospitals. */
export interface ScaleRun {
  hospitals: number
  /** The template database the copy measured was made from (the seed-only run has none). */
  template: string | null
  parameters: ScenarioParameters
  /** The warm app against the ceiling. */
  cached: ScenarioResult[]
  /** Cache-warm scenarios the app did not answer 200 in their set-up (a 503 at a large N), so not measured. */
  cachedSkipped: Array<{ id: string, name: string, reason: string }>
  uncached: UncachedRun
  /** The largest peak RSS of the app instances (warm and caches off) on this database. */
  peakRssBytes: number
}

export interface TargetCheck {
  target: string
  hospitals: number | null
  scenario: string
  measured: string
  limit: string
  /** null: not measured in this run (the N it needs was not asked for, or the reference answered otherwise). */
  pass: boolean | null
}

const ratio = (value: number | null | undefined) => value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)}×`
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`

/** The issue's latency and memory targets hold at N = 500: judged at the largest N measured if it is 500 or more. */
const largeN = 500

export function issueTargets (runs: ScaleRun[], embedded: ModeResult | undefined, uncachedConnections: number): TargetCheck[] {
  const checks: TargetCheck[] = []
  for (const run of runs) {
    for (const scenario of run.uncached.scenarios) {
      if (!['list', 'detail', 'figures'].includes(scenario.target)) continue
      const differs = scenario.referenceDifferences.length > 0
      checks.push({
        target: 'caches off ≥ 1.0× SQL-built JSON',
        hospitals: run.hospitals,
        scenario: scenario.name,
        measured: differs ? `not compared: ${scenario.referenceDifferences[0]}` : ratio(scenario.ratio),
        limit: '≥ 1.0×',
        pass: differs || scenario.ratio === null ? null : scenario.ratio >= 1
      })
    }
    for (const scenario of run.cached.filter((item) => item.kind === 'read' || item.kind === 'revalidation')) {
      checks.push({
        target: 'cache warm ≥ 0.9× ceiling',
        hospitals: run.hospitals,
        scenario: scenario.name,
        measured: ratio(scenario.ratio),
        limit: '≥ 0.9×',
        pass: scenario.failures.some((failure) => failure !== 'req/s') ? false : scenario.ratio >= 0.9
      })
    }
    for (const skipped of run.cachedSkipped) {
      checks.push({ target: 'cache warm ≥ 0.9× ceiling', hospitals: run.hospitals, scenario: skipped.name, measured: `no 200 to cache: ${skipped.reason.slice(0, 60)}`, limit: '≥ 0.9×', pass: false })
    }
    for (const revalidation of run.uncached.revalidations) {
      checks.push({
        target: '304 without a cached body ≥ 5× uncached 200',
        hospitals: run.hospitals,
        scenario: revalidation.name,
        measured: ratio(revalidation.ratio),
        limit: '≥ 5×',
        pass: revalidation.ratio >= 5
      })
    }
  }

  const large = runs.at(-1)
  const at = large !== undefined && large.hospitals >= largeN ? large : undefined
  const connectionsNote = uncachedConnections === 10 ? '' : ` (at ${uncachedConnections} connections, not 10)`
  const p99Limits: Record<UncachedTarget, number> = { list: 50, detail: 50, figures: 50, summary: 150, search: 50, analytics: 300 }
  for (const scenario of at?.uncached.scenarios ?? []) {
    const limit = p99Limits[scenario.target]!
    checks.push({
      target: `N = ${largeN}: p99 caches off${connectionsNote}`,
      hospitals: at!.hospitals,
      scenario: scenario.name,
      measured: ms(scenario.app.p99),
      limit: `≤ ${limit} ms`,
      pass: scenario.app.p99 <= limit
    })
  }
  if (at === undefined) {
    checks.push({ target: `N = ${largeN}: p99, 503s, peak RSS`, hospitals: null, scenario: '—', measured: `not measured (--hospitals …,${largeN})`, limit: '—', pass: null })
  } else {
    const unavailable = at.uncached.scenarios.reduce((sum, scenario) => sum + scenario.serviceUnavailable, 0)
    checks.push({ target: `N = ${largeN}: no 503 caches off`, hospitals: at.hospitals, scenario: 'all', measured: String(unavailable), limit: '0', pass: unavailable === 0 })
    checks.push({
      target: `N = ${largeN}: peak RSS (PostgreSQL mode)`,
      hospitals: at.hospitals,
      scenario: 'all',
      measured: `${Math.round(at.peakRssBytes / MB)} MB`,
      limit: '≤ 250 MB',
      pass: at.peakRssBytes <= 250 * MB
    })
  }
  checks.push(embedded === undefined
    ? { target: 'embedded peak RSS', hospitals: 1, scenario: 'all', measured: 'not measured (--mode pg)', limit: '≤ 250 MB', pass: null }
    : {
        target: 'embedded peak RSS',
        hospitals: 1,
        scenario: 'all',
        measured: `${Math.round(embedded.peakRssBytes / MB)} MB`,
        limit: '≤ 250 MB',
        pass: embedded.peakRssBytes <= 250 * MB
      })
  return checks
}

function formatTable (rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows.map((row) => row.map((cell, column) =>
    rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')
}

const rate = (value: number | undefined) => value === undefined ? '—' : value.toFixed(0)
const kilobytes = (bytes: number | undefined) => bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KB`
const latency = (value: number | undefined) => value === undefined ? '—' : value.toFixed(value < 10 ? 2 : 1)

/** One N: the caches-off scenarios beside the reference, the naive route and the warm app against the ceiling. */
export function renderScaleRun (run: ScaleRun): string {
  const { parameters } = run
  const header = `N = ${run.hospitals} hospital${run.hospitals === 1 ? '' : 's'}` +
    ` (hospital ${parameters.hospital}, unit ${parameters.department}, metric ${parameters.metric}; ` +
    `${run.uncached.scenarios[0]?.connections ?? '?'} connections caches off)`
  const rows: string[][] = [['scenario', 'body', 'off req/s', 'p50', 'p99', '503', 'SQL-JSON req/s', 'p99', 'off ÷ SQL-JSON',
    'naive req/s', 'warm req/s', 'ceiling req/s', 'warm ÷ ceiling']]
  for (const scenario of run.uncached.scenarios) {
    const warm = run.cached.find((item) => item.id === scenario.id)
    rows.push([
      scenario.name,
      kilobytes(scenario.bodyBytes),
      rate(scenario.app.requestsPerSecond),
      latency(scenario.app.p50),
      latency(scenario.app.p99),
      String(scenario.serviceUnavailable),
      rate(scenario.reference?.requestsPerSecond),
      latency(scenario.reference?.p99),
      scenario.referenceDifferences.length > 0 ? 'answers differ' : scenario.reference === undefined ? '—' : ratio(scenario.ratio),
      rate(scenario.naive?.requestsPerSecond),
      rate(warm?.app.requestsPerSecond),
      rate(warm?.reference.requestsPerSecond),
      warm === undefined ? (run.cachedSkipped.some((item) => item.id === scenario.id) ? 'no 200' : '—') : ratio(warm.ratio)
    ])
  }
  const others = run.cached.filter((item) => item.kind !== 'write' && !run.uncached.scenarios.some((scenario) => scenario.id === item.id))
  for (const warm of others) {
    rows.push([warm.name, '', '', '', '', '', '', '', '', '', rate(warm.app.requestsPerSecond), rate(warm.reference.requestsPerSecond), ratio(warm.ratio)])
  }
  const revalidations = formatTable([['304 without a cached body', '304 req/s', 'p99', '200 req/s', 'p99', '304 ÷ 200'],
    ...run.uncached.revalidations.map((item) => [item.name, rate(item.notModified.requestsPerSecond), latency(item.notModified.p99),
      rate(item.uncached.requestsPerSecond), latency(item.uncached.p99), ratio(item.ratio)])], new Set([1, 2, 3, 4, 5]))
  return `${header}\n${formatTable(rows, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))}\n\n${revalidations}\n` +
    `app peak RSS on this database: ${Math.round(run.peakRssBytes / MB)} MB\n`
}

/** Each caches-off scenario's req/s and p99 at every N measured. */
export function growthTable (runs: ScaleRun[]): Array<{ scenario: string, byHospitals: Record<string, { bodyBytes: number, requestsPerSecond: number, p99: number }> }> {
  const names = [...new Set(runs.flatMap((run) => run.uncached.scenarios.map((scenario) => scenario.name)))]
  return names.map((name) => ({
    scenario: name,
    byHospitals: Object.fromEntries(runs.flatMap((run) => {
      const scenario = run.uncached.scenarios.find((item) => item.name === name)
      return scenario === undefined ? [] : [[String(run.hospitals), { bodyBytes: scenario.bodyBytes, requestsPerSecond: scenario.app.requestsPerSecond, p99: scenario.app.p99 }]]
    }))
  }))
}

export function renderGrowth (runs: ScaleRun[]): string {
  const growth = growthTable(runs)
  const rows = [['caches off: req/s, p99 ms (body)', ...runs.map((run) => `N = ${run.hospitals}`)]]
  for (const row of growth) {
    rows.push([row.scenario, ...runs.map((run) => {
      const cell = row.byHospitals[String(run.hospitals)]
      return cell === undefined ? '—' : `${rate(cell.requestsPerSecond)}, ${latency(cell.p99)} (${kilobytes(cell.bodyBytes)})`
    })])
  }
  return formatTable(rows, new Set(runs.map((_run, index) => index + 1)))
}

export function renderTargets (checks: TargetCheck[]): string {
  const verdict = (pass: boolean | null) => pass === null ? '—' : pass ? 'MET' : 'NOT MET'
  return formatTable([['issue 24 target', 'N', 'scenario', 'measured', 'limit', 'result'],
    ...checks.map((check) => [check.target, check.hospitals === null ? '—' : String(check.hospitals), check.scenario, check.measured, check.limit, verdict(check.pass)])],
  new Set([1]))
}
