import { column, entityJson, isoDate, type JsonField } from '../../../lib/json-sql.ts'
import { unitReferenceJson } from '../departments/unit-reference-json.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** An event as the API shows it (schemas/facts.ts Event), written by PostgreSQL from the event row `row`. */
export function eventFields (row: string): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['description', column(row, 'description')],
    ['kind', column(row, 'kind')],
    ['year', column(row, 'year')],
    ['occurredOn', isoDate(column(row, 'occurred_on'))],
    ['datePrecision', column(row, 'date_precision')],
    ['hospital', hospitalReferenceJson(row)],
    ['department', unitReferenceJson(row)],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row)
  ]
}
