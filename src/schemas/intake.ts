import { Type, type Static } from 'typebox'
import { listResponse } from '../lib/listing.ts'
import { ref, slug } from './common.ts'
import { EventKind, HonorKind, HonorLevel } from './facts.ts'
import { eventBodies, honorBodies, observationBodies } from './writes.ts'

// Intake's review: the candidates extraction proposes from a source, and what a reviewer sends to accept or reject
// them. A candidate's own fields are extraction's (src/plugins/app/intake/extraction/candidate.ts), kept as
// `proposal`; an accepted one names the fact it became.

const figure = observationBodies.fields.properties
const honor = honorBodies.fields.properties
const event = eventBodies.fields.properties

const reviewer = Type.Object({
  prefix: Type.String({ examples: ['hda_1f3a9c0b7e2d'] }),
  name: Type.String({ examples: ['Ward office'] })
}, { additionalProperties: false, description: 'The API key that decided it' })

export const Candidate = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: Type.Object({
    id: Type.String({ format: 'uuid' }),
    title: Type.String({ examples: ['General Gynecology Department'] })
  }, { additionalProperties: false }),
  kind: Type.Enum(['figure', 'honor', 'event'], { description: 'What fact accepting it creates: a figure, an honor or an event' }),
  status: Type.Enum(['proposed', 'accepted', 'rejected']),
  rule: Type.String({ description: 'The extraction rule that proposed it, stable across runs', examples: ['figure.count-noun'] }),
  confidence: Type.Number({ minimum: 0, maximum: 1, examples: [0.8] }),
  rulesVersion: Type.String({ description: 'The rules that proposed it' }),
  quote: Type.String({ description: 'The sentence it was read from, verbatim: the source\'s text from `start` to `end`', examples: ['The department currently has 88 beds.'] }),
  start: Type.Integer({ minimum: 0, description: 'Offset of the quote in the source\'s text (UTF-16 code units, as JavaScript counts)' }),
  end: Type.Integer({ minimum: 1 }),
  proposal: Type.Object({}, {
    additionalProperties: true,
    description: 'What extraction read, by kind: a figure\'s subject, metric (null when no definition fits), suggestedMetric, ' +
      'measured, value (a decimal string), comparator, approximate, statedValue and its offsets, period; an honor\'s title, ' +
      'honorKind, level, issuer, year, rank; an event\'s title, eventKind, occurredOn, datePrecision, year',
    examples: [{ subject: { unit: 'general-gynecology', matchedBy: 'sentence', name: 'General Gynecology Department' }, metric: 'beds', value: '88', statedValue: '88' }]
  }),
  corrections: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
    description: 'What the reviewer changed when accepting it; null when accepted as proposed, or not accepted'
  }),
  fact: Type.Union([Type.Object({
    id: Type.String({ format: 'uuid' }),
    links: Type.Object({ self: Type.String({ examples: ['/v1/metrics/0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'] }) }, { additionalProperties: false })
  }, { additionalProperties: false }), Type.Null()], { description: 'The figure, honor or event accepting it created' }),
  review: Type.Union([Type.Object({
    by: reviewer,
    at: Type.String({ format: 'date-time' }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it was rejected' })
  }, { additionalProperties: false }), Type.Null()], { description: 'Who accepted or rejected it, when and why; null while proposed' }),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer({ minimum: 1, description: 'Incremented on every change' }),
  updatedAt: Type.String({ format: 'date-time' }),
  links: Type.Object({
    self: Type.String(),
    source: Type.String(),
    accept: Type.String(),
    reject: Type.String()
  }, { additionalProperties: false })
}, { $id: 'Candidate', description: 'A fact extraction proposed from a source, for review', additionalProperties: false })
export type CandidateBody = Static<typeof Candidate>

export const CandidateList = listResponse(Candidate, 'CandidateList', 'One page of a source\'s candidates')

