import { column, entityJson, isoDate, jsonObject, selectFields, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { EventInclude } from '../../../schemas/facts.ts'
import { relatedHospitalJson, relatedSourceJson, relatedUnitJson } from '../facts/related-json.ts'

/**
 * An event as the API shows it (schemas/facts.ts Event), written by PostgreSQL from the event row `row`, with the
 * references named in `includes` expanded.
 */
export function eventFields (row: string, includes: readonly EventInclude[] = []): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['description', column(row, 'description')],
    ['kind', column(row, 'kind')],
    ['year', column(row, 'year')],
    ['occurredOn', isoDate(column(row, 'occurred_on'))],
    ['datePrecision', column(row, 'date_precision')],
    ['hospital', relatedHospitalJson(row, includes.includes('hospital'))],
    ['department', relatedUnitJson(row, includes.includes('department'))],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ...entityJson(row)
  ]
}

/** The JSON object of the event `row`; with `fields`, only `id` and the fields named. */
function buildEventJson (row: string, includes: readonly EventInclude[] = [], fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(eventFields(row, includes), fields))
}

export const eventJson = memoisedSql(buildEventJson)
