import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { peakRss, resetPeakRss } from './processes.ts'

// Drives servers with autocannon: a warm-up run each, then measured runs that alternate A/B, B/A, A/B... (A/B/C,
// C/B/A with three) so that a burst of noise from the (busy, 2-core) machine hits every side alike, and reports the
// median of each figure. autocannon sends no Accept-Encoding, so no side compresses: the comparison is of the work
// per request.

export interface LoadRequest {
  method: 'GET' | 'PATCH'
  path: string
  headers?: Record<string, string>
  /** A fresh body per request, for writes that must really change something each time. */
  body?: () => string
  /**
   * Paths shared out among the connections, each connection keeping one: concurrent writes then go to different
   * rows, so they measure writing rather than lost optimistic-concurrency races (412).
   */
  connectionPaths?: string[]
}

export interface LoadTarget {
  /** Which server this is, for the results: 'app', 'ceiling', 'naive'. */
  server: string
  pid: number
  origin: string
  request: LoadRequest
  /** The status every response should have; any other is counted and reported as unexpected. */
  expectedStatus: number
}

export interface RunResult {
  requestsPerSecond: number
  /** Milliseconds. */
  p50: number
  p99: number
  statusCounts: Record<string, number>
  /** Responses with another status than expected, plus connection errors and timeouts. */
  unexpected: number
}

export interface Measurement {
  server: string
  requestsPerSecond: number
  p50: number
  p99: number
  /** Bytes: the server's peak RSS while this scenario ran (warm-up included). */
  peakRssBytes: number
  /** False when the kernel refused the reset: the peak then spans the process's life up to here. */
  peakIsPerScenario: boolean
  unexpected: number
  statusCounts: Record<string, number>
  runs: RunResult[]
}

export interface LoadSettings {
  duration: number
  warmup: number
  rounds: number
  connections: number
}

/** How long a write run waits at its end for the writes it left in flight to finish. */
const writeSettleMs = 1000

async function runOnce (target: LoadTarget, seconds: number, connections: number): Promise<RunResult> {
  const { request } = target
  const makeBody = request.body
  const requestFor = (path: string): autocannon.Request => ({
    method: request.method,
    path,
    headers: request.headers ?? {},
    ...(makeBody === undefined ? {} : { setupRequest: (req: autocannon.Request) => ({ ...req, body: makeBody() }) })
  })
  const paths = request.connectionPaths
  let connectionsSetUp = 0
  const result = await autocannon({
    url: target.origin,
    connections,
    duration: seconds,
    requests: [requestFor(request.path)],
    ...(paths === undefined
      ? {}
      : { setupClient: (client: autocannon.Client) => client.setRequests([requestFor(paths[connectionsSetUp++ % paths.length]!)]) })
  })
  // autocannon stops at its deadline with requests still in flight, which the server goes on answering. The next run
  // of the same server (the alternating order runs it twice in a row) would send its first writes to the same rows
  // while those finish, and lose optimistic-concurrency races (412) that are the bench's doing, not the app's.
  if (makeBody !== undefined) await sleep(writeSettleMs)
  await drained(target.origin)
  const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats ?? {})
    .map(([status, stats]) => [status, stats.count ?? 0]))
  const expected = statusCounts[String(target.expectedStatus)] ?? 0
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0)
  return {
    requestsPerSecond: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCounts,
    unexpected: answered - expected + result.errors
  }
}

/**
 * Waits until the server answers /ready again: autocannon leaves up to one request per connection in flight, which
 * the server goes on working through; with large answers (megabytes at a large N) that work would otherwise be
 * charged to whichever server and scenario run next.
 */
async function drained (origin: string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(30_000) })
      await response.arrayBuffer()
      return
    } catch {
      await sleep(100)
    }
  }
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function summarize (target: LoadTarget, runs: RunResult[], peakIsPerScenario: boolean): Measurement {
  const statusCounts: Record<string, number> = {}
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + count
  }
  return {
    server: target.server,
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    peakRssBytes: peakRss(target.pid),
    peakIsPerScenario,
    unexpected: runs.reduce((sum, run) => sum + run.unexpected, 0),
    statusCounts,
    runs
  }
}

/**
 * Measures servers under the same load: a warm-up run each, then rounds in which each runs once, in turn forwards
 * and backwards (A B C, C B A, ...). Returns their measurements in the order given.
 */
export async function compareServers (targets: LoadTarget[], settings: LoadSettings): Promise<Measurement[]> {
  const resets = targets.map((target) => resetPeakRss(target.pid))
  for (const target of targets) await runOnce(target, settings.warmup, settings.connections)
  const runs: RunResult[][] = targets.map(() => [])
  for (let round = 0; round < settings.rounds; round++) {
    const order = targets.map((_target, index) => index)
    if (round % 2 === 1) order.reverse()
    for (const index of order) runs[index]!.push(await runOnce(targets[index]!, settings.duration, settings.connections))
  }
  return targets.map((target, index) => summarize(target, runs[index]!, resets[index]!))
}

/** Measures A and B under the same load; returns their measurements in that order. */
export async function comparePair (a: LoadTarget, b: LoadTarget, settings: LoadSettings): Promise<[Measurement, Measurement]> {
  const [first, second] = await compareServers([a, b], settings)
  return [first!, second!]
}
