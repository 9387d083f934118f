import { createHash } from 'node:crypto'
import { chmod, lstat, mkdir, rmdir, unlink } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { keyCommandFrom, type ApiKeyInfo, type KeyCommand, type KeyOutcome } from './api-keys.ts'
import { dataDirHolder, recordControlSocket } from './data-dir-lock.ts'
import { DatabaseUnavailableError } from '../lib/database-errors.ts'

// An embedded data directory is open in one process only (data-dir-lock.ts), so while the server runs, `npm run keys`
// cannot open it. The server therefore takes the key commands itself, on a Unix socket that only the data
// directory's owner can reach: the socket is 0600, in a directory of its own that is 0700 and belongs to the server's
// user. Whoever may open the data directory may manage its keys, and nobody else: the trust of Postgres's peer
// authentication. The socket serves create, list and revoke of API keys and nothing else, one JSON line each way.
// The socket lives in the data directory; when that path is too long for a socket address, in a directory under
// the system's temporary directory named after the data directory. Either way the lock file records where.

/** The private directory inside the data directory, and the socket inside either private directory. */
const directoryName = 'hospital-api.control'
const socketName = 'keys.sock'

/** sun_path holds 108 bytes on Linux, 104 on macOS and the BSDs, the terminating NUL included. */
const maxSocketPathBytes = process.platform === 'linux' ? 107 : 103

/** A command line is a few hundred bytes; anything far longer is not a key command. */
const maxRequestBytes = 64 * 1024

/** How long a connection may take to send its command, and the command line tool to get an answer. */
const requestTimeoutMs = 5000
const answerTimeoutMs = 30_000

type Answer = { ok: true, outcome: KeyOutcome } | { ok: false, error: string }

/** The key command could not be carried out by the running server: said in one line, as a database failure is. */
export class ControlSocketError extends DatabaseUnavailableError {
  override name = 'ControlSocketError'
}

/** Nobody listens on the socket (a server that is closing, or one killed since): nothing was sent. */
export class ControlSocketUnreachable extends ControlSocketError {
  override name = 'ControlSocketUnreachable'
}

export interface ControlSocket {
  path: string
  close(): Promise<void>
}

/** Where the socket may go, in order of preference: only the paths short enough to be a socket address. */
function socketDirectories (dataDir: string): string[] {
  const directory = path.resolve(dataDir)
  const uid = process.getuid?.() ?? 0
  const digest = createHash('sha256').update(directory).digest('hex').slice(0, 16)
  const candidates = [path.join(directory, directoryName), path.join(tmpdir(), `hospital-api-${uid}-${digest}`)]
  return candidates.filter((candidate) => Buffer.byteLength(path.join(candidate, socketName)) <= maxSocketPathBytes)
}

