import { alias, column, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'

/** The { slug, name, kind } of the unit `unit` (an alias in scope). */
export function unitReferenceFields (unit: string): Sql {
  return jsonObject([['slug', column(unit, 'slug')], ['name', column(unit, 'name')], ['kind', column(unit, 'kind')]])
}

/** The unit a row points to by `foreignKey`, as { slug, name, kind }, or null when the key is null. */
export function unitReferenceJson (row: string, foreignKey = 'unit_id'): Sql {
  const unit = `${row}_unit`
  return sql`(SELECT ${unitReferenceFields(unit)} FROM unit ${alias(unit)} WHERE ${column(unit, 'id')} = ${column(row, foreignKey)})`
}
