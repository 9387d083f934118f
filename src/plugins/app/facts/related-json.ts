import { alias, column, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'
import { departmentJson } from '../departments/department-json.ts'
import { unitReferenceJson } from '../departments/unit-reference-json.ts'
import { hospitalJson, hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { sourceFields, sourceReferenceJson } from '../sources/source-json.ts'

// What a fact refers to — its unit, hospital and source — as a short reference, or, asked for with `include`,
// expanded in place into the full resource as a GET of that resource shows it (as Stripe's `expand` does). Either
// way it is a correlated subquery of the statement that reads the fact: one index lookup per row, never a query.

/**
 * The unit the row points to by `foreignKey`: { slug, name, kind }, or expanded the Department without embeds; null
 * when the key is null.
 */
export function relatedUnitJson (row: string, expand: boolean, foreignKey = 'unit_id'): Sql {
  if (!expand) return unitReferenceJson(row, foreignKey)
  const unit = `${row}_unit`
  return sql`(SELECT ${departmentJson(unit, [])} FROM unit ${alias(unit)} WHERE ${column(unit, 'id')} = ${column(row, foreignKey)})`
}

/** The hospital the row points to by `foreignKey`: { slug, name, shortName }, or expanded the Hospital. */
export function relatedHospitalJson (row: string, expand: boolean, foreignKey = 'hospital_id'): Sql {
  if (!expand) return hospitalReferenceJson(row, foreignKey)
  const hospital = `${row}_hosp`
  return sql`(SELECT ${hospitalJson(hospital)} FROM hospital ${alias(hospital)} WHERE ${column(hospital, 'id')} = ${column(row, foreignKey)})`
}

/**
 * The source the row cites: { id, title, statedOn, quote }, or expanded the Source with the row's quote (so the
 * expanded object is a superset of the reference: a client reading `source.quote` reads it either way).
 */
export function relatedSourceJson (row: string, expand: boolean): Sql {
  if (!expand) return sourceReferenceJson(row)
  const source = `${row}_src`
  return sql`(SELECT ${jsonObject([...sourceFields(source), ['quote', column(row, 'quote')]])} FROM source_document ${alias(source)} WHERE ${column(source, 'id')} = ${column(row, 'source_id')})`
}
