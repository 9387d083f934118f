import { alias, column, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'

/** The hospital a row points to by `foreignKey`, as { slug, name, shortName }. */
export function hospitalReferenceJson (row: string, foreignKey = 'hospital_id'): Sql {
  const hospital = `${row}_hosp`
  return sql`(SELECT ${jsonObject([
    ['slug', column(hospital, 'slug')],
    ['name', column(hospital, 'name')],
    ['shortName', column(hospital, 'short_name')]
  ])} FROM hospital ${alias(hospital)} WHERE ${column(hospital, 'id')} = ${column(row, foreignKey)})`
}
