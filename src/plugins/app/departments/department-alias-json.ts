import { alias, column, entityJson, jsonObject, memoisedSql, sql, type Sql } from '../../../lib/json-sql.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'
import { unitReferenceJson } from './unit-reference-json.ts'

/** A unit alias (schemas/departments.ts DepartmentAlias), written by PostgreSQL from the unit_alias row `row`. */
function buildDepartmentAliasJson (row: string): Sql {
  const unit = `${row}_owner`
  const slug = column(row, 'slug')
  return jsonObject([
    ['id', column(row, 'id')],
    ['slug', slug],
    ['name', column(row, 'name')],
    ['department', unitReferenceJson(row)],
    ['hospital', sql`(SELECT ${hospitalReferenceJson(unit)} FROM unit ${alias(unit)} WHERE ${column(unit, 'id')} = ${column(row, 'unit_id')})`],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row),
    ['links', jsonObject([
      ['self', sql`'/v1/department-aliases/' || ${slug}`],
      ['department', sql`'/v1/departments/' || ${slug}`]
    ])]
  ])
}

export const departmentAliasJson = memoisedSql(buildDepartmentAliasJson)
