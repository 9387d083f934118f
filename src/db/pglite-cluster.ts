import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { packageRoot } from '../paths.ts'

// How the embedded PGlite is sized, and how a new on-disk cluster is created without bloating the server.

/**
 * PGlite keeps Postgres's shared memory inside its WASM heap, which never shrinks and is touched in full at start.
 * initdb sizes shared_buffers for a server (128MB, 145MB of shared memory in all); this database is a few MB, so
 * 16MB (PGLITE_SHARED_BUFFERS_MB) holds every page of it. Passed at each start, so nothing in the data directory
 * changes.
 */
export function pgliteStartParams (sharedBuffersMb: number): string[] {
  // A cluster restored from the template (below) starts with crash recovery, and Postgres times its progress report
  // with a timer that stays armed in PGlite while the database is open, keeping Node's event loop alive: a script
  // that forgot close() would never exit. The report goes nowhere here, so it is turned off.
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'log_startup_progress_interval=0']
}

/**
 * An empty cluster, made once by `npm run build` (src/cli/build.ts, in the Docker image's build stage too)
 * and copied into each new data directory instead of running initdb there: about 1 s instead of 6 s on a first start,
 * and a fraction of initdb's memory. It is only used with the PGlite release that made it (recorded beside it);
 * without it, or with another release, a new cluster comes from initdb as before.
 */
export const clusterTemplateFile = path.join(packageRoot, 'dist', 'pglite-cluster.tar.gz')

async function installedPgliteVersion (): Promise<string> {
  const manifest = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'))
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version
}

/** The template file when one was made by the installed PGlite release, else undefined. */
export async function clusterTemplate (file = clusterTemplateFile): Promise<string | undefined> {
  try {
    const made = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { pglite?: string }
    return made.pglite === await installedPgliteVersion() && existsSync(file) ? file : undefined
  } catch {
    return undefined
  }
}

/** Makes the template (initdb in memory, then a gzipped tarball) unless an up-to-date one exists. */
export async function writeClusterTemplate (startParams: string[], file = clusterTemplateFile): Promise<'written' | 'up to date'> {
  if (await clusterTemplate(file) !== undefined) return 'up to date'
  const db = await PGlite.create('memory://', { startParams })
  try {
    const dump = await db.dumpDataDir('gzip')
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()))
    await rename(`${file}.partial`, file)
    await writeFile(`${file}.json`, `${JSON.stringify({ pglite: await installedPgliteVersion() })}\n`)
  } finally {
    await db.close()
  }
  return 'written'
}

/**
 * A migrated and seeded database, made by `npm run build` from the cluster template, for a server's first start on
 * a new data directory when it would migrate and seed anyway: the server then copies it (in a child process, like the
 * empty cluster) instead of running every migration and the seed in its own process, whose memory would keep what
 * that took (a first start's peak RSS went from about 320 MB to that of a later start). It is used only with the
 * build that made it (the compiled sources' digest, dist/build.json) and the PGlite release that made it.
 */
export const seededTemplateFile = path.join(packageRoot, 'dist', 'pglite-seeded.tar.gz')

async function buildDigest (): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path.join(packageRoot, 'dist', 'build.json'), 'utf8')) as { digest?: string }).digest
  } catch {
    return undefined
  }
}

/** The seeded template when the current build and the installed PGlite release made it, else undefined. */
export async function seededTemplate (file = seededTemplateFile, build?: string): Promise<string | undefined> {
  try {
    const made = JSON.parse(await readFile(`${file}.json`, 'utf8')) as { pglite?: string, build?: string }
    const current = build ?? await buildDigest()
    return current !== undefined && made.build === current && made.pglite === await installedPgliteVersion() && existsSync(file)
      ? file
      : undefined
  } catch {
    return undefined
  }
}

