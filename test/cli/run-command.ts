import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { packageRoot } from '../../src/paths.ts'

// Runs a command of the project as an operator would, from the package root with only PATH, HOME and `env`, and
// collects what it printed; a command that has not exited after a minute is killed and fails the test.

export interface Run { code: number | null, stdout: string, stderr: string }

export function runCommand (command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: packageRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')} did not exit: ${stderr}`)) }, 60_000)
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}
