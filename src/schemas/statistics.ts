import { Type } from 'typebox'
import { HospitalReference, IsoDate, PageInfo, ref, SourceReference, UnitReference } from './common.ts'
import { MetricCategory, MetricDefinitionSummary } from './metrics.ts'
import { RegionReference } from './regions.ts'

export const QualifiedValue = Type.Object({
  value: Type.Number({ description: 'The central figure: the sum (or quotient) of the stated values', examples: [30000] }),
  lower: Type.Union([Type.Number(), Type.Null()], { description: 'Lower bound; null when open or unknown', examples: [30000] }),
  upper: Type.Union([Type.Number(), Type.Null()], { description: 'Upper bound; null when open or unknown', examples: [null] }),
  lowerInclusive: Type.Boolean({ description: 'Whether the true figure may equal `lower`' }),
  upperInclusive: Type.Boolean({ description: 'Whether the true figure may equal `upper`' }),
  comparator: Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>='), Type.Literal('>'), Type.Null()], {
    description: 'FHIR comparator of the result: `>` when only a lower bound is known, `<` when only an upper one'
  }),
  approximate: Type.Boolean({ description: 'Some input was hedged ("about", "nearly")' }),
  exact: Type.Boolean({ description: 'Every input was exact, so the result is too' })
}, {
  $id: 'QualifiedValue',
  description: 'A figure or aggregate with its qualifier carried through the arithmetic',
  additionalProperties: false
})

export const SummaryUnit = Type.Object({
  department: ref(UnitReference),
  figure: ref(QualifiedValue),
  statedValue: Type.String({ examples: ['more than 30,000'] }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()]),
  observationId: Type.String({ format: 'uuid' }),
  source: ref(SourceReference)
}, { $id: 'SummaryUnit', description: 'The figure one unit contributed to a group (its latest for the period), with its source', additionalProperties: false })

export const SummaryGroup = Type.Object({
  hospital: ref(HospitalReference),
  metric: ref(MetricDefinitionSummary),
  additive: Type.Boolean({ description: 'Whether the metric may be summed across units' }),
  period: Type.Object({
    kind: Type.Enum(['annual', 'span', 'cumulative', 'point']),
    duration: Type.Union([Type.String(), Type.Null()], { examples: ['P1Y'] }),
    start: Type.Union([ref(IsoDate), Type.Null()]),
    end: Type.Union([ref(IsoDate), Type.Null()])
  }, { additionalProperties: false, description: 'The one period every figure of the group is for' }),
  total: Type.Union([ref(QualifiedValue), Type.Null()], { description: 'Across every unit of the group (not only those listed in `units`); null when the metric is not additive' }),
  totalAbsent: Type.Union([Type.String(), Type.Null()], { description: 'Why there is no total, when there is none' }),
  unitCount: Type.Integer({ minimum: 1, description: 'How many units the group (and its total) covers', examples: [3] }),
  units: Type.Array(ref(SummaryUnit), {
    maxItems: 100,
    description: 'The first units of the group by slug, as many as the `units` parameter asks for; `links.units` lists them all'
  }),
  links: Type.Object({
    units: Type.String({
      description: 'Every unit of the group, a page at a time: GET /v1/statistics/summary/units with the group\'s hospital, metric and period',
      examples: ['/v1/statistics/summary/units?hospital=cqhcwc&metric=beds&periodKind=point']
    })
  }, { additionalProperties: false })
}, { $id: 'SummaryGroup', description: 'One metric for one period across a hospital\'s units', additionalProperties: false })

export const Summary = Type.Object({
  data: Type.Array(ref(SummaryGroup)),
  page: ref(PageInfo)
}, { $id: 'Summary', description: 'A page of totals per hospital, metric and period, each with its first units', additionalProperties: false })

export const SummaryUnits = Type.Object({
  data: Type.Array(ref(SummaryUnit)),
  page: ref(PageInfo)
}, { $id: 'SummaryUnits', description: 'A page of the units of one summary group, by slug', additionalProperties: false })

export const RatioInput = Type.Object({
  metric: Type.String({ examples: ['beds'] }),
  observationId: Type.String({ format: 'uuid' }),
  statedValue: Type.String({ examples: ['88'] }),
  source: ref(SourceReference)
}, { $id: 'RatioInput', description: 'A figure a ratio was computed from, with its provenance', additionalProperties: false })

