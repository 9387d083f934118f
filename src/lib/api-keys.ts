import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

// API keys look like "hda_1f3a9c0b7e2d_<43 characters>": a public prefix that finds the key's row, then 32 random
// bytes (base64url). Only the SHA-256 of the whole key is stored. A slow password hash would add nothing: the key is
// random with 256 bits of entropy, so a stolen hash cannot be reversed by guessing.

export const scopes = ['read', 'write', 'admin'] as const
export type Scope = (typeof scopes)[number]

const keyPattern = /^(hda_[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/

export interface NewKey {
  /** The whole key: shown once, never stored. */
  key: string
  prefix: string
  secretHash: string
}

export function hashKey (key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function generateKey (): NewKey {
  const prefix = `hda_${randomBytes(6).toString('hex')}`
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`
  return { key, prefix, secretHash: hashKey(key) }
}

/** The prefix of a well-formed key, or null for anything else. */
export function prefixOf (key: string): string | null {
  return keyPattern.exec(key)?.[1] ?? null
}

/** Whether a presented key hashes to the stored hash, compared in constant time. */
export function keyMatches (key: string, secretHash: string): boolean {
  const presented = Buffer.from(hashKey(key), 'hex')
  const stored = Buffer.from(secretHash, 'hex')
  return presented.length === stored.length && timingSafeEqual(presented, stored)
}

/** Whether a key's scopes allow what `required` names: write includes read, admin includes both. */
export function grants (held: readonly Scope[], required: Scope): boolean {
  const rank = (scope: Scope): number => scopes.indexOf(scope)
  return held.some((scope) => rank(scope) >= rank(required))
}

/** Scopes from a comma-separated list such as "read,write"; throws on an empty list or an unknown scope. */
export function parseScopes (list: string): Scope[] {
  const names = [...new Set(list.split(',').map((name) => name.trim()).filter((name) => name !== ''))]
  if (names.length === 0) throw new RangeError(`no scope given; choose from ${scopes.join(', ')}`)
  const unknown = names.filter((name) => !(scopes as readonly string[]).includes(name))
  if (unknown.length > 0) throw new RangeError(`unknown scope ${unknown.join(', ')}; choose from ${scopes.join(', ')}`)
  return names as Scope[]
}

/** The security schemes of the OpenAPI document: the key as a bearer token, or in X-API-Key. */
export const securitySchemes = {
  bearerKey: { type: 'http', scheme: 'bearer', bearerFormat: 'hda_<prefix>_<secret>', description: 'An API key as a bearer token: `Authorization: Bearer hda_…`' },
  headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key in the X-API-Key header' }
} as const

/** An OpenAPI security requirement: a key, by either scheme. */
export const keyRequirement: Array<Record<string, string[]>> = [{ bearerKey: [] }, { headerKey: [] }]
