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
export function nonFiniteAt (value: unknown, at = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : at
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = nonFiniteAt(item, `${at}/${key}`)
    if (found !== undefined) return found
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

function buildSerializer (externalSchemas: unknown, options: unknown) {
  let compile: ((route: RouteDefinition) => Serialize) | undefined
  return (route: RouteDefinition): Serialize => {
    let serialize: Serialize | undefined
    return (data) => {
      compile ??= (eagerSerializers as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Serialize)(externalSchemas, options)
      return (serialize ??= compile(route))(data)
    }
  }
}

/** For Fastify's `schemaController.compilersFactory`. */
export const deferredCompilers = { buildValidator, buildSerializer }

/** The same compilers, compiling at once: for the test that every schema compiles. */
export const eagerCompilers = {
  buildValidator: eagerValidators as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Validate,
  buildSerializer: eagerSerializers as unknown as (schemas: unknown, options: unknown) => (route: RouteDefinition) => Serialize
}
