import { column, entityJson, type JsonField } from '../../../lib/json-sql.ts'
import { unitReferenceJson } from '../departments/unit-reference-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** A service as the API shows it (schemas/facts.ts Service), written by PostgreSQL from the service row `row`. */
export function serviceFields (row: string): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['name', column(row, 'name')],
    ['kind', column(row, 'kind')],
    ['description', column(row, 'description')],
    ['department', unitReferenceJson(row)],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row)
  ]
}
