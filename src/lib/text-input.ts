import type { FastifyRequest } from 'fastify'
import { ProblemError } from './problem.ts'

/** Where a value holding U+0000 sits in `value`, as a JSON pointer below `prefix`, or undefined when none does. */
export function nulCharacterAt (value: unknown, prefix: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? prefix : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const at = key.includes('\u0000') ? `${prefix}/${key}` : nulCharacterAt(item, `${prefix}/${key}`)
    if (at !== undefined) return at
  }
  return undefined
}

// PostgreSQL text cannot hold the NUL character (U+0000), and no field of this API has a use for it. A parameter or
// body field carrying one (`?city=%00`, `"name": "a\u0000b"`) is refused by name as a 400 before validation, instead
// of reaching the database and failing there.
/** preValidation hook: a parameter or body field holding U+0000 is a 400 problem naming it. */
export async function rejectNulCharacters (request: FastifyRequest): Promise<void> {
  const at = nulCharacterAt(request.params, 'params') ?? nulCharacterAt(request.query, 'querystring') ??
    nulCharacterAt(request.body, 'body')
  if (at === undefined) return
  const [where, ...field] = at.split('/')
  throw new ProblemError('invalidRequest', `${at} contains the NUL character (U+0000), which no text of this API may hold.`,
    { errors: [{ in: where!, field: `/${field.join('/')}`, message: 'contains the NUL character (U+0000)' }] })
}