export const UnitRatio = Type.Object({
  code: Type.String({ examples: ['beds_per_nurse'] }),
  name: Type.String({ examples: ['Beds per nurse'] }),
  formula: Type.String({ examples: ['beds / staff.nurses'] }),
  unit: Type.String({ description: 'UCUM unit of the ratio', examples: ['{bed}/{nurse}'] }),
  value: Type.Union([ref(QualifiedValue), Type.Null()], { description: 'Null when the ratio cannot be computed' }),
  absent: Type.Union([Type.String(), Type.Null()], { description: 'Why there is no value, when there is none', examples: ['the denominator is zero'] }),
  inputs: Type.Array(ref(RatioInput))
}, { $id: 'UnitRatio', additionalProperties: false })

export const UnitRatios = Type.Object({
  hospital: ref(HospitalReference),
  department: ref(UnitReference),
  ratios: Type.Array(ref(UnitRatio))
}, { $id: 'UnitRatios', description: 'The derived indicators of one unit whose inputs exist', additionalProperties: false })

export const Ratios = Type.Object({
  data: Type.Array(ref(UnitRatios)),
  page: ref(PageInfo)
}, { $id: 'Ratios', additionalProperties: false })

export const TimeseriesPoint = Type.Object({
  department: ref(UnitReference),
  at: Type.Union([ref(IsoDate), Type.Null()], { description: 'Where to plot the point: the period end, else the date stated; null when the source gives neither' }),
  period: Type.Object({
    kind: Type.Enum(['annual', 'span', 'cumulative', 'point']),
    duration: Type.Union([Type.String(), Type.Null()]),
    start: Type.Union([ref(IsoDate), Type.Null()]),
    end: Type.Union([ref(IsoDate), Type.Null()])
  }, { additionalProperties: false }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()]),
  figure: ref(QualifiedValue),
  statedValue: Type.String({ examples: ['more than 30,000'] }),
  observationId: Type.String({ format: 'uuid' }),
  source: ref(SourceReference)
}, { $id: 'TimeseriesPoint', description: 'One figure placed in time, with its bounds for error bars', additionalProperties: false })

export const Timeseries = Type.Object({
  metric: ref(MetricDefinitionSummary),
  data: Type.Array(ref(TimeseriesPoint), { description: 'Oldest first; undated points last' }),
  page: ref(PageInfo)
}, { $id: 'Timeseries', additionalProperties: false })

export const UnitCoverage = Type.Object({
  hospital: ref(HospitalReference),
  department: ref(UnitReference),
  reported: Type.Array(Type.String(), { description: 'Metric codes the unit has at least one figure for' }),
  missing: Type.Array(Type.String(), { description: 'Metric codes it has none for' }),
  completeness: Type.Number({ minimum: 0, maximum: 1, description: 'reported / (reported + missing)', examples: [0.85] })
}, { $id: 'UnitCoverage', additionalProperties: false })

export const Coverage = Type.Object({
  metrics: Type.Array(Type.String(), { description: 'The metric codes coverage is measured against' }),
  data: Type.Array(ref(UnitCoverage)),
  page: ref(PageInfo)
}, { $id: 'Coverage', description: 'Which metrics each unit reports, and which are missing', additionalProperties: false })

const nullableQualified = (description: string) => Type.Union([ref(QualifiedValue), Type.Null()], { description })

export const AnalyticsRank = Type.Object({
  position: Type.Integer({ minimum: 1, description: 'Place by value, largest first, among the cells of the same metric and period that have a value (ties share it); at equal values a lower bound ("more than") goes before an exact figure and an upper bound ("nearly") after', examples: [2] }),
  of: Type.Integer({ minimum: 1, description: 'How many cells are ranked', examples: [3] }),
  best: Type.Integer({ minimum: 1, description: 'The best place the intervals allow: 1 + the cells certainly above', examples: [1] }),
  worst: Type.Integer({ minimum: 1, description: 'The worst place the intervals allow: `best` + the cells it overlaps', examples: [3] }),
  uncertain: Type.Boolean({ description: 'The interval overlaps another cell\'s, so the order between them is not known (`best` < `worst`)' }),
  overlapCount: Type.Integer({ minimum: 0, description: 'How many cells it overlaps (neither certainly above nor below, and not an exact tie)' }),
  overlaps: Type.Array(Type.String(), {
    maxItems: 10,
    description: 'The members it overlaps (their slugs, joined by `/` when grouped by more than one dimension), nearest in value first, at most 10',
    examples: [['hospital-b']]
  })
}, { $id: 'AnalyticsRank', description: 'Where a cell stands among the cells of its metric and period, as far as the qualifiers allow', additionalProperties: false })

