// Infers a response schema from one JSON body, so the ceiling server serializes that body per request through
// fast-json-stringify exactly as a typical Fastify route with a response schema does. Arrays merge the shapes of all
// their items (a field that is null in one item and a string in another becomes ["string", "null"]), and an object's
// keys keep the order they have in the body, so the ceiling answers the same bytes as the app.

type Kind = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array'

interface Shape {
  kinds: Set<Kind>
  /** Keys in body order; present when an object was seen. */
  properties?: Map<string, Shape>
  /** The merged shape of every item; present when an array was seen (undefined items: only empty arrays). */
  items?: Shape | undefined
  sawArray?: boolean
}

export type JsonSchema = Record<string, unknown>

function kindOf (value: unknown): Kind {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  switch (typeof value) {
    case 'boolean': return 'boolean'
    case 'number': return Number.isInteger(value) ? 'integer' : 'number'
    case 'string': return 'string'
    case 'object': return 'object'
    default: throw new TypeError(`not a JSON value: ${typeof value}`)
  }
}

function shapeOf (value: unknown): Shape {
  const kind = kindOf(value)
  const shape: Shape = { kinds: new Set([kind]) }
  if (kind === 'object') {
    shape.properties = new Map(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, shapeOf(item)]))
  } else if (kind === 'array') {
    shape.sawArray = true
    shape.items = (value as unknown[]).map(shapeOf).reduce<Shape | undefined>((merged, item) => merge(merged, item), undefined)
  }
  return shape
}

/** Merges two key orders: a key new to `into` goes right after the key that precedes it in `from`. */
function mergeProperties (into: Map<string, Shape>, from: Map<string, Shape>): Map<string, Shape> {
  const order = [...into.keys()]
  let previous: string | undefined
  for (const key of from.keys()) {
    if (!order.includes(key)) order.splice(previous === undefined ? 0 : order.indexOf(previous) + 1, 0, key)
    previous = key
  }
  return new Map(order.map((key) => {
    const a = into.get(key)
    const b = from.get(key)
    return [key, a !== undefined && b !== undefined ? merge(a, b)! : (a ?? b)!]
  }))
}

function merge (a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const merged: Shape = { kinds: new Set([...a.kinds, ...b.kinds]) }
  if (a.properties !== undefined || b.properties !== undefined) {
    merged.properties = mergeProperties(a.properties ?? new Map(), b.properties ?? new Map())
  }
  if (a.sawArray === true || b.sawArray === true) {
    merged.sawArray = true
    merged.items = merge(a.items, b.items)
  }
  return merged
}

function schemaOfKind (kind: Kind, shape: Shape): JsonSchema {
  if (kind === 'object') {
    return {
      type: 'object',
      properties: Object.fromEntries([...(shape.properties ?? new Map<string, Shape>())].map(([key, item]) => [key, toSchema(item)]))
    }
  }
  // An array that was always empty says nothing about its items; an empty schema falls back to JSON.stringify.
  if (kind === 'array') return { type: 'array', items: shape.items === undefined ? {} : toSchema(shape.items) }
  return { type: kind }
}

function toSchema (shape: Shape): JsonSchema {
  const kinds = [...shape.kinds].filter((kind) => !(kind === 'integer' && shape.kinds.has('number')))
  if (kinds.length === 1) return schemaOfKind(kinds[0]!, shape)
  const nonNull = kinds.filter((kind) => kind !== 'null')
  // A nullable field is a type list, as a hand-written schema would have it; anything more mixed is an anyOf.
  if (nonNull.length === 1) {
    const schema = schemaOfKind(nonNull[0]!, shape)
    return { ...schema, type: [nonNull[0], 'null'] }
  }
  return { anyOf: kinds.map((kind) => schemaOfKind(kind, shape)) }
}

export function inferSchema (value: unknown): JsonSchema {
  return toSchema(shapeOf(value))
}
