import type { Prisma, PrismaClient } from '../generated/prisma/client.ts'
import { generateKey, keyMatches, parseScopes, prefixOf, type Scope } from '../lib/api-keys.ts'

// The key store, shared by the `keys` command, the server's control socket and the authentication plugin.

export interface ApiKeyInfo {
  id: string
  name: string
  prefix: string
  scopes: Scope[]
  createdAt: Date
  revokedAt: Date | null
  /** The slug of the region the key's writes are confined to; null for a key that may write everywhere. */
  region: string | null
  regionId: string | null
}

const selectedFields = {
  id: true, name: true, prefix: true, scopes: true, createdAt: true, revokedAt: true, regionId: true, region: { select: { slug: true } }
} as const

type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof selectedFields }>

function keyInfo ({ region, ...row }: KeyRow): ApiKeyInfo {
  return { ...row, region: region?.slug ?? null }
}

export async function createApiKey (prisma: PrismaClient, options: { name: string, scopes: Scope[], region?: string | null }): Promise<ApiKeyInfo & { key: string }> {
  const name = options.name.trim()
  if (name === '') throw new RangeError('a key needs a name (who or what uses it)')
  let regionId: string | null = null
  if (options.region !== undefined && options.region !== null) {
    const region = await prisma.region.findUnique({ where: { slug: options.region }, select: { id: true } })
    if (region === null) throw new RangeError(`no region has the slug "${options.region}" (see GET /v1/regions)`)
    regionId = region.id
  }
  const { key, prefix, secretHash } = generateKey()
  const row = await prisma.apiKey.create({ data: { name, prefix, secretHash, scopes: options.scopes, regionId }, select: selectedFields })
  return { ...keyInfo(row), key }
}

export async function listApiKeys (prisma: PrismaClient): Promise<ApiKeyInfo[]> {
  return (await prisma.apiKey.findMany({ select: selectedFields, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map(keyInfo)
}

/** Revokes the key with this id or prefix; null when there is none. Revoking twice keeps the first time. */
export async function revokeApiKey (prisma: PrismaClient, idOrPrefix: string): Promise<ApiKeyInfo | null> {
  const where = /^[0-9a-f-]{36}$/.test(idOrPrefix) ? { id: idOrPrefix } : { prefix: idOrPrefix }
  const existing = await prisma.apiKey.findUnique({ where, select: selectedFields })
  if (existing === null || existing.revokedAt !== null) return existing === null ? null : keyInfo(existing)
  return keyInfo(await prisma.apiKey.update({ where, data: { revokedAt: new Date() }, select: selectedFields }))
}

/** What the `keys` command asks of the key store, in its own process or through a running server's control socket. */
export type KeyCommand =
  | { command: 'create', name: string, scopes: Scope[], region?: string | null }
  | { command: 'list' }
  | { command: 'revoke', idOrPrefix: string }

export type KeyOutcome =
  | { command: 'create', created: ApiKeyInfo & { key: string } }
  | { command: 'list', keys: ApiKeyInfo[] }
  | { command: 'revoke', revoked: ApiKeyInfo | null }

export async function runKeyCommand (prisma: PrismaClient, command: KeyCommand): Promise<KeyOutcome> {
  switch (command.command) {
    case 'create':
      return { command: 'create', created: await createApiKey(prisma, command) }
    case 'list':
      return { command: 'list', keys: await listApiKeys(prisma) }
    case 'revoke':
      return { command: 'revoke', revoked: await revokeApiKey(prisma, command.idOrPrefix) }
  }
}

/** A key command received as JSON (on the control socket); throws RangeError for anything else. */
export function keyCommandFrom (value: unknown): KeyCommand {
  const { command, name, scopes, region, idOrPrefix } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  if (command === 'list') return { command }
  if (command === 'create' && typeof name === 'string' && Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string') &&
    (region === undefined || region === null || typeof region === 'string')) {
    return { command, name, scopes: parseScopes(scopes.join(',')), region: region ?? null }
  }
  if (command === 'revoke' && typeof idOrPrefix === 'string') return { command, idOrPrefix }
  throw new RangeError('not a key command: create (with a name and scopes), list or revoke (with an id or prefix)')
}

export type KeyLookup = { status: 'valid', key: ApiKeyInfo } | { status: 'malformed' | 'unknown' | 'revoked' }

/** What a presented key is: valid (with its scopes), revoked, unknown or not a key at all. */
export async function lookUpApiKey (prisma: PrismaClient, presented: string): Promise<KeyLookup> {
  const prefix = prefixOf(presented)
  if (prefix === null) return { status: 'malformed' }
  const row = await prisma.apiKey.findUnique({ where: { prefix }, select: { ...selectedFields, secretHash: true } })
  if (row === null || !keyMatches(presented, row.secretHash)) return { status: 'unknown' }
  const { secretHash: _hash, ...key } = row
  return key.revokedAt === null ? { status: 'valid', key: keyInfo(key) } : { status: 'revoked' }
}
