import { alias, column, entityJson, isoTimestamp, jsonObject, sql, type JsonField, type Sql } from '../../../lib/json-sql.ts'

// A candidate as the API shows it (schemas/intake.ts Candidate), written by PostgreSQL from the extraction_candidate
// row `row`.

/** Where the fact of each kind of candidate is read. */
export const factResources = { figure: 'metrics', honor: 'honors', event: 'events' } as const

export function candidateFields (row: string): JsonField[] {
  const source = `${row}_src`
  const reviewer = `${row}_rev`
  const id = column(row, 'id')
  const sourceId = column(row, 'source_id')
  const self = sql`'/v1/sources/' || ${sourceId} || '/candidates/' || ${id}`
  const factResource = sql`CASE ${column(row, 'kind')} WHEN 'figure' THEN ${factResources.figure} WHEN 'honor' THEN ${factResources.honor} ELSE ${factResources.event} END`
  return [
    ['id', id],
    ['source', sql`(SELECT ${jsonObject([['id', column(source, 'id')], ['title', column(source, 'title')]])}
      FROM source_document ${alias(source)} WHERE ${column(source, 'id')} = ${sourceId})`],
    ['kind', column(row, 'kind')],
    ['status', column(row, 'status')],
    ['rule', column(row, 'rule')],
    ['confidence', column(row, 'confidence')],
    ['rulesVersion', column(row, 'rules_version')],
    ['quote', column(row, 'quote')],
    ['start', column(row, 'quote_start')],
    ['end', column(row, 'quote_end')],
    ['proposal', column(row, 'proposal')],
    ['corrections', column(row, 'corrections')],
    ['fact', sql`CASE WHEN ${column(row, 'fact_id')} IS NULL THEN NULL ELSE ${jsonObject([
      ['id', column(row, 'fact_id')],
      ['links', jsonObject([['self', sql`'/v1/' || ${factResource} || '/' || ${column(row, 'fact_id')}`]])]
    ])} END`],
    ['review', sql`CASE WHEN ${column(row, 'reviewed_by')} IS NULL THEN NULL ELSE ${jsonObject([
      ['by', sql`(SELECT ${jsonObject([['prefix', column(reviewer, 'prefix')], ['name', column(reviewer, 'name')]])}
        FROM api_key ${alias(reviewer)} WHERE ${column(reviewer, 'id')} = ${column(row, 'reviewed_by')})`],
      ['at', isoTimestamp(column(row, 'reviewed_at'))],
      ['reason', column(row, 'reason')]
    ])} END`],
    ['createdAt', isoTimestamp(column(row, 'created_at'))],
    ...entityJson(row),
    ['links', jsonObject([
      ['self', self],
      ['source', sql`'/v1/sources/' || ${sourceId}`],
      ['accept', sql`${self} || '/accept'`],
      ['reject', sql`${self} || '/reject'`]
    ])]
  ]
}

export function candidateJson (row: string): Sql {
  return jsonObject(candidateFields(row))
}
