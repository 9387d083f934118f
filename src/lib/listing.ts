import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TObject, type TSchema } from 'typebox'
import { PageInfo, ref } from '../schemas/common.ts'
import { sendCsv, wantsCsv, type CsvColumn } from './csv.ts'
import { ProblemError } from './problem.ts'
import { DEFAULT_LIMIT, MAX_LIMIT, parseNames, sortValues, type JsonPage, type ListSpec } from './paging.ts'

// The conventions every list shares: its query parameters, its envelope and Link header, `fields` and `include`.

/** limit, cursor, sort and count: the paging parameters every list takes. */
export function pagingParameters (spec: ListSpec) {
  return {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Page size', examples: [DEFAULT_LIMIT] })),
    cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The `page.nextCursor` of the previous page (same sort)' })),
    sort: Type.Optional(Type.Enum(sortValues(spec), {
      default: spec.defaultSort,
      description: 'Sort key; a leading `-` sorts descending. Ties are broken by id, so the order is stable.'
    })),
    count: Type.Optional(Type.Boolean({ default: false, description: 'Add the exact number of matching rows as `page.total`' }))
  }
}

/** `include`: related resources to embed, from a fixed list of names. */
export function includeParameter (names: readonly string[], defaults?: string) {
  return Type.Optional(Type.String({
    maxLength: 500,
    description: `Embed related resources, comma-separated, from: ${names.join(', ')}.`,
    examples: [names.slice(0, 2).join(',')],
    ...(defaults === undefined ? {} : { default: defaults })
  }))
}

/** The names `fields` accepts for an item schema: its properties, except id (always returned). */
export function fieldNames (item: TObject): string[] {
  return Object.keys(item.properties).filter((name) => name !== 'id')
}

/** `fields`: sparse field selection. */
export function fieldsParameter (names: readonly string[]) {
  return Type.Optional(Type.String({
    maxLength: 500,
    description: `Return only these fields (and id), comma-separated, from: ${names.join(', ')}.`,
    examples: [names.slice(0, 2).join(',')]
  }))
}

/** The response envelope of a list of `item`. */
export function listResponse (item: TSchema, id: string, description: string) {
  return Type.Object({
    data: Type.Array(ref(item)),
    page: ref(PageInfo)
  }, { $id: id, description, additionalProperties: false })
}

export interface Page<T> {
  data: T[]
  nextCursor: string | null
  limit: number
  total?: number
}

/** A list that can also be read as CSV: the client's choice and the columns. */
export interface PageCsv<T> {
  format: 'json' | 'csv' | undefined
  bom: boolean | undefined
  filename: string
  columns: ReadonlyArray<CsvColumn<T>>
}

/**
 * Sets the Link header and returns the envelope; with `fields`, trims each item and serialises what is left. A list
 * that offers CSV sends the page's items as CSV rows when asked to, with the total (`count=true`) in X-Total-Count.
 */
export function sendPage<T extends object> (request: FastifyRequest, reply: FastifyReply, page: Page<T>,
  fields?: { requested: string | undefined, allowed: readonly string[] }, csv?: PageCsv<T>) {
  const asCsv = answersCsv(request, csv, fields?.requested)
  const selected = fields === undefined || asCsv ? [] : parseNames(fields.requested, fields.allowed, 'fields')
  pageHeaders(request, reply, page.nextCursor, csv !== undefined)
  if (asCsv && csv !== undefined) {
    if (page.total !== undefined) reply.header('x-total-count', String(page.total))
    return sendCsv(reply, csv.filename, csv.columns, page.data, { bom: csv.bom ?? false })
  }
  const data = selected.length === 0 ? page.data : page.data.map((item) => pick(item, selected))
  // A trimmed item no longer has every field the response schema requires; it is a subset of what the presenter
  // built, so plain JSON serialisation cannot leak anything.
  if (selected.length > 0) reply.serializer(JSON.stringify).type('application/json; charset=utf-8')
  return {
    data,
    page: { limit: page.limit, nextCursor: page.nextCursor, ...(page.total === undefined ? {} : { total: page.total }) }
  }
}

/** Whether the list answers CSV (when it offers CSV and the client asks); `fields` is refused with CSV. */
export function answersCsv (request: FastifyRequest, csv: Pick<PageCsv<unknown>, 'format'> | undefined, fields: string | undefined): boolean {
  const asCsv = csv !== undefined && wantsCsv(request, csv.format)
  if (asCsv && fields !== undefined) {
    throw new ProblemError('invalidRequest', 'fields selects JSON properties; a CSV response always has the documented columns.', {
      errors: [{ in: 'querystring', field: '/fields', message: 'must not be used with CSV' }]
    })
  }
  return asCsv
}

function pageHeaders (request: FastifyRequest, reply: FastifyReply, nextCursor: string | null, offersCsv: boolean): void {
  if (nextCursor !== null) {
    const next = new URL(request.url, 'http://localhost')
    next.searchParams.set('cursor', nextCursor)
    reply.header('link', `<${next.pathname}${next.search}>; rel="next"`)
  }
  if (offersCsv) reply.header('vary', 'accept')
}

/**
 * Sends a page whose items PostgreSQL wrote as JSON: the envelope is put around their texts, which go out as they
 * came (the route's response schema is not applied: the SQL writes exactly the documented shape, and the tests
 * validate answers against the OpenAPI document). As CSV, the items are parsed and written as rows.
 */
export function sendJsonPage (request: FastifyRequest, reply: FastifyReply, page: JsonPage, csv?: PageCsv<any> & { fields?: string }): void {
  const asCsv = answersCsv(request, csv, csv?.fields)
  pageHeaders(request, reply, page.nextCursor, csv !== undefined)
  if (asCsv && csv !== undefined) {
    if (page.total !== undefined) reply.header('x-total-count', String(page.total))
    sendCsv(reply, csv.filename, csv.columns, page.items.map((item) => JSON.parse(item) as object), { bom: csv.bom ?? false })
    return
  }
  const info = JSON.stringify({ limit: page.limit, nextCursor: page.nextCursor, ...(page.total === undefined ? {} : { total: page.total }) })
  sendJson(reply, `{"data":[${page.items.join(',')}],"page":${info}}`)
}

/**
 * Sends JSON text as it is: a string with a JSON content type is neither parsed nor serialised again by Fastify,
 * and the route's response schema is not applied (the tests validate such answers against the OpenAPI document).
 */
export function sendJson (reply: FastifyReply, text: string): void {
  reply.type('application/json; charset=utf-8').send(text)
}

function pick<T extends object> (item: T, fields: string[]): Partial<T> {
  const source = item as Record<string, unknown>
  const picked: Record<string, unknown> = { id: source.id }
  for (const field of fields) picked[field] = source[field]
  return picked as Partial<T>
}
