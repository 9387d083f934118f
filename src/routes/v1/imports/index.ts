import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { csvRows, ImportFormatError, type ImportRow } from '../../../plugins/app/imports/figure-rows.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { FigureImportBody, ImportQuery, ImportReport, maxFigures } from '../../../schemas/imports.ts'

const csvExample = 'department,metric,statedValue,value,comparator,approximate,periodKind,periodDuration,periodStart,periodEnd,' +
  'periodLabel,statedOn,note,sourceId,sourceQuote,provenanceNote\n' +
  'general-gynecology,beds,92,92,,false,point,,,,,2026-01-01,,,,"Bed count from the 2026 annual report, page 3"\n'

/**
 * The 422 of a commit with refused rows: each issue of each refused row, the field a pointer into the body (JSON:
 * /figures/<index>/<field>) or, for CSV, /<row>/<column> with rows counted from 1 after the header.
 */
function refusedCommit (format: 'csv' | 'json', report: Static<typeof ImportReport>): ProblemError {
  const refused = report.results.filter((result) => result.status === 'invalid')
  const errors = refused.flatMap((result) => (result.errors ?? []).map((issue) => ({
    in: 'body',
    field: format === 'csv' ? `/${result.row}/${issue.field}` : `/figures/${result.row - 1}${issue.field}`,
    message: issue.message
  })))
  const rowsNamed = refused.slice(0, 20).map((result) => result.row).join(', ') + (refused.length > 20 ? ', …' : '')
  return new ProblemError('unprocessableContent',
    `${refused.length} of ${report.rows} rows were refused (${format === 'csv' ? 'CSV rows' : 'figures'} ${rowsNamed}), so nothing was written; ` +
    'each row\'s reasons are in `errors`. A dry run (without commit=true) reports every row.', { errors })
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  // The CSV is read whole (it is bounded by the route's body limit) and parsed by csv-parse in figure-rows.ts.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })

  fastify.post('/', {
    // Fastify reads text/plain as well; an import is CSV or JSON, and anything else is refused before it is parsed.
    preParsing: async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (type !== 'text/csv' && type !== 'application/json') {
        throw new ProblemError('unsupportedMediaType', `An import is text/csv or application/json, not ${type === '' ? 'a body without Content-Type' : type}.`)
      }
    },
    bodyLimit: fastify.config.IMPORT_BODY_LIMIT_BYTES,
    // Not answered 503 at HANDLER_TIMEOUT_MS while the import may still commit: its transaction has its own limit
    // (writer.createMany), after which it rolls back and the answer says so.
    config: { handlerTimeoutMs: 0 },
    schema: {
      tags: ['imports'],
      operationId: 'importFigures',
      summary: 'Import figures (CSV or JSON), dry run first',
      description: 'Brings in many figures at once (write scope). The body is either CSV (`text/csv`) with the columns ' +
        'the figures\' CSV export writes (`GET /v1/metrics?format=csv`: an export can be edited and sent back; the ' +
        'columns it derives, such as names, bounds and the source\'s title, are ignored) plus, for a row without a ' +
        'document, `provenanceNote`; or JSON (`application/json`), `{"figures": [...]}` with the bodies of ' +
        '`POST /v1/metrics`. Every row needs provenance: `sourceId` and `sourceQuote` (the quote must occur in the ' +
        'source), or `provenanceNote`.\n\n' +
        'By default this is a **dry run**: every row is checked (schema, the unit, metric and source it names, the ' +
        'quote, a figure the same source already states for that unit and metric) and the answer reports each row; ' +
        'nothing is written. With `commit=true` the rows are written in one transaction, each audited as a single ' +
        'create would be, and the answer is 201; if any row is refused, nothing is written and the answer is 422: ' +
        'a problem naming each refused row\'s fields. A JSON body that does not match the figure schema is refused before any row is checked ' +
        '(400, naming each field as `/figures/<index>/…`).',
      querystring: ImportQuery,
      body: {
        content: {
          'application/json': { schema: FigureImportBody },
          'text/csv': {
            schema: Type.String({
              description: 'A header line, then a figure per line (RFC 4180; a UTF-8 BOM is accepted)',
              examples: [csvExample]
            })
          }
        }
      } as never,
      response: {
        200: { description: 'The dry run\'s report: nothing was written', content: { 'application/json': { schema: ref(ImportReport) } } },
        201: { description: 'Every row was written', content: { 'application/json': { schema: ref(ImportReport) } } },
        400: problemResponse('The body is not readable CSV, names an unknown column, or (JSON) does not match the figure schema'),
        413: problemResponse('The body is larger than IMPORT_BODY_LIMIT_BYTES'),
        415: problemResponse('The body is neither text/csv nor application/json'),
        422: problemResponse('commit=true and some rows were refused, so nothing was written: `errors` names each refused row\'s ' +
          'fields, as /figures/<index>/<field> for JSON and /<row>/<column> for CSV (rows counted from 1 after the header)'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const format = typeof request.body === 'string' ? 'csv' : 'json'
    let rows: ImportRow[]
    if (typeof request.body === 'string') {
      try {
        rows = csvRows(request.body)
      } catch (error) {
        if (error instanceof ImportFormatError) throw new ProblemError('invalidRequest', error.message, { errors: error.errors })
        throw error
      }
      if (rows.length === 0) throw new ProblemError('invalidRequest', 'The CSV has a header but no figure.')
      if (rows.length > maxFigures) throw new ProblemError('invalidRequest', `The CSV has ${rows.length} figures; an import takes at most ${maxFigures}.`)
    } else {
      const body = request.body as { figures: Array<Record<string, unknown>> }
      rows = body.figures.map((figure, index) => ({ row: index + 1, body: figure }))
    }
    const report = await fastify.figureImport.run(request, format, rows, request.query.commit)
    if (request.query.commit && !report.committed) throw refusedCommit(format, report)
    reply.code(report.committed ? 201 : 200)
    return report
  })
}

export default plugin
