import { parseArgs } from 'node:util'
import { defaults, limits, type SyntheticRegionOptions, type Tally } from '../../seed/synthetic/region.ts'
import { exitWithError } from '../lib/fatal.ts'

// npm run seed:synthetic -- --hospitals N [--years Y] [--seed S]: a made-up region for benchmarks and tests, added
// beside the real seed. A wrong command line ends with one line on stderr and exit code 2, before anything is loaded.

const help = `usage: npm run seed:synthetic -- --hospitals N [--years Y] [--seed S] [--units U] [--metrics M] [--batch B]

Adds a synthetic region of N hospitals to the configured database (DATABASE_URL, or the embedded one at
PGLITE_DATA_DIR), after migrating it and seeding the real facts if it holds none. The real seed is left as it is.

  --hospitals N  hospitals to make, 1 to ${limits.hospitals} (required)
  --years Y      years of figures, ending with 2025, 1 to ${limits.years} (default ${defaults.years})
  --seed S       seed number, 0 to ${limits.seed} (default ${defaults.seed}); the same options give the same rows,
                 identifiers included
  --units U      units per hospital, 1 to ${limits.unitsPerHospital} (default ${defaults.unitsPerHospital})
  --metrics M    metrics each unit states every year, 1 to ${limits.metricsPerUnit} (default ${defaults.metricsPerUnit})
  --batch B      hospitals per transaction (default ${defaults.batchSize})

Figures: N x U x Y x M (500 hospitals: 25,000 units and 1,000,000 figures at the defaults). Every source it makes is
flagged synthetic and named synthetic/...

Running it again with the same options adds only the hospitals not there yet: a repeated run is a no-op, an
interrupted one resumes, and a larger N extends the region. A database holding a region made with other options
(seed, years, units or metrics) is refused.`

class UsageError extends Error {}

function integer (name: string, value: string | undefined, fallback: number | undefined, min: number, max: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`)
    return fallback
  }
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not "${value}"`)
  }
  return number
}

function commandLine (): SyntheticRegionOptions | 'help' {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      hospitals: { type: 'string' },
      years: { type: 'string' },
      seed: { type: 'string' },
      units: { type: 'string' },
      metrics: { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) return 'help'
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  return {
    hospitals: integer('hospitals', values.hospitals, undefined, 1, limits.hospitals),
    years: integer('years', values.years, defaults.years, 1, limits.years),
    seed: integer('seed', values.seed, defaults.seed, 0, limits.seed),
    unitsPerHospital: integer('units', values.units, defaults.unitsPerHospital, 1, limits.unitsPerHospital),
    metricsPerUnit: integer('metrics', values.metrics, defaults.metricsPerUnit, 1, limits.metricsPerUnit),
    batchSize: integer('batch', values.batch, defaults.batchSize, 1, 1000)
  }
}

function print (tally: Tally, seconds: number): void {
  const { added, alreadyPresent } = tally.hospitals
  process.stdout.write(`hospitals          added ${added}, already present ${alreadyPresent}\n`)
  for (const [table, count] of Object.entries(tally.rows)) {
    process.stdout.write(`${table.padEnd(18)} added ${count.toLocaleString('en-US')}\n`)
  }
  process.stdout.write(`in ${seconds.toFixed(1)} s\n`)
}

async function main (): Promise<void> {
  let options: SyntheticRegionOptions | 'help'
  try {
    options = commandLine()
  } catch (error) {
    process.stderr.write(`seed:synthetic: ${error instanceof Error ? error.message : String(error)} (--help for usage)\n`)
    process.exit(2)
  }
  if (options === 'help') {
    process.stdout.write(`${help}\n`)
    return
  }
  const started = performance.now()
  const [{ loadConfig }, { openDatabase }, { migrate }, { seedIfEmpty }, { seedSyntheticRegion }] = await Promise.all([
    import('../config.ts'), import('../db/database.ts'), import('../db/migrate.ts'), import('../db/seed.ts'),
    import('../../seed/synthetic/region.ts')
  ])
  // A batch inserts tens of thousands of rows in a statement: the query timeout meant for requests does not apply.
  const config = loadConfig({ ...process.env, DATABASE_QUERY_TIMEOUT_MS: '600000' })
  const database = await openDatabase(config)
  try {
    await database.withSession((session) => migrate(session))
    // The region uses the real seed's metric definitions and conditions; a database without them gets them first,
    // as a server's first start would.
    await seedIfEmpty(database.prisma)
    const tally = await seedSyntheticRegion(database.prisma, {
      ...options,
      onProgress: ({ done, total }) => {
        process.stderr.write(`seed:synthetic: ${done}/${total} hospitals (${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
      }
    })
    print(tally, (performance.now() - started) / 1000)
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => exitWithError('seed:synthetic', error))