export const AnalyticsChange = Type.Object({
  fromYear: Type.Integer({ examples: [2019] }),
  fromCount: Type.Integer({ minimum: 1, description: 'How many figures the previous year\'s cell totals (compare with `count`)' }),
  from: ref(QualifiedValue),
  difference: ref(QualifiedValue),
  ratio: nullableQualified('This year over the previous; null when the previous value is zero'),
  ratioAbsent: Type.Union([Type.String(), Type.Null()], { description: 'Why there is no ratio, when there is none', examples: [null] })
}, {
  $id: 'AnalyticsChange',
  description: 'The change from the same cell one year earlier: the interval of the difference (this year\'s lower bound less ' +
    'the previous upper one, and the other way round) and of the ratio, each with its qualifier',
  additionalProperties: false
})

export const AnalyticsCell = Type.Object({
  metric: Type.String({ description: 'The metric code', examples: ['beds'] }),
  period: Type.Object({
    year: Type.Integer({ description: 'The year the figures\' periods end in (or, for figures that state no end, the year they were stated)', examples: [2020] }),
    kind: Type.Enum(['annual', 'span', 'cumulative', 'point']),
    duration: Type.Union([Type.String(), Type.Null()], { examples: [null] })
  }, { additionalProperties: false }),
  hospital: Type.Optional(ref(HospitalReference)),
  department: Type.Optional(ref(UnitReference)),
  region: Type.Optional(Type.Union([ref(RegionReference), Type.Null()], { description: 'The hospitals\' own region; null for hospitals whose region is not known' })),
  value: nullableQualified('The total of the cell\'s figures (each unit\'s that counts), qualifier-aware; null for an average or a rate over more than one unit'),
  absent: Type.Union([Type.String(), Type.Null()], { description: 'Why there is no value, when there is none' }),
  count: Type.Integer({ minimum: 1, description: 'How many figures (one per unit) the cell totals', examples: [12] }),
  rank: Type.Union([ref(AnalyticsRank), Type.Null()], { description: 'Null when the cells are not grouped by hospital or unit, or the cell has no value' }),
  change: Type.Union([ref(AnalyticsChange), Type.Null()], { description: 'Null when the year before has no cell of the same members and period' }),
  observationIds: Type.Array(Type.String({ format: 'uuid' }), {
    maxItems: 20,
    description: 'The figures totalled (the first 20 by unit slug); each is GET /v1/metrics/{id}'
  }),
  links: Type.Object({
    breakdown: Type.Union([Type.String(), Type.Null()], {
      description: 'The same slice narrowed to this cell, one unit a cell: every figure behind it. Null when the cell is one unit\'s already',
      examples: ['/v1/statistics/analytics?metric=beds&period=2020&hospital=cqhcwc&groupBy=department']
    })
  }, { additionalProperties: false })
}, {
  $id: 'AnalyticsCell',
  description: 'One metric, one year and period, and one member of each grouped dimension: the total of the figures behind it with its bounds',
  additionalProperties: false
})

export const AnalyticsMetric = Type.Object({
  code: Type.String({ examples: ['beds'] }),
  name: Type.String({ examples: ['Beds'] }),
  unit: Type.String({ examples: ['{bed}'] }),
  unitLabel: Type.String({ examples: ['beds'] }),
  category: ref(MetricCategory),
  additive: Type.Boolean({ description: 'Whether it may be summed across units' })
}, { $id: 'AnalyticsMetric', additionalProperties: false })

export const Analytics = Type.Object({
  metrics: Type.Array(ref(AnalyticsMetric)),
  groupBy: Type.Array(Type.String(), { description: 'The cells\' dimensions, in their sort order', examples: [['hospital', 'period', 'metric']] }),
  data: Type.Array(ref(AnalyticsCell)),
  page: ref(PageInfo)
}, { $id: 'Analytics', description: 'A page of cells of a slice of metric × period × hospital or unit', additionalProperties: false })

export const schemas = [QualifiedValue, SummaryUnit, SummaryGroup, Summary, SummaryUnits, RatioInput, UnitRatio, UnitRatios, Ratios, TimeseriesPoint, Timeseries, UnitCoverage, Coverage, AnalyticsRank, AnalyticsChange, AnalyticsCell, AnalyticsMetric, Analytics]
