import { alias, column, entityJson, jsonArray, jsonObject, selectFields, sql, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { DepartmentInclude } from '../../../schemas/departments.ts'
import { conditionLinkFields } from '../conditions/condition-json.ts'
import { eventFields } from '../events/event-json.ts'
import { honorFields } from '../honors/honor-json.ts'
import { hospitalReferenceJson } from '../hospitals/hospital-json.ts'
import { observationFields } from '../metrics/observation-json.ts'
import { newsSummaryFields } from '../news/news-json.ts'
import { serviceFields } from '../services/service-json.ts'
import { sourceReferenceJson } from '../sources/source-json.ts'
import { unitReferenceFields, unitReferenceJson } from './unit-reference-json.ts'

// A unit as the API shows it (schemas/departments.ts Department), written by PostgreSQL for the unit row `u`: its own
// columns and references, and each embed asked for with `include` as a correlated json_agg, in the order the API
// promises. Every embed is one index scan per unit inside the same statement, never a query per unit.

function baseFields (u: string): JsonField[] {
  const aliasRow = `${u}_alias`
  return [
    ['id', column(u, 'id')],
    ['slug', column(u, 'slug')],
    ['name', column(u, 'name')],
    ['kind', column(u, 'kind')],
    ['hospital', hospitalReferenceJson(u)],
    ['parent', unitReferenceJson(u, 'parent_id')],
    ['aliases', jsonArray(jsonObject([['slug', column(aliasRow, 'slug')], ['name', column(aliasRow, 'name')]]),
      sql`FROM unit_alias ${alias(aliasRow)} WHERE ${column(aliasRow, 'unit_id')} = ${column(u, 'id')}`, column(aliasRow, 'slug'))],
    ['summary', column(u, 'summary')],
    ['focus', column(u, 'focus')],
    ['establishedYear', column(u, 'established_year')],
    ['source', sourceReferenceJson(u)],
    ...entityJson(u),
    ['links', jsonObject([
      ['self', sql`'/v1/departments/' || ${column(u, 'slug')}`],
      ['metrics', sql`'/v1/departments/' || ${column(u, 'slug')} || '/metrics'`]
    ])]
  ]
}

function embed (u: string, name: DepartmentInclude): Sql {
  const id = column(u, 'id')
  switch (name) {
    case 'children':
      return jsonArray(unitReferenceFields('ch'), sql`FROM unit ch WHERE ch.parent_id = ${id}`, sql`ch.slug`)
    case 'metrics':
      return jsonArray(jsonObject(observationFields('o', 'om')),
        sql`FROM metric_observation o JOIN metric_definition om ON om.id = o.metric_id WHERE o.unit_id = ${id}`, sql`om.code, o.id`)
    case 'honors':
      return jsonArray(jsonObject(honorFields('hn')), sql`FROM honor hn WHERE hn.unit_id = ${id}`, sql`hn.slug, hn.id`)
    case 'services':
      return jsonArray(jsonObject(serviceFields('sv')), sql`FROM service sv WHERE sv.unit_id = ${id}`, sql`sv.slug, sv.id`)
    case 'conditions':
      return jsonArray(jsonObject(conditionLinkFields('uc')),
        sql`FROM unit_condition uc JOIN condition uc_order ON uc_order.id = uc.condition_id WHERE uc.unit_id = ${id}`, sql`uc_order.slug, uc.id`)
    case 'events':
      return jsonArray(jsonObject(eventFields('ev')), sql`FROM event ev WHERE ev.unit_id = ${id}`, sql`ev.occurred_on ASC NULLS LAST, ev.id`)
    case 'news':
      return jsonArray(jsonObject(newsSummaryFields('na')),
        sql`FROM news_article_unit nl JOIN news_article na ON na.id = nl.article_id WHERE nl.unit_id = ${id}`, sql`na.published_on DESC, na.id`)
  }
}

/**
 * The JSON object of the unit `u` with the embeds in `includes`; with `fields`, only `id`, the fields named and the
 * embeds both included and named.
 */
function buildDepartmentJson (u: string, includes: readonly DepartmentInclude[], fields: readonly string[] = []): Sql {
  const all: JsonField[] = [...baseFields(u), ...includes.map((name): JsonField => [name, embed(u, name)])]
  return jsonObject(selectFields(all, fields))
}

export const departmentJson = memoisedSql(buildDepartmentJson)
