import { column, entityJson, jsonObject, memoisedSql, type JsonField, type Sql } from '../../../lib/json-sql.ts'

/** A metric definition as the API shows it (schemas/metrics.ts MetricDefinition), from the metric_definition row `row`. */
export function metricDefinitionFields (row: string): JsonField[] {
  return [
    ['id', column(row, 'id')],
    ['code', column(row, 'code')],
    ['name', column(row, 'name')],
    ['description', column(row, 'description')],
    ['unit', column(row, 'unit')],
    ['unitLabel', column(row, 'unit_label')],
    ['category', column(row, 'category')],
    ['additive', column(row, 'additive')],
    ...entityJson(row)
  ]
}

/** The JSON object of the metric_definition row `row`. */
function buildMetricDefinitionJson (row: string): Sql {
  return jsonObject(metricDefinitionFields(row))
}

export const metricDefinitionJson = memoisedSql(buildMetricDefinitionJson)
