import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { csvParameters, jsonOrCsvConfig } from '../../../lib/csv.ts'
import { observationColumns } from '../../../plugins/app/metrics/observation-csv.ts'
import { fieldsParameter, pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { refuseUnknownValues } from '../../../plugins/app/statistics/scope-sql.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { observationListSpec } from '../../../plugins/app/metrics/metric-repository.ts'
import { problemResponse } from '../../../schemas/common.ts'
import { DepartmentParams } from '../../../schemas/departments.ts'
import {
  observationCsvNote, observationFields, observationIncludeParameter, ObservationList, observationFilterParameters, observationFilters,
  observationPageResponse, observationSelection
} from '../metrics/index.ts'

// The figures of one unit: /v1/metrics?department={slug}, except that a unit that does not exist is a 404.
// Autoload loads only index.ts from a folder that has one, so departments/index.ts registers this plugin.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  // Route plugins are encapsulated, so each one registers the envelope schema it refers to.
  fastify.addSchema(ObservationList)

  fastify.get('/:slug/metrics', {
    config: jsonOrCsvConfig,
    schema: {
      tags: ['metrics'],
      operationId: 'listDepartmentMetrics',
      summary: 'List the figures of one unit',
      description: 'The figures stated for one unit, with the filters and sorts of `GET /v1/metrics`. An alias slug ' +
        '(e.g. `obstetrics-second-department`) answers 301 to the unit\'s own URL, query string kept.' + observationCsvNote,
      params: DepartmentParams,
      querystring: Type.Object({
        ...observationFilterParameters,
        ...pagingParameters(observationListSpec),
        include: observationIncludeParameter,
        fields: fieldsParameter(observationFields),
        ...csvParameters
      }, { additionalProperties: false }),
      response: {
        200: observationPageResponse(),
        400: problemResponse('The slug is malformed, a filter, limit, sort, cursor, include or field is invalid, the date range is reversed, or a parameter is unknown'),
        301: Type.Null({ description: 'The slug is an alias; `Location` holds the unit\'s URL' }),
        404: problemResponse('No unit or alias has this slug'),
        406: problemResponse('The Accept header admits neither JSON nor CSV'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { slug } = request.params
    const { limit, cursor, sort, count, include, fields, format, bom, ...query } = request.query
    // Checked before the lookup, so a bad query is a 400 whether or not the unit exists.
    const filters = observationFilters(query)
    const { includes, selected } = observationSelection(include, fields)
    await refuseUnknownValues(fastify.prisma, { metric: filters.metrics })
    const unitId = await fastify.departmentRepository.idForSlug(slug)
    if (unitId === null) throw new ProblemError('notFound', `No department, division or center has the slug "${slug}".`)
    const page = await fastify.metricRepository.listObservations({ ...filters, unitId }, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page, { format, bom, filename: `${slug}-metrics`, columns: observationColumns, fields })
    return reply
  })
}

export default plugin
