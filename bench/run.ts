import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { appEnvironment, createBenchDatabase, createWriteKey, dropBenchDatabase, startApp } from './app-setup.ts'
import { compareServers, median, type LoadSettings, type LoadTarget } from './load.ts'
import { parseOptions, type BenchOptions, type Mode } from './options.ts'
import { peakRss, startServer, stopAllServers, type ServerProcess } from './processes.ts'
import { copyTemplate, dropCopy, regionTemplate, scenarioParameters } from './region.ts'
import { contextComparison, judgeScenario, measurementProblems, processChecks, renderMode, type ModeResult, type ScenarioResult } from './report.ts'
import { issueTargets, growthTable, renderGrowth, renderScaleRun, renderTargets, type ScaleRun } from './scale-report.ts'
import { cachedScenarios, checkCeilingBody, prepareScenario, sameAnswerDifferences, seedParameters, type Scenario } from './scenarios.ts'
import { benchUncached } from './uncached.ts'

// npm run bench [-- --mode pg|embedded|both --duration 10 --rounds 3 --connections 50 --cold-starts 3 --quick]
// npm run bench -- --hospitals 1,10,100,500 [--mode …]
// Builds nothing itself (the npm script builds first).
// Without --hospitals, on the seed, per mode: starts the app on an empty database (first start), creates a write
// key, starts it again a few times (cold starts; the last instance is the one benched), measures every scenario
// against the ceiling (and each GET, for context, against the same answer served from memory), and in PostgreSQL
// mode the app with its caches off against the SQL-built JSON reference and the naive route (bench/uncached.ts).
// With --hospitals, PostgreSQL mode runs once per N on a copy of that N's template database (bench/region.ts): the
// read scenarios against the ceiling, then with caches off against the references; embedded mode runs on the seed as
// above, for its memory. Prints the tables and issue 24's targets, writes results.json.

const tsxChild = (script: string, args: string[] = []) => ({ command: process.execPath, args: ['--import', 'tsx', script, ...args] })

interface Workspace {
  dir: string
  databaseCreated: boolean
  /** Copies of region templates made by this run, dropped on the way out. */
  copies: Set<string>
}

const log = (line: string) => { process.stderr.write(`${line}\n`) }

function loadSettings (options: BenchOptions): LoadSettings {
  return { duration: options.duration, warmup: options.warmup, rounds: options.rounds, connections: options.connections }
}

function target (server: ServerProcess, label: string, request: LoadTarget['request'], expectedStatus = 200): LoadTarget {
  return { server: label, pid: server.pid, origin: server.origin, request, expectedStatus }
}

async function stopQuietly (...servers: Array<ServerProcess | undefined>): Promise<void> {
  await Promise.all(servers.map((server) => server?.stop()))
}

/**
 * The app against the ceiling, scenario by scenario; returns the results and the app's peak RSS over its life. With
 * `skipUnanswered` (the scaling run) a scenario the app does not answer 200 in its set-up is left out and reported
 * instead of failing the run: at a large N the unbounded summary may time out.
 */
async function benchCachedApp (env: NodeJS.ProcessEnv, writeKey: string, options: BenchOptions, workspace: Workspace,
  scenarios: Scenario[], skipUnanswered = false) {
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
    const skipped: Array<{ id: string, name: string, reason: string }> = []
    for (const scenario of [...write, ...scenarios.filter((scenario) => scenario.kind !== 'write')]) {
      try {
        prepared.push(await prepareScenario(scenario, app.origin, writeKey))
      } catch (error) {
        if (!skipUnanswered) throw error
        const reason = error instanceof Error ? error.message : String(error)
        log(`  ${scenario.name}: left out of the cache-warm run: ${reason.slice(0, 300)}`)
        skipped.push({ id: scenario.id, name: scenario.name, reason: reason.slice(0, 300) })
      }
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
    return { coldStartMs, peakRssBytes, results, skipped }
  } finally {
    await stopQuietly(app, ceiling)
  }
}

function uncachedSettings (options: BenchOptions): LoadSettings {
  return { ...loadSettings(options), connections: options.uncachedConnections }
}

/** PostgreSQL mode at N hospitals, on a fresh copy of that N's template: the warm app, then the caches-off one. */
async function benchRegion (hospitals: number, options: BenchOptions, workspace: Workspace): Promise<ScaleRun> {
  const template = await regionTemplate(options.postgresUrl, hospitals, appEnvironment({ DATABASE_URL: options.postgresUrl }), log)
  const copy = `hospital_bench_region_${hospitals}`
  workspace.copies.add(copy)
  const databaseUrl = await copyTemplate(options.postgresUrl, template, copy)
  try {
    const env = appEnvironment({ DATABASE_URL: databaseUrl })
    const parameters = await scenarioParameters(databaseUrl, hospitals)
    log(`PostgreSQL mode, N = ${hospitals}: ${JSON.stringify(parameters)}`)
    const cached = await benchCachedApp(env, '', options, workspace, cachedScenarios(parameters, false), true)
    const uncached = await benchUncached(env, parameters, uncachedSettings(options), options.appLog, log)
    return {
      hospitals,
      template,
      parameters,
      cached: cached.results,
      cachedSkipped: cached.skipped,
      uncached,
      peakRssBytes: Math.max(cached.peakRssBytes, uncached.peakRssBytes)
    }
  } finally {
    await dropCopy(options.postgresUrl, copy)
    workspace.copies.delete(copy)
  }
}

