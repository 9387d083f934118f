import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { parse } from 'yaml'
import { openApiPath } from '../../src/lib/openapi.ts'

// The committed openapi.yaml read as a test oracle: its operations, generators of input from their schemas, and
// validators of the responses they document. Nothing here knows a route by name.

export type JsonSchema = Record<string, any>

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema: JsonSchema
}

/** A response an operation documents, a Reference Object to components/responses already followed. */
export interface DocumentedResponse {
  description: string
  content?: Record<string, { schema?: JsonSchema }>
  /** Where its Response Object is in the document (a component's, for a reference), as JSON pointer segments. */
  at: string[]
}

export interface Operation {
  method: string
  path: string
  operationId: string
  parameters: Parameter[]
  /** Content types the request body is documented in, with their schema; empty when the operation takes none. */
  body: Array<{ contentType: string, schema: JsonSchema }>
  bodyRequired: boolean
  responses: Record<string, DocumentedResponse>
  secured: boolean
}

const specId = 'https://hospital-departments.invalid/openapi.json'

export const spec = parse(readFileSync(openApiPath, 'utf8')) as {
  paths: Record<string, Record<string, any>>
  components: { schemas: Record<string, JsonSchema>, responses?: Record<string, any> }
}

const unescapePointer = (segment: string): string => segment.replaceAll('~1', '/').replaceAll('~0', '~')

/**
 * The response documented at `at`, or the component it refers to, with the referring description (OpenAPI 3.1 lets a
 * Reference Object override it): error responses refer to components/responses, one per status.
 */
function documentedResponse (response: any, at: string[]): DocumentedResponse {
  if (typeof response.$ref !== 'string') return { ...response, at }
  const name = unescapePointer(/^#\/components\/responses\/([^/]+)$/.exec(response.$ref)?.[1] ?? '')
  const target = spec.components.responses?.[name]
  if (target === undefined) throw new Error(`unresolvable response $ref ${response.$ref} at ${at.join('/')}`)
  return { ...target, description: response.description ?? target.description, at: ['components', 'responses', name] }
}

export const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    operationId: operation.operationId,
    parameters: operation.parameters ?? [],
    body: Object.entries(operation.requestBody?.content ?? {}).map(([contentType, media]: [string, any]) =>
      ({ contentType, schema: media.schema })),
    bodyRequired: operation.requestBody?.required === true,
    responses: Object.fromEntries(Object.entries(operation.responses ?? {}).map(([status, response]) =>
      [status, documentedResponse(response, ['paths', path, method, 'responses', status])])),
    secured: (operation.security ?? []).length > 0
  })))

// Response validation: the whole document is registered once, and each documented response schema is compiled by its
// JSON pointer, so `#/components/schemas/…` references resolve as they do for any OpenAPI 3.1 tool.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
addFormats.default(ajv)
ajv.addSchema({ ...spec, $id: specId })

const pointer = (...segments: string[]): string =>
  segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')

const validators = new Map<string, ValidateFunction>()

/** A validator for the body of `status` in `contentType`, or undefined when the operation documents no schema for it. */
export function responseValidator (operation: Operation, status: string, contentType: string): ValidateFunction | undefined {
  const response = operation.responses[status]
  if (response?.content?.[contentType]?.schema === undefined) return undefined
  const ref = `${specId}#/${pointer(...response.at, 'content', contentType, 'schema')}`
  let validate = validators.get(ref)
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref })
    validators.set(ref, validate)
  }
  return validate
}

function resolve (schema: JsonSchema): JsonSchema {
  let current = schema
  while (typeof current.$ref === 'string') {
    const name = current.$ref.replace('#/components/schemas/', '')
    const target = spec.components.schemas[name]
    if (target === undefined) throw new Error(`unresolvable $ref ${current.$ref}`)
    current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([key]) => key !== '$ref')) }
  }
  return current
}

const dateArb = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })

function stringArbitrary (schema: JsonSchema): fc.Arbitrary<string> {
  const minLength: number = schema.minLength ?? 0
  const maxLength: number = Math.min(schema.maxLength ?? 40, 200)
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.format === 'date') return dateArb.map((date) => date.toISOString().slice(0, 10))
  if (schema.format === 'date-time') return dateArb.map((date) => date.toISOString())
  if (typeof schema.pattern === 'string') {
    // fast-check cannot generate from lookarounds; their patterns here only exclude a case, so drop it and filter.
    const pattern = new RegExp(schema.pattern)
    const generable = new RegExp(schema.pattern.replace(/\(\?<?[=!][^)]*\)/g, ''))
    return fc.stringMatching(generable).filter((value) => pattern.test(value) && value.length >= minLength && value.length <= (schema.maxLength ?? Infinity))
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' })
}

/**
 * Values the schema accepts (as far as a generator can know: patterns, formats, bounds, enums, required and closed
 * objects). Depth-limited so recursive shapes stay small.
 */
export function arbitraryFor (input: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input)
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const alternatives = schema.anyOf ?? schema.oneOf
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((alternative: JsonSchema) => arbitraryFor(alternative, depth + 1)))
  if (Array.isArray(schema.allOf)) {
    return arbitraryFor(schema.allOf.reduce((merged: JsonSchema, part: JsonSchema) => {
      const resolved = resolve(part)
      return { ...merged, ...resolved, properties: { ...merged.properties, ...resolved.properties }, required: [...(merged.required ?? []), ...(resolved.required ?? [])] }
    }, {}), depth + 1)
  }
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type: string) => arbitraryFor({ ...schema, type }, depth + 1)))
  }
  switch (schema.type) {
    case 'null': return fc.constant(null)
    case 'boolean': return fc.boolean()
    case 'integer': return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 })
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e9
      const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: 'exclusiveMinimum' in schema, maxExcluded: 'exclusiveMaximum' in schema })
    }
    case 'string': return stringArbitrary(schema)
    case 'array': {
      if (depth > 4) return fc.constant([])
      return fc.array(arbitraryFor(schema.items ?? {}, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) })
    }
    case 'object': {
      const properties: Record<string, JsonSchema> = schema.properties ?? {}
      const required = new Set<string>(schema.required ?? [])
      if (depth > 4) return fc.constant({})
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitraryFor(value, depth + 1)])),
        { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) }
      )
      return record as fc.Arbitrary<unknown>
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

/** Strings a careless server trips over: injection, traversal, control and unpaired characters, prototype keys. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "' OR '1'='1", "'; DROP TABLE departments; --", '1; SELECT pg_sleep(5)', '" OR ""="', "\\'; --", '%27%20OR%201=1',
    '../../../../etc/passwd', '..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/etc/passwd%00.json',
    '__proto__', 'constructor', 'prototype', '__proto__[admin]', 'toString', 'hasOwnProperty',
    '\u0000', 'a\u0000b', '\uD800', '\uDFFF', '\uFEFF', '\u202E', 'null', 'undefined', 'NaN', '-0', '1e309', '0x10',
    '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '*', '%', '%%', '\r\nX-Injected: 1', ' ', '',
    '9'.repeat(400), '-' + '9'.repeat(30), '🏥'.repeat(50), 'Ω'.repeat(300)
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'x'.repeat(length)),
  fc.string({ unit: fc.constantFrom('%', '/', '.', '\\', '?', '#', '&', '=', '+', ';', ',', '[', ']'), minLength: 1, maxLength: 12 })
)

/** Any JSON value, including ones no schema expects: wrong types where a schema wants another, deep nesting. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), [], {}, [null], { '': '' })
)