/** Makes (or takes back, after a crash) a directory that only this user can enter. */
async function privateDirectory (directory: string): Promise<void> {
  await mkdir(directory, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  // Under the temporary directory, anyone could have made it first, or put a link there.
  const stats = await lstat(directory)
  if (!stats.isDirectory() || stats.uid !== (process.getuid?.() ?? stats.uid)) {
    throw new Error(`${directory} exists and is not a directory of this user`)
  }
  await chmod(directory, 0o700)
}

async function listen (server: net.Server, socketPath: string): Promise<void> {
  // A socket file left by a server that was killed refuses every connection; the data directory's lock, which this
  // process holds, says no live process listens there.
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  await chmod(socketPath, 0o600)
}

/**
 * Listens for key commands for the data directory this process holds, and records the socket in its lock file.
 * Tries the data directory first, then the temporary directory; rejects when neither can take a socket.
 */
export async function openControlSocket (dataDir: string, handle: (command: KeyCommand) => Promise<KeyOutcome>,
  onError: (error: unknown) => void): Promise<ControlSocket> {
  async function answer (line: string | null): Promise<Answer> {
    let command: KeyCommand
    try {
      if (line === null) throw new RangeError('the request is too long')
      command = keyCommandFrom(JSON.parse(line))
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    try {
      return { ok: true, outcome: await handle(command) }
    } catch (error) {
      // What the command asked for cannot be done (a region that does not exist): said to the caller, not logged.
      if (error instanceof RangeError) return { ok: false, error: error.message }
      onError(error)
      return { ok: false, error: 'the server could not carry out the key command; its log says why' }
    }
  }

  const failures: string[] = []
  for (const directory of socketDirectories(dataDir)) {
    const socketPath = path.join(directory, socketName)
    const waiting = new Set<net.Socket>()
    // One command per connection: a line of JSON in, a line of JSON out, then the server ends the connection.
    const server = net.createServer((connection) => {
      waiting.add(connection)
      connection.setTimeout(requestTimeoutMs, () => connection.destroy())
      connection.on('error', () => {})
      connection.on('close', () => waiting.delete(connection))
      let received = ''
      connection.setEncoding('utf8')
      connection.on('data', (chunk: string) => {
        received += chunk
        const end = received.indexOf('\n')
        if (end === -1 && received.length <= maxRequestBytes) return
        // From here the command runs to its end and is answered, however long the database takes.
        waiting.delete(connection)
        connection.setTimeout(0)
        connection.removeAllListeners('data')
        connection.pause()
        void answer(end === -1 ? null : received.slice(0, end)).then((reply) => connection.end(`${JSON.stringify(reply)}\n`))
      })
    })
    try {
      await privateDirectory(directory)
      await listen(server, socketPath)
    } catch (error) {
      failures.push(`${socketPath}: ${error instanceof Error ? error.message : String(error)}`)
      await rmdir(directory).catch(() => {})
      continue
    }
    const close = async (): Promise<void> => {
      // A command being carried out is answered; a connection that has sent nothing yet is dropped.
      const closed = new Promise((resolve) => server.close(resolve))
      for (const connection of waiting) connection.destroy()
      await closed
      await unlink(socketPath).catch(() => {})
      await rmdir(directory).catch(() => {})
    }
    try {
      await recordControlSocket(dataDir, socketPath)
    } catch (error) {
      await close()
      throw error
    }
    return { path: socketPath, close }
  }
  throw new Error(failures.length === 0
    ? `no socket path for ${dataDir} fits in ${maxSocketPathBytes} bytes`
    : `cannot listen for key commands: ${failures.join('; ')}`)
}

/** The control socket of the server holding the data directory, from its lock file; null when no server listens. */
export async function controlSocketOf (dataDir: string): Promise<{ path: string, pid: number } | null> {
  const holder = await dataDirHolder(dataDir)
  return holder?.controlSocket === undefined ? null : { path: holder.controlSocket, pid: holder.pid }
}

/** Dates travel as ISO strings. */
function keyInfoFrom (json: ApiKeyInfo): ApiKeyInfo {
  return { ...json, createdAt: new Date(json.createdAt), revokedAt: json.revokedAt === null ? null : new Date(json.revokedAt) }
}

function outcomeFrom (json: KeyOutcome): KeyOutcome {
  switch (json.command) {
    case 'create':
      return { command: 'create', created: { ...keyInfoFrom(json.created), key: json.created.key } }
    case 'list':
      return { command: 'list', keys: json.keys.map(keyInfoFrom) }
    case 'revoke':
      return { command: 'revoke', revoked: json.revoked === null ? null : keyInfoFrom(json.revoked) }
  }
}

function connectionFailure (socketPath: string, error: NodeJS.ErrnoException, connected: boolean): ControlSocketError {
  if (error instanceof ControlSocketError) return error
  if (connected) return new ControlSocketError(`the connection to the server on ${socketPath} failed: ${error.message}`)
  if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
    return new ControlSocketUnreachable(`nothing listens on ${socketPath}: ${error.message}`)
  }
  return new ControlSocketError(`cannot reach the server's control socket: ${error.message}; run the command as the user the server runs as`)
}

/** Has the server listening on the socket carry out the command. */
export async function sendKeyCommand (socketPath: string, command: KeyCommand): Promise<KeyOutcome> {
  const reply = await new Promise<string>((resolve, reject) => {
    let received = ''
    let connected = false
    const connection = net.createConnection(socketPath, () => {
      connected = true
      connection.write(`${JSON.stringify(command)}\n`)
    })
    connection.setEncoding('utf8')
    connection.setTimeout(answerTimeoutMs, () => {
      connection.destroy(new ControlSocketError(`the server on ${socketPath} did not answer within ${answerTimeoutMs / 1000} s`))
    })
    connection.on('data', (chunk: string) => { received += chunk })
    connection.on('end', () => resolve(received))
    connection.on('error', (error: NodeJS.ErrnoException) => reject(connectionFailure(socketPath, error, connected)))
  })
  let answer: Answer
  try {
    answer = JSON.parse(reply) as Answer
  } catch {
    throw new ControlSocketError(`the server on ${socketPath} closed the connection without an answer`)
  }
  if (!answer.ok) throw new ControlSocketError(`the server refused the key command: ${answer.error}`)
  return outcomeFrom(answer.outcome)
}
