import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { metricCodePattern } from '../../../plugins/app/metrics/metric-repository.ts'
import { problemResponse, ref, slug, slugList } from '../../../schemas/common.ts'
import { MetricCategory, Period } from '../../../schemas/metrics.ts'
import { Analytics, type AnalyticsCell, Coverage, Ratios, Summary, SummaryUnits, Timeseries } from '../../../schemas/statistics.ts'
import { analyticsDimensions, dimensionNames, groupByNames, type DimensionName, type GroupByName } from '../../../plugins/app/statistics/analytics-dimensions.ts'
import { ratioCodes, ratioDefinitions } from '../../../plugins/app/statistics/ratios.ts'
import { DEFAULT_LIMIT, MAX_LIMIT, parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { csvParameters, jsonOrCsvConfig, jsonOrCsvResponse, sendCsvStream, wantsCsv, type CsvColumn } from '../../../lib/csv.ts'
import {
  analyticsColumns, coverageColumns, ratioColumns, ratioRows, summaryColumns, summaryRows, timeseriesColumns, timeseriesRows
} from '../../../plugins/app/statistics/statistics-csv.ts'
import { allUnits } from '../../../plugins/app/statistics/summary-sql.ts'
import { filterLimits, filterValues } from '../../../plugins/app/statistics/scope-sql.ts'
import type { PlaceFilters } from '../../../plugins/app/statistics/statistics-repository.ts'

export const qualifierArithmetic = 'Totals carry their inputs\' qualifiers: exact + exact is exact; a `>` input makes ' +
  'the total a lower bound (`lower` known, `upper` null); a `<` input an upper bound; an approximate input makes the ' +
  'total approximate; figures for different periods are never summed together.'

const pagingNote = ' The answer is paged: `limit` items a page (default 20, at most 100), and `page.nextCursor` ' +
  '(also the `Link: rel="next"` header) fetches the next page.'
const csvNote = ' Send `Accept: text/csv` or `?format=csv` for CSV (add `bom=true` for Excel): the CSV holds every row ' +
  'matching the filters, streamed from the database a page at a time, so `limit`, `cursor` (and `units`) are refused with it.'

/** Rows a CSV stream reads from the database at a time. */
const csvPageSize = 100
/** Analytics cells a CSV stream reads at a time: each page totals the whole slice again, so pages are large. */
const csvAnalyticsPageSize = 1000
/** Summary groups a CSV stream reads at a time: each comes with every one of its units. */
const csvSummaryPageSize = 20

const paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Page size', examples: [DEFAULT_LIMIT] })),
  cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The `page.nextCursor` of the previous page (same filters)' }))
}

const hospitalFilter = Type.Optional(slugList({
  description: `Only units of these hospitals: one slug or a comma-separated list of at most ${filterLimits.hospital}; an unknown slug is a 400`,
  examples: ['cqhcwc']
}))

function departmentFilter (example: string) {
  return Type.Optional(slugList({
    description: 'Only these units and the units below them (slug or alias): one or a comma-separated list of at most ' +
      `${filterLimits.department}; an unknown slug is a 400`,
    examples: [example]
  }))
}

/** Analytics cells a page, unless `limit` says otherwise: a chart's worth. */
const defaultCells = 100

/** `groupBy` as the cells' dimensions in sort order: the metric first and the period last unless named. */
function cellDimensions (groupBy: string | undefined): GroupByName[] {
  const named = parseNames(groupBy ?? 'metric,period', groupByNames, 'groupBy') as GroupByName[]
  return [...(named.includes('metric') ? [] : ['metric' as const]), ...named, ...(named.includes('period') ? [] : ['period' as const])]
}

/** The hospital and department filters of a query, split into their values (a 400 beyond their limits). */
function places (query: { hospital?: string, department?: string }): PlaceFilters {
  const hospital = filterValues('hospital', query.hospital)
  const department = filterValues('department', query.department)
  return { ...(hospital === undefined ? {} : { hospital }), ...(department === undefined ? {} : { department }) }
}

/** `units`: how many of each group's units a summary page shows. */
const defaultUnits = 5
const maxUnits = 100

