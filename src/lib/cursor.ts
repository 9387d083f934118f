import { ProblemError } from './problem.ts'

// Keyset cursors: the last row's sort key, base64url-encoded JSON. Opaque to clients; decoding rejects anything
// that was not produced here with a 400 rather than a database error.

export function encodeCursor (key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

export function decodeCursor (cursor: string, fields: string[]): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (parsed !== null && typeof parsed === 'object' &&
      fields.every((field) => typeof (parsed as Record<string, unknown>)[field] === 'string')) {
      return parsed as Record<string, string>
    }
  } catch {}
  throw new ProblemError('invalidRequest', 'The cursor is not one this API issued; start again without it.', {
    errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor' }]
  })
}
