import { alias, column, entityJson, isoDate, jsonObject, sql, type JsonField, type Sql } from '../../../lib/json-sql.ts'
import type { ObservationInclude } from '../../../schemas/metrics.ts'
import { relatedSourceJson, relatedUnitJson } from '../facts/related-json.ts'
import { latestFirst, sameFigure, statement } from './figure-groups.ts'
import { metricDefinitionJson } from './metric-definition-json.ts'

// A figure as the API shows it (schemas/metrics.ts Observation), written by PostgreSQL. The row alias `row` is a
// metric_observation and `metric` its metric_definition, joined by the caller (lists filter on the metric). The
// references named in `includes` are expanded: the Department, the MetricDefinition, the Source with the quote.

export function observationFields (row: string, metric: string, includes: readonly ObservationInclude[] = []): JsonField[] {
  const comparator = column(row, 'comparator')
  const approximate = column(row, 'approximate')
  return [
    ['id', column(row, 'id')],
    ['department', relatedUnitJson(row, includes.includes('department'))],
    ['metric', includes.includes('metric') ? metricDefinitionJson(metric) : jsonObject([
      ['code', column(metric, 'code')],
      ['name', column(metric, 'name')],
      ['unit', column(metric, 'unit')],
      ['unitLabel', column(metric, 'unit_label')],
      ['category', column(metric, 'category')]
    ])],
    // Decimal(18,4) as a JSON number without trailing zeros, as JavaScript writes it.
    ['value', sql`${column(row, 'value')}::float8`],
    ['comparator', comparator],
    ['approximate', approximate],
    ['exact', sql`(${comparator} IS NULL AND NOT ${approximate})`],
    ['statedValue', column(row, 'stated_value')],
    ['period', jsonObject([
      ['kind', column(row, 'period_kind')],
      ['duration', column(row, 'period_duration')],
      ['start', isoDate(column(row, 'period_start'))],
      ['end', isoDate(column(row, 'period_end'))],
      ['label', column(row, 'period_label')]
    ])],
    ['statedOn', isoDate(column(row, 'stated_on'))],
    ['note', column(row, 'note')],
    ['source', relatedSourceJson(row, includes.includes('source'))],
    ['conflict', conflictJson(row, metric)],
    ...entityJson(row)
  ]
}

/**
 * Null, or, when other figures of the same unit, metric and period state something else (another value or
 * comparator), whether this one is the figure that counts, how many there are, and links to the one that counts and
 * to the conflict. One index lookup (unit and metric) per figure.
 */
function conflictJson (row: string, metric: string): Sql {
  const other = `${row}_cf`
  const unit = `${row}_cfu`
  const currentId = sql`(array_agg(${column(other, 'id')} ORDER BY ${latestFirst(other)}))[1]`
  return sql`(SELECT CASE WHEN count(DISTINCT ${statement(other)}) > 1 THEN ${jsonObject([
    ['current', sql`${currentId} = ${column(row, 'id')}`],
    ['figures', sql`count(*)::int`],
    ['links', jsonObject([
      ['current', sql`'/v1/metrics/' || ${currentId}`],
      ['conflicts', sql`'/v1/conflicts?department=' || (SELECT ${column(unit, 'slug')} FROM unit ${alias(unit)} WHERE ${column(unit, 'id')} = ${column(row, 'unit_id')}) || '&metric=' || ${column(metric, 'code')}`]
    ])]
  ])} END FROM metric_observation ${alias(other)} WHERE ${sameFigure(other, row)})`
}

/** FROM clause for a unit's figures with their metric, as `row` and `metric`. */
export function observationsOfUnit (row: string, metric: string, unitId: ReturnType<typeof column>) {
  return sql`FROM metric_observation ${alias(row)} JOIN metric_definition ${alias(metric)} ON ${column(metric, 'id')} = ${column(row, 'metric_id')} WHERE ${column(row, 'unit_id')} = ${unitId}`
}
