import ValidatorSelector from '@fastify/ajv-compiler'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'

// Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), deferred: a route's schema is
// compiled the first time a request needs it instead of at start-up. Compiling all of them up front took most of a
// cold start (about 5 s of CPU on two cores for some 100 routes, each with a dozen response schemas, most of them
// error responses that are rarely or never sent) and held their generated code in memory for good.
// test/app/schemas.test.ts compiles every route's schemas eagerly with the same compilers, so a broken schema still
// fails the suite rather than a first request.

type RouteDefinition = { schema: unknown, method: string, url: string, httpPart?: string, httpStatus?: string, contentType?: string }
type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type Serialize = (data: unknown) => string

const eagerValidators = ValidatorSelector()
const eagerSerializers = SerializerSelector()

/**
 * Where a number that is not finite sits in `value` (a JSON pointer), or undefined. Ajv coerces "1e400" and a
 * 400-digit integer to Infinity, and JSON.parse reads 1e400 as Infinity; Ajv then skips `minimum` and `maximum` for
 * it (they are only checked on finite numbers), so `?limit=1e400` would pass a schema capped at 100.
 */
export function nonFiniteAt (value: unknown): string | undefined {
  // Its own stack, not recursion: what passed a schema is shallow today, but a deep value must never overflow the stack.
  const stack: Array<[unknown, string]> = [[value, '']]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, at] = next
    if (typeof item === 'number' && !Number.isFinite(item)) return at
    if (item === null || typeof item !== 'object') continue
    const entries = Object.entries(item)
    for (let index = entries.length - 1; index >= 0; index--) stack.push([entries[index]![1], `${at}/${entries[index]![0]}`])
  }
  return undefined
}

// The compiler itself is made on first use too: an Ajv instance given every shared schema costs a quarter of a second.
function buildValidator (externalSchemas: unknown, options: unknown) {
  let compile: ((route: RouteDefinition) => Validate) | undefined
  return (route: RouteDefinition): Validate => {
    let validate: Validate | undefined
    // Fastify reads a failed validation's errors from the function it was given.
    const deferred: Validate = (data) => {
      compile ??= (eagerValidators as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Validate)(externalSchemas, options)
      validate ??= compile(route)
      const valid = validate(data)
      deferred.errors = validate.errors
      const infinite = valid === true ? nonFiniteAt(data) : undefined
      if (infinite !== undefined) {
        deferred.errors = [{ instancePath: infinite, schemaPath: '#', keyword: 'type', params: {}, message: 'must be a finite number' }]
        return false
      }
      return valid
    }
    return deferred
  }
}

/** Keywords that describe a schema without changing what a serializer writes. */
const annotations = new Set(['description', 'title', 'examples', 'example', '$comment'])

/**
 * What a response schema's serializer depends on: the schema without the annotations at its top (a route describes
 * its answer there: "The unit as changed", "The unit with what was asked to embed"); below the top they are left, as
 * a property may be named "description".
 */
export function serializerKey (schema: unknown): string {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return JSON.stringify(schema)
  return JSON.stringify(Object.fromEntries(Object.entries(schema).filter(([keyword]) => !annotations.has(keyword))))
}

const counts = { serializersCompiled: 0 }

/** How many response serializers have been compiled in this process (for tests of the sharing below). */
export function compilerStats (): { serializersCompiled: number } {
  return { ...counts }
}

// Routes that answer the same representation (a unit's detail, the PATCH and PUT that return it) share one serializer,
// compiled by whichever is asked first: a representation with nullable references costs a few hundred milliseconds to
// compile (fast-json-stringify compiles an Ajv validator for each union), in one stretch of the event loop, and a
// client typically reads a record (for its ETag) before it writes it. Fastify builds a compiler per plugin context,
// each with the shared schemas its routes may reference; two contexts share a serializer when those are the same.
const serializers = new Map<string, Serialize>()
/** The distinct sets of shared schemas and options, numbered: a set is some 70 KB of JSON, kept once. */
const contexts = new Map<string, number>()

function contextNumber (externalSchemas: unknown, options: unknown): number {
  const fingerprint = JSON.stringify([externalSchemas, options])
  let number = contexts.get(fingerprint)
  if (number === undefined) {
    number = contexts.size
    contexts.set(fingerprint, number)
  }
  return number
}

function buildSerializer (externalSchemas: unknown, options: unknown) {
  let compile: ((route: RouteDefinition) => Serialize) | undefined
  let context: number | undefined
  const shared = (route: RouteDefinition): Serialize => {
    context ??= contextNumber(externalSchemas, options)
    const key = `${context}\n${serializerKey(route.schema)}`
    let serialize = serializers.get(key)
    if (serialize === undefined) {
      compile ??= (eagerSerializers as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Serialize)(externalSchemas, options)
      serialize = compile(route)
      counts.serializersCompiled++
      serializers.set(key, serialize)
    }
    return serialize
  }
  return (route: RouteDefinition): Serialize => {
    let serialize: Serialize | undefined
    return (data) => (serialize ??= shared(route))(data)
  }
}

/** For Fastify's `schemaController.compilersFactory`. */
export const deferredCompilers = { buildValidator, buildSerializer }

/** The same compilers, compiling at once: for the test that every schema compiles. */
export const eagerCompilers = {
  buildValidator: eagerValidators as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Validate,
  buildSerializer: eagerSerializers as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Serialize
}
