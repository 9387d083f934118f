import { createHmac, timingSafeEqual } from 'node:crypto'
import { Prisma } from '../generated/prisma/client.ts'
import { ProblemError } from './problem.ts'

type Sql = Prisma.Sql

// Keyset paging shared by every list. A page is ordered by one sort key and then by id, so the order is total and
// stable; the cursor carries the last row's key, signed, so a client cannot forge or edit it, and a page never
// skips or repeats a row when rows are inserted between requests.

export type SortType = 'string' | 'number' | 'date' | 'decimal'

export interface SortKey {
  /** The Prisma field the public sort name maps to. */
  field: string
  type: SortType
  nullable?: boolean
  /** A `date` key on a DATE column (not a timestamp): compared as a calendar date in SQL. */
  dateOnly?: boolean
}

export interface ListSpec {
  /** Binds cursors to one list, so a cursor from /honors is refused by /events. */
  resource: string
  sort: Record<string, SortKey>
  /** A public sort value, e.g. "name" or "-year". */
  defaultSort: string
}

export interface PageRequest {
  limit?: number
  cursor?: string
  sort?: string
}

type Where = Record<string, unknown>
type CursorValue = string | number | null

interface CursorPayload {
  r: string
  s: string
  v: CursorValue
  i: string
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100

/** The public sort values a spec accepts: each key ascending and, with a leading "-", descending. */
export function sortValues (spec: ListSpec): string[] {
  return Object.keys(spec.sort).flatMap((key) => [key, `-${key}`])
}

function badCursor (detail: string): ProblemError {
  return new ProblemError('invalidRequest', detail, {
    errors: [{ in: 'querystring', field: '/cursor', message: 'is not a valid cursor for this list' }]
  })
}

export class CursorCodec {
  readonly #key: Buffer

  constructor (key: Buffer) {
    this.#key = key
  }

  #sign (body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url').slice(0, 22)
  }

  encode (payload: CursorPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.#sign(body)}`
  }

  decode (cursor: string): CursorPayload {
    const [body, signature, extra] = cursor.split('.')
    if (body === undefined || signature === undefined || extra !== undefined) {
      throw badCursor('The cursor is not one this API issued; start again without it.')
    }
    const expected = Buffer.from(this.#sign(body))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw badCursor('The cursor is not one this API issued (or it was altered); start again without it.')
    }
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload
  }
}

function encodeValue (value: unknown): CursorValue {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'number' || typeof value === 'string') return value
  return String(value) // Prisma.Decimal
}

function decodeValue (value: CursorValue, key: SortKey): unknown {
  if (value === null) return null
  return key.type === 'date' ? new Date(value) : value
}

/** Rows strictly after `value` in this key's direction; nulls sort last either way. */
function after (key: SortKey, descending: boolean, value: unknown): Where[] {
  if (value === null) return [] // null is last: nothing comes after it within this key
  const beyond = { [key.field]: descending ? { lt: value } : { gt: value } }
  return key.nullable === true ? [beyond, { [key.field]: null }] : [beyond]
}

export interface PagePlan {
  limit: number
  sort: string
  orderBy: Where[]
  /** The keyset condition for this page; an empty object on the first page. */
  where: Where
  /** One more than the limit, to learn whether a next page exists. */
  take: number
  /** The sort key, its direction and the cursor's position, for lists whose SQL is written by hand (keysetSql). */
  key: SortKey
  descending: boolean
  after: { value: unknown, id: string } | null
  page<Row extends { id: string }>(rows: Row[]): { rows: Row[], nextCursor: string | null }
}

