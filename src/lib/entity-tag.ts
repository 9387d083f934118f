import type { FastifyRequest } from 'fastify'
import { ProblemError } from './problem.ts'

// If-Match on PATCH and DELETE. The ETag of a stored entity is strong and begins with the entity's own version,
// "<version>.<data version>-<digest>" (see plugins/external/http-caching.ts): the version is the entity's counter,
// bumped by every write, and If-Match compares only it, so any ETag read from the current version (whatever was
// embedded with `include`) is accepted, and nothing older is.

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

/** The 412 for a write that named an older version; `etag` is the current one's, as a GET would send it. */
export function staleVersion (noun: string, current: { version: number }, etag: string): ProblemError {
  return new ProblemError('preconditionFailed',
    `The ${noun} has changed since you read it: it is now at version ${current.version}. GET it again, reapply your ` +
    'change and send the new ETag in If-Match.', { headers: { etag } })
}
