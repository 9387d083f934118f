import { Type, type Static, type TSchema } from 'typebox'

// Shared shapes. Each carries an $id and is registered once (plugins/app/schemas.ts), so the OpenAPI document
// lists it under components and routes refer to it instead of repeating it.

/** A $ref to a registered schema that keeps the referenced schema's static type. */
export function ref<T extends TSchema> (schema: T, options: { description?: string } = {}) {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>({ $ref: `${id}#`, ...options })
}

/**
 * A $ref to a registered schema named by its $id, for a schema whose module imports this one (ref() would need it
 * at load time, and the two modules would wait on each other). `T` is what the code may rely on in its values.
 */
export function refById<T = Record<string, unknown>> (id: string, options: { description?: string } = {}) {
  return Type.Unsafe<T>({ $ref: `${id}#`, ...options })
}

const slugPattern = '[a-z0-9]+(?:-[a-z0-9]+)*'

/** A slug as a path or query parameter (inline, so every parameter documents its own pattern and example). */
export function slug (options: { description?: string, examples?: string[] } = {}) {
  return Type.String({
    pattern: `^${slugPattern}$`,
    minLength: 1,
    maxLength: 120,
    description: 'Lower-case words joined by hyphens',
    examples: ['general-gynecology'],
    ...options
  })
}

/**
 * A query parameter of one or more comma-separated slugs; how many it takes is checked after validation (see
 * statistics/scope-sql.ts), so that the 400 says the limit rather than that a pattern failed.
 */
export function slugList (options: { description: string, examples: string[] }) {
  return Type.String({ pattern: `^${slugPattern}(?:,${slugPattern})*$`, minLength: 1, maxLength: 12_100, ...options })
}

export const IsoDate = Type.String({
  $id: 'IsoDate',
  format: 'date',
  description: 'Calendar date (YYYY-MM-DD)',
  examples: ['2021-03-03']
})

export const ValidationIssue = Type.Object({
  in: Type.String({ description: 'Part of the request: querystring, params, body or headers', examples: ['querystring'] }),
  field: Type.String({ description: 'JSON pointer to the offending value', examples: ['/limit'] }),
  message: Type.String({ examples: ['must be <= 100'] })
}, { $id: 'ValidationIssue', additionalProperties: false })

// No per-property examples: they would make one status's example (Swagger UI builds one from them) the example of
// every error. Each documented error response has the examples of its own problem types instead (swagger.ts).
export const Problem = Type.Object({
  type: Type.String({
    format: 'uri-reference',
    description: 'The problem type, the same for every occurrence: branch on it rather than on `detail`. A URI ' +
      'reference: resolved against the request\'s URL, it is a page that explains the problem (JSON, or HTML to a browser)'
  }),
  title: Type.String({ description: 'The problem type\'s summary, the same for every occurrence' }),
  status: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status code of the response' }),
  detail: Type.String({ description: 'What went wrong with this request, for a person to read' }),
  instance: Type.String({ description: 'The request path (and query) that produced the problem' }),
  requestId: Type.Optional(Type.String({ description: 'Quote it when reporting a problem; also sent as X-Request-Id' })),
  errors: Type.Optional(Type.Array(ref(ValidationIssue)))
}, {
  $id: 'Problem',
  description: 'RFC 9457 problem details, sent as application/problem+json',
  additionalProperties: false
})
export type ProblemBody = Static<typeof Problem>

export const SourceReference = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String({ examples: ['General Gynecology Department'] }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'Date the source states, if any' }),
  quote: Type.String({
    description: 'The sentence the fact was taken from, verbatim',
    examples: ['The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually.']
  })
}, { $id: 'SourceReference', description: 'Provenance: the document and the exact quote backing a fact', additionalProperties: false })

export const PageInfo = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, examples: [20] }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= to get the next page; null on the last page' }),
  total: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of matching rows, with ?count=true' }))
}, { $id: 'PageInfo', additionalProperties: false })

export const UnitKind = Type.Enum(['division', 'department', 'center'], { $id: 'UnitKind' })

export const UnitReference = Type.Object({
  slug: Type.String({ examples: ['general-gynecology'] }),
  name: Type.String({ examples: ['General Gynecology Department'] }),
  kind: ref(UnitKind)
}, { $id: 'UnitReference', description: 'A short reference to an organisational unit', additionalProperties: false })

export const HospitalReference = Type.Object({
  slug: Type.String({ examples: ['cqhcwc'] }),
  name: Type.String({ examples: ['Chongqing Health Center for Women and Children'] }),
  shortName: Type.Union([Type.String(), Type.Null()], { examples: ['CQHCWC'] })
}, { $id: 'HospitalReference', additionalProperties: false })

/** Fields every stored entity carries. */
export const entityFields = {
  version: Type.Integer({ minimum: 1, description: 'Incremented on every change' }),
  updatedAt: Type.String({ format: 'date-time' })
}

export const schemas = [IsoDate, ValidationIssue, Problem, SourceReference, PageInfo, UnitKind, UnitReference, HospitalReference]

/** A documented error response, served as application/problem+json. */
export function problemResponse (description: string) {
  return { description, content: { 'application/problem+json': { schema: ref(Problem) } } }
}
