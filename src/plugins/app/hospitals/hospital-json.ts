import { alias, column, entityJson, jsonArray, jsonObject, sql, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import { regionReferenceJson } from '../regions/region-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** The hospital a row points to by `foreignKey`, as { slug, name, shortName }. */
export function hospitalReferenceJson (row: string, foreignKey = 'hospital_id'): Sql {
  const hospital = `${row}_hosp`
  return sql`(SELECT ${jsonObject([
    ['slug', column(hospital, 'slug')],
    ['name', column(hospital, 'name')],
    ['shortName', column(hospital, 'short_name')]
  ])} FROM hospital ${alias(hospital)} WHERE ${column(hospital, 'id')} = ${column(row, foreignKey)})`
}

/** The hospital's former slugs, { name, slug }, in slug order. */
function hospitalAliasesJson (row: string): Sql {
  const hospitalAlias = `${row}_alias`
  return jsonArray(jsonObject([['name', column(hospitalAlias, 'name')], ['slug', column(hospitalAlias, 'slug')]]),
    sql`FROM hospital_alias ${alias(hospitalAlias)} WHERE ${column(hospitalAlias, 'hospital_id')} = ${column(row, 'id')}`,
    column(hospitalAlias, 'slug'))
}

/** A hospital as the API shows it (schemas/hospitals.ts Hospital), written by PostgreSQL from the hospital row `row`. */
export function hospitalFields (row: string): JsonField[] {
  const slug = column(row, 'slug')
  return [
    ['id', column(row, 'id')],
    ['slug', slug],
    ['name', column(row, 'name')],
    ['shortName', column(row, 'short_name')],
    ['city', column(row, 'city')],
    ['province', column(row, 'province')],
    ['country', column(row, 'country')],
    ['region', regionReferenceJson(row)],
    ['grade', column(row, 'grade')],
    ['type', column(row, 'type')],
    ['ownership', column(row, 'ownership')],
    ['aliases', hospitalAliasesJson(row)],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row),
    ['links', jsonObject([
      ['self', sql`'/v1/hospitals/' || ${slug}`],
      ['departments', sql`'/v1/departments?hospital=' || ${slug}`],
      ['tree', sql`'/v1/hospitals/' || ${slug} || '/tree'`]
    ])]
  ]
}

/** The JSON object of the hospital row `row`. */
function buildHospitalJson (row: string): Sql {
  return jsonObject(hospitalFields(row))
}

export const hospitalJson = memoisedSql(buildHospitalJson)
