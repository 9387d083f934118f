import { alias, column, entityJson, jsonArray, jsonObject, memoisedSql, selectFields, sql, type JsonField, type Sql } from '../../../lib/json-sql.ts'

// A region as the API shows it (schemas/regions.ts), written by PostgreSQL in the statement that reads it.

/** { slug, name, level } of the region row `row`. */
export function regionReferenceFields (row: string): JsonField[] {
  return [['slug', column(row, 'slug')], ['name', column(row, 'name')], ['level', column(row, 'level')]]
}

/** The region a row points to by `foreignKey` as { slug, name, level }, or null. */
export function regionReferenceJson (row: string, foreignKey = 'region_id'): Sql {
  const region = `${row}_reg`
  return sql`(SELECT ${jsonObject(regionReferenceFields(region))} FROM region ${alias(region)}
    WHERE ${column(region, 'id')} = ${column(row, foreignKey)})`
}

/** The regions above the region row `row`, from the top down (its path lists their ids in that order). */
function ancestorsJson (row: string): Sql {
  const ancestor = `${row}_anc`
  const path = column(row, 'path')
  return jsonArray(jsonObject(regionReferenceFields(ancestor)),
    sql`FROM region ${alias(ancestor)} WHERE ${column(ancestor, 'id')} = ANY(string_to_array(trim(both '/' from ${path}), '/')::uuid[])
      AND ${column(ancestor, 'id')} <> ${column(row, 'id')}`,
    sql`length(${column(ancestor, 'path')})`)
}

export function regionFields (row: string): JsonField[] {
  const slug = column(row, 'slug')
  const child = `${row}_child`
  const below = `${row}_below`
  const hospital = `${row}_hosp`
  const path = column(row, 'path')
  return [
    ['id', column(row, 'id')],
    ['slug', slug],
    ['name', column(row, 'name')],
    ['level', column(row, 'level')],
    ['code', column(row, 'code')],
    ['parent', regionReferenceJson(row, 'parent_id')],
    ['ancestors', ancestorsJson(row)],
    ['children', jsonArray(jsonObject(regionReferenceFields(child)),
      sql`FROM region ${alias(child)} WHERE ${column(child, 'parent_id')} = ${column(row, 'id')}`, column(child, 'slug'))],
    // The same subtree range as region-sql.ts, from this row's own path.
    ['hospitalCount', sql`(SELECT count(*)::int FROM hospital ${alias(hospital)} WHERE ${column(hospital, 'region_id')} IN (
      SELECT ${column(below, 'id')} FROM region ${alias(below)}
      WHERE ${column(below, 'path')} ~>=~ ${path} AND ${column(below, 'path')} ~<~ (left(${path}, -1) || '0')))`],
    ...entityJson(row),
    ['links', jsonObject([
      ['self', sql`'/v1/regions/' || ${slug}`],
      ['children', sql`'/v1/regions?parent=' || ${slug}`],
      ['hospitals', sql`'/v1/hospitals?region=' || ${slug}`]
    ])]
  ]
}

function buildRegionJson (row: string, fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(regionFields(row), fields))
}

export const regionJson = memoisedSql(buildRegionJson)
