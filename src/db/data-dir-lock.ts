import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'

// PGlite is one Postgres backend inside one process, with no postmaster to refuse a second one: two processes on one
// data directory would each write its files unaware of the other, and one's commits would be lost or the files
// corrupted. The process that opens a directory therefore records itself in a lock file there, as Postgres does with
// postmaster.pid, and another process finds it and stops with a clear error. A lock left by a process that is gone
// (kill -9, a crash, a container restarted with the same pid) is recognised as stale and taken over.
// A server also records there where it takes key commands (its control socket, src/db/control-socket.ts), as
// postmaster.pid records where Postgres listens.

export const lockFileName = 'hospital-api.pid'

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
}

export interface LockOwner {
  pid: number
  hostname: string
  startedAt: string
  /** The Unix socket where the owner takes key commands, once it listens there. */
  controlSocket?: string
}

/** Directories locked by this process, with what their lock files say, so that a second open here is refused too. */
const heldHere = new Map<string, LockOwner>()

function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readOwner (file: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>
    if (typeof owner.pid !== 'number' || typeof owner.hostname !== 'string') return null
    const { pid, hostname, startedAt, controlSocket } = owner
    return { pid, hostname, startedAt: String(startedAt), ...(typeof controlSocket === 'string' ? { controlSocket } : {}) }
  } catch {
    // Gone since, or not ours to read: either way nobody we can see holds it.
    return null
  }
}

/** Whether the recorded owner may still be using the directory. */
function ownerAlive (owner: LockOwner): boolean {
  // On another host (a shared volume) there is no way to tell: assume it is alive.
  if (owner.hostname !== hostname()) return true
  // Our own pid in the file is an earlier incarnation of this process (the same pid after a container restart).
  if (owner.pid === process.pid) return false
  return isRunning(owner.pid)
}

/**
 * Takes the data directory (which must exist) for this process. Resolves with the function that gives it back;
 * rejects with DataDirInUseError when a running process holds it.
 */
export async function lockDataDir (dataDir: string): Promise<() => Promise<void>> {
  const directory = path.resolve(dataDir)
  const file = path.join(directory, lockFileName)
  if (heldHere.has(directory)) {
    throw new DataDirInUseError(`${dataDir} is already open in this process; open it once and share the connection`)
  }
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 5; attempt++) {
    // Written in full under a name of its own, then linked into place: link() fails if the lock exists, so the lock
    // file is never seen half-written.
    const draft = `${file}.${process.pid}.${attempt}`
    await writeFile(draft, JSON.stringify(me), { flush: true })
    try {
      await link(draft, file)
      heldHere.set(directory, me)
      return async () => {
        heldHere.delete(directory)
        const owner = await readOwner(file)
        if (owner?.pid === me.pid && owner.startedAt === me.startedAt) await unlink(file).catch(() => {})
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      await unlink(draft).catch(() => {})
    }
    const owner = await readOwner(file)
    if (owner !== null && ownerAlive(owner)) {
      throw new DataDirInUseError(
        `${dataDir} is in use by process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt}). ` +
        'The embedded database serves one process: stop that one, give this one its own PGLITE_DATA_DIR, or use ' +
        `PostgreSQL (DATABASE_URL) to run several. If that process is gone, delete ${file}.`)
    }
    // Stale: remove it and try again. (Two processes that find the same stale lock in the same instant could both
    // take it over; starting two servers on one directory at the very moment after a crash is not guarded against.)
    await unlink(file).catch(() => {})
  }
  throw new DataDirInUseError(`Could not take the lock file ${file}; another process keeps creating it`)
}

/** Whether this process holds the data directory (an on-disk one it opened and has not closed). */
export function holdsDataDir (dataDir: string): boolean {
  return heldHere.has(path.resolve(dataDir))
}

/** Adds where this process takes key commands to the lock file of a directory it holds. */
export async function recordControlSocket (dataDir: string, socketPath: string): Promise<void> {
  const directory = path.resolve(dataDir)
  const me = heldHere.get(directory)
  if (me === undefined) throw new Error(`${dataDir} is not held by this process`)
  const file = path.join(directory, lockFileName)
  const draft = `${file}.${process.pid}.socket`
  const recorded = { ...me, controlSocket: socketPath }
  // Replaced in one rename, so that a reader sees the old lock or the new one, never a half-written one.
  await writeFile(draft, JSON.stringify(recorded), { flush: true })
  await rename(draft, file)
  heldHere.set(directory, recorded)
}

/** The process holding the data directory, as its lock file says; null when none does or the holder is gone. */
export async function dataDirHolder (dataDir: string): Promise<LockOwner | null> {
  const owner = await readOwner(path.join(path.resolve(dataDir), lockFileName))
  return owner !== null && ownerAlive(owner) ? owner : null
}
