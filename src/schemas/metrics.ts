import { Type, type Static } from 'typebox'
import { IsoDate, ref, entityFields } from './common.ts'
import { RelatedSource, RelatedUnit } from './facts.ts'

export const observationIncludes = ['department', 'metric', 'source'] as const
export type ObservationInclude = (typeof observationIncludes)[number]

export const MetricCategory = Type.Enum(
  ['capacity', 'staffing', 'activity', 'outcome', 'research', 'training', 'facility'],
  { $id: 'MetricCategory' }
)

export const MetricDefinitionSummary = Type.Object({
  code: Type.String({ examples: ['outpatient_visits.annual'] }),
  name: Type.String({ examples: ['Annual outpatient visits'] }),
  unit: Type.String({ description: 'UCUM unit code', examples: ['{visit}'] }),
  unitLabel: Type.String({ examples: ['visits'] }),
  category: ref(MetricCategory)
}, { $id: 'MetricDefinitionSummary', additionalProperties: false })

export const MetricDefinition = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String({ examples: ['beds'] }),
  name: Type.String({ examples: ['Beds'] }),
  description: Type.String(),
  unit: Type.String({ description: 'UCUM unit code', examples: ['{bed}'] }),
  unitLabel: Type.String({ examples: ['beds'] }),
  category: ref(MetricCategory),
  additive: Type.Boolean({ description: 'Whether values may be summed across units (counts yes; rates and averages no)' }),
  ...entityFields
}, { $id: 'MetricDefinition', description: 'What a figure measures', additionalProperties: false })

export const Period = Type.Object({
  kind: Type.Enum(['annual', 'span', 'cumulative', 'point'], {
    description: 'annual: a rate per year; span: a stated window; cumulative: everything to date; point: a state at the stated date'
  }),
  duration: Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601 duration when stated', examples: ['P3Y'] }),
  start: Type.Union([ref(IsoDate), Type.Null()]),
  end: Type.Union([ref(IsoDate), Type.Null()]),
  label: Type.Union([Type.String(), Type.Null()], { description: 'The period as written', examples: ['in the past three years'] })
}, { $id: 'Period', additionalProperties: false })

export const ObservationConflict = Type.Object({
  current: Type.Boolean({ description: 'Whether this is the figure that counts: the latest stated (then the latest entered) of its unit, metric and period' }),
  figures: Type.Integer({ minimum: 2, description: 'How many figures of the unit, metric and period there are, this one included' }),
  links: Type.Object({
    current: Type.String({ description: 'The figure that counts', examples: ['/v1/metrics/0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'] }),
    conflicts: Type.String({ description: 'The conflict, with every figure and its source', examples: ['/v1/conflicts?department=general-gynecology&metric=beds'] })
  }, { additionalProperties: false })
}, {
  $id: 'ObservationConflict',
  description: 'Other sources state another value (or comparator) for the same unit, metric and period: every figure is kept, ' +
    'and the latest stated counts in statistics',
  additionalProperties: false
})

export const Observation = Type.Object({
  id: Type.String({ format: 'uuid' }),
  department: RelatedUnit,
  metric: Type.Union([ref(MetricDefinitionSummary), ref(MetricDefinition)], {
    description: 'What the figure measures; with include=metric, the MetricDefinition'
  }),
  value: Type.Number({ examples: [30000] }),
  comparator: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>='), Type.Literal('>'), Type.Null()], {
    description: 'FHIR R4 comparator: how the true figure relates to value; null when stated as is'
  }),
  approximate: Type.Boolean({ description: 'The source hedges the figure ("about", "nearly")' }),
  exact: Type.Boolean({ description: 'No comparator and not approximate' }),
  statedValue: Type.String({ description: 'The figure exactly as written', examples: ['more than 30,000'] }),
  period: ref(Period),
  statedOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'When the source stated the figure' }),
  note: Type.Union([Type.String(), Type.Null()]),
  source: RelatedSource,
  conflict: Type.Union([ref(ObservationConflict), Type.Null()], {
    description: 'Null unless another figure of the same unit, metric and period states something else; then which one counts'
  }),
  ...entityFields
}, { $id: 'Observation', description: 'A figure with its qualifier, period and provenance', additionalProperties: false })
export type ObservationBody = Static<typeof Observation>

export const schemas = [MetricCategory, MetricDefinitionSummary, MetricDefinition, Period, ObservationConflict, Observation]
