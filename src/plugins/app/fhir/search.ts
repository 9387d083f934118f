import { Type, type TSchema } from 'typebox'
import { MAX_LIMIT, type ListSpec } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'

// FHIR search parameters: their query-string schemas (so the OpenAPI document and the validator describe them once)
// and their parsing into what the repository filters on. Only what the CapabilityStatement lists is accepted; any
// other parameter is refused (400) rather than silently ignored, so a client never mistakes an unfiltered result for
// a filtered one.

const idPattern = '[A-Za-z0-9\\-.]{1,64}'
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const datePattern = '\\d{4}(?:-\\d{2}(?:-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,3})?)?(?:Z|[+-]\\d{2}:\\d{2}))?)?)?'

export const searchParameters = {
  _id: Type.String({
    pattern: `^${idPattern}(?:,${idPattern}){0,99}$`,
    description: 'One id, or several separated by commas (any of them)',
    examples: ['0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11']
  }),
  _lastUpdated: Type.Array(Type.String({
    pattern: `^(?:eq|gt|ge|lt|le)?${datePattern}$`,
    description: 'A date or date-time with an optional prefix eq, gt, ge, lt or le; a partial date is the whole year, month or day',
    examples: ['ge2026-01-01']
  }), { maxItems: 2, description: 'When the record last changed; repeat it for a range (ge… and lt…)', examples: [['ge2026-01-01']] }),
  _count: Type.Integer({ minimum: 0, maximum: MAX_LIMIT, default: 20, description: 'Matches per page (0 gives only the total)', examples: [20] }),
  _summary: Type.Literal('count', { description: '`count` gives only the total' }),
  _cursor: Type.String({ minLength: 1, maxLength: 1000, description: 'Opaque: the position in a search, from a Bundle\'s `next` link' }),
  _format: Type.Enum(['json', 'application/json', 'application/fhir+json', 'application/json+fhir'], { description: 'The response format; only JSON is served' })
}

export function referenceParameter (description: string) {
  return Type.String({
    pattern: `^(?:Organization/)?${idPattern}$`,
    description: `${description}: Organization/{id} or {id}`,
    examples: ['Organization/0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11']
  })
}

export function nameParameters (description: string): Record<string, TSchema> {
  const text = (how: string, examples: string[]) => Type.String({ minLength: 1, maxLength: 200, description: `${description} ${how}`, examples })
  return {
    name: text('starts with this, ignoring case', ['gyn']),
    'name:contains': text('contains this, ignoring case', ['gynecology']),
    'name:exact': text('is exactly this', ['General Gynecology Department'])
  }
}

export type SortName = 'name' | '-name' | '_lastUpdated' | '-_lastUpdated' | '_id'

export function sortParameter (values: SortName[], defaultSort: SortName) {
  return Type.Enum(values, { default: defaultSort, description: 'Order of the matches (a leading - is descending)', examples: [defaultSort] })
}

/** Keyset paging of a FHIR search, in the same signed cursors as the native lists. */
export function fhirListSpec (resourceType: string, defaultSort: SortName): ListSpec {
  return {
    resource: `fhir/${resourceType}`,
    sort: {
      name: { field: 'name', type: 'string' },
      _lastUpdated: { field: 'updatedAt', type: 'date' },
      _id: { field: 'id', type: 'string' }
    },
    defaultSort
  }
}

/** The ids of an `_id` parameter that can name a record (every record's id is a UUID). */
export function idsOf (value: string): string[] {
  return value.split(',').filter((id) => uuidPattern.test(id)).map((id) => id.toLowerCase())
}

/** A FHIR id as the UUID of a record, or null when it cannot name one. */
export function recordId (id: string): string | null {
  return uuidPattern.test(id) ? id.toLowerCase() : null
}

/** The target id of a reference parameter, or null when it cannot name a record. */
export function referencedId (value: string): string | null {
  return recordId(value.replace(/^Organization\//, ''))
}

export interface DateBound {
  gte?: Date
  lt?: Date
}

function invalidDate (value: string): ProblemError {
  return new ProblemError('invalidRequest', `_lastUpdated "${value}" is not a valid date.`, {
    errors: [{ in: 'querystring', field: '/_lastUpdated', message: 'is not a valid date or date-time' }]
  })
}

/** The instants a date of this precision covers: [start, end). */
function rangeOf (value: string, text: string): { start: Date, end: Date } {
  const [datePart = '', timePart] = text.split('T')
  const [year, month = 1, day = 1] = datePart.split('-').map(Number) as [number, number?, number?]
  if (timePart === undefined) {
    const start = new Date(Date.UTC(year, month - 1, day))
    if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day || year < 1) throw invalidDate(value)
    const parts = datePart.split('-').length
    const end = new Date(start)
    if (parts === 1) end.setUTCFullYear(year + 1)
    else if (parts === 2) end.setUTCMonth(month)
    else end.setUTCDate(day + 1)
    return { start, end }
  }
  rangeOf(value, datePart) // the calendar date must exist
  const start = new Date(text)
  const [hours, minutes, seconds = '0'] = timePart.replace(/(Z|[+-]\d{2}:\d{2})$/, '').split(':') as [string, string, string?]
  if (Number.isNaN(start.getTime()) || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) >= 60) throw invalidDate(value)
  // To the stated precision: a minute, a second or a millisecond.
  const step = timePart.split(':').length === 2 ? 60_000 : seconds.includes('.') ? 1 : 1000
  return { start, end: new Date(start.getTime() + step) }
}

/** `_lastUpdated` values as bounds on the record's last change (all must hold). */
export function lastUpdatedBounds (values: string[] | undefined): DateBound[] {
  return (values ?? []).map((value) => {
    const prefix = /^(eq|gt|ge|lt|le)/.exec(value)?.[1] ?? 'eq'
    const { start, end } = rangeOf(value, value.slice(prefix === 'eq' && !value.startsWith('eq') ? 0 : 2))
    switch (prefix) {
      case 'gt': return { gte: end }
      case 'ge': return { gte: start }
      case 'lt': return { lt: start }
      case 'le': return { lt: end }
      default: return { gte: start, lt: end }
    }
  })
}