/** The parameters that page a JSON answer, refused with CSV, which has no pages. */
function refusePagingWithCsv (request: FastifyRequest, names: string[]): void {
  const given = new URL(request.url, 'http://localhost').searchParams
  const paged = names.filter((name) => given.has(name))
  if (paged.length === 0) return
  throw new ProblemError('invalidRequest',
    `The CSV holds every row matching the filters (streamed), so it has no pages: leave out ${paged.join(' and ')}, or ask for JSON.`, {
      errors: paged.map((name) => ({ in: 'querystring', field: `/${name}`, message: 'must not be used with CSV' }))
    })
}

/** The Link header to the next page, as every list sends it. */
function linkNext (request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (nextCursor === null) return
  const next = new URL(request.url, 'http://localhost')
  next.searchParams.set('cursor', nextCursor)
  reply.header('link', `<${next.pathname}${next.search}>; rel="next"`)
}

/**
 * Sends a page PostgreSQL wrote as JSON text as it is: a string with a JSON content type is neither parsed nor
 * re-serialised by Fastify, nor checked against the response schema (the tests check it instead).
 */
function sendJsonPage (request: FastifyRequest, reply: FastifyReply, page: { data: string, nextCursor: string | null }, limit: number): FastifyReply {
  linkNext(request, reply, page.nextCursor)
  return reply.type('application/json; charset=utf-8')
    .send(`{"data":${page.data},"page":${JSON.stringify({ limit, nextCursor: page.nextCursor })}}`)
}

