import { alias, column, entityJson, jsonArray, jsonObject, selectFields, sql, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { ConditionLinkInclude } from '../../../schemas/facts.ts'
import { relatedSourceJson, relatedUnitJson } from '../facts/related-json.ts'

/**
 * A unit–condition link (schemas/facts.ts ConditionLink), written by PostgreSQL from the unit_condition row `row`,
 * with the references named in `includes` expanded (`condition`: the Condition with all its links).
 */
export function conditionLinkFields (row: string, includes: readonly ConditionLinkInclude[] = []): JsonField[] {
  const condition = `${row}_cond`
  const conditionItem = includes.includes('condition')
    ? conditionJson(condition)
    : jsonObject([['slug', column(condition, 'slug')], ['name', column(condition, 'name')]])
  return [
    ['id', column(row, 'id')],
    ['condition', sql`(SELECT ${conditionItem} FROM condition ${alias(condition)} WHERE ${column(condition, 'id')} = ${column(row, 'condition_id')})`],
    ['department', relatedUnitJson(row, includes.includes('department'))],
    ['relation', column(row, 'relation')],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ...entityJson(row)
  ]
}

/** The JSON object of the link `row`; with `fields`, only `id` and the fields named. */
function buildConditionLinkJson (row: string, includes: readonly ConditionLinkInclude[] = [], fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(conditionLinkFields(row, includes), fields))
}

/** A condition (schemas/facts.ts Condition) from the condition row `row`, with its links in the order of their units. */
export function conditionFields (row: string): JsonField[] {
  const link = `${row}_link`
  const unit = `${link}_order`
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['name', column(row, 'name')],
    ['departments', jsonArray(jsonObject(conditionLinkFields(link)),
      sql`FROM unit_condition ${alias(link)} JOIN unit ${alias(unit)} ON ${column(unit, 'id')} = ${column(link, 'unit_id')} WHERE ${column(link, 'condition_id')} = ${column(row, 'id')}`,
      sql`${column(unit, 'slug')}, ${column(link, 'id')}`)],
    ...entityJson(row)
  ]
}

/** The JSON object of the condition `row`; with `fields`, only `id` and the fields named. */
function buildConditionJson (row: string, fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(conditionFields(row), fields))
}

/** When a condition last changed: its representation embeds its links, so it or any of them. */
export function conditionLastModified (row: string): Sql {
  const link = `${row}_changed`
  return sql`GREATEST(${column(row, 'updated_at')}, (SELECT max(${column(link, 'updated_at')}) FROM unit_condition ${alias(link)} WHERE ${column(link, 'condition_id')} = ${column(row, 'id')}))`
}

export const conditionJson = memoisedSql(buildConditionJson)

export const conditionLinkJson = memoisedSql(buildConditionLinkJson)
