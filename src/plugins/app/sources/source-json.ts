import { alias, column, isoDate, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'

// How a fact cites its source, written by PostgreSQL: { id, title, statedOn, quote }.

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
