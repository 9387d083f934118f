import { alias, column, entityJson, jsonObject, sql, type JsonField } from '../../../lib/json-sql.ts'
import { unitReferenceJson } from '../departments/unit-reference-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** A unit–condition link (schemas/facts.ts ConditionLink), written by PostgreSQL from the unit_condition row `row`. */
export function conditionLinkFields (row: string): JsonField[] {
  const condition = `${row}_cond`
  return [
    ['id', column(row, 'id')],
    ['condition', sql`(SELECT ${jsonObject([['slug', column(condition, 'slug')], ['name', column(condition, 'name')]])} FROM condition ${alias(condition)} WHERE ${column(condition, 'id')} = ${column(row, 'condition_id')})`],
    ['department', unitReferenceJson(row)],
    ['relation', column(row, 'relation')],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row)
  ]
}
