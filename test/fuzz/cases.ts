import fc from 'fast-check'
import { arbitraryFor, hostileJson, hostileString, type Operation, type Parameter } from './spec.ts'

// Requests for one documented operation: valid ones built from its schemas (and from identifiers that exist), and
// hostile ones that break exactly one thing of a valid request.

export interface FuzzRequest {
  kind: string
  method: string
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
}

/** Largest body the app accepts (BODY_LIMIT_BYTES default); one byte more must be a 413. */
export const bodyLimit = 1_048_576

function asParameterValue (value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Header values that HTTP can carry at all (a client library refuses CR, LF and NUL before sending). */
function headerSafe (value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')
}

/** Unpaired surrogates have no UTF-8 form, so no client can send them; they become U+FFFD as a browser would. */
function wellFormed (value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
}

/**
 * Path segments are percent-encoded as a client would. A segment that is empty, `.` or `..` (even encoded) is not a
 * value of this operation's parameter: URLs resolve it to another path, another operation. Those get a prefix.
 */
function encodeSegment (value: string): string {
  const segment = ['', '.', '..'].includes(value) ? `_${value}` : value
  return encodeURIComponent(wellFormed(segment))
}

/** Percent-encodings that decode to no valid UTF-8 (or to nothing), sent as they are. */
const rawEncodings = ['%FF', '%C0%AF', '%E0%A4%A', '%', '%G0', '%00', '%ED%A0%80', '%2F..%2F', '%u002e']

interface Parts {
  path: Record<string, string>
  query: Array<[string, string]>
  headers: Record<string, string>
  body?: { contentType: string, text: string }
  /** One path parameter or query parameter whose value is sent without encoding. */
  raw?: { path?: string, query?: string, value: string }
}

function build (operation: Operation, parts: Parts, kind: string): FuzzRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    parts.raw?.path === name ? parts.raw.value : encodeSegment(parts.path[name] ?? ''))
  const query = [
    ...parts.query.map(([name, value]) => `${encodeURIComponent(wellFormed(name))}=${encodeURIComponent(wellFormed(value))}`),
    ...(parts.raw?.query === undefined ? [] : [`${parts.raw.query}=${parts.raw.value}`])
  ].join('&')
  const headers = { ...parts.headers }
  if (parts.body !== undefined) headers['content-type'] = parts.body.contentType
  return {
    kind,
    method: operation.method,
    url: query === '' ? path : `${path}?${query}`,
    headers,
    ...(parts.body === undefined ? {} : { payload: parts.body.text })
  }
}

function parameterArbitrary (parameter: Parameter, identifiers: string[]): fc.Arbitrary<string> {
  const fromSchema = arbitraryFor(parameter.schema).map(asParameterValue)
  if (parameter.in === 'header' && parameter.name === 'if-match') return fc.oneof(fc.constant('*'), fromSchema.map(headerSafe))
  if (parameter.in === 'header') return fromSchema.map(headerSafe)
  if (parameter.in === 'path' && identifiers.length > 0) {
    return fc.oneof({ arbitrary: fc.constantFrom(...identifiers), weight: 4 }, { arbitrary: fromSchema, weight: 1 })
  }
  return fromSchema
}

/** A request the documentation says is well-formed (it may still name something that does not exist). */
export function validParts (operation: Operation, identifiers: Record<string, string[]>): fc.Arbitrary<Parts> {
  const byLocation = (location: Parameter['in']) => operation.parameters.filter((parameter) => parameter.in === location)
  const path = fc.record(Object.fromEntries(byLocation('path').map((parameter) =>
    [parameter.name, parameterArbitrary(parameter, identifiers[parameter.name] ?? [])])))
  // The opaque cursor has no valid value but one the server signed: hostile variants send made-up ones.
  const optionalRecord = (location: Parameter['in']) => {
    const parameters = byLocation(location).filter((parameter) => parameter.name !== 'cursor')
    return fc.record(
      Object.fromEntries(parameters.map((parameter) => [parameter.name, parameterArbitrary(parameter, [])])),
      { requiredKeys: parameters.filter((parameter) => parameter.required === true).map((parameter) => parameter.name) }
    ) as fc.Arbitrary<Record<string, string>>
  }
  const body = operation.body.length === 0
    ? fc.constant(undefined)
    : fc.oneof(...operation.body.map(({ contentType, schema }) =>
      arbitraryFor(schema).map((value) => ({ contentType, text: JSON.stringify(value) }))))
  return fc.record({
    path,
    query: optionalRecord('query').map((record) => Object.entries(record)),
    headers: optionalRecord('header'),
    body
  }) as fc.Arbitrary<Parts>
}

