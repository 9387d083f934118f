import { alias, column, entityJson, isoDate, isoTimestamp, jsonObject, memoisedSql, sql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'

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

/** How the source's last extraction went and what its candidates stand at; null when it was never extracted. */
function extractionJson (row: string): Sql {
  const candidate = `${row}_cand`
  const counts = sql`(SELECT ${jsonObject((['proposed', 'accepted', 'rejected'] as const).map((status) =>
    [status, sql`count(*) FILTER (WHERE ${column(candidate, 'status')} = ${status}::"CandidateStatus")::int`]))}
    FROM extraction_candidate ${alias(candidate)} WHERE ${column(candidate, 'source_id')} = ${column(row, 'id')})`
  return sql`CASE WHEN ${column(row, 'extraction_status')} IS NULL THEN NULL ELSE ${jsonObject([
    ['status', column(row, 'extraction_status')],
    ['message', column(row, 'extraction_message')],
    ['language', column(row, 'extraction_language')],
    ['rulesVersion', column(row, 'extraction_rules_version')],
    ['extractedAt', isoTimestamp(column(row, 'extracted_at'))],
    ['candidates', counts]
  ])} END`
}

/** A source document (without its text) from the source_document row `row`. */
export function sourceFields (row: string): JsonField[] {
  const key = `${row}_key`
  const self = sql`'/v1/sources/' || ${column(row, 'id')}`
  return [
    ['id', column(row, 'id')],
    ['fileName', column(row, 'file_name')],
    ['title', column(row, 'title')],
    ['kind', column(row, 'kind')],
    ['hospital', hospitalReferenceJson(row)],
    ['statedOn', isoDate(column(row, 'stated_on'))],
    ['breadcrumb', column(row, 'breadcrumb')],
    ['url', column(row, 'url')],
    ['language', column(row, 'language')],
    ['contentType', column(row, 'content_type')],
    ['sha256', column(row, 'sha256')],
    ['synthetic', column(row, 'synthetic')],
    ['enteredBy', sql`(SELECT ${jsonObject([['prefix', column(key, 'prefix')], ['name', column(key, 'name')]])} FROM api_key ${alias(key)} WHERE ${column(key, 'id')} = ${column(row, 'entered_by')})`],
    ['extraction', extractionJson(row)],
    ...entityJson(row),
    ['links', jsonObject([['self', self], ['candidates', sql`${self} || '/candidates'`]])]
  ]
}

/** The JSON object of the source_document row `row`. */
function buildSourceJson (row: string): Sql {
  return jsonObject(sourceFields(row))
}

export const sourceJson = memoisedSql(buildSourceJson)
