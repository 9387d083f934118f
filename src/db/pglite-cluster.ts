import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'

// How the embedded PGlite is sized, and how a new on-disk cluster is created without bloating the server.

/**
 * PGlite keeps Postgres's shared memory inside its WASM heap, which never shrinks and is touched in full at start.
 * initdb sizes shared_buffers for a server (128MB, 145MB of shared memory in all); this database is a few MB, so
 * 16MB (PGLITE_SHARED_BUFFERS_MB) holds every page of it. Passed at each start, so nothing in the data directory
 * changes.
 */
export function pgliteStartParams (sharedBuffersMb: number): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`]
}

// PGlite's initdb runs a second Postgres instance beside the first and restores a copy of its 128MB heap before
// each step: about 800MB at once, and what the WASM heaps and the allocator took stays with the process. In a
// child process all of it goes back to the system when initdb is done. (memory:// has no directory to hand over,
// so it still runs initdb in process.)
const createCluster = `
const [pgliteUrl, dataDir, startParams] = process.argv.slice(1)
try {
  const { PGlite } = await import(pgliteUrl)
  const db = await PGlite.create(dataDir, { startParams: JSON.parse(startParams) })
  await db.close()
} catch (error) {
  console.error(String(error))
  process.exitCode = 1
}
`

/**
 * Creates the cluster in `dataDir` in a short-lived child process unless the directory already holds one.
 * Rejects with the child's error, or the signal that ended it (SIGKILL: most likely out of memory).
 */
export async function ensurePgliteCluster (dataDir: string, startParams: string[]): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return
  try {
    await promisify(execFile)(process.execPath, [
      '--input-type=module', '--eval', createCluster,
      import.meta.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(startParams)
    ])
  } catch (error) {
    const { stderr, signal } = error as { stderr?: string, signal?: string | null }
    // The child prints its error as one line; Node itself prints a stack and its version line after it.
    const errorLine = stderr?.match(/^\w*Error\b.*$/m)?.[0]
    throw new Error(signal ? `initdb was ended by ${signal}` : (errorLine ?? String(error)), { cause: error })
  }
}
