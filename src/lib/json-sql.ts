import { Prisma } from '../generated/prisma/client.ts'

// Building an answer's JSON in PostgreSQL: the pieces every area's SQL uses to write its representation as one
// statement (json_build_object, json_agg of a correlated subquery) in the formats the API promises, so the text can be
// sent as PostgreSQL wrote it, without parsing and serialising it again in JavaScript.

export type Sql = Prisma.Sql
export const sql = Prisma.sql
export const join = Prisma.join
export const empty = Prisma.empty

/** A property of a JSON object: its name in the API and the SQL expression of its value. */
export type JsonField = readonly [name: string, value: Sql]

const propertyName = /^[A-Za-z][A-Za-z0-9]*$/

/** `json_build_object('name', value, …)`. Names are the code's own constants, never client input. */
export function jsonObject (fields: readonly JsonField[]): Sql {
  if (fields.length === 0) return sql`'{}'::json`
  const parts = fields.map(([name, value]) => {
    if (!propertyName.test(name)) throw new Error(`Not a JSON property name: ${name}`)
    return sql`${Prisma.raw(`'${name}'`)}, ${value}`
  })
  return sql`json_build_object(${join(parts, ', ')})`
}

/** The JSON array of `item` over the rows `from` selects (an empty array, not null, when there are none). */
export function jsonArray (item: Sql, from: Sql, orderBy: Sql): Sql {
  return sql`coalesce((SELECT json_agg(${item} ORDER BY ${orderBy}) ${from}), '[]'::json)`
}

/** A timestamp as JavaScript's toISOString writes it: UTC, milliseconds, `Z`. */
export function isoTimestamp (column: Sql): Sql {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/** A date as `YYYY-MM-DD` (null stays null). */
export function isoDate (column: Sql): Sql {
  return sql`to_char(${column}, 'YYYY-MM-DD')`
}

/** A column by its SQL name, qualified by a table alias; both are the code's own constants. */
export function column (alias: string, name: string): Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias) || !/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a column: ${alias}.${name}`)
  return Prisma.raw(`${alias}."${name}"`)
}

/** A table alias, as the code names it. */
export function alias (name: string): Sql {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not an alias: ${name}`)
  return Prisma.raw(name)
}

/** How many shapes a memoised builder keeps: far more than its includes and fields can combine to in practice. */
const memoisedShapes = 256

/**
 * A builder of an answer's SQL, memoised on its arguments (aliases, includes, fields: the shape, never a value): the
 * statement text of a shape is built once, not on every request (composing a unit with its embeds took ~15 µs of CPU
 * a request, a twentieth of an uncached list), and comes back as one raw fragment, which composes into a statement
 * as one string. A result that binds values is not kept. The least recently used shape goes first.
 */
export function memoisedSql<Args extends readonly unknown[]> (build: (...args: Args) => Sql): (...args: Args) => Sql {
  const shapes = new Map<string, Sql>()
  return (...args) => {
    const key = JSON.stringify(args)
    const known = shapes.get(key)
    if (known !== undefined) {
      shapes.delete(key)
      shapes.set(key, known)
      return known
    }
    const built = build(...args)
    if (built.values.length > 0) return built
    const fragment = Prisma.raw(built.text)
    shapes.set(key, fragment)
    if (shapes.size > memoisedShapes) shapes.delete(shapes.keys().next().value!)
    return fragment
  }
}

/** The fields to build: all of them, or `id` and those asked for with `fields` (in the order they are defined). */
export function selectFields (fields: readonly JsonField[], selected: readonly string[]): JsonField[] {
  if (selected.length === 0) return [...fields]
  const wanted = new Set(selected)
  return fields.filter(([name]) => name === 'id' || wanted.has(name))
}

/** A JSON document assembled from texts PostgreSQL wrote: `[item,item,…]`. */
export function jsonArrayText (items: readonly string[]): string {
  return `[${items.join(',')}]`
}

/** The fields every stored entity ends with: its version and when it last changed. */
export function entityJson (row: string): JsonField[] {
  return [['version', column(row, 'version')], ['updatedAt', isoTimestamp(column(row, 'updated_at'))]]
}

/** The JSON text `query` selects as `body`, parsed; null when it selects no row. */
export async function queryJson<T> (db: Pick<Prisma.TransactionClient, '$queryRaw'>, query: Sql): Promise<T | null> {
  const [row] = await db.$queryRaw<Array<{ body: string }>>(query)
  return row === undefined ? null : JSON.parse(row.body) as T
}

function literal (value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Not a finite number')
    return String(value)
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return `'${value.toISOString()}'`
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new Error('A NUL character cannot be sent to PostgreSQL')
    // standard_conforming_strings is on (PostgreSQL's default since 9.1): only the quote itself is doubled.
    return `'${value.replace(/'/g, "''")}'`
  }
  throw new Error(`No SQL literal for a ${typeof value}`)
}

/**
 * The statement with its values written into it as literals, for a statement whose best plan depends on its values:
 * a prepared statement may be run with a generic plan (DATABASE_PLAN_CACHE_MODE), which for the summary's walk over
 * hospitals in slug order meant totalling every hospital (75 ms a page at 500 hospitals) instead of the few the page
 * needs (22 ms). Only for values the API has validated or signed (slugs, codes, enums, cursor keys, limits).
 */
export function withLiterals (query: Sql): string {
  return query.text.replace(/\$(\d+)/g, (_match, index: string) => literal(query.values[Number(index) - 1]))
}
