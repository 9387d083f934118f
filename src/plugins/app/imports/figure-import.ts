import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { ImportReport, ImportRowResult } from '../../../schemas/imports.ts'
import { writableResources } from '../writes/resources.ts'
import { csvColumnOf, type ImportRow } from './figure-rows.ts'

declare module 'fastify' {
  interface FastifyInstance {
    figureImport: ReturnType<typeof createFigureImport>
  }
}

type RowResult = Static<typeof ImportRowResult>
type RowIssue = NonNullable<RowResult['errors']>[number]

/** Ajv's errors as the row's issues: the JSON pointer of the field (or, for CSV, its column) and what is wrong. */
function issuesOf (errors: ErrorObject[], format: 'csv' | 'json'): RowIssue[] {
  return errors.map((error) => {
    const params = error.params as Record<string, unknown>
    const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : ''
    const pointer = `${error.instancePath}${missing}`
    const field = format === 'csv' ? csvColumnOf(pointer) ?? pointer : pointer
    const message = typeof params.missingProperty === 'string'
      ? 'is required'
      : Array.isArray(params.allowedValues) ? `must be one of: ${params.allowedValues.join(', ')}` : error.message ?? 'is invalid'
    return { field, message }
  })
}

/**
 * Imports figures: each row is checked against the figure's schema (CSV rows; a JSON body is checked by its route)
 * and then written through the same path as POST /v1/metrics, in one transaction (writer.createMany): references
 * resolved, the quote found in its source, audited, caches told. A dry run rolls everything back and reports.
 */
export function createFigureImport (fastify: FastifyInstance) {
  // Compiled on the first CSV import, like the routes' own schemas (lib/lazy-compilers.ts), not at start-up.
  let compiled: ValidateFunction | undefined
  const validator = (): ValidateFunction => {
    if (compiled !== undefined) return compiled
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true })
    addFormats.default(ajv)
    for (const schema of Object.values(fastify.getSchemas())) ajv.addSchema(schema as object)
    return (compiled = ajv.compile({ $ref: 'ObservationCreate#' }))
  }
  const resource = writableResources.metrics

  return {
    async run (request: FastifyRequest, format: 'csv' | 'json', rows: ImportRow[], commit: boolean): Promise<Static<typeof ImportReport>> {
      const results: RowResult[] = rows.map(({ row }) => ({ row, status: 'valid' }))
      const checked: ImportRow[] = []
      const validate = format === 'csv' ? validator() : undefined
      rows.forEach((row, index) => {
        if (validate === undefined || validate(row.body)) checked.push(row)
        else results[index] = { row: row.row, status: 'invalid', errors: issuesOf(validate.errors ?? [], format) }
      })
      const schemaValid = checked.length === rows.length
      const written = await fastify.writer.createMany(request, resource, checked.map((row) => row.body), { commit: commit && schemaValid })
      written.rows.forEach((outcome, index) => {
        const position = rows.indexOf(checked[index]!)
        if (outcome.problem !== undefined) {
          const issues = outcome.problem.errors ?? [{ in: 'body', field: '', message: outcome.problem.message }]
          results[position] = {
            row: checked[index]!.row,
            status: 'invalid',
            errors: issues.map((issue) => ({ field: format === 'csv' ? csvColumnOf(issue.field) ?? issue.field : issue.field, message: issue.message }))
          }
        } else if (written.committed) {
          results[position] = { row: checked[index]!.row, status: 'created', figure: { id: outcome.representation.id, link: outcome.location } }
        }
      })
      const invalid = results.filter((result) => result.status === 'invalid').length
      return { format, committed: written.committed, rows: rows.length, valid: rows.length - invalid, invalid, results }
    }
  }
}

export default fp(async (fastify) => {
  fastify.decorate('figureImport', createFigureImport(fastify))
}, { name: 'figure-import', dependencies: ['schemas', 'writer'] })