/** Every field a correction may carry, with the kinds of candidate it applies to. */
export const correctionKinds = {
  department: ['figure', 'honor', 'event'],
  metric: ['figure'],
  value: ['figure'],
  comparator: ['figure'],
  approximate: ['figure'],
  statedValue: ['figure'],
  period: ['figure'],
  note: ['figure'],
  statedOn: ['figure', 'honor'],
  slug: ['honor', 'event'],
  title: ['honor', 'event'],
  kind: ['honor', 'event'],
  level: ['honor'],
  issuer: ['honor'],
  year: ['honor', 'event'],
  description: ['event'],
  occurredOn: ['event'],
  datePrecision: ['event']
} as const satisfies Record<string, ReadonlyArray<'figure' | 'honor' | 'event'>>

export const CandidateCorrections = Type.Object({
  department: Type.Optional(Type.Union([slug({ description: 'The unit (slug or alias slug)', examples: ['general-gynecology'] }), Type.Null()], {
    description: 'The unit the fact is about; null for an honor or event of the hospital as a whole (a figure needs a unit)'
  })),
  metric: Type.Optional(figure.metric),
  value: Type.Optional(figure.value),
  comparator: figure.comparator,
  approximate: Type.Optional(Type.Boolean({ description: 'The source hedges the figure ("about", "nearly")' })),
  statedValue: Type.Optional(figure.statedValue),
  period: Type.Optional(figure.period),
  note: figure.note,
  statedOn: Type.Optional(Type.Union([Type.String({ format: 'date', examples: ['2021-03-03'] }), Type.Null()], {
    description: 'When it was stated; the source\'s date unless given'
  })),
  slug: Type.Optional(honor.slug),
  title: Type.Optional(honor.title),
  kind: Type.Optional(Type.Enum([...new Set([...HonorKind.enum, ...EventKind.enum])], {
    description: 'An honor\'s kind (designation, accreditation, recognition, membership, distinction) or an event\'s (founding, ' +
      'designation, partnership, milestone, equipment, recognition)'
  })),
  level: Type.Optional(Type.Union([ref(HonorLevel), Type.Null()])),
  issuer: honor.issuer,
  year: honor.year,
  description: event.description,
  occurredOn: event.occurredOn,
  datePrecision: Type.Optional(event.datePrecision)
}, {
  $id: 'CandidateCorrections',
  description: 'What to change from the proposal when accepting: the fields of the fact the candidate becomes (those of ' +
    '`POST /v1/metrics` for a figure, `POST /v1/honors` or `POST /v1/events` for the others). A field that does not apply to ' +
    'the candidate\'s kind is a 422. Everything not given is taken from the proposal and the source.',
  additionalProperties: false,
  examples: [{ metric: 'beds', department: 'general-gynecology' }]
})
export type CandidateCorrectionsBody = Static<typeof CandidateCorrections>

export const CandidateRejection = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why it is not a fact', examples: ['The figure is the hospital\'s, not the department\'s'] })
}, { $id: 'CandidateRejection', additionalProperties: false })

export const CandidateBatch = Type.Object({
  ids: Type.Array(Type.String({ format: 'uuid' }), {
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'The candidates to accept as proposed, all or none'
  })
}, { $id: 'CandidateBatch', additionalProperties: false, examples: [{ ids: ['0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'] }] })

export const AcceptedCandidate = Type.Object({
  candidate: ref(Candidate),
  fact: Type.Object({}, { additionalProperties: true, description: 'The fact created: an Observation, Honor or Event, as a GET of it shows it' })
}, { $id: 'AcceptedCandidate', description: 'A candidate accepted, and the fact it became', additionalProperties: false })

export const AcceptedCandidates = Type.Object({
  data: Type.Array(ref(AcceptedCandidate))
}, { $id: 'AcceptedCandidates', description: 'Every candidate of the batch, accepted, in the order given', additionalProperties: false })

export const schemas = [Candidate, CandidateList, CandidateCorrections, CandidateRejection, CandidateBatch, AcceptedCandidate, AcceptedCandidates]
