import { column, entityJson, isoDate, type JsonField } from '../../../lib/json-sql.ts'
import { unitReferenceJson } from '../departments/unit-reference-json.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** An honor as the API shows it (schemas/facts.ts Honor), written by PostgreSQL from the honor row `row`. */
export function honorFields (row: string): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['kind', column(row, 'kind')],
    ['issuer', column(row, 'issuer')],
    ['level', column(row, 'level')],
    ['year', column(row, 'year')],
    ['statedOn', isoDate(column(row, 'stated_on'))],
    ['hospital', hospitalReferenceJson(row)],
    ['department', unitReferenceJson(row)],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row)
  ]
}
