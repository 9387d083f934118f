import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import type { Comparator } from '../../../generated/prisma/client.ts'
import { csvParameters, jsonOrCsvConfig, jsonOrCsvResponse } from '../../../lib/csv.ts'
import { observationColumns } from '../../../plugins/app/metrics/observation-csv.ts'
import { fieldNames, fieldsParameter, includeParameter, listResponse, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { metricCodePattern, observationListSpec, type ObservationFilters } from '../../../plugins/app/metrics/metric-repository.ts'
import { problemResponse, ref, slug, slugList } from '../../../schemas/common.ts'
import { filterLimits, filterValues, refuseUnknownValues } from '../../../plugins/app/statistics/scope-sql.ts'
import { MetricCategory, Observation, observationIncludes, Period, type ObservationInclude } from '../../../schemas/metrics.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'

// The filters every list of figures takes; /v1/departments/{slug}/metrics reuses them without department/hospital.
export const observationFilterParameters = {
  metric: Type.Optional(Type.String({
    pattern: `^${metricCodePattern}(?:,${metricCodePattern})*$`,
    maxLength: 1000,
    description: `Only figures of these metrics: one code or a comma-separated list of at most ${filterLimits.metric} (see /v1/metric-definitions); an unknown code is a 400`,
    examples: ['outpatient_visits.annual', 'staff.doctors,staff.nurses']
  })),
  category: Type.Optional(Type.Enum(MetricCategory.enum, { description: 'Only figures of metrics in this category', examples: ['staffing'] })),
  periodKind: Type.Optional(Type.Enum(Period.properties.kind.enum, {
    description: 'Only figures over this kind of period: annual rate, span, cumulative to date or point in time',
    examples: ['annual']
  })),
  comparator: Type.Optional(Type.Enum(['<', '<=', '>=', '>', 'none'], {
    description: 'Only figures with this FHIR comparator; `none` for figures stated without one (URL-encode `<` and `>`)',
    examples: ['>']
  })),
  approximate: Type.Optional(Type.Boolean({ description: 'Only figures the source hedges ("about", "nearly"), or only unhedged ones' })),
  exact: Type.Optional(Type.Boolean({ description: 'Only exact figures (no comparator, not approximate), or only qualified ones' })),
  statedFrom: Type.Optional(Type.String({
    format: 'date',
    description: 'Only figures stated on or after this date; figures whose source gives no date are left out',
    examples: ['2021-01-01']
  })),
  statedTo: Type.Optional(Type.String({
    format: 'date',
    description: 'Only figures stated on or before this date; figures whose source gives no date are left out',
    examples: ['2021-03-31']
  }))
}

export const observationFields = fieldNames(Observation)

/** include and fields of a list of figures, checked against the names each allows. */
export function observationSelection (include: string | undefined, fields: string | undefined) {
  return {
    includes: parseNames(include, observationIncludes, 'include') as ObservationInclude[],
    selected: parseNames(fields, observationFields, 'fields')
  }
}

export const observationIncludeParameter = includeParameter(observationIncludes)

const ObservationFilterQuery = Type.Object(observationFilterParameters)

const comparatorCodes = { '<': 'lt', '<=': 'le', '>=': 'ge', '>': 'gt', none: null } as const satisfies Record<string, Comparator | null>

/** The repository's filters from the query; a date range that ends before it starts is a 400, not an empty page. */
export function observationFilters (query: Static<typeof ObservationFilterQuery>): ObservationFilters {
  const { metric, category, periodKind, comparator, approximate, exact, statedFrom, statedTo } = query
  // YYYY-MM-DD strings (the schema enforces the format) compare as the dates they name.
  if (statedFrom !== undefined && statedTo !== undefined && statedFrom > statedTo) {
    throw new ProblemError('invalidRequest',
      `statedFrom (${statedFrom}) is after statedTo (${statedTo}); both bounds are inclusive, so statedFrom must be on or before statedTo.`, {
        errors: [
          { in: 'querystring', field: '/statedFrom', message: 'must be on or before statedTo' },
          { in: 'querystring', field: '/statedTo', message: 'must be on or after statedFrom' }
        ]
      })
  }
  const metrics = filterValues('metric', metric)
  return {
    ...(metrics === undefined ? {} : { metrics }),
    ...(category === undefined ? {} : { category }),
    ...(periodKind === undefined ? {} : { periodKind }),
    ...(comparator === undefined ? {} : { comparator: comparatorCodes[comparator] }),
    ...(approximate === undefined ? {} : { approximate }),
    ...(exact === undefined ? {} : { exact }),
    // YYYY-MM-DD parses as UTC midnight, which is how Prisma sends a DATE column's value.
    ...(statedFrom === undefined ? {} : { statedFrom: new Date(statedFrom) }),
    ...(statedTo === undefined ? {} : { statedTo: new Date(statedTo) })
  }
}

function multiValued (parameter: 'department' | 'hospital', value: string | undefined): Partial<Record<typeof parameter, string[]>> {
  const values = filterValues(parameter, value)
  return values === undefined ? {} : { [parameter]: values }
}

export const ObservationList = listResponse(Observation, 'ObservationList', 'One page of figures')

export const observationCsvNote = ' `include` expands the `department`, `metric` or `source` reference in place into ' +
  'the full resource; `fields` trims each item.' +
  ' Send `Accept: text/csv` or `?format=csv` for the page as CSV, one row per figure ' +
  '(add `bom=true` for Excel); the Link header still leads to the next page, and with `count=true` the total is in ' +
  'X-Total-Count.'

/** The 200 response of a list of figures: the JSON page, or its figures as CSV. */
export function observationPageResponse () {
  return jsonOrCsvResponse(ref(ObservationList), 'One page of figures', observationColumns, {
    'x-total-count': Type.Integer({ minimum: 0, description: 'With count=true, in a CSV response: the number of matching figures' })
  })
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(ObservationList)
  await fastify.register(writeRoutes(writableResources.metrics, { detail: true }))

  fastify.get('/', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['metrics'],
      operationId: 'listMetrics',
      summary: 'List figures',
      description: 'Every figure the sources state (beds, staff, annual activity, outcomes, ...), each with its ' +
        'qualifier (comparator, approximate, exact), period, date and source quote. Filter by unit, hospital, region, metric, ' +
        'category, period kind, qualifier or date stated; sort by date stated (default; undated figures last), value, ' +
        'createdAt or updatedAt. Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.' +
        observationCsvNote,
      querystring: Type.Object({
        department: Type.Optional(slugList({
          description: `Only figures of these units (slugs or aliases): one or a comma-separated list of at most ${filterLimits.department}; an unknown slug is a 400`,
          examples: ['general-gynecology']
        })),
        hospital: Type.Optional(slugList({
          description: `Only figures of these hospitals' units: one slug or a comma-separated list of at most ${filterLimits.hospital}; an unknown slug is a 400`,
          examples: ['cqhcwc']
        })),
        region: Type.Optional(slug({ description: 'Only figures of the hospitals in this region or any region below it (see /v1/regions)', examples: ['chongqing'] })),
        ...observationFilterParameters,
        ...pagingParameters(observationListSpec),
        include: observationIncludeParameter,
        fields: fieldsParameter(observationFields),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: observationPageResponse(),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, a hospital, unit or metric named does not exist, the date range is reversed, or a parameter is unknown'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { department, hospital, region, limit, cursor, sort, count, include, fields, format, bom, ...query } = request.query
    const { includes, selected } = observationSelection(include, fields)
    const filters = { ...observationFilters(query), ...multiValued('department', department), ...multiValued('hospital', hospital), region }
    await refuseUnknownValues(fastify.prisma, { hospital: filters.hospital, department: filters.department, metric: filters.metrics })
    const page = await fastify.metricRepository.listObservations(filters, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page, { format, bom, filename: 'metrics', columns: observationColumns, fields })
    return reply
  })
}

export default plugin
