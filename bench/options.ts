import { parseArgs } from 'node:util'

// The bench's knobs, from flags first and BENCH_* environment variables second, so a CI job can set them without
// editing the command line. `--quick` is a smoke run: it proves the harness works end to end, not a measurement.

export type Mode = 'pg' | 'embedded'

export interface BenchOptions {
  modes: Mode[]
  /** Seconds per measured run. */
  duration: number
  /** Seconds of the warm-up run that precedes each scenario's measured runs (JIT, caches, connection pools). */
  warmup: number
  /** Measured runs per server and scenario; the median run is reported. */
  rounds: number
  connections: number
  /** Connections for the caches-off comparisons (the latency targets are at 10). */
  uncachedConnections: number
  /**
   * The scaling run: the hospital counts to measure at (1 is the seed alone), each on a copy of a kept template
   * database. Empty: the quick run on the seed, as a developer runs it.
   */
  hospitals: number[]
  /**
   * Cold starts of the app on its seeded database, each to /ready; the median is reported: one start is one sample of
   * a figure that varied from 2.3 s to 3.1 s between runs on the same shared machine.
   */
  coldStarts: number
  /** The PostgreSQL server the bench database is created on. */
  postgresUrl: string
  /**
   * Where the app's stdout (its pino log, at the production level `info`) goes. /dev/null by default: the app still
   * pays for every line (serializing it and the write call), as it does in production, but the bench neither reads
   * a pipe (which would cost this process CPU and could push back on the app) nor fills a disk with two lines per
   * request. Point it at a file to read what went wrong.
   */
  appLog: string
  resultsFile: string
  quick: boolean
}

const usage = 'usage: npm run bench -- [--mode pg|embedded|both] [--duration s] [--warmup s] [--rounds n] ' +
  '[--connections n] [--uncached-connections n] [--hospitals 1,10,100,500] [--cold-starts n] [--postgres-url url] [--app-log file] [--results file] [--quick]'

function positiveNumber (name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, not "${raw}"\n${usage}`)
  }
  return value
}

function hospitalCounts (raw: string | undefined): number[] {
  if (raw === undefined || raw === '') return []
  const counts = raw.split(',').map((item) => positiveNumber('--hospitals', item.trim(), 1, true))
  return [...new Set(counts)].sort((a, b) => a - b)
}

export function parseOptions (argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        mode: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        rounds: { type: 'string' },
        connections: { type: 'string' },
        'uncached-connections': { type: 'string' },
        hospitals: { type: 'string' },
        'cold-starts': { type: 'string' },
        'postgres-url': { type: 'string' },
        'app-log': { type: 'string' },
        results: { type: 'string' },
        quick: { type: 'boolean' },
        help: { type: 'boolean' }
      }
    }).values
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
  }
  if (parsed.help === true) throw new Error(usage)

  const quick = parsed.quick === true || env.BENCH_QUICK === '1'
  const mode = parsed.mode ?? env.BENCH_MODE ?? 'both'
  if (!['pg', 'embedded', 'both'].includes(mode)) throw new Error(`--mode must be pg, embedded or both, not "${mode}"\n${usage}`)

  return {
    modes: mode === 'both' ? ['pg', 'embedded'] : [mode as Mode],
    duration: positiveNumber('--duration', parsed.duration ?? env.BENCH_DURATION, quick ? 1 : 10),
    warmup: positiveNumber('--warmup', parsed.warmup ?? env.BENCH_WARMUP, quick ? 1 : 3),
    rounds: positiveNumber('--rounds', parsed.rounds ?? env.BENCH_ROUNDS, quick ? 1 : 3, true),
    connections: positiveNumber('--connections', parsed.connections ?? env.BENCH_CONNECTIONS, 50, true),
    uncachedConnections: positiveNumber('--uncached-connections', parsed['uncached-connections'] ?? env.BENCH_UNCACHED_CONNECTIONS, 10, true),
    hospitals: hospitalCounts(parsed.hospitals ?? env.BENCH_HOSPITALS),
    coldStarts: positiveNumber('--cold-starts', parsed['cold-starts'] ?? env.BENCH_COLD_STARTS, quick ? 1 : 3, true),
    postgresUrl: parsed['postgres-url'] ?? env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    appLog: parsed['app-log'] ?? env.BENCH_APP_LOG ?? '/dev/null',
    resultsFile: parsed.results ?? env.BENCH_RESULTS ?? 'bench/results.json',
    quick
  }
}