export function planPage (codec: CursorCodec, spec: ListSpec, request: PageRequest): PagePlan {
  const sort = request.sort ?? spec.defaultSort
  const descending = sort.startsWith('-')
  const key = spec.sort[descending ? sort.slice(1) : sort]
  if (key === undefined) throw new Error(`${spec.resource}: sort "${sort}" is not in the spec`)
  const limit = request.limit ?? DEFAULT_LIMIT
  const direction = descending ? 'desc' : 'asc'
  const orderBy: Where[] = [
    { [key.field]: key.nullable === true ? { sort: direction, nulls: 'last' } : direction },
    { id: 'asc' }
  ]

  let where: Where = {}
  let position: PagePlan['after'] = null
  if (request.cursor !== undefined) {
    const cursor = request.cursor === '' ? null : codec.decode(request.cursor)
    if (cursor === null || cursor.r !== spec.resource || typeof cursor.i !== 'string') {
      throw badCursor('The cursor belongs to another list; start again without it.')
    }
    if (cursor.s !== sort) {
      throw badCursor(`The cursor was issued for sort=${cursor.s}; keep that sort or start again without a cursor.`)
    }
    const value = decodeValue(cursor.v, key)
    position = { value, id: cursor.i }
    where = {
      OR: [
        ...after(key, descending, value),
        { [key.field]: value, id: { gt: cursor.i } }
      ]
    }
  }

  return {
    limit,
    sort,
    orderBy,
    where,
    take: limit + 1,
    key,
    descending,
    after: position,
    page (rows) {
      const pageRows = rows.slice(0, limit)
      const last = pageRows.at(-1)
      const nextCursor = rows.length > limit && last !== undefined
        ? codec.encode({ r: spec.resource, s: sort, v: encodeValue((last as Record<string, unknown>)[key.field]), i: last.id })
        : null
      return { rows: pageRows, nextCursor }
    }
  }
}

/**
 * The keyset condition and order of a page in SQL, for a list whose query is written by hand: `columnOf` gives the
 * SQL of a sort key's field, `id` the row's id. The same order and cursor semantics as the Prisma form above.
 */
export function keysetSql (plan: PagePlan, columnOf: (field: string) => Sql, id: Sql): { where: Sql, orderBy: Sql } {
  const column = columnOf(plan.key.field)
  const direction = Prisma.raw(plan.descending ? 'DESC' : 'ASC')
  const nulls = plan.key.nullable === true ? Prisma.raw(' NULLS LAST') : Prisma.empty
  const orderBy = Prisma.sql`${column} ${direction}${nulls}, ${id} ASC`
  if (plan.after === null) return { where: Prisma.sql`TRUE`, orderBy }
  const { value, id: lastId } = plan.after
  // A null key (a row of the nulls that sort last) is followed only by the other nulls with a greater id.
  if (value === null) return { where: Prisma.sql`(${column} IS NULL AND ${id} > ${lastId}::uuid)`, orderBy }
  const typed = sqlValue(value, plan.key)
  const tie = Prisma.sql`(${column} = ${typed} AND ${id} > ${lastId}::uuid)`
  const beyond = plan.descending ? Prisma.sql`${column} < ${typed}` : Prisma.sql`${column} > ${typed}`
  const orNull = plan.key.nullable === true ? Prisma.sql` OR ${column} IS NULL` : Prisma.empty
  return { where: Prisma.sql`(${beyond}${orNull} OR ${tie})`, orderBy }
}

/** A cursor's value as a typed SQL parameter. */
function sqlValue (value: unknown, key: SortKey): Sql {
  switch (key.type) {
    case 'date': return key.dateOnly === true
      ? Prisma.sql`${(value as Date).toISOString().slice(0, 10)}::date`
      : Prisma.sql`${(value as Date).toISOString()}::timestamptz`
    case 'decimal': return Prisma.sql`${String(value)}::numeric`
    case 'number': return Prisma.sql`${Number(value)}::float8`
    default: return Prisma.sql`${String(value)}::text`
  }
}

export interface ListPage<Item> {
  data: Item[]
  nextCursor: string | null
  limit: number
  total?: number
}

