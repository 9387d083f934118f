import { Type } from 'typebox'
import { ref } from './common.ts'
import { observationBodies } from './writes.ts'

/**
 * The most figures one import takes: each row is written as a single create is (about 3 ms a row on PostgreSQL on a
 * quiet 2-core machine, three times that under load), and the whole import must finish within its transaction's
 * two minutes.
 */
export const maxFigures = 5000

export const ImportQuery = Type.Object({
  commit: Type.Boolean({
    default: false,
    description: 'false (the default): a dry run that checks every row, writes nothing and reports each one. true: ' +
      'write every row in one transaction, or none of them when any row is refused (422, with the same report).'
  })
}, { additionalProperties: false })

export const FigureImportBody = Type.Object({
  figures: Type.Array(ref(observationBodies.create), {
    minItems: 1,
    maxItems: maxFigures,
    description: 'Each figure as POST /v1/metrics takes it, provenance included'
  })
}, {
  additionalProperties: false,
  description: 'Figures to import as JSON (the same bodies as POST /v1/metrics); a CSV import sends text/csv instead',
  examples: [{
    figures: [{
      department: 'general-gynecology', metric: 'beds', value: 92, statedValue: '92', period: { kind: 'point' }, statedOn: '2026-01-01',
      provenance: { note: 'Bed count from the 2026 annual report, page 3' }
    }]
  }]
})

const RowIssue = Type.Object({
  field: Type.String({ description: 'The CSV column, or the JSON pointer within the row\'s figure; empty for the row as a whole', examples: ['periodKind'] }),
  message: Type.String({ examples: ['must be one of: annual, span, cumulative, point'] })
}, { additionalProperties: false })

export const ImportRowResult = Type.Object({
  row: Type.Integer({ minimum: 1, description: 'The CSV line after the header (1 is the first figure), or the position in `figures` counted from 1' }),
  status: Type.Enum(['valid', 'invalid', 'created'], {
    description: '`valid`: would be written (a dry run, or a commit refused because of other rows); `invalid`: refused, see `errors`; `created`: written'
  }),
  figure: Type.Optional(Type.Object({
    id: Type.String({ format: 'uuid' }),
    link: Type.String({ examples: ['/v1/metrics/0b6f3c1e-8a53-4d2c-9a8e-1b2f3c4d5e6f'] })
  }, { additionalProperties: false, description: 'The figure written (created rows only)' })),
  errors: Type.Optional(Type.Array(RowIssue))
}, { $id: 'ImportRowResult', additionalProperties: false })

export const ImportReport = Type.Object({
  format: Type.Enum(['csv', 'json']),
  committed: Type.Boolean({ description: 'Whether the figures were written' }),
  rows: Type.Integer({ minimum: 0 }),
  valid: Type.Integer({ minimum: 0, description: 'Rows that were (or would be) written' }),
  invalid: Type.Integer({ minimum: 0 }),
  results: Type.Array(ref(ImportRowResult))
}, {
  $id: 'ImportReport',
  additionalProperties: false,
  description: 'What an import did (or, in a dry run, would do) with each row'
})

export const schemas = [ImportRowResult, ImportReport]
