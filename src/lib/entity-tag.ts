import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { ProblemError } from './problem.ts'

// The ETag of a stored entity is strong and made of two parts: "<version>.<digest>". The version is the entity's
// own counter, bumped by every write; If-Match on PATCH and DELETE compares it, so any ETag read from the current
// version (whatever was embedded with `include`) is accepted, and nothing older is. The digest covers the whole
// representation, so a conditional GET never answers 304 after something it embeds changed (a renamed hospital, a
// new figure) while the entity's own version stayed the same.

export function entityTag (representation: { version: number }): string {
  const digest = createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 16)
  return `"${representation.version}.${digest}"`
}

export type IfMatch = { any: true } | { any: false, versions: number[] }

/** The version named by a strong entity-tag of ours; weak tags never match If-Match (RFC 9110 strong comparison). */
function versionOf (tag: string): number | null {
  const match = /^"(\d{1,9})(?:\.[A-Za-z0-9_-]*)?"$/.exec(tag.trim())
  return match === null ? null : Number(match[1])
}

/**
 * Reads If-Match. Without it the write is refused with 428: a client must show which version it is changing, so
 * that two editors cannot overwrite each other unknowingly.
 */
export function requireIfMatch (request: FastifyRequest): IfMatch {
  const header = request.headers['if-match']
  if (header === undefined || header.trim() === '') {
    throw new ProblemError('preconditionRequired',
      'This request needs an If-Match header with the ETag of the version you are changing (GET it first), or "*".')
  }
  if (header.trim() === '*') return { any: true }
  const versions = header.split(',').map(versionOf).filter((version): version is number => version !== null)
  return { any: false, versions }
}

export function matchesVersion (ifMatch: IfMatch, version: number): boolean {
  return ifMatch.any || ifMatch.versions.includes(version)
}

export function staleVersion (noun: string, current: { version: number }): ProblemError {
  return new ProblemError('preconditionFailed',
    `The ${noun} has changed since you read it: it is now at version ${current.version}. GET it again, reapply your ` +
    'change and send the new ETag in If-Match.', { headers: { etag: entityTag(current) } })
}
