import { alias, column, entityJson, isoDate, jsonObject, sql, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'

// How a fact cites its source, written by PostgreSQL: { id, title, statedOn, quote }; and a source document as the
// API shows it (schemas/sources.ts Source).

/** The source reference of the row `row` (its source_id and quote columns). */
export function sourceReferenceJson (row: string): Sql {
  const source = `${row}_src`
  return sql`(SELECT ${jsonObject([
    ['id', column(source, 'id')],
    ['title', column(source, 'title')],
    ['statedOn', isoDate(column(source, 'stated_on'))],
    ['quote', column(row, 'quote')]
  ])} FROM source_document ${alias(source)} WHERE ${column(source, 'id')} = ${column(row, 'source_id')})`
}

/** A source document (without its text) from the source_document row `row`. */
export function sourceFields (row: string): JsonField[] {
  const key = `${row}_key`
  return [
    ['id', column(row, 'id')],
    ['fileName', column(row, 'file_name')],
    ['title', column(row, 'title')],
    ['kind', column(row, 'kind')],
    ['statedOn', isoDate(column(row, 'stated_on'))],
    ['breadcrumb', column(row, 'breadcrumb')],
    ['sha256', column(row, 'sha256')],
    ['synthetic', column(row, 'synthetic')],
    ['enteredBy', sql`(SELECT ${jsonObject([['prefix', column(key, 'prefix')], ['name', column(key, 'name')]])} FROM api_key ${alias(key)} WHERE ${column(key, 'id')} = ${column(row, 'entered_by')})`],
    ...entityJson(row),
    ['links', jsonObject([['self', sql`'/v1/sources/' || ${column(row, 'id')}`]])]
  ]
}

/** The JSON object of the source_document row `row`. */
function buildSourceJson (row: string): Sql {
  return jsonObject(sourceFields(row))
}

export const sourceJson = memoisedSql(buildSourceJson)
