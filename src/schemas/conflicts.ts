import { Type } from 'typebox'
import { listResponse } from '../lib/listing.ts'
import { HospitalReference, IsoDate, ref, SourceReference, UnitReference } from './common.ts'
import { MetricDefinitionSummary } from './metrics.ts'

// Figures that disagree: one unit, one metric, one period, and sources stating different values (or comparators).
// Nothing is overwritten; the latest stated counts, and every figure stays readable with its source.

const ConflictingFigure = Type.Object({
  id: Type.String({ format: 'uuid' }),
  value: Type.Number({ examples: [88] }),
  comparator: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>='), Type.Literal('>'), Type.Null()]),
  approximate: Type.Boolean(),
  statedValue: Type.String({ examples: ['88'] }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'When its source stated it: what decides which figure counts' }),
  current: Type.Boolean({ description: 'Whether it is the figure that counts (the latest stated, then the latest entered)' }),
  source: ref(SourceReference),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ self: Type.String({ examples: ['/v1/metrics/0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'] }) }, { additionalProperties: false })
}, { additionalProperties: false })

export const FigureConflict = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Stable for the unit, metric and period' }),
  hospital: ref(HospitalReference),
  department: ref(UnitReference),
  metric: ref(MetricDefinitionSummary),
  period: Type.Object({
    kind: Type.Enum(['annual', 'span', 'cumulative', 'point']),
    duration: Type.Union([Type.String(), Type.Null()], { examples: ['P1Y'] }),
    start: Type.Union([ref(IsoDate), Type.Null()]),
    end: Type.Union([ref(IsoDate), Type.Null()])
  }, { additionalProperties: false, description: 'The period the figures share (its wording may differ between them)' }),
  current: Type.String({ format: 'uuid', description: 'The id of the figure that counts' }),
  figures: Type.Array(ConflictingFigure, { minItems: 2, description: 'Every figure of the unit, metric and period, the one that counts first' }),
  links: Type.Object({
    figures: Type.String({ description: 'The unit\'s figures of the metric', examples: ['/v1/metrics?department=general-gynecology&metric=beds'] })
  }, { additionalProperties: false })
}, {
  $id: 'FigureConflict',
  description: 'Figures of one unit, metric and period whose sources state different values or comparators',
  additionalProperties: false
})

export const FigureConflictList = listResponse(FigureConflict, 'FigureConflictList', 'One page of conflicting figures')

export const schemas = [FigureConflict, FigureConflictList]
