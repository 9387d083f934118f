import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { appEnvironment, createBenchDatabase, createWriteKey, dropBenchDatabase, startApp } from './app-setup.ts'
import { comparePair, compareServers, median, type LoadSettings, type LoadTarget } from './load.ts'
import { parseOptions, type BenchOptions, type Mode } from './options.ts'
import { peakRss, startServer, stopAllServers, type ServerProcess } from './processes.ts'
import { contextComparison, judgeScenario, measurementProblems, processChecks, renderMode, type ModeResult, type ScenarioResult } from './report.ts'
import { benchHospital, checkCeilingBody, departmentListPath, prepareScenario, sameAnswerDifferences, scenarios } from './scenarios.ts'

// npm run bench [-- --mode pg|embedded|both --duration 10 --rounds 3 --connections 50 --cold-starts 3 --quick]
// Builds nothing itself (the npm script builds first), then per mode: starts the app on an empty database (first
// start), creates a write key, starts it again a few times (cold starts; the last instance is the one benched),
// measures every scenario against the ceiling (and each GET, for context, against the same answer served from memory),
// and in PostgreSQL mode the uncached department list against the naive routes. Prints the tables, writes
// results.json.

const tsxChild = (script: string, args: string[] = []) => ({ command: process.execPath, args: ['--import', 'tsx', script, ...args] })

interface Workspace {
  dir: string
  databaseCreated: boolean
}

function loadSettings (options: BenchOptions): LoadSettings {
  return { duration: options.duration, warmup: options.warmup, rounds: options.rounds, connections: options.connections }
}

function target (server: ServerProcess, label: string, request: LoadTarget['request'], expectedStatus = 200): LoadTarget {
  return { server: label, pid: server.pid, origin: server.origin, request, expectedStatus }
}

async function stopQuietly (...servers: Array<ServerProcess | undefined>): Promise<void> {
  await Promise.all(servers.map((server) => server?.stop()))
}

/** The app against the ceiling, scenario by scenario; returns the results and the app's peak RSS over its life. */
async function benchCachedApp (env: NodeJS.ProcessEnv, writeKey: string, options: BenchOptions, workspace: Workspace) {
  const app = await startApp('app', env, options.appLog)
  let ceiling: ServerProcess | undefined
  try {
    const coldStartMs = app.startupMs
    // Read before the first per-scenario reset, which would forget it.
    let peakRssBytes = peakRss(app.pid)

    // The write is prepared first: its one PATCH changes the unit, and the reads must see the state they are
    // measured in (and the 304 scenario an ETag that stays current until the write scenario runs last).
    const write = scenarios.filter((scenario) => scenario.kind === 'write')
    const prepared = []
    for (const scenario of [...write, ...scenarios.filter((scenario) => scenario.kind !== 'write')]) {
      prepared.push(await prepareScenario(scenario, app.origin, writeKey))
    }
    prepared.sort((a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario))

    const routesFile = path.join(workspace.dir, 'ceiling-routes.json')
    await writeFile(routesFile, JSON.stringify(prepared.map((item) => item.ceilingRoute)))
    ceiling = await startServer({ name: 'ceiling', ...tsxChild('bench/ceiling-server.ts', [routesFile]), env: process.env, stdoutFile: '/dev/null' })

    const results: ScenarioResult[] = []
    for (const item of prepared) {
      const bodyCheck = await checkCeilingBody(item, ceiling.origin)
      const differences = await sameAnswerDifferences(item, app.origin, ceiling.origin)
      process.stderr.write(`  ${item.scenario.name}…\n`)
      const settings = loadSettings(options)
      settings.connections = Math.min(settings.connections, item.maxConnections ?? Infinity)
      const targets = [target(app, 'app', item.app, item.app.expectedStatus), target(ceiling, 'ceiling', item.ceilingRequest)]
      if (item.sameAnswerRequest !== undefined) {
        targets.push(target(ceiling, 'same answer', item.sameAnswerRequest, item.app.expectedStatus))
      }
      const [appMeasurement, ceilingMeasurement, sameAnswerMeasurement] = await compareServers(targets, settings)
      peakRssBytes = Math.max(peakRssBytes, appMeasurement!.peakRssBytes)
      results.push(judgeScenario({
        id: item.scenario.id,
        name: item.scenario.name,
        path: item.scenario.path,
        kind: item.scenario.kind,
        connections: settings.connections,
        referenceName: 'ceiling',
        bodyCheck,
        app: appMeasurement!,
        reference: ceilingMeasurement!,
        ...(sameAnswerMeasurement === undefined
          ? {}
          : { context: contextComparison('same answer', appMeasurement!, sameAnswerMeasurement, differences) })
      }))
    }
    return { coldStartMs, peakRssBytes, results }
  } finally {
    await stopQuietly(app, ceiling)
  }
}

/**
 * PostgreSQL mode only: the app without its response cache against the naive Prisma route reading the same units with
 * the same relations (the target), then against the naive read of the unit table alone (context), same database.
 */