const wrongContentTypes = [
  'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x',
  'application/json-patch+json', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=utf-8',
  'application/octet-stream', 'text/csv', 'application/problem+json', '*/*', 'json'
]

const hostileAccepts = [
  'application/xml', 'text/html', 'image/png', '*/*;q=0', 'application/json;q=0', 'text/csv;q=x', ';;;,,,', 'a/b/c',
  'text/*', 'application/*', 'application/json, text/csv;q=0.9', 'application/fhir+json'
]

const hostileAuthorizations = [
  'Bearer ', 'Bearer hda_', 'Bearer hda_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'Basic YWRtaW46YWRtaW4=',
  'bearer x', 'Bearer ' + 'A'.repeat(5000), 'Bearer hda_\u00e9\u00e9', 'Negotiate abc', 'Bearer null'
]

type Mutation = (operation: Operation, parts: Parts) => fc.Arbitrary<{ kind: string, parts: Parts }>

const mutations: Array<{ applies: (operation: Operation) => boolean, mutate: Mutation }> = [
  { // one parameter's value replaced by a hostile string
    applies: (operation) => operation.parameters.length > 0,
    mutate: (operation, parts) => fc.tuple(fc.constantFrom(...operation.parameters), hostileString).map(([parameter, value]) => {
      const next = { ...parts, path: { ...parts.path }, headers: { ...parts.headers }, query: parts.query.filter(([name]) => name !== parameter.name) }
      if (parameter.in === 'path') next.path[parameter.name] = value
      else if (parameter.in === 'header') next.headers[parameter.name] = headerSafe(value)
      else next.query.push([parameter.name, value])
      return { kind: `hostile ${parameter.in} ${parameter.name}`, parts: next }
    })
  },
  { // a path or query parameter whose percent-encoding is broken
    applies: () => true,
    mutate: (operation, parts) => {
      const names = operation.parameters.filter((parameter) => parameter.in !== 'header').map((parameter) => ({ in: parameter.in, name: parameter.name }))
      return fc.tuple(fc.constantFrom(...names, { in: 'query' as const, name: 'q' }), fc.constantFrom(...rawEncodings))
        .map(([target, value]) => ({
          kind: 'malformed percent-encoding',
          parts: { ...parts, query: parts.query.filter(([name]) => name !== target.name), raw: target.in === 'path' ? { path: target.name, value } : { query: target.name, value } }
        }))
    }
  },
  { // a query parameter the operation does not document, with a hostile name
    applies: () => true,
    mutate: (_, parts) => fc.tuple(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor[prototype][x]', '__proto__[x]', 'a[b]', '')), hostileString)
      .map(([name, value]) => ({ kind: 'unknown query parameter', parts: { ...parts, query: [...parts.query, [name, value]] } }))
  },
  { // a documented query parameter given twice
    applies: (operation) => operation.parameters.some((parameter) => parameter.in === 'query'),
    mutate: (operation, parts) => fc.tuple(fc.constantFrom(...operation.parameters.filter((parameter) => parameter.in === 'query')), hostileString, hostileString)
      .map(([parameter, first, second]) => ({ kind: 'repeated query parameter', parts: { ...parts, query: [...parts.query, [parameter.name, first], [parameter.name, second]] } }))
  },
  { // Accept headers that admit nothing, or nonsense
    applies: () => true,
    mutate: (_, parts) => fc.oneof(fc.constantFrom(...hostileAccepts), hostileString.map(headerSafe))
      .map((accept) => ({ kind: 'hostile accept', parts: { ...parts, headers: { ...parts.headers, accept } } }))
  },
  { // credentials that are missing, malformed or forged
    applies: () => true,
    mutate: (_, parts) => fc.oneof(fc.constantFrom(...hostileAuthorizations), hostileString.map(headerSafe), fc.constant(undefined))
      .map((authorization) => {
        const headers = { ...parts.headers }
        delete headers.authorization
        if (authorization !== undefined) headers.authorization = authorization
        return { kind: 'hostile credentials', parts: { ...parts, headers } }
      })
  },
  { // a body of the wrong JSON type or shape
    applies: (operation) => operation.body.length > 0,
    mutate: (operation, parts) => hostileJson.map((value) => ({
      kind: 'hostile body',
      parts: { ...parts, body: { contentType: operation.body[0]!.contentType, text: JSON.stringify(value) ?? 'null' } }
    }))
  },
  { // prototype keys inside an otherwise valid body
    applies: (operation) => operation.body.length > 0,
    mutate: (operation, parts) => fc.constantFrom('__proto__', 'constructor').map((key) => {
      const text = parts.body?.text ?? '{}'
      const poisoned = text.startsWith('{') && text !== '{}'
        ? `{"${key}":{"prototype":{"isAdmin":true},"isAdmin":true},${text.slice(1)}`
        : `{"${key}":{"isAdmin":true}}`
      return { kind: `${key} in body`, parts: { ...parts, body: { contentType: operation.body[0]!.contentType, text: poisoned } } }
    })
  },
  { // JSON cut short or followed by garbage
    applies: (operation) => operation.body.length > 0,
    mutate: (operation, parts) => fc.tuple(fc.nat(), fc.constantFrom('', '}', ',', 'garbage', '\u0000', '{"a":')).map(([cut, tail]) => {
      const text = parts.body?.text ?? '{"name":"x"}'
      const truncated = text.slice(0, Math.max(0, (cut % Math.max(1, text.length)))) + tail
      return { kind: 'malformed JSON', parts: { ...parts, body: { contentType: operation.body[0]!.contentType, text: truncated === text ? `${text}x` : truncated } } }
    })
  },
  { // a body in a media type the operation does not take (also on operations that take no body at all)
    applies: () => true,
    mutate: (_, parts) => fc.tuple(fc.constantFrom(...wrongContentTypes), fc.oneof(hostileString, fc.constant('name=x&slug=y')))
      .map(([contentType, text]) => ({ kind: 'wrong content type', parts: { ...parts, body: { contentType, text } } }))
  },
  { // a body over the size limit
    applies: (operation) => operation.body.length > 0,
    mutate: (operation, parts) => fc.integer({ min: 1, max: 64 }).map((extra) => ({
      kind: 'oversized body',
      parts: { ...parts, body: { contentType: operation.body[0]!.contentType, text: JSON.stringify({ note: 'x'.repeat(bodyLimit + extra) }) } }
    }))
  }
]

/** Valid requests (weight 1) and hostile ones (weight 2), each with the caller's credentials already in its headers. */
export function requestsFor (operation: Operation, identifiers: Record<string, string[]>, credentials: Record<string, string>): fc.Arbitrary<FuzzRequest> {
  const valid = validParts(operation, identifiers).map((parts) => ({ ...parts, headers: { ...credentials, ...parts.headers } }))
  const applicable = mutations.filter((mutation) => mutation.applies(operation))
  const hostile = valid.chain((parts) => fc.oneof(...applicable.map((mutation) => mutation.mutate(operation, parts))))
  return fc.oneof(
    { arbitrary: valid.map((parts) => build(operation, parts, 'valid')), weight: 1 },
    { arbitrary: hostile.map(({ kind, parts }) => build(operation, parts, kind)), weight: 2 }
  )
}