/** A CSV of every page, streamed; the statistics stop counting against the handler timeout once the rows flow. */
async function streamCsv<Page, Row> (request: FastifyRequest, reply: FastifyReply, filename: string, columns: ReadonlyArray<CsvColumn<Row>>,
  pages: AsyncIterable<Page>, rows: (page: Page) => Row[], bom: boolean | undefined): Promise<FastifyReply> {
  async function * batches () {
    for await (const page of pages) yield rows(page)
  }
  await sendCsvStream(reply, filename, columns, batches(), { bom: bom ?? false })
  // The first page has been read: the database answers. The rest is a download that takes as long as the client does.
  if (request.handlerTimer !== null && request.handlerTimer !== undefined) clearTimeout(request.handlerTimer)
  request.handlerTimer = null
  return reply
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  const repository = fastify.statisticsRepository

  fastify.get('/summary', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsSummary',
      summary: 'Totals per hospital, metric and period, a page of groups at a time, each with its first units',
      description: 'For each hospital, metric and period (kind and duration), the total across every unit of the group, ' +
        `how many units it covers (\`unitCount\`) and the figures of its first \`units\` units by slug (default ${defaultUnits}), ` +
        'each with its observation id and source; `links.units` lists every unit of the group, a page at a time. ' +
        `${qualifierArithmetic} Metrics that are averages or rates get no total (\`totalAbsent\` says why). A department ` +
        'filter covers the unit and the units below it. Groups are ordered by hospital, metric code and period.' +
        `${pagingNote}${csvNote} In CSV, each group is a \`total\` row followed by one \`department\` row for every unit.`,
      querystring: Type.Object({
        hospital: hospitalFilter,
        department: departmentFilter('women-health-care-division'),
        category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only metrics in this category', examples: ['activity'] })),
        metric: Type.Optional(Type.String({
          pattern: `^${metricCodePattern}(?:,${metricCodePattern})*$`,
          maxLength: 1000,
          description: `Only these metrics: one code or a comma-separated list of at most ${filterLimits.metric}; an unknown code is a 400`,
          examples: ['beds,outpatient_visits.annual']
        })),
        periodKind: Type.Optional(Type.Enum(Period.properties.kind.enum, { description: 'Only figures over this kind of period', examples: ['annual'] })),
        units: Type.Optional(Type.Integer({
          minimum: 0,
          maximum: maxUnits,
          default: defaultUnits,
          description: 'How many of each group\'s units to show (the first by slug); the total always covers them all',
          examples: [defaultUnits]
        })),
        ...paging,
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Summary), 'A page of groups, one per hospital, metric and period', summaryColumns),
        400: problemResponse('A filter is invalid, the cursor is not one this list issued, or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { metric, hospital, department, format, bom, limit = DEFAULT_LIMIT, cursor, units = defaultUnits, ...filters } = request.query
    const metrics = filterValues('metric', metric)
    const scope = { ...filters, ...places({ hospital, department }), ...(metrics === undefined ? {} : { metric: metrics }) }
    reply.header('vary', 'accept')
    if (wantsCsv(request, format)) {
      refusePagingWithCsv(request, ['limit', 'cursor', 'units'])
      return streamCsv(request, reply, 'statistics-summary', summaryColumns,
        repository.pages.summary({ ...scope, limit: csvSummaryPageSize, units: allUnits }),
        (page) => summaryRows(JSON.parse(page.data) as Parameters<typeof summaryRows>[0]), bom)
    }
    const page = await repository.summary({ ...scope, limit, units, ...(cursor === undefined ? {} : { cursor }) })
    return sendJsonPage(request, reply, page, limit)
  })

  fastify.get('/summary/units', {
    config: { produces: ['application/json'] },
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsSummaryUnits',
      summary: 'Every unit of one summary group, a page at a time',
      description: 'The figure each unit contributed to one group of the summary (its latest for the period), by unit ' +
        'slug, with its observation id and source: the list each group\'s `links.units` points to. The group is named ' +
        'by its hospital, metric and period; the period must match exactly, so a period field left out matches figures ' +
        `that do not state it.${pagingNote}`,
      querystring: Type.Object({
        hospital: slug({ description: 'The group\'s hospital', examples: ['cqhcwc'] }),
        metric: Type.String({ pattern: `^${metricCodePattern}$`, maxLength: 200, description: 'The group\'s metric code', examples: ['beds'] }),
        periodKind: Type.Enum(Period.properties.kind.enum, { description: 'The group\'s kind of period', examples: ['point'] }),
        periodDuration: Type.Optional(Type.String({
          pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$',
          maxLength: 50,
          description: 'The group\'s ISO 8601 duration; leave out when it has none',
          examples: ['P1Y']
        })),
        periodStart: Type.Optional(Type.String({ format: 'date', description: 'The group\'s period start; leave out when it has none', examples: ['2018-03-03'] })),
        periodEnd: Type.Optional(Type.String({ format: 'date', description: 'The group\'s period end; leave out when it has none', examples: ['2021-03-03'] })),
        department: departmentFilter('women-health-care-division'),
        ...paging
      }, { additionalProperties: false }),
      response: {
        200: { description: 'A page of the group\'s units', content: { 'application/json': { schema: ref(SummaryUnits) } } },
        400: problemResponse('A parameter is missing, invalid or unknown, or the cursor is not one this list issued'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header does not admit JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit = DEFAULT_LIMIT, cursor, department, ...group } = request.query
    const departments = filterValues('department', department)
    const page = await repository.summaryUnits({
      ...group, ...(departments === undefined ? {} : { department: departments }), limit, ...(cursor === undefined ? {} : { cursor })
    })
    return sendJsonPage(request, reply, page, limit)
  })

  fastify.get('/ratios', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsRatios',
      summary: 'Derived indicators per unit: beds per nurse, bed turnover, outpatients per doctor, ...',
      description: 'For each unit whose inputs exist, by unit slug, the ratios ' +
        ratioDefinitions.map((definition) => `\`${definition.code}\` (${definition.numerator} / ${definition.denominator})`).join(', ') +
        ', each with its formula, its unit and the figures it was computed from (with their source quotes). A ratio divides ' +
        'the crossed bounds of its inputs: a lower bound over an exact figure is a lower bound; an open upper bound in the ' +
        'denominator opens the lower side; a zero denominator gives `value: null` and the reason in `absent`.' +
        `${pagingNote} A page holds \`limit\` units.${csvNote} In CSV, one row per unit and ratio.`,
      querystring: Type.Object({
        hospital: hospitalFilter,
        department: departmentFilter('general-gynecology'),
        ratio: Type.Optional(Type.String({
          maxLength: 300,
          description: `Only these ratios, comma-separated, from: ${ratioCodes.join(', ')}`,
          examples: ['beds_per_nurse,bed_turnover']
        })),
        ...paging,
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Ratios), 'A page of units that have at least one ratio', ratioColumns),
        400: problemResponse('A filter is invalid, a ratio code is unknown, the cursor is not one this list issued, or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { ratio, format, bom, limit = DEFAULT_LIMIT, cursor, ...filters } = request.query
    const scope = { ...places(filters), ...(ratio === undefined ? {} : { ratio: parseNames(ratio, ratioCodes, 'ratio') }) }
    reply.header('vary', 'accept')
    if (wantsCsv(request, format)) {
      refusePagingWithCsv(request, ['limit', 'cursor'])
      return streamCsv(request, reply, 'statistics-ratios', ratioColumns, repository.pages.ratios({ ...scope, limit: csvPageSize }),
        (page) => ratioRows(page.data), bom)
    }
    const page = await repository.ratios({ ...scope, limit, ...(cursor === undefined ? {} : { cursor }) })
    linkNext(request, reply, page.nextCursor)
    return { data: page.data, page: { limit, nextCursor: page.nextCursor } }
  })

  fastify.get('/timeseries', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsTimeseries',
      summary: 'One metric over time, ready for a chart',
      description: 'Every figure of the metric, placed at its period end (else the date its source states), oldest ' +
        'first with undated figures last (then by unit slug and id), each with its period, its bounds ' +
        '(`figure.lower`/`figure.upper`, for error bars or shaded ranges), its qualifier and its source.' +
        `${pagingNote}${csvNote}`,
      querystring: Type.Object({
        metric: Type.String({ pattern: `^${metricCodePattern}$`, maxLength: 200, description: 'The metric code', examples: ['beds'] }),
        hospital: hospitalFilter,
        department: departmentFilter('general-gynecology'),
        ...paging,
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Timeseries), 'The metric and a page of its points in time', timeseriesColumns),
        400: problemResponse('metric is missing or malformed, the cursor is not one this list issued, or a parameter is unknown'),
        404: problemResponse('The metric or the department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { format, bom, limit = DEFAULT_LIMIT, cursor, metric, ...query } = request.query
    const filters = { metric, ...places(query) }
    reply.header('vary', 'accept')
    if (wantsCsv(request, format)) {
      refusePagingWithCsv(request, ['limit', 'cursor'])
      return streamCsv(request, reply, `statistics-timeseries-${filters.metric}`, timeseriesColumns,
        repository.pages.timeseries({ ...filters, limit: csvPageSize }), timeseriesRows, bom)
    }
    const { nextCursor, ...series } = await repository.timeseries({ ...filters, limit, ...(cursor === undefined ? {} : { cursor }) })
    linkNext(request, reply, nextCursor)
    return { ...series, page: { limit, nextCursor } }
  })

  fastify.get('/coverage', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsCoverage',
      summary: 'Which metrics each unit reports, and which are missing',
      description: 'For each unit, by slug, the metric codes it has at least one figure for, the ones it has none for, ' +
        'and the share reported, so a dashboard can show data completeness. `category` narrows the metrics measured ' +
        `against.${pagingNote} A page holds \`limit\` units.${csvNote}`,
      querystring: Type.Object({
        hospital: hospitalFilter,
        department: departmentFilter('women-health-care-division'),
        category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only metrics in this category', examples: ['staffing'] })),
        ...paging,
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Coverage), 'Reported and missing metrics for a page of units', coverageColumns),
        400: problemResponse('A filter is invalid, the cursor is not one this list issued, or a parameter is unknown'),
        404: problemResponse('The department does not exist'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { format, bom, limit = DEFAULT_LIMIT, cursor, category, ...query } = request.query
    const filters = { ...places(query), ...(category === undefined ? {} : { category }) }
    reply.header('vary', 'accept')
    if (wantsCsv(request, format)) {
      refusePagingWithCsv(request, ['limit', 'cursor'])
      return streamCsv(request, reply, 'statistics-coverage', coverageColumns, repository.pages.coverage({ ...filters, limit: csvPageSize }),
        (page) => page.data, bom)
    }
    const { nextCursor, ...coverage } = await repository.coverage({ ...filters, limit, ...(cursor === undefined ? {} : { cursor }) })
    linkNext(request, reply, nextCursor)
    return { ...coverage, page: { limit, nextCursor } }
  })
  fastify.get('/analytics', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['statistics'],
      operationId: 'getStatisticsAnalytics',
      summary: 'A slice of metric × year × hospital or unit, grouped as asked: totals, ranks and year-over-year change with their bounds',
      description: 'One cell per metric, year (and period kind) and member of each dimension in `groupBy` ' +
        `(${dimensionNames.join(', ')}), over the figures the filters select. A cell totals each unit's figure that counts ` +
        '(per unit, metric and year: the one whose period ends last in the year, then the latest stated, then the latest ' +
        `entered) with its bounds, qualifier, \`count\` and the ids of the figures behind it; \`links.breakdown\` lists them all. ${qualifierArithmetic} ` +
        'Grouped by hospital or unit, each cell is ranked among those of its metric and year by value, with the best and ' +
        'worst place its interval allows: a rank whose interval overlaps another\'s is `uncertain` and names the others ' +
        '(`overlaps`). `change` is the change from the same cell a year earlier (read even if that year is not asked ' +
        'for), as the interval of the difference and of the ratio. Averages and rates are totalled only over one unit. ' +
        `The answer is paged: \`limit\` cells a page (default ${defaultCells}, at most ${MAX_LIMIT}), and \`page.nextCursor\` ` +
        `(also the \`Link: rel="next"\` header) fetches the next page.${csvNote} In CSV, one row per cell.`,
      querystring: Type.Object({
        metric: Type.String({
          pattern: `^${metricCodePattern}(?:,${metricCodePattern})*$`,
          maxLength: 1000,
          description: `The metrics: one code or a comma-separated list of at most ${filterLimits.metric}; an unknown code is a 400`,
          examples: ['beds', 'beds,surgeries.annual']
        }),
        period: Type.Optional(Type.String({
          pattern: '^(?:19|20)\\d{2}(?:,(?:19|20)\\d{2})*$',
          maxLength: 200,
          description: `The years (1900 to 2099): one or a comma-separated list of at most ${filterLimits.period}; every year when left out`,
          examples: ['2024', '2021,2022,2023,2024,2025']
        })),
        groupBy: Type.Optional(Type.String({
          maxLength: 200,
          description: `The cells' dimensions, comma-separated, from: ${groupByNames.join(', ')} (default \`metric,period\`: ` +
            'totals across every hospital). Every cell has a metric and a period; naming them places them in the sort order',
          examples: ['hospital,period', 'metric,period']
        })),
        ...Object.fromEntries(dimensionNames.map((name) => [name, Type.Optional(slugList({
          description: `${analyticsDimensions[name].description}: one or a comma-separated list of at most ${filterLimits[name]}; an unknown slug is a 400`,
          examples: [analyticsDimensions[name].example]
        }))])) as Record<DimensionName, ReturnType<typeof Type.Optional<ReturnType<typeof slugList>>>>,
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: defaultCells, description: 'Cells a page', examples: [defaultCells] })),
        cursor: paging.cursor,
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: jsonOrCsvResponse(ref(Analytics), 'A page of cells', analyticsColumns),
        400: problemResponse('A filter names a hospital, unit or metric that does not exist, has too many values, groupBy names an unknown dimension, the cursor is not one this slice issued, or a parameter is unknown'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { metric, period, groupBy, format, bom, limit = defaultCells, cursor, ...query } = request.query
    const slice = {
      metrics: filterValues('metric', metric) ?? [],
      ...(period === undefined ? {} : { years: (filterValues('period', period) ?? []).map(Number) }),
      filters: Object.fromEntries(dimensionNames.flatMap((name) => {
        const values = filterValues(name, query[name])
        return values === undefined ? [] : [[name, values]]
      })),
      groupBy: cellDimensions(groupBy)
    }
    reply.header('vary', 'accept')
    if (wantsCsv(request, format)) {
      refusePagingWithCsv(request, ['limit', 'cursor'])
      return streamCsv(request, reply, 'statistics-analytics', analyticsColumns,
        repository.pages.analytics({ ...slice, limit: csvAnalyticsPageSize }), (page) => JSON.parse(page.data) as Array<Static<typeof AnalyticsCell>>, bom)
    }
    const page = await repository.analytics({ ...slice, limit, ...(cursor === undefined ? {} : { cursor }) })
    linkNext(request, reply, page.nextCursor)
    return reply.type('application/json; charset=utf-8').send(`{"metrics":${page.metrics},"groupBy":${JSON.stringify(slice.groupBy)},` +
      `"data":${page.data},"page":${JSON.stringify({ limit, nextCursor: page.nextCursor })}}`)
  })
}

export default plugin
