import type { CursorCodec } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'

// The statistics page on composite keys (a summary group is a hospital, a metric and a period; a time series point is
// a date, a unit and an id), so their cursors carry the whole key of a page's last row, signed with the paging
// plugin's key like every other list's cursor, and bound to one list and its filters' shape.

function badCursor (detail: string): ProblemError {
  return new ProblemError('invalidRequest', detail, {
    errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor for this list' }]
  })
}

export interface KeyCursor<Key> {
  encode(key: Key): string
  /** The key a cursor carries; a 400 problem when the cursor is forged, altered or from another list. */
  decode(cursor: string): Key
}

/** Cursors for the list `resource`, whose keys `isKey` recognises. */
export function keyCursor<Key> (codec: CursorCodec, resource: string, isKey: (value: unknown) => value is Key): KeyCursor<Key> {
  return {
    encode: (key) => codec.encode({ r: resource, s: 'key', v: JSON.stringify(key), i: '' }),
    decode (cursor) {
      if (cursor === '') throw badCursor('The cursor is empty; leave it out to start from the first page.')
      const payload = codec.decode(cursor)
      if (payload.r !== resource || payload.s !== 'key' || typeof payload.v !== 'string') {
        throw badCursor('The cursor belongs to another list; start again without it.')
      }
      let key: unknown
      try {
        key = JSON.parse(payload.v)
      } catch {
        key = undefined
      }
      if (!isKey(key)) throw badCursor('The cursor belongs to another list; start again without it.')
      return key
    }
  }
}

const datePattern = /^(?:\d{4}-\d{2}-\d{2}|-infinity)$/

export function isStringTuple (length: number) {
  return (value: unknown): value is string[] =>
    Array.isArray(value) && value.length === length && value.every((part) => typeof part === 'string')
}

/** A summary group's key: hospital, metric, period kind, duration, start and end (dates or -infinity). */
export function isGroupKey (value: unknown): value is [string, string, string, string, string, string] {
  return isStringTuple(6)(value) && datePattern.test(value[4]!) && datePattern.test(value[5]!)
}
