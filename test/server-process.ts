import type { Readable } from 'node:stream'

/**
 * The origin a server process (src/server.ts, logging at info) says it listens at, from its standard output; rejects
 * with what it printed when no such line comes in time. What it prints goes on accumulating in `output.log`.
 */
export function listeningOrigin (stdout: Readable, output: { log: string } = { log: '' }, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${output.log}`)), timeoutMs)
    stdout.on('data', (chunk: Buffer) => {
      output.log += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output.log)
      if (match !== null) { clearTimeout(timer); resolve(match[1]!) }
    })
  })
}