async function benchUncachedList (env: NodeJS.ProcessEnv, options: BenchOptions): Promise<ScenarioResult[]> {
  const app = await startApp('app (uncached)', { ...env, RESPONSE_CACHE_MAX_MB: '0' }, options.appLog)
  let naive: ServerProcess | undefined
  try {
    naive = await startServer({
      name: 'naive',
      ...tsxChild('bench/naive-server.ts'),
      env: { ...process.env, DATABASE_URL: env.DATABASE_URL },
      stdoutFile: '/dev/null'
    })
    const references = [
      { id: 'uncached-department-list', name: 'uncached department list', kind: 'uncached', label: 'naive', path: `/departments?hospital=${benchHospital}` },
      { id: 'uncached-department-list-table-only', name: 'uncached list vs unit table only', kind: 'uncached-context', label: 'naive (table only)', path: '/units' }
    ] as const
    const results: ScenarioResult[] = []
    for (const reference of references) {
      process.stderr.write(`  ${reference.name}…\n`)
      const [appMeasurement, naiveMeasurement] = await comparePair(
        target(app, 'app', { method: 'GET', path: departmentListPath }),
        target(naive, reference.label, { method: 'GET', path: reference.path }),
        loadSettings(options))
      results.push(judgeScenario({
        id: reference.id,
        name: reference.name,
        path: departmentListPath,
        kind: reference.kind,
        connections: options.connections,
        referenceName: 'naive',
        app: appMeasurement,
        reference: naiveMeasurement
      }))
    }
    return results
  } finally {
    await stopQuietly(app, naive)
  }
}

async function benchMode (mode: Mode, options: BenchOptions, workspace: Workspace): Promise<ModeResult> {
  let env: NodeJS.ProcessEnv
  if (mode === 'pg') {
    const databaseUrl = await createBenchDatabase(options.postgresUrl)
    workspace.databaseCreated = true
    env = appEnvironment({ DATABASE_URL: databaseUrl })
  } else {
    env = appEnvironment({ PGLITE_DATA_DIR: path.join(workspace.dir, 'pglite') })
  }
  const label = mode === 'pg' ? 'PostgreSQL mode' : 'Embedded mode (PGlite)'
  process.stderr.write(`${label}: first start…\n`)

  const first = await startApp('app (first start)', env, options.appLog)
  const firstStartMs = first.startupMs
  const firstStartPeakRssBytes = peakRss(first.pid)
  await first.stop()
  const writeKey = await createWriteKey(env)

  // Cold starts on the seeded database: the earlier ones are only timed, the last is the instance benched.
  const coldStartsMs: number[] = []
  for (let start = 1; start < options.coldStarts; start++) {
    const app = await startApp(`app (cold start ${start})`, env, options.appLog)
    coldStartsMs.push(app.startupMs)
    await app.stop()
  }
  const cached = await benchCachedApp(env, writeKey, options, workspace)
  coldStartsMs.push(cached.coldStartMs)
  const scenarioResults = cached.results
  let peakRssBytes = cached.peakRssBytes
  if (mode === 'pg') {
    const uncached = await benchUncachedList(env, options)
    scenarioResults.push(...uncached)
    peakRssBytes = Math.max(peakRssBytes, ...uncached.map((result) => result.app.peakRssBytes))
  }

  const result = { mode, label, firstStartMs, firstStartPeakRssBytes, coldStartMs: median(coldStartsMs), coldStartsMs, peakRssBytes, scenarios: scenarioResults }
  return { ...result, checks: processChecks(mode, result) }
}

async function main (): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env)
  const workspace: Workspace = { dir: await mkdtemp(path.join(os.tmpdir(), 'hospital-bench-')), databaseCreated: false }

  // Whatever happens (a failure, Ctrl-C), the children die, the database is dropped and the temp dir removed.
  let cleaned: Promise<void> | undefined
  const cleanUp = () => (cleaned ??= (async () => {
    await stopAllServers()
    if (workspace.databaseCreated) await dropBenchDatabase(options.postgresUrl).catch((error: unknown) => {
      process.stderr.write(`bench: could not drop the bench database: ${String(error)}\n`)
    })
    await rm(workspace.dir, { recursive: true, force: true })
  })())
  // `on`, not `once`: a second signal (tsx relays the one the terminal already sent, or a second Ctrl-C) must not
  // end the process half-way through cleaning up.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => { void cleanUp().finally(() => process.exit(130)) })
  }

  try {
    const modes: ModeResult[] = []
    for (const mode of options.modes) modes.push(await benchMode(mode, options, workspace))

    const settings = `${options.connections} connections, ${options.rounds} × ${options.duration} s measured per server ` +
      `(median), ${options.warmup} s warm-up, A/B alternating${options.quick ? ' — QUICK SMOKE RUN, not a measurement' : ''}`
    process.stdout.write(`\n${settings}\n\n${modes.map(renderMode).join('\n')}`)
    await writeFile(options.resultsFile, JSON.stringify({
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
      options: { ...options, postgresUrl: undefined },
      modes
    }, null, 2) + '\n')
    process.stdout.write(`\nwrote ${options.resultsFile}\n`)

    // Targets missed are findings, not errors; figures that mean nothing (errors, silence) fail the run.
    const invalid = modes.flatMap((mode) => mode.scenarios.map((scenario) => ({ mode, scenario })))
      .filter(({ scenario }) => measurementProblems(scenario).length > 0)
    if (invalid.length > 0) {
      throw new Error('invalid measurements: ' + invalid.map(({ mode, scenario }) =>
        `${mode.mode} ${scenario.name} (${measurementProblems(scenario).join(', ')})`).join('; ') + `; see ${options.resultsFile}`)
    }
  } finally {
    await cleanUp()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
