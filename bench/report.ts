import type { Mode } from './options.ts'
import type { Measurement } from './load.ts'
import type { BodyCheck, ScenarioKind } from './scenarios.ts'

// The targets, judged in the same run as the reference they are ratios of, and the table that shows them.

const MB = 1024 * 1024

export interface ScenarioResult {
  id: string
  name: string
  path: string
  kind: ScenarioKind
  connections: number
  /** What the app is compared with: the in-memory ceiling. */
  referenceName: 'ceiling'
  /** For ceiling comparisons: whether the ceiling answered the app's body. */
  bodyCheck?: BodyCheck
  app: Measurement
  reference: Measurement
  /** app req/s ÷ reference req/s */
  ratio: number
  /** app p99 ÷ reference p99 */
  p99Ratio: number
  /** Cached GETs: the app against the same answer served from memory by bare Fastify (context, no target). */
  context?: ContextComparison
  target: string | null
  /** null where the scenario has no target (the write rate, the context figure). */
  pass: boolean | null
  failures: string[]
}

export interface ContextComparison {
  name: string
  reference: Measurement
  /** app req/s ÷ this reference's req/s */
  ratio: number
  p99Ratio: number
  /** Where the reference answered otherwise than the app (status, a header, the body): its figure then means nothing. */
  differences: string[]
}

export interface Check {
  name: string
  measured: string
  limit: string
  pass: boolean | null
}

export interface ModeResult {
  mode: Mode
  label: string
  firstStartMs: number
  firstStartPeakRssBytes: number
  /** The median of coldStartsMs. */
  coldStartMs: number
  /** Each cold start to /ready, in the order they were made. */
  coldStartsMs: number[]
  /** The app's peak RSS while benched: from its cold start through every scenario (the caches-off instance included). */
  peakRssBytes: number
  scenarios: ScenarioResult[]
  checks: Check[]
}

// Issue 24: with the cache warm, the API's own per-request machinery costs at most 10% of bare Fastify's answer.
const scenarioTargets: Record<ScenarioResult['kind'], { minRatio: number, maxP99Ratio?: number } | null> = {
  read: { minRatio: 0.9 },
  revalidation: { minRatio: 0.9 },
  write: null
}

/** What makes a scenario's figures meaningless: errors, wrong statuses, silence, or a ceiling that answers otherwise. */
export function measurementProblems (result: Pick<ScenarioResult, 'app' | 'reference' | 'referenceName' | 'bodyCheck' | 'context'>): string[] {
  const problems: string[] = []
  const measured: Array<[string, Measurement]> = [['app', result.app], [result.referenceName, result.reference]]
  if (result.context !== undefined) measured.push([result.context.name, result.context.reference])
  for (const [name, measurement] of measured) {
    if (measurement.unexpected > 0) problems.push(`${measurement.unexpected} unexpected ${name} responses`)
    if (measurement.requestsPerSecond === 0) problems.push(`no ${name} responses`)
  }
  if (result.bodyCheck === 'different') problems.push('ceiling body differs')
  const differences = result.context?.differences ?? []
  if (differences.length > 0) problems.push(`${result.context!.name} differs from the app's (${differences.join('; ')})`)
  return problems
}

function ratios (app: Measurement, reference: Measurement): { ratio: number, p99Ratio: number } {
  // A side that answered nothing within a run has no figures to compare: NaN, never Infinity passing a target.
  const ratio = reference.requestsPerSecond > 0 ? app.requestsPerSecond / reference.requestsPerSecond : Number.NaN
  // autocannon's latencies are whole milliseconds: a sub-millisecond reference p99 reads 0.
  const p99Ratio = reference.p99 > 0 ? app.p99 / reference.p99 : app.p99 === 0 ? 1 : Number.POSITIVE_INFINITY
  return { ratio, p99Ratio }
}

/** The app against a reference given for context: its ratios, and whether the reference answered as the app did. */
export function contextComparison (name: string, app: Measurement, reference: Measurement, differences: string[]): ContextComparison {
  return { name, reference, ...ratios(app, reference), differences }
}

