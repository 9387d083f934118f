import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

// Every server the bench measures (the app, the ceiling, the naive reference) runs in a child process of its own, so
// it gets a core to itself and autocannon, in this process, never shares an event loop with what it measures.

export interface ServerProcess {
  name: string
  /** http://127.0.0.1:<port> */
  origin: string
  pid: number
  /** Milliseconds from spawn to the first 200 from GET /ready. */
  startupMs: number
  stop(): Promise<void>
}

export interface ServerSpec {
  name: string
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  /** Where the child's stdout goes (its log); stderr is kept in memory to explain a failed start. */
  stdoutFile: string
  readyTimeoutMs?: number
}

const running = new Set<ChildProcess>()

/** A port nothing listens on now; the tiny race with another process taking it first is acceptable for a bench. */
export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

function exitOf (child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()))
}

async function terminate (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  // The app closes gracefully within close-with-grace's 10 s delay; past that it is stuck and is killed.
  const stopped = await Promise.race([exitOf(child).then(() => true), sleep(12_000).then(() => false)])
  if (!stopped) {
    child.kill('SIGKILL')
    await exitOf(child)
  }
}

export async function startServer (spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const stdout = openSync(spec.stdoutFile, 'a')
  const started = performance.now()
  const child = spawn(spec.command, spec.args, {
    env: { ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', stdout, 'pipe']
  })
  closeSync(stdout)
  running.add(child)
  child.once('exit', () => running.delete(child))

  let stderrTail = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-8000)
  })

  const deadline = started + (spec.readyTimeoutMs ?? 120_000)
  let exited = false
  void exitOf(child).then(() => { exited = true })
  for (;;) {
    if (exited) {
      throw new Error(`${spec.name} exited (code ${child.exitCode ?? child.signalCode}) before it was ready:\n${stderrTail}`)
    }
    if (performance.now() > deadline) {
      await terminate(child)
      throw new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs ?? 120_000} ms:\n${stderrTail}`)
    }
    try {
      const response = await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(2000) })
      await response.arrayBuffer()
      if (response.status === 200) break
    } catch {
      // Not listening yet.
    }
    await sleep(20)
  }

  return {
    name: spec.name,
    origin,
    pid: child.pid!,
    startupMs: performance.now() - started,
    stop: () => terminate(child)
  }
}

/** Stops every child still running; used on the way out, whether the bench succeeded or not. */
export async function stopAllServers (): Promise<void> {
  await Promise.all([...running].map((child) => terminate(child)))
}

/** Runs a command to completion and returns its stdout; rejects with its stderr when it fails. */
export async function runCommand (command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))
  running.delete(child)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr}`)
  return stdout
}

// Peak memory comes from the kernel, not from sampling: VmHWM in /proc/<pid>/status is the process's peak resident
// set size, and writing 5 to /proc/<pid>/clear_refs resets it to the current RSS, which gives each scenario its own
// peak without a sampler that could miss a short spike.

/** The process's peak RSS in bytes since it started or since the last reset. */
export function peakRss (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status)
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}

/** Resets the peak RSS to the current RSS; false where the kernel does not allow it (the peak then spans the run). */
export function resetPeakRss (pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}
