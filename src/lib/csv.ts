import { Readable, pipeline } from 'node:stream'
import { stringify as csvStream, type Options } from 'csv-stringify'
import { stringify } from 'csv-stringify/sync'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'

// Resources a spreadsheet or BI tool reads are also served as CSV: RFC 4180 (CRLF line ends, fields quoted when they
// hold a comma, quote or line break, quotes doubled), a header row, UTF-8 with an optional byte order mark (Excel
// needs one to read Chinese text as UTF-8). Text that a spreadsheet would run as a formula (starting with =, +, -, @,
// their full-width forms, a tab or a CR) is prefixed with an apostrophe; numbers are written as they are.

export const csvMediaType = 'text/csv'
const csvContentType = 'text/csv; charset=utf-8; header=present'

export type CsvCell = string | number | boolean | null
export interface CsvColumn<Row> {
  name: string
  description: string
  value: (row: Row) => CsvCell
}

/** `format` and `bom`: the query parameters of a resource that can also be read as CSV. */
export const csvParameters = {
  format: Type.Optional(Type.Enum(['json', 'csv'], {
    description: 'Response format; takes precedence over the Accept header (`Accept: text/csv` also selects CSV)',
    examples: ['csv']
  })),
  bom: Type.Optional(Type.Boolean({
    default: false,
    description: 'With CSV, start with a UTF-8 byte order mark so that Excel reads non-ASCII text correctly'
  }))
}

/** Whether to answer with CSV: `format` decides when given, otherwise the Accept header (JSON when it admits both). */
export function wantsCsv (request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv'
  if (request.headers.accept === undefined) return false
  return request.accepts().type(['application/json', csvMediaType]) === csvMediaType
}

function stringifyOptions<Row> (columns: ReadonlyArray<CsvColumn<Row>>, options: { bom?: boolean }): Options {
  return {
    header: true,
    columns: columns.map((column) => column.name),
    record_delimiter: 'windows',
    // csv-stringify quotes a field holding the record delimiter (CRLF) but not one holding a lone CR or LF, which
    // RFC 4180 parsers would read as the end of the record.
    quoted_match: /[\r\n]/,
    bom: options.bom ?? false,
    escape_formulas: true,
    cast: { boolean: (value) => (value ? 'true' : 'false') }
  }
}

export function toCsv<Row> (columns: ReadonlyArray<CsvColumn<Row>>, rows: readonly Row[], options: { bom?: boolean } = {}): string {
  return stringify(rows.map((row) => columns.map((column) => column.value(row))), stringifyOptions(columns, options))
}

/**
 * Sends batches of rows (pages read from the database, say) as a CSV attachment written as they come, through
 * csv-stringify's stream: the next batch is read only when the client has taken the previous one's bytes, so one
 * batch is in memory at a time whatever the size of the whole. The first batch is awaited before anything is sent,
 * so a failure to read it is still answered as a problem; a failure later can only cut the response short (the status
 * is gone), and is logged. The promise settles once the rows start to flow.
 */
export async function sendCsvStream<Row> (reply: FastifyReply, filename: string, columns: ReadonlyArray<CsvColumn<Row>>,
  batches: AsyncIterable<Row[]>, options: { bom?: boolean } = {}): Promise<void> {
  const iterator = batches[Symbol.asyncIterator]()
  const first = await iterator.next()
  async function * records () {
    for (let batch = first; batch.done !== true; batch = await iterator.next()) {
      for (const row of batch.value) yield columns.map((column) => column.value(row))
    }
  }
  const csv = csvStream(stringifyOptions(columns, options))
  pipeline(Readable.from(records()), csv, (error) => {
    if (error !== undefined && error !== null) reply.log.warn({ err: error }, 'CSV stream ended before its last row (the client left, or a later page failed)')
  })
  // Not returned: a reply is a thenable that settles when the response ends, which an async caller would wait for.
  reply.type(csvContentType).header('content-disposition', `attachment; filename="${filename}.csv"`).send(csv)
}

/** Sends rows as a CSV attachment named `<filename>.csv`. */
export function sendCsv<Row> (reply: FastifyReply, filename: string, columns: ReadonlyArray<CsvColumn<Row>>,
  rows: readonly Row[], options: { bom?: boolean } = {}): FastifyReply {
  return reply
    .type(csvContentType)
    .header('content-disposition', `attachment; filename="${filename}.csv"`)
    .send(toCsv(columns, rows, options))
}

/** A 200 response documented as JSON (the schema) or CSV (the columns), for a route whose config produces both. */
export function jsonOrCsvResponse (json: TSchema, description: string, columns: ReadonlyArray<CsvColumn<never>>,
  headers?: Record<string, TSchema>) {
  return {
    description,
    ...(headers === undefined ? {} : { headers }),
    content: {
      'application/json': { schema: json },
      [csvMediaType]: {
        schema: Type.String({
          description: 'RFC 4180 CSV, UTF-8, with a header row. Columns: ' +
            columns.map((column) => `\`${column.name}\` (${column.description})`).join('; '),
          examples: [`${columns.map((column) => column.name).join(',')}\r\n`]
        })
      }
    }
  }
}

/** The route config of a resource served as JSON or CSV (the 406 hook reads `produces`). */
export const jsonOrCsvConfig = { produces: ['application/json', csvMediaType] }
