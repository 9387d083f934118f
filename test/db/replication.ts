import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

// A PostgreSQL primary and a hot standby of it, made for one test from the machine's PostgreSQL binaries: initdb makes
// a small primary of the test's own on a free port, pg_basebackup -R copies it into a standby started on another, and
// both are stopped and deleted afterwards. A primary of its own rather than the machine's server at
// TEST_DATABASE_URL: a base backup copies a whole cluster, and the shared one holds every other test's and bench's
// databases (506 MB and 6.4 s to copy when this was written, growing with them), and would need a replication
// entry in its pg_hba.conf. This one takes a few seconds to make, whatever the machine holds.

export interface Replication {
  /** postgresql:// URLs of the primary and the standby, without a database name. */
  primaryUrl: string
  standbyUrl: string
  /** Runs SQL on the standby's or the primary's `database`. */
  query(side: 'primary' | 'standby', database: string, sql: string): Promise<Array<Record<string, unknown>>>
  /** Stops the standby at once, as a crash would. */
  stopStandby(): Promise<void>
  /** Stops both and deletes their files. */
  stop(): Promise<void>
}

/** Where the PostgreSQL server binaries are: the newest /usr/lib/postgresql/<version>/bin with initdb. */
function serverBinaries (): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin')
}

/** Two ports free now: both held open at once, so that they differ. */
async function freePorts (): Promise<[number, number]> {
  const servers = [createServer(), createServer()]
  await Promise.all(servers.map(async (server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))))
  const ports = servers.map((server) => (server.address() as { port: number }).port)
  await Promise.all(servers.map(async (server) => new Promise((resolve) => server.close(resolve))))
  return [ports[0]!, ports[1]!]
}

/** PostgreSQL refuses to run as root: as root, it runs as the postgres user. */
async function serverUser (): Promise<{ uid: number, gid: number } | undefined | string> {
  if (userInfo().uid !== 0) return undefined
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
  } catch {
    return 'running as root, and there is no postgres user to run PostgreSQL as'
  }
}

/**
 * Starts a primary and a standby, or says why it cannot (no server binaries here). With `copy`, the primary first gets
 * a copy of that database (pg_dump and pg_restore), under the name `as`, which the standby then starts with.
 */
export async function startReplication (copy?: { from: string, as: string }): Promise<Replication | string> {
  const bin = serverBinaries()
  if (bin === undefined) return 'no PostgreSQL server binaries under /usr/lib/postgresql/<version>/bin'
  const user = await serverUser()
  if (typeof user === 'string') return user
  const directory = await mkdtemp(path.join(tmpdir(), 'hospital-replication-'))
  if (user !== undefined) await chown(directory, user.uid, user.gid)
  const as = { cwd: directory, ...(user ?? {}) }
  const [primaryPort, standbyPort] = await freePorts()
  const primaryDir = path.join(directory, 'primary')
  const standbyDir = path.join(directory, 'standby')
  const started: string[] = []
  // Durability is not under test: no fsync, no zero-filled WAL segments (1 MB ones), no full-page images. Making the
  // pair took 10-12 s on a loaded machine with PostgreSQL's defaults, 2-4 s with these.
  const settings = (port: number): string =>
    `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${directory} -c fsync=off ` +
    '-c shared_buffers=16MB -c max_connections=40 -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on ' +
    '-c wal_init_zero=off -c full_page_writes=off'
  const pgCtl = async (dataDir: string, port: number): Promise<void> => {
    await run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', `${dataDir}.log`, '-o', settings(port), '-w', 'start'], as)
    started.push(dataDir)
  }
  const stopServer = async (dataDir: string): Promise<void> => {
    if (!started.includes(dataDir)) return
    started.splice(started.indexOf(dataDir), 1)
    await run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], as).catch(() => {})
  }
  const stop = async (): Promise<void> => {
    for (const dataDir of [...started].reverse()) await stopServer(dataDir)
    await rm(directory, { recursive: true, force: true })
  }
  try {
    // initdb's pg_hba.conf with -A trust lets local and 127.0.0.1 connections in, replication ones included.
    await run(path.join(bin, 'initdb'), ['-D', primaryDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '--wal-segsize=1'], as)
    await pgCtl(primaryDir, primaryPort)
    await run(path.join(bin, 'pg_basebackup'),
      ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'], as)
    await pgCtl(standbyDir, standbyPort)
    // Copied after the standby started, so that it arrives by streaming replication rather than in the base backup.
    if (copy !== undefined) {
      const primary = `postgresql://postgres@127.0.0.1:${primaryPort}`
      const dump = path.join(directory, 'copy.dump')
      await run(path.join(bin, 'pg_dump'), ['--format=custom', `--file=${dump}`, `--dbname=${copy.from}`], as)
      await run(path.join(bin, 'createdb'), [`--maintenance-db=${primary}/postgres`, copy.as], as)
      await run(path.join(bin, 'pg_restore'), ['--no-owner', `--dbname=${primary}/${copy.as}`, dump], as)
    }
  } catch (error) {
    await stop()
    throw error
  }
  const urls = { primary: `postgresql://postgres@127.0.0.1:${primaryPort}`, standby: `postgresql://postgres@127.0.0.1:${standbyPort}` }
  const replication: Replication = {
    primaryUrl: urls.primary,
    standbyUrl: urls.standby,
    async query (side, database, sql) {
      const client = new pg.Client({ connectionString: `${urls[side]}/${database}` })
      await client.connect()
      try {
        // Several statements in one string answer with one result each: the last one's rows.
        const result = await client.query(sql) as pg.QueryResult | pg.QueryResult[]
        return (Array.isArray(result) ? result.at(-1)?.rows ?? [] : result.rows) as Array<Record<string, unknown>>
      } finally {
        await client.end()
      }
    },
    stopStandby: async () => stopServer(standbyDir),
    stop
  }
  // Returned once the standby has everything the primary has, the copy included.
  const [{ lsn }] = await replication.query('primary', 'postgres', 'SELECT pg_current_wal_lsn()::text AS lsn') as [{ lsn: string }]
  for (;;) {
    const [row] = await replication.query('standby', 'postgres', `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS replayed`)
    if (row?.replayed === true) return replication
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
