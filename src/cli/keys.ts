import { parseArgs } from 'node:util'
import type { Config } from '../config.ts'
import { runKeyCommand, type ApiKeyInfo, type KeyCommand, type KeyOutcome } from '../db/api-keys.ts'
import { controlSocketOf, ControlSocketUnreachable, sendKeyCommand } from '../db/control-socket.ts'
import { DataDirInUseError } from '../db/data-dir-lock.ts'
import { parseScopes } from '../lib/api-keys.ts'
import { DatabaseUnavailableError } from '../lib/database-errors.ts'
import { exitWithError, UsageError } from '../lib/fatal.ts'

// npm run -s keys -- create --name "Bureau dashboard" --scopes read,write [--region chongqing]
// npm run -s keys -- list
// npm run -s keys -- revoke <id or prefix>
// The key is printed once, by create, alone on stdout (everything else goes to stderr), so KEY=$(npm run -s keys -- …)
// captures it; --json prints what a script reads instead. The database keeps only the key's hash. While a server has
// the embedded data directory open, it carries the command out itself (src/db/control-socket.ts); otherwise, and on
// PostgreSQL, the command opens the database.

const usage = 'usage: npm run -s keys -- create --name <name> --scopes <read,write,admin> [--region <slug>] | list | revoke <id or prefix> [--json]'

function describeKey (key: ApiKeyInfo): string {
  const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt.toISOString()}`
  const region = key.region === null ? '' : `  region ${key.region}`
  return `${key.prefix}  ${key.id}  ${key.scopes.join(',').padEnd(16)}  ${key.createdAt.toISOString()}  ${state}  ${key.name}${region}`
}

function commandLine (): { command: KeyCommand, json: boolean } {
  const { positionals, values } = (() => {
    try {
      return parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, scopes: { type: 'string' }, region: { type: 'string' }, json: { type: 'boolean' } } })
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    }
  })()
  const [command, ...rest] = positionals
  const json = values.json === true
  if (command === undefined || !['create', 'list', 'revoke'].includes(command)) throw new UsageError(usage)
  if (command === 'revoke') {
    if (rest.length !== 1) throw new UsageError(`revoke takes one key id or prefix\n${usage}`)
    return { command: { command, idOrPrefix: rest[0]! }, json }
  }
  if (rest.length > 0) throw new UsageError(`unexpected ${rest.join(' ')}\n${usage}`)
  if (command !== 'create' && values.region !== undefined) throw new UsageError(`--region is for create\n${usage}`)
  if (command === 'list') return { command: { command }, json }
  if (values.region !== undefined && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.region)) throw new UsageError(`--region takes a region's slug\n${usage}`)
  if (values.name === undefined || values.name.trim() === '') throw new UsageError(`create needs --name\n${usage}`)
  try {
    return { command: { command: 'create', name: values.name, scopes: parseScopes(values.scopes ?? ''), region: values.region ?? null }, json }
  } catch (error) {
    throw new UsageError(`--scopes: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Opens the database and carries the command out in this process. */
async function runHere (config: Config, command: KeyCommand): Promise<KeyOutcome> {
  // Loaded only now: a command line that is wrong, or one a running server carries out, never loads the database.
  const [{ openDatabase }, { migrate }] = await Promise.all([import('../db/database.ts'), import('../db/migrate.ts')])
  const database = await openDatabase(config).catch((error: unknown) => {
    if (error instanceof DatabaseUnavailableError && error.cause instanceof DataDirInUseError) {
      throw new DatabaseUnavailableError(`${error.message} A running server takes key commands itself once it is ` +
        'listening; if that process is a server still starting, run this again when it is ready.', { cause: error })
    }
    throw error
  })
  try {
    await database.withSession((session) => migrate(session))
    return await runKeyCommand(database.prisma, command)
  } finally {
    await database.close()
  }
}

/** Hands the command to the server holding the embedded data directory, if one listens; undefined otherwise. */
async function runInServer (config: Config, command: KeyCommand): Promise<KeyOutcome | undefined> {
  if (config.DATABASE_URL !== undefined) return undefined
  const control = await controlSocketOf(config.PGLITE_DATA_DIR)
  if (control === null) return undefined
  try {
    const outcome = await sendKeyCommand(control.path, command)
    process.stderr.write(`(carried out by the server running on ${config.PGLITE_DATA_DIR}, process ${control.pid})\n`)
    return outcome
  } catch (error) {
    // Closing, or killed since: nothing was sent, and opening the database says who holds it, if anyone.
    if (error instanceof ControlSocketUnreachable) return undefined
    throw error
  }
}

/** npm prints "> package@version keys" on stdout before the command runs, unless it is told --silent. */
function adviseOnNpmBanner (): void {
  if (process.env.npm_lifecycle_event !== 'keys' || process.env.npm_config_loglevel === 'silent' || process.stdout.isTTY) return
  process.stderr.write('keys: npm printed its "> hospital-departments-api… keys" banner on stdout before this output. ' +
    'To capture the output alone, run npm with -s (--silent): KEY=$(npm run -s keys -- create --name <name> --scopes <scopes>)\n')
}

function print (outcome: KeyOutcome, json: boolean): void {
  const write = (line: string): void => { process.stdout.write(`${line}\n`) }
  switch (outcome.command) {
    case 'create':
      write(json ? JSON.stringify(outcome.created) : outcome.created.key)
      process.stderr.write(`created ${describeKey(outcome.created)}\nThe key is shown only now; store it safely.\n`)
      return
    case 'list':
      if (json) write(JSON.stringify(outcome.keys))
      else for (const key of outcome.keys) write(describeKey(key))
      return
    case 'revoke':
      if (outcome.revoked !== null) write(json ? JSON.stringify(outcome.revoked) : `revoked ${describeKey(outcome.revoked)}`)
  }
}

async function main (): Promise<void> {
  adviseOnNpmBanner()
  const { command, json } = commandLine()
  // The configuration's validator is loaded after the command line is read, so a wrong one is answered at once.
  const { loadConfig } = await import('../config.ts')
  const config = loadConfig()
  const outcome = await (async () => {
    try {
      return await runInServer(config, command) ?? await runHere(config, command)
    } catch (error) {
      // The key store refuses what cannot be done (a region that does not exist) with a RangeError.
      if (error instanceof RangeError) throw new UsageError(error.message)
      throw error
    }
  })()
  if (command.command === 'revoke' && outcome.command === 'revoke' && outcome.revoked === null) {
    throw new UsageError(`no key has the id or prefix "${command.idOrPrefix}"`)
  }
  print(outcome, json)
}

main().catch((error: unknown) => exitWithError('keys', error))