/** What a repository supplies to list one page: its query, its count and its presenter. */
export interface ListSource<Row extends { id: string }, Item> {
  /** One page: the list's filters AND `keyset.where`, ordered by `keyset.orderBy`, `keyset.take` rows. */
  find(keyset: { where: Where, orderBy: Where[], take: number }): Promise<Row[]>
  /** Every row the filters match, for count=true. */
  count(): Promise<number>
  present(row: Row): Item
}

/** Lists one page of a resource: the rows, the cursor to the next page and, when asked for, the total. */
export async function listPage<Row extends { id: string }, Item> (
  plan: PagePlan, request: { count?: boolean }, source: ListSource<Row, Item>
): Promise<ListPage<Item>> {
  const [rows, total] = await Promise.all([
    source.find({ where: plan.where, orderBy: plan.orderBy, take: plan.take }),
    request.count === true ? source.count() : Promise.resolve(undefined)
  ])
  const { rows: pageRows, nextCursor } = plan.page(rows)
  return { data: pageRows.map((row) => source.present(row)), nextCursor, limit: plan.limit, ...(total === undefined ? {} : { total }) }
}

/** One row of a list whose items PostgreSQL writes as JSON: the item's text and the keys its cursor needs. */
export interface JsonRow {
  id: string
  /** The value of the page's sort key for this row, as the driver returns it. */
  sortValue: unknown
  item: string
}

/** A page whose items are JSON texts, sent as they are (see sendJsonPage in listing.ts). */
export interface JsonPage {
  items: string[]
  nextCursor: string | null
  limit: number
  total?: number
}

/** What a repository supplies to list one page as JSON texts: the SQL of its sort keys, its query and its count. */
export interface JsonListSource {
  /** The SQL of each sort key's field (ListSpec.sort[...].field) and of the row id. */
  columns: { id: Sql, sort: Record<string, Sql> }
  /** One page: the list's filters AND `keyset.where`, ORDER BY `keyset.orderBy`, LIMIT `keyset.take`. */
  find(keyset: { where: Sql, orderBy: Sql, take: number, sortValue: Sql }): Promise<JsonRow[]>
  count(): Promise<number>
}

export async function listJsonPage (plan: PagePlan, request: { count?: boolean }, source: JsonListSource): Promise<JsonPage> {
  const columnOf = (field: string): Sql => {
    const found = source.columns.sort[field]
    if (found === undefined) throw new Error(`No SQL column for the sort field ${field}`)
    return found
  }
  const { where, orderBy } = keysetSql(plan, columnOf, source.columns.id)
  // A calendar date is read as its text: drivers turn a DATE into a Date at local midnight (pg) or UTC (PGlite),
  // and the cursor must name the day whatever the server's time zone.
  const key = columnOf(plan.key.field)
  const sortValue = plan.key.dateOnly === true ? Prisma.sql`${key}::text` : key
  const [rows, total] = await Promise.all([
    source.find({ where, orderBy, take: plan.take, sortValue }),
    request.count === true ? source.count() : Promise.resolve(undefined)
  ])
  const { rows: pageRows, nextCursor } = plan.page(rows.map((row) => ({ id: row.id, [plan.key.field]: row.sortValue, item: row.item })))
  return { items: pageRows.map((row) => row.item), nextCursor, limit: plan.limit, ...(total === undefined ? {} : { total }) }
}

/** Parses a comma-separated list parameter (include, fields) against its allowed names. */
export function parseNames (value: string | undefined, allowed: readonly string[], parameter: string): string[] {
  if (value === undefined || value === '') return []
  const names = [...new Set(value.split(',').map((name) => name.trim()))]
  const unknown = names.filter((name) => !allowed.includes(name))
  if (unknown.length > 0) {
    throw new ProblemError('invalidRequest',
      `Unknown ${parameter} ${unknown.map((name) => `"${name}"`).join(', ')}; allowed: ${allowed.join(', ')}.`, {
        errors: unknown.map(() => ({ in: 'querystring', field: `/${parameter}`, message: `must be a comma-separated list of: ${allowed.join(', ')}` }))
      })
  }
  return names
}