async function benchMode (mode: Mode, options: BenchOptions, workspace: Workspace): Promise<{ result: ModeResult, scale?: ScaleRun }> {
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
  const cached = await benchCachedApp(env, writeKey, options, workspace, cachedScenarios(seedParameters, true))
  coldStartsMs.push(cached.coldStartMs)
  let peakRssBytes = cached.peakRssBytes
  let scale: ScaleRun | undefined
  if (mode === 'pg') {
    process.stderr.write(`${label}: caches off…\n`)
    const uncached = await benchUncached(env, seedParameters, uncachedSettings(options), options.appLog, log)
    peakRssBytes = Math.max(peakRssBytes, uncached.peakRssBytes)
    scale = { hospitals: 1, template: null, parameters: seedParameters, cached: cached.results, cachedSkipped: [], uncached, peakRssBytes }
  }

  const result = { mode, label, firstStartMs, firstStartPeakRssBytes, coldStartMs: median(coldStartsMs), coldStartsMs, peakRssBytes, scenarios: cached.results }
  return { result: { ...result, checks: processChecks(mode, result) }, ...(scale === undefined ? {} : { scale }) }
}

async function main (): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env)
  const workspace: Workspace = { dir: await mkdtemp(path.join(os.tmpdir(), 'hospital-bench-')), databaseCreated: false, copies: new Set() }

  // Whatever happens (a failure, Ctrl-C), the children die, the database is dropped and the temp dir removed.
  let cleaned: Promise<void> | undefined
  const cleanUp = () => (cleaned ??= (async () => {
    await stopAllServers()
    if (workspace.databaseCreated) await dropBenchDatabase(options.postgresUrl).catch((error: unknown) => {
      process.stderr.write(`bench: could not drop the bench database: ${String(error)}\n`)
    })
    for (const copy of workspace.copies) {
      await dropCopy(options.postgresUrl, copy).catch((error: unknown) => {
        process.stderr.write(`bench: could not drop ${copy}: ${String(error)}\n`)
      })
    }
    await rm(workspace.dir, { recursive: true, force: true })
  })())
  // `on`, not `once`: a second signal (tsx relays the one the terminal already sent, or a second Ctrl-C) must not
  // end the process half-way through cleaning up.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => { void cleanUp().finally(() => process.exit(130)) })
  }

  try {
    const modes: ModeResult[] = []
    const scale: ScaleRun[] = []
    if (options.hospitals.length === 0) {
      for (const mode of options.modes) {
        const { result, scale: seedRun } = await benchMode(mode, options, workspace)
        modes.push(result)
        if (seedRun !== undefined) scale.push(seedRun)
      }
    } else {
      if (options.modes.includes('pg')) {
        for (const hospitals of options.hospitals) scale.push(await benchRegion(hospitals, options, workspace))
      }
      // The embedded database is measured on the seed, for its memory.
      if (options.modes.includes('embedded')) modes.push((await benchMode('embedded', options, workspace)).result)
    }
    const targets = issueTargets(scale, modes.find((mode) => mode.mode === 'embedded'), options.uncachedConnections)

    const settings = `${options.connections} connections (caches off: ${options.uncachedConnections}), ${options.rounds} × ` +
      `${options.duration} s measured per server (median), ${options.warmup} s warm-up, A/B alternating` +
      `${options.quick ? ' — QUICK SMOKE RUN, not a measurement' : ''}`
    process.stdout.write(`\n${settings}\n\n${modes.map(renderMode).join('\n')}`)
    if (scale.length > 0) {
      process.stdout.write(`\n${scale.map(renderScaleRun).join('\n')}\n${renderGrowth(scale)}\n\n${renderTargets(targets)}\n`)
    }
    await writeFile(options.resultsFile, JSON.stringify({
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
      options: { ...options, postgresUrl: undefined },
      modes,
      scale: { runs: scale, growth: growthTable(scale), targets }
    }, null, 2) + '\n')
    process.stdout.write(`\nwrote ${options.resultsFile}\n`)

    // Targets missed are findings, not errors; figures that mean nothing (errors, silence) fail the run. A 503 from
    // the caches-off app is a finding (a target: none at N = 500); any other unexpected answer is not.
    const cachedResults = [...modes.flatMap((mode) => mode.scenarios.map((scenario) => ({ label: mode.mode, scenario }))),
      ...(options.hospitals.length === 0 ? [] : scale.flatMap((run) => run.cached.map((scenario) => ({ label: `N = ${run.hospitals}`, scenario }))))]
    const invalid = cachedResults.filter(({ scenario }) => measurementProblems(scenario).length > 0)
      .map(({ label, scenario }) => `${label} ${scenario.name} (${measurementProblems(scenario).join(', ')})`)
    for (const run of scale) {
      for (const scenario of run.uncached.scenarios) {
        const measured = [scenario.app, scenario.reference, scenario.naive].filter((item) => item !== undefined)
        const wrong = measured.reduce((sum, item) => sum + item.unexpected, 0) - scenario.serviceUnavailable
        if (wrong > 0) invalid.push(`N = ${run.hospitals} ${scenario.name} caches off (${wrong} unexpected responses)`)
      }
      for (const revalidation of run.uncached.revalidations) {
        const wrong = revalidation.notModified.unexpected + revalidation.uncached.unexpected
        if (wrong > 0) invalid.push(`N = ${run.hospitals} ${revalidation.name} 304 without a cached body (${wrong} unexpected responses)`)
      }
    }
    if (invalid.length > 0) throw new Error(`invalid measurements: ${invalid.join('; ')}; see ${options.resultsFile}`)
  } finally {
    await cleanUp()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
