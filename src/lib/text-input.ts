import type { FastifyRequest } from 'fastify'
import { ProblemError } from './problem.ts'

// Text this API cannot keep is refused by name as a 400 before validation, instead of reaching the database and failing
// there or being changed on the way:
// - the NUL character (U+0000), which PostgreSQL text cannot hold and no field of this API has a use for
//   (`?city=%00`, `"name": "a\u0000b"`);
// - a lone surrogate (`"name": "a\ud800b"` in JSON), which is not a Unicode character and has no UTF-8 form: it would
//   be stored as U+FFFD, silently, in place of what the client sent;
// - a query string whose percent-encoding does not decode to UTF-8 (`?city=%ED%A0%80`, `?q=100%`), which Fastify's
//   parser would keep as the literal text. The router refuses the same in a path segment (src/app.ts).

interface TextFault {
  /** What is wrong, in words that follow the field's name. */
  message: string
  /** Why that is refused, for the problem's detail. */
  reason: string
}

/** What is wrong with a text, or undefined when nothing is. */
function textFault (text: string): TextFault | undefined {
  if (text.includes('\u0000')) {
    return { message: 'contains the NUL character (U+0000)', reason: 'which no text of this API may hold' }
  }
  const surrogate = /\p{Cs}/u.exec(text)?.[0]
  if (surrogate === undefined) return undefined
  return {
    message: `contains a lone surrogate (U+${surrogate.charCodeAt(0).toString(16).toUpperCase()})`,
    reason: 'which is not a Unicode character and has no UTF-8 form; send well-formed text'
  }
}

/** A key as a JSON pointer segment (RFC 6901), readable in a problem: a lone surrogate in it is shown as U+FFFD. */
function pointerSegment (key: string): string {
  return key.replace(/\p{Cs}/gu, '\uFFFD').replaceAll('~', '~0').replaceAll('/', '~1')
}

interface Visit { value: unknown, parent: Visit | undefined, key: string }

/** Segments of a pointer shown in a problem: more than any field of this API has, far fewer than a deep body can. */
const shownSegments = 16

/** The JSON pointer to a visited value; past `shownSegments` levels it is cut, and ends in `/…`. */
function pointerTo (visit: Visit): string {
  const keys: string[] = []
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) keys.push(at.key)
  keys.reverse()
  const shown = keys.slice(0, shownSegments).map((key) => `/${pointerSegment(key)}`).join('')
  return keys.length > shownSegments ? `${shown}/…` : shown
}

/**
 * The first text in `value` (a string, or a key or string anywhere inside an object or array) that this API cannot
 * keep: where it is, as a JSON pointer, and what is wrong with it. The walk keeps its own stack rather than recursing,
 * so a body nested 100,000 levels deep is read to the end instead of overflowing the call stack (a parsed JSON body can
 * be nested as deep as its size allows); the schema then refuses what is not a field.
 */
function textFaultIn (value: unknown): { field: string, fault: TextFault } | undefined {
  const stack: Visit[] = [{ value, parent: undefined, key: '' }]
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const fault = (visit.parent === undefined ? undefined : textFault(visit.key)) ??
      (typeof visit.value === 'string' ? textFault(visit.value) : undefined)
    if (fault !== undefined) return { field: pointerTo(visit), fault }
    if (visit.value === null || typeof visit.value !== 'object') continue
    const entries = Object.entries(visit.value)
    // Pushed last to first, so that what comes first in the document is reported first.
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index]!
      stack.push({ value: child, parent: visit, key })
    }
  }
  return undefined
}

/** The first parameter of a raw query string whose percent-encoding does not decode to UTF-8 text, by its name. */
function undecodableParameter (url: string): string | undefined {
  const start = url.indexOf('?')
  if (start === -1) return undefined
  for (const parameter of url.slice(start + 1).split('&')) {
    try {
      decodeURIComponent(parameter.replaceAll('+', ' '))
    } catch {
      const [name = ''] = parameter.split('=', 1)
      try {
        return decodeURIComponent(name.replaceAll('+', ' '))
      } catch {
        return name
      }
    }
  }
  return undefined
}

function invalidText (where: string, field: string, message: string, reason: string): ProblemError {
  return new ProblemError('invalidRequest', `${where}${field} ${message}, ${reason}.`, { errors: [{ in: where, field, message }] })
}

/** preValidation hook: a parameter, body field or key whose text this API cannot keep is a 400 problem naming it. */
export async function rejectInvalidText (request: FastifyRequest): Promise<void> {
  const undecodable = undecodableParameter(request.url)
  if (undecodable !== undefined) {
    throw invalidText('querystring', `/${pointerSegment(undecodable)}`, 'is not percent-encoded UTF-8 text',
      'as a query string must be: each % starts a %XX escape, and the escaped bytes decode to UTF-8')
  }
  for (const [where, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
    const found = textFaultIn(value)
    if (found !== undefined) throw invalidText(where, found.field === '' ? '/' : found.field, found.fault.message, found.fault.reason)
  }
}
