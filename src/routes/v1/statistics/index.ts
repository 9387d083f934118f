import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { metricCodePattern } from '../../../plugins/app/metrics/metric-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { MetricCategory, Period } from '../../../schemas/metrics.ts'
import { Coverage, Ratios, Summary, Timeseries } from '../../../schemas/statistics.ts'
import { ratioCodes, ratioDefinitions } from '../../../lib/ratios.ts'
import { parseNames } from '../../../lib/paging.ts'
import { csvParameters, jsonOrCsv, jsonOrCsvConfig, jsonOrCsvResponse } from '../../../lib/csv.ts'
import { coverageColumns, ratioColumns, ratioRows, summaryColumns, summaryRows, timeseriesColumns, timeseriesRows } from '../../../lib/csv-tables.ts'

export const qualifierArithmetic = 'Totals carry their inputs\' qualifiers: exact + exact is exact; a `>` input makes ' +
  'the total a lower bound (`lower` known, `upper` null); a `<` input an upper bound; an approximate input makes the ' +
  'total approximate; figures for different periods are never summed together.'

const csvNote = ' Send `Accept: text/csv` or `?format=csv` for CSV (add `bom=true` for Excel).'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/summary', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsSummary',
      summary: 'Totals per hospital, metric and period, with the breakdown per unit',
      description: `For each hospital, metric and period (kind and duration), the total across units and the figure ` +
        `each unit contributed, with the ids of the observations used. ${qualifierArithmetic} Metrics that are ` +
        'averages or rates get no total (`totalAbsent` says why). A department filter covers the unit and the units below it.' +
        `${csvNote} In CSV, each group is a \`total\` row followed by one \`department\` row per unit.`,
      querystring: Type.Object({
        hospital: Type.Optional(slug({ description: 'Only this hospital', examples: ['cqhcwc'] })),
        department: Type.Optional(slug({ description: 'Only this unit and the units below it (slug or alias)', examples: ['women-health-care-division'] })),
        category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only metrics in this category', examples: ['activity'] })),
        metric: Type.Optional(Type.String({
          pattern: `^${metricCodePattern}(?:,${metricCodePattern})*$`,
          maxLength: 1000,
          description: 'Only these metrics: one code or a comma-separated list',
          examples: ['beds,outpatient_visits.annual']
        })),
        periodKind: Type.Optional(Type.Enum(Period.properties.kind.enum, { description: 'Only figures over this kind of period', examples: ['annual'] })),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Summary), 'One group per hospital, metric and period', summaryColumns),
        400: problemResponse('A filter is invalid or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { metric, format, bom, ...filters } = request.query
    const data = await fastify.statisticsRepository.summary({
      ...filters,
      ...(metric === undefined ? {} : { metric: [...new Set(metric.split(','))] })
    })
    return jsonOrCsv(request, reply, { format, bom }, { data },
      { filename: 'statistics-summary', columns: summaryColumns, rows: (body) => summaryRows(body.data) })
  })

  fastify.get('/ratios', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsRatios',
      summary: 'Derived indicators per unit: beds per nurse, bed turnover, outpatients per doctor, ...',
      description: 'For each unit whose inputs exist, the ratios ' +
        ratioDefinitions.map((definition) => `\`${definition.code}\` (${definition.numerator} / ${definition.denominator})`).join(', ') +
        ', each with its formula, its unit and the figures it was computed from (with their source quotes). A ratio divides ' +
        'the crossed bounds of its inputs: a lower bound over an exact figure is a lower bound; an open upper bound in the ' +
        'denominator opens the lower side; a zero denominator gives `value: null` and the reason in `absent`.' +
        `${csvNote} In CSV, one row per unit and ratio.`,
      querystring: Type.Object({
        hospital: Type.Optional(slug({ description: 'Only units of this hospital', examples: ['cqhcwc'] })),
        department: Type.Optional(slug({ description: 'Only this unit and the units below it (slug or alias)', examples: ['general-gynecology'] })),
        ratio: Type.Optional(Type.String({
          maxLength: 300,
          description: `Only these ratios, comma-separated, from: ${ratioCodes.join(', ')}`,
          examples: ['beds_per_nurse,bed_turnover']
        })),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Ratios), 'One entry per unit that has at least one ratio', ratioColumns),
        400: problemResponse('A filter is invalid, a ratio code is unknown, or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { ratio, format, bom, ...filters } = request.query
    const data = await fastify.statisticsRepository.ratios({
      ...filters,
      ...(ratio === undefined ? {} : { ratio: parseNames(ratio, ratioCodes, 'ratio') })
    })
    return jsonOrCsv(request, reply, { format, bom }, { data },
      { filename: 'statistics-ratios', columns: ratioColumns, rows: (body) => ratioRows(body.data) })
  })

  fastify.get('/timeseries', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsTimeseries',
      summary: 'One metric over time, ready for a chart',
      description: 'Every figure of the metric, placed at its period end (else the date its source states), oldest ' +
        'first with undated figures last, each with its period, its bounds (`figure.lower`/`figure.upper`, for error ' +
        `bars or shaded ranges), its qualifier and its source.${csvNote}`,
      querystring: Type.Object({
        metric: Type.String({ pattern: `^${metricCodePattern}$`, maxLength: 200, description: 'The metric code', examples: ['beds'] }),
        hospital: Type.Optional(slug({ description: 'Only units of this hospital', examples: ['cqhcwc'] })),
        department: Type.Optional(slug({ description: 'Only this unit and the units below it (slug or alias)', examples: ['general-gynecology'] })),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Timeseries), 'The metric and its points in time', timeseriesColumns),
        400: problemResponse('metric is missing or malformed, or a parameter is unknown'),
        404: problemResponse('The metric or the department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { format, bom, ...filters } = request.query
    const series = await fastify.statisticsRepository.timeseries(filters)
    return jsonOrCsv(request, reply, { format, bom }, series,
      { filename: `statistics-timeseries-${filters.metric}`, columns: timeseriesColumns, rows: timeseriesRows })
  })

  fastify.get('/coverage', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsCoverage',
      summary: 'Which metrics each unit reports, and which are missing',
      description: 'For each unit, the metric codes it has at least one figure for, the ones it has none for, and the ' +
        `share reported, so a dashboard can show data completeness. \`category\` narrows the metrics measured against.${csvNote}`,
      querystring: Type.Object({
        hospital: Type.Optional(slug({ description: 'Only units of this hospital', examples: ['cqhcwc'] })),
        department: Type.Optional(slug({ description: 'Only this unit and the units below it (slug or alias)', examples: ['women-health-care-division'] })),
        category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only metrics in this category', examples: ['staffing'] })),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Coverage), 'Reported and missing metrics per unit', coverageColumns),
        400: problemResponse('A filter is invalid or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { format, bom, ...filters } = request.query
    const coverage = await fastify.statisticsRepository.coverage(filters)
    return jsonOrCsv(request, reply, { format, bom }, coverage,
      { filename: 'statistics-coverage', columns: coverageColumns, rows: (body) => body.data })
  })
}

export default plugin