export function judgeScenario (base: Omit<ScenarioResult, 'ratio' | 'p99Ratio' | 'target' | 'pass' | 'failures'>): ScenarioResult {
  const { ratio, p99Ratio } = ratios(base.app, base.reference)
  const failures = measurementProblems(base)
  const limits = scenarioTargets[base.kind]
  if (limits === null) return { ...base, ratio, p99Ratio, target: null, pass: failures.length === 0 ? null : false, failures }
  if (!(ratio >= limits.minRatio)) failures.push('req/s')
  if (limits.maxP99Ratio !== undefined && !(p99Ratio <= limits.maxP99Ratio)) failures.push('p99')
  const target = `≥${limits.minRatio}×` + (limits.maxP99Ratio === undefined ? '' : `, p99≤${limits.maxP99Ratio}×`)
  return { ...base, ratio, p99Ratio, target, pass: failures.length === 0, failures }
}

export function processChecks (mode: Mode, result: Pick<ModeResult, 'firstStartMs' | 'coldStartMs' | 'coldStartsMs' | 'peakRssBytes'>): Check[] {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const starts = result.coldStartsMs
  const coldStart = starts.length < 2
    ? seconds(result.coldStartMs)
    : `${seconds(result.coldStartMs)} (median of ${starts.length}: ${starts.map((ms) => (ms / 1000).toFixed(2)).join(', ')})`
  const megabytes = (bytes: number) => `${Math.round(bytes / MB)} MB`
  if (mode === 'pg') {
    return [
      { name: 'peak RSS under the bench', measured: megabytes(result.peakRssBytes), limit: '≤ 250 MB', pass: result.peakRssBytes <= 250 * MB },
      { name: 'cold start to /ready', measured: coldStart, limit: '—', pass: null },
      { name: 'first start (migrate + seed)', measured: seconds(result.firstStartMs), limit: '—', pass: null }
    ]
  }
  return [
    { name: 'peak RSS under the bench', measured: megabytes(result.peakRssBytes), limit: '≤ 250 MB', pass: result.peakRssBytes <= 250 * MB },
    { name: 'cold start to /ready (seeded dir)', measured: coldStart, limit: '≤ 3 s', pass: result.coldStartMs <= 3000 },
    { name: 'first start (migrate + seed)', measured: seconds(result.firstStartMs), limit: '≤ 10 s', pass: result.firstStartMs <= 10_000 }
  ]
}

function verdict (pass: boolean | null, failures: string[] = []): string {
  if (pass === null) return '—'
  if (pass) return 'PASS'
  return failures.length === 0 ? 'FAIL' : `FAIL (${failures.join(', ')})`
}

function formatTable (rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_cell, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
  return rows.map((row) => row.map((cell, column) =>
    rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')
}

function latency (ms: number): string {
  return ms.toFixed(ms < 10 ? 2 : 1)
}

function ratioCell (ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a'
}

export function renderMode (result: ModeResult): string {
  // One row per server; a reference's row carries the app's ratio to it, and the target where there is one.
  const rows: string[][] = [['scenario', 'conn', 'server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS', 'app ÷ it', 'target', 'result']]
  for (const scenario of result.scenarios) {
    const line = (measurement: Measurement, cells: [string, string, string], first = false): string[] => [
      first ? scenario.name : '',
      first ? String(scenario.connections) : '',
      measurement.server,
      measurement.requestsPerSecond.toFixed(0),
      latency(measurement.p50),
      latency(measurement.p99),
      `${Math.round(measurement.peakRssBytes / MB)} MB`,
      ...cells
    ]
    rows.push(line(scenario.app, ['', '', ''], true))
    rows.push(line(scenario.reference, [ratioCell(scenario.ratio), scenario.target ?? '—', verdict(scenario.pass, scenario.failures)]))
    if (scenario.context !== undefined) rows.push(line(scenario.context.reference, [ratioCell(scenario.context.ratio), '—', 'context']))
  }
  const checks = formatTable([['check', 'measured', 'limit', 'result'],
    ...result.checks.map((check) => [check.name, check.measured, check.limit, verdict(check.pass)])], new Set([1]))
  return `${result.label}\n${formatTable(rows, new Set([1, 3, 4, 5, 6, 7]))}\n\n${checks}\n`
}
