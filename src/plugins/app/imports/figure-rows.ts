import { parse } from 'csv-parse/sync'
import type { ProblemBody } from '../../../schemas/common.ts'
import { observationColumns } from '../metrics/observation-csv.ts'

// The rows of a figures import as create bodies of POST /v1/metrics. A CSV import has the columns the figures' CSV
// export writes (GET /v1/metrics?format=csv), so an export can be edited and imported again: the columns that make up
// a figure are read; those the export derives from it (names, bounds, `exact`, the source's title) are accepted and
// ignored; any other column is refused by name, since a misspelt column would otherwise drop its values silently.

type FieldError = NonNullable<ProblemBody['errors']>[number]

export interface ImportRow {
  /** 1-based: the CSV line's number after the header, or the JSON array's index + 1. */
  row: number
  body: Record<string, unknown>
}

/** Where a create body's field comes from in a CSV row, for reading it and for naming it in an error. */
const bodyFields: Record<string, string> = {
  department: '/department',
  metric: '/metric',
  value: '/value',
  comparator: '/comparator',
  approximate: '/approximate',
  statedValue: '/statedValue',
  periodKind: '/period/kind',
  periodDuration: '/period/duration',
  periodStart: '/period/start',
  periodEnd: '/period/end',
  periodLabel: '/period/label',
  statedOn: '/statedOn',
  note: '/note',
  sourceId: '/provenance/source',
  sourceQuote: '/provenance/quote',
  provenanceNote: '/provenance/note'
}

/** The export's columns that are derived from the figure (or describe its references) and so are not read back. */
const derivedColumns = new Set(observationColumns.map((column) => column.name).filter((name) => !(name in bodyFields)))

/** The CSV column a body field came from (for errors), or the field itself for JSON rows. */
export function csvColumnOf (field: string): string | undefined {
  const columns = Object.entries(bodyFields)
  // A field below a column (a character of it), or above several (the whole provenance): the first such column.
  return columns.find(([, pointer]) => field === pointer || field.startsWith(`${pointer}/`))?.[0] ??
    columns.find(([, pointer]) => pointer.startsWith(`${field}/`))?.[0]
}

export class ImportFormatError extends Error {
  constructor (message: string, readonly errors: FieldError[]) {
    super(message)
  }
}

function cell (value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

/** A cell as the JSON value the body schema expects; what cannot be converted stays text, and the schema says why. */
function typed (column: string, text: string): unknown {
  if (column === 'value') return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text
  if (column === 'approximate') return text === 'true' ? true : text === 'false' ? false : text
  return text
}

function bodyOf (record: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  const period: Record<string, unknown> = {}
  const provenance: Record<string, unknown> = {}
  for (const [column, pointer] of Object.entries(bodyFields)) {
    const text = cell(record[column])
    if (text === undefined) continue
    const [, first, second] = pointer.split('/')
    const value = typed(column, text)
    if (first === 'period') period[second!] = value
    else if (first === 'provenance') provenance[second!] = value
    else body[first!] = value
  }
  if (Object.keys(period).length > 0) body.period = period
  if (Object.keys(provenance).length > 0) body.provenance = provenance
  return body
}

/** The rows of a CSV text: a header line, then a figure per line. */
export function csvRows (text: string): ImportRow[] {
  let records: string[][]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][]
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ImportFormatError(`The CSV cannot be read: ${message}`, [{ in: 'body', field: '', message: 'is not valid CSV' }])
  }
  const [header, ...lines] = records
  if (header === undefined) throw new ImportFormatError('The CSV is empty: it needs a header line and a line per figure.', [])
  const unknown = header.filter((name) => !(name in bodyFields) && !derivedColumns.has(name))
  if (unknown.length > 0) {
    throw new ImportFormatError(`The CSV has columns this import does not know: ${unknown.join(', ')}.`,
      unknown.map((name) => ({ in: 'body', field: name, message: 'is not a column of the figures CSV' })))
  }
  const repeated = header.filter((name, index) => header.indexOf(name) !== index)
  if (repeated.length > 0) {
    throw new ImportFormatError(`The CSV names a column twice: ${[...new Set(repeated)].join(', ')}.`,
      repeated.map((name) => ({ in: 'body', field: name, message: 'appears more than once' })))
  }
  return lines.map((line, index) => ({
    row: index + 1,
    body: bodyOf(Object.fromEntries(header.map((name, column) => [name, line[column]!])))
  }))
}
