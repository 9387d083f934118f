import { Type, type Static } from 'typebox'
import { HospitalReference, IsoDate, ref, SourceReference, UnitReference, entityFields } from './common.ts'
import { ConditionLink, Event, Honor, Service } from './facts.ts'
import { Observation } from './metrics.ts'
import { NewsSummary } from './news.ts'

export const ExtractionStatus = Type.Enum(['extracted', 'unreadable', 'failed'], {
  $id: 'ExtractionStatus',
  description: '`extracted`: candidates stored (perhaps none); `unreadable`: a language the rules cannot read (no candidates; ' +
    '`message` says why); `failed`: extraction broke off (the source is kept, with no candidates from that run; `message` says what failed)'
})

export const SourceExtraction = Type.Object({
  status: ref(ExtractionStatus),
  message: Type.Union([Type.String(), Type.Null()], { examples: ['The text is in "zh"; the rules read English only.'] }),
  language: Type.Union([Type.String(), Type.Null()], { description: 'The language extraction found', examples: ['en'] }),
  rulesVersion: Type.Union([Type.String(), Type.Null()], { description: 'The rules that ran' }),
  extractedAt: Type.String({ format: 'date-time' }),
  candidates: Type.Object({
    proposed: Type.Integer({ minimum: 0 }),
    accepted: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 })
  }, { additionalProperties: false, description: 'Its candidates, by status' })
}, { $id: 'SourceExtraction', description: 'A source\'s last extraction', additionalProperties: false })

const sourceFields = {
  id: Type.String({ format: 'uuid' }),
  fileName: Type.String({ examples: ['000_5a20198f4fdda1e4.txt'] }),
  title: Type.String({ examples: ['General Gynecology Department'] }),
  kind: Type.Enum(['department_page', 'center_page', 'news_article', 'manual_entry'], {
    description: '`manual_entry`: typed in through the API by the key named in `enteredBy`; its text is their note'
  }),
  enteredBy: Type.Union([Type.Object({
    prefix: Type.String({ examples: ['hda_1f3a9c0b7e2d'] }),
    name: Type.String({ examples: ['Bureau statistics office'] })
  }, { additionalProperties: false }), Type.Null()], { description: 'The API key that entered a manual entry; null for documents' }),
  hospital: Type.Union([ref(HospitalReference), Type.Null()], {
    description: 'The hospital the document is about, whose units extraction reads it against; null for documents that name none'
  }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'The date the document states ("Updated: …"), if any' }),
  breadcrumb: Type.Union([Type.String(), Type.Null()], { examples: ['Home>Women Health Care Division'] }),
  url: Type.Union([Type.String(), Type.Null()], { description: 'Where the document was found', examples: ['https://www.example.org/departments/general-gynecology'] }),
  language: Type.Union([Type.String(), Type.Null()], { description: 'BCP 47 tag given with the document', examples: ['en'] }),
  contentType: Type.Union([Type.Enum(['text/plain', 'text/html']), Type.Null()], {
    description: 'The media type the document was sent in; HTML is kept as the text a reader sees (`fullText`). Null for the seeded documents and manual entries'
  }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Of the full text as stored' }),
  synthetic: Type.Boolean({ description: 'Made up by `npm run seed:synthetic` (an invented region for benchmarks and tests), not a real document' }),
  extraction: Type.Union([ref(SourceExtraction), Type.Null()], { description: 'How its last extraction went; null when it was never extracted' }),
  ...entityFields,
  links: Type.Object({
    self: Type.String(),
    candidates: Type.String({ description: 'The facts extraction proposed from it, for review' })
  }, { additionalProperties: false })
}

export const Source = Type.Object(sourceFields, { $id: 'Source', description: 'A source document', additionalProperties: false })

export type SourceBody = Static<typeof Source>

export const SourceDetail = Type.Object({
  ...sourceFields,
  fullText: Type.String(),
  facts: Type.Object({
    departments: Type.Array(ref(UnitReference), { description: 'Units this document introduces' }),
    observations: Type.Array(ref(Observation)),
    honors: Type.Array(ref(Honor)),
    services: Type.Array(ref(Service)),
    conditions: Type.Array(ref(ConditionLink)),
    events: Type.Array(ref(Event)),
    news: Type.Array(ref(NewsSummary))
  }, { additionalProperties: false, description: 'Every fact this document backs' })
}, { $id: 'SourceDetail', description: 'A source document with its text and the facts it backs', additionalProperties: false })

/** A fact's source expanded with include=source: the Source and the fact's quote, a superset of its reference. */
export const CitedSource = Type.Object({ ...sourceFields, quote: SourceReference.properties.quote }, {
  $id: 'CitedSource', description: 'A source document as a fact cites it: the Source with the sentence the fact was taken from', additionalProperties: false
})

export const schemas = [ExtractionStatus, SourceExtraction, Source, SourceDetail, CitedSource]