/** Makes the seeded template for `build`: the cluster template restored in memory, then `prepare` (migrate, seed). */
export async function writeSeededTemplate (startParams: string[], build: string, prepare: (db: PGlite) => Promise<void>,
  file = seededTemplateFile, cluster = clusterTemplateFile): Promise<'written' | 'up to date'> {
  if (await seededTemplate(file, build) !== undefined) return 'up to date'
  const empty = await clusterTemplate(cluster)
  const db = await PGlite.create('memory://', { startParams, ...(empty === undefined ? {} : { loadDataDir: await templateBlob(empty) }) })
  try {
    await prepare(db)
    const dump = await db.dumpDataDir('gzip')
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(`${file}.partial`, Buffer.from(await dump.arrayBuffer()))
    await rename(`${file}.partial`, file)
    await writeFile(`${file}.json`, `${JSON.stringify({ pglite: await installedPgliteVersion(), build })}\n`)
  } finally {
    await db.close()
  }
  return 'written'
}

/**
 * The archive a new data directory starts from: PGLITE_TEMPLATE when it is set, which must exist and, when a
 * `<file>.json` beside it names the PGlite release that made it, be of the installed release; otherwise, for a server
 * that migrates and seeds at start (`seeded`), the build's seeded template when it is usable, else the build's cluster
 * template when it is usable, else undefined (initdb).
 */
export async function templateFor (configured: string | undefined, options: { seeded?: boolean } = {}): Promise<string | undefined> {
  if (configured === undefined) return (options.seeded === true ? await seededTemplate() : undefined) ?? clusterTemplate()
  if (!existsSync(configured)) throw new Error(`PGLITE_TEMPLATE ${configured} does not exist`)
  let made: { pglite?: string } | undefined
  try {
    made = JSON.parse(await readFile(`${configured}.json`, 'utf8')) as { pglite?: string }
  } catch {}
  const installed = await installedPgliteVersion()
  if (made?.pglite !== undefined && made.pglite !== installed) {
    throw new Error(`PGLITE_TEMPLATE ${configured} was made by PGlite ${made.pglite}, not by the installed ${installed}`)
  }
  return configured
}

/** A template's contents, for PGlite's `loadDataDir`. */
export async function templateBlob (file: string): Promise<Blob> {
  return new Blob([await readFile(file)])
}

/** Writes `db`'s data directory as a template (uncompressed: it loads in half the time), with its PGlite release. */
export async function writeTemplate (db: PGlite, file: string): Promise<void> {
  const dump = await db.dumpDataDir('none')
  await mkdir(path.dirname(file), { recursive: true })
  const partial = `${file}.${process.pid}.partial`
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
  await writeFile(`${file}.json`, `${JSON.stringify({ pglite: await installedPgliteVersion() })}\n`)
  await rename(partial, file)
}

// PGlite's initdb runs a second Postgres instance beside the first and restores a copy of its 128MB heap before
// each step: about 800MB at once, and what the WASM heaps and the allocator took stays with the process. In a
// child process all of it goes back to the system when initdb is done. (memory:// has no directory to hand over:
// it is restored from the template in process, or runs initdb in process when there is none.)
const createCluster = `
const [pgliteUrl, dataDir, startParams, template] = process.argv.slice(1)
try {
  const { PGlite } = await import(pgliteUrl)
  const { readFile } = await import('node:fs/promises')
  const loadDataDir = template === '' ? undefined : new Blob([await readFile(template)])
  const db = await PGlite.create(dataDir, { startParams: JSON.parse(startParams), loadDataDir })
  await db.close()
} catch (error) {
  console.error(String(error))
  process.exitCode = 1
}
`

/**
 * Creates the cluster in `dataDir` in a short-lived child process unless the directory already holds one: from the
 * template when one is given (see templateFor), else with initdb. Says which it did, or 'existing'. Rejects with the child's error, or
 * the signal that ended it (SIGKILL: most likely out of memory).
 */
export async function ensurePgliteCluster (dataDir: string, startParams: string[], template: string | undefined):
Promise<'existing' | 'template' | 'initdb'> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return 'existing'
  try {
    await promisify(execFile)(process.execPath, [
      '--input-type=module', '--eval', createCluster,
      import.meta.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(startParams), template ?? ''
    ])
    return template === undefined ? 'initdb' : 'template'
  } catch (error) {
    const { stderr, signal } = error as { stderr?: string, signal?: string | null }
    // The child prints its error as one line; Node itself prints a stack and its version line after it.
    const errorLine = stderr?.match(/^\w*Error\b.*$/m)?.[0]
    throw new Error(signal ? `initdb was ended by ${signal}` : (errorLine ?? String(error)), { cause: error })
  }
}
