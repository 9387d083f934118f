import { alias, column, entityJson, isoDate, jsonArray, jsonObject, sql, type JsonField } from '../../../lib/json-sql.ts'
import { unitReferenceFields } from '../departments/unit-reference-json.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'

/** A news article without its body (schemas/news.ts NewsSummary), written by PostgreSQL from the row `row`. */
export function newsSummaryFields (row: string): JsonField[] {
  const link = `${row}_link`
  const unit = `${row}_lunit`
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['publishedOn', isoDate(column(row, 'published_on'))],
    ['summary', column(row, 'summary')],
    ['imageFile', column(row, 'image_file')],
    ['imageCaption', column(row, 'image_caption')],
    ['hospital', hospitalReferenceJson(row)],
    ['departments', jsonArray(unitReferenceFields(unit),
      sql`FROM news_article_unit ${alias(link)} JOIN unit ${alias(unit)} ON ${column(unit, 'id')} = ${column(link, 'unit_id')} WHERE ${column(link, 'article_id')} = ${column(row, 'id')}`,
      column(unit, 'slug'))],
    ['source', sourceReferenceJson(row)],
    ...entityJson(row),
    ['links', jsonObject([['self', sql`'/v1/news/' || ${column(row, 'slug')}`]])]
  ]
}
