import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../db/api-keys.ts'
import { openDatabase } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { parseScopes } from '../lib/api-keys.ts'
import { exitWithError, UsageError } from '../lib/fatal.ts'

// npm run keys -- create --name "Bureau dashboard" --scopes read,write
// npm run keys -- list
// npm run keys -- revoke <id or prefix>
// The key is printed once, by create; the database keeps only its hash.

const usage = 'usage: npm run keys -- create --name <name> --scopes <read,write,admin> | list | revoke <id or prefix>'

function describeKey (key: ApiKeyInfo): string {
  const state = key.revokedAt === null ? 'active' : `revoked ${key.revokedAt.toISOString()}`
  return `${key.prefix}  ${key.id}  ${key.scopes.join(',').padEnd(16)}  ${key.createdAt.toISOString()}  ${state}  ${key.name}`
}

async function main (): Promise<void> {
  const { positionals, values } = (() => {
    try {
      return parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, scopes: { type: 'string' } } })
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    }
  })()
  const [command, ...rest] = positionals
  if (command === undefined || !['create', 'list', 'revoke'].includes(command)) throw new UsageError(usage)
  if (command === 'revoke' && rest.length !== 1) throw new UsageError(`revoke takes one key id or prefix\n${usage}`)
  if (command !== 'revoke' && rest.length > 0) throw new UsageError(`unexpected ${rest.join(' ')}\n${usage}`)
  let scopes: ReturnType<typeof parseScopes> = []
  if (command === 'create') {
    if (values.name === undefined || values.name.trim() === '') throw new UsageError(`create needs --name\n${usage}`)
    try {
      scopes = parseScopes(values.scopes ?? '')
    } catch (error) {
      throw new UsageError(`--scopes: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  const database = await openDatabase(loadConfig())
  try {
    await database.withSession((session) => migrate(session))
    if (command === 'create') {
      const created = await createApiKey(database.prisma, { name: values.name!, scopes })
      process.stdout.write(`${created.key}\n`)
      process.stderr.write(`created ${describeKey(created)}\nThe key is shown only now; store it safely.\n`)
    } else if (command === 'list') {
      for (const key of await listApiKeys(database.prisma)) process.stdout.write(`${describeKey(key)}\n`)
    } else {
      const revoked = await revokeApiKey(database.prisma, rest[0]!)
      if (revoked === null) throw new UsageError(`no key has the id or prefix "${rest[0]}"`)
      process.stdout.write(`revoked ${describeKey(revoked)}\n`)
    }
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => exitWithError('keys', error))
