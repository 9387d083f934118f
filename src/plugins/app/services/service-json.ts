import { column, entityJson, jsonObject, selectFields, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { ServiceInclude } from '../../../schemas/facts.ts'
import { relatedSourceJson, relatedUnitJson } from '../facts/related-json.ts'

/**
 * A service as the API shows it (schemas/facts.ts Service), written by PostgreSQL from the service row `row`, with
 * the references named in `includes` expanded.
 */
export function serviceFields (row: string, includes: readonly ServiceInclude[] = []): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['name', column(row, 'name')],
    ['kind', column(row, 'kind')],
    ['description', column(row, 'description')],
    ['department', relatedUnitJson(row, includes.includes('department'))],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ...entityJson(row)
  ]
}

/** The JSON object of the service `row`; with `fields`, only `id` and the fields named. */
function buildServiceJson (row: string, includes: readonly ServiceInclude[] = [], fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(serviceFields(row, includes), fields))
}

export const serviceJson = memoisedSql(buildServiceJson)
