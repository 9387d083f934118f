import { column, entityJson, isoDate, jsonObject, selectFields, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { HonorInclude } from '../../../schemas/facts.ts'
import { relatedHospitalJson, relatedSourceJson, relatedUnitJson } from '../facts/related-json.ts'

/**
 * An honor as the API shows it (schemas/facts.ts Honor), written by PostgreSQL from the honor row `row`, with the
 * references named in `includes` expanded.
 */
export function honorFields (row: string, includes: readonly HonorInclude[] = []): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['kind', column(row, 'kind')],
    ['issuer', column(row, 'issuer')],
    ['level', column(row, 'level')],
    ['year', column(row, 'year')],
    ['statedOn', isoDate(column(row, 'stated_on'))],
    ['hospital', relatedHospitalJson(row, includes.includes('hospital'))],
    ['department', relatedUnitJson(row, includes.includes('department'))],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ...entityJson(row)
  ]
}

/** The JSON object of the honor `row`; with `fields`, only `id` and the fields named. */
function buildHonorJson (row: string, includes: readonly HonorInclude[] = [], fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(honorFields(row, includes), fields))
}

export const honorJson = memoisedSql(buildHonorJson)
