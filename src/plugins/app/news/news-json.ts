import { alias, column, entityJson, isoDate, jsonArray, jsonObject, selectFields, sql, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { NewsInclude } from '../../../schemas/news.ts'
import { departmentJson } from '../departments/department-json.ts'
import { unitReferenceFields } from '../departments/unit-reference-json.ts'
import { relatedHospitalJson, relatedSourceJson } from '../facts/related-json.ts'

/**
 * A news article without its body (schemas/news.ts NewsSummary), written by PostgreSQL from the row `row`, with the
 * references named in `includes` expanded (`departments`: each unit as the Department without embeds).
 */
export function newsSummaryFields (row: string, includes: readonly NewsInclude[] = []): JsonField[] {
  const link = `${row}_link`
  const unit = `${row}_lunit`
  const departments = includes.includes('departments') ? departmentJson(unit, []) : unitReferenceFields(unit)
  return [
    ['id', column(row, 'id')],
    ['slug', column(row, 'slug')],
    ['title', column(row, 'title')],
    ['publishedOn', isoDate(column(row, 'published_on'))],
    ['summary', column(row, 'summary')],
    ['imageFile', column(row, 'image_file')],
    ['imageCaption', column(row, 'image_caption')],
    ['hospital', relatedHospitalJson(row, includes.includes('hospital'))],
    ['departments', jsonArray(departments,
      sql`FROM news_article_unit ${alias(link)} JOIN unit ${alias(unit)} ON ${column(unit, 'id')} = ${column(link, 'unit_id')} WHERE ${column(link, 'article_id')} = ${column(row, 'id')}`,
      column(unit, 'slug'))],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ...entityJson(row),
    ['links', jsonObject([['self', sql`'/v1/news/' || ${column(row, 'slug')}`]])]
  ]
}

/** The JSON object of a list item (no body); with `fields`, only `id` and the fields named. */
function buildNewsSummaryJson (row: string, includes: readonly NewsInclude[] = [], fields: readonly string[] = []): Sql {
  return jsonObject(selectFields(newsSummaryFields(row, includes), fields))
}

/** The whole article (schemas/news.ts NewsArticle): the summary and its body. */
function buildNewsArticleJson (row: string, includes: readonly NewsInclude[] = []): Sql {
  return jsonObject([...newsSummaryFields(row, includes), ['body', column(row, 'body')]])
}

export const newsSummaryJson = memoisedSql(buildNewsSummaryJson)

export const newsArticleJson = memoisedSql(buildNewsArticleJson)
