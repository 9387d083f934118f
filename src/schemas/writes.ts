import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox'
import { listResponse } from '../lib/listing.ts'
import { ref, slug } from './common.ts'
import { ConditionRelation, EventKind, HonorKind, HonorLevel, ServiceKind } from './facts.ts'
import { HospitalGrade, HospitalOwnership, HospitalType } from './hospitals.ts'
import { MetricCategory, Period } from './metrics.ts'
import { RegionLevel } from './regions.ts'

// Request bodies of the writes. Every body is closed (additionalProperties: false): an unknown or server-owned field
// (id, version, createdAt, updatedAt, source, links) is a 400 naming it, never silently dropped. A PATCH body is a
// JSON merge patch (RFC 7396) of the same fields, every one optional; null clears a field that may be empty.

/** Fields the server sets; writing one is refused with a message that says so. */
export const serverOwnedFields = ['id', 'version', 'createdAt', 'updatedAt', 'source', 'links', 'archivedAt', 'exact', 'enteredBy']

export const Provenance = Type.Object({
  source: Type.Optional(Type.String({ format: 'uuid', description: 'A source document\'s id (see /v1/sources)' })),
  quote: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 4000,
    description: 'The sentence of that document that states the fact, verbatim (whitespace may differ)'
  })),
  note: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 4000,
    description: 'Without a document: where the figure comes from, in your words. It is kept as a source of kind ' +
      '`manual_entry` entered by your key.',
    examples: ['Bed count from the 2026 annual report, page 3, confirmed by the ward office']
  }))
}, {
  $id: 'Provenance',
  description: 'Where a fact comes from: either `source` and `quote` (a document and its sentence), or a `note`',
  additionalProperties: false,
  examples: [{ note: 'Bed count from the 2026 annual report, page 3' }]
})
export type ProvenanceBody = Static<typeof Provenance>

function text (maxLength: number, options: { description?: string, examples?: string[] } = {}) {
  return Type.String({ minLength: 1, maxLength, ...options })
}

function nullable<T extends TSchema> (schema: T, description?: string) {
  return Type.Union([schema, Type.Null()], description === undefined ? {} : { description })
}

const year = Type.Integer({ minimum: 1800, maximum: 2200, examples: [2018] })
const date = Type.String({ format: 'date', examples: ['2021-03-03'] })

export const metricCodeInput = Type.String({
  pattern: '^[a-z0-9_]+(?:\\.[a-z0-9_]+)*$',
  maxLength: 120,
  description: 'A metric definition\'s code',
  examples: ['beds']
})

/** The create body (required as declared, plus provenance when the facts need one) and its merge-patch twin. */
function writeBodies<P extends TProperties> (name: string, properties: P,
  options: { sourced: boolean, example: Record<string, unknown>, createOnly?: TProperties }) {
  const provenance: TProperties = options.sourced ? { provenance: ref(Provenance) } : {}
  const create = Type.Object({ ...properties, ...options.createOnly, ...provenance }, {
    $id: `${name}Create`,
    additionalProperties: false,
    examples: [options.example]
  })
  const optional = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, Type.Optional(schema)]))
  const patch = Type.Object({ ...optional, ...provenance }, {
    $id: `${name}Patch`,
    description: 'A JSON merge patch: the fields to change' + (options.sourced ? ', and the provenance of the new state' : ''),
    additionalProperties: false,
    minProperties: 1
  })
  // `fields` is for the static types of the code that applies a body (it is not registered).
  return { create: create as TObject, patch: patch as TObject, fields: Type.Object(properties) }
}

const provenanceExample = { note: 'Stated in the hospital\'s 2026 annual report, page 3' }

export const hospitalBodies = writeBodies('Hospital', {
  slug: slug({ description: 'Unique; the hospital\'s URL name', examples: ['cqhcwc'] }),
  name: text(300, { examples: ['Chongqing Health Center for Women and Children'] }),
  shortName: Type.Optional(nullable(text(60, { examples: ['CQHCWC'] }))),
  city: text(100, { examples: ['Chongqing'] }),
  province: text(100, { examples: ['Chongqing'] }),
  country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2', examples: ['CN'] }),
  region: Type.Optional(nullable(slug({ description: 'The region it lies in (a slug from /v1/regions)', examples: ['chongqing'] }))),
  grade: Type.Optional(nullable(ref(HospitalGrade))),
  type: Type.Optional(nullable(ref(HospitalType))),
  ownership: Type.Optional(nullable(ref(HospitalOwnership)))
}, {
  sourced: true,
  example: {
    slug: 'example-hospital', name: 'Example Women and Children Hospital', city: 'Chongqing', province: 'Chongqing', country: 'CN',
    region: 'chongqing', grade: 'tertiary_a', type: 'maternal_child_health', ownership: 'public', provenance: provenanceExample
  }
})

export const regionBodies = writeBodies('Region', {
  slug: slug({ description: 'Unique; the region\'s URL name', examples: ['yuzhong-district'] }),
  name: text(200, { examples: ['Yuzhong District'] }),
  level: ref(RegionLevel),
  parent: Type.Optional(nullable(slug({ description: 'The region it lies in; null or absent only for a country', examples: ['chongqing'] }))),
  code: Type.Optional(nullable(Type.String({ pattern: '^[0-9A-Za-z-]{1,20}$', description: 'Official administrative division code', examples: ['500103'] })))
}, {
  sourced: false,
  example: { slug: 'yuzhong-district', name: 'Yuzhong District', level: 'district', parent: 'chongqing', code: '500103' }
})

export const departmentAliasBodies = writeBodies('DepartmentAlias', {
  department: slug({ description: 'The unit it names (its slug or another alias)', examples: ['general-gynecology'] }),
  slug: slug({ description: 'Unique among units and aliases: GET /v1/departments/{slug} answers 301 to the unit', examples: ['gynecology'] }),
  name: text(300, { description: 'The other name the unit is known by', examples: ['Gynecology Department'] })
}, {
  sourced: true,
  example: { department: 'general-gynecology', slug: 'gynecology', name: 'Gynecology Department', provenance: provenanceExample }
})

export const departmentBodies = writeBodies('Department', {
  hospital: slug({ description: 'The hospital it belongs to', examples: ['cqhcwc'] }),
  parent: Type.Optional(nullable(slug({ description: 'The division it sits under, in the same hospital', examples: ['women-health-care-division'] }))),
  kind: Type.Enum(['division', 'department', 'center']),
  slug: slug({ description: 'Unique across hospitals', examples: ['breast-surgery'] }),
  name: text(300, { examples: ['Breast Surgery Department'] }),
  summary: Type.Optional(nullable(text(4000))),
  focus: Type.Optional(nullable(text(2000))),
  establishedYear: Type.Optional(nullable(year))
}, {
  sourced: true,
  example: { hospital: 'cqhcwc', parent: 'women-health-care-division', kind: 'department', slug: 'breast-surgery', name: 'Breast Surgery Department', provenance: provenanceExample }
})

export const observationBodies = writeBodies('Observation', {
  department: slug({ description: 'The unit the figure is about', examples: ['general-gynecology'] }),
  metric: metricCodeInput,
  value: Type.Number({ minimum: -1e13, maximum: 1e13, description: 'The figure (up to 4 decimal places are kept)', examples: [92] }),
  comparator: Type.Optional(nullable(Type.Enum(['<', '<=', '>=', '>']), 'FHIR comparator: ">" for "more than", "<" for "nearly"')),
  approximate: Type.Optional(Type.Boolean({ description: 'The source hedges the figure ("about", "nearly")', default: false })),
  statedValue: text(200, { description: 'The figure exactly as written', examples: ['92'] }),
  period: Type.Object({
    kind: Period.properties.kind,
    duration: Type.Optional(nullable(Type.String({
      pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$',
      description: 'ISO 8601 duration',
      examples: ['P1Y']
    }))),
    start: Type.Optional(nullable(date)),
    end: Type.Optional(nullable(date)),
    label: Type.Optional(nullable(text(200, { examples: ['annually'] })))
  }, { additionalProperties: false, description: 'Replaced as a whole by a PATCH' }),
  statedOn: Type.Optional(nullable(date, 'When the figure was stated')),
  note: Type.Optional(nullable(text(2000)))
}, {
  sourced: true,
  example: { department: 'general-gynecology', metric: 'beds', value: 92, statedValue: '92', period: { kind: 'point' }, statedOn: '2026-01-01', provenance: provenanceExample }
})

export const metricDefinitionBodies = writeBodies('MetricDefinition', {
  code: metricCodeInput,
  name: text(200, { examples: ['Beds'] }),
  description: text(2000),
  unit: text(40, { description: 'UCUM unit code', examples: ['{bed}'] }),
  unitLabel: text(60, { examples: ['beds'] }),
  category: ref(MetricCategory),
  additive: Type.Boolean({ description: 'Whether values may be summed across units' })
}, {
  sourced: false,
  example: { code: 'beds.icu', name: 'Intensive care beds', description: 'Beds in intensive care units', unit: '{bed}', unitLabel: 'beds', category: 'capacity', additive: true }
})

export const honorBodies = writeBodies('Honor', {
  hospital: slug({ examples: ['cqhcwc'] }),
  department: Type.Optional(nullable(slug({ description: 'Null or absent for an honor of the whole hospital' }))),
  slug: slug({ description: 'Unique within the hospital', examples: ['national-key-clinical-specialty'] }),
  title: text(500),
  kind: ref(HonorKind),
  issuer: Type.Optional(nullable(text(300))),
  level: Type.Optional(nullable(ref(HonorLevel))),
  year: Type.Optional(nullable(year)),
  statedOn: Type.Optional(nullable(date))
}, {
  sourced: true,
  example: { hospital: 'cqhcwc', department: 'general-gynecology', slug: 'national-key-clinical-specialty', title: 'National key clinical specialty', kind: 'designation', level: 'national', year: 2026, provenance: provenanceExample }
})

export const serviceBodies = writeBodies('Service', {
  department: slug({ examples: ['general-gynecology'] }),
  slug: slug({ description: 'Unique within the unit', examples: ['robotic-surgery'] }),
  name: text(300),
  kind: ref(ServiceKind),
  description: Type.Optional(nullable(text(4000)))
}, {
  sourced: true,
  example: { department: 'general-gynecology', slug: 'robotic-surgery', name: 'Robot-assisted surgery', kind: 'procedure', provenance: provenanceExample }
})

export const conditionBodies = writeBodies('Condition', {
  slug: slug({ examples: ['endometriosis'] }),
  name: text(300, { examples: ['Endometriosis'] })
}, {
  sourced: false,
  example: { slug: 'endometriosis', name: 'Endometriosis' }
})

export const conditionLinkBodies = writeBodies('ConditionLink', {
  condition: slug({ description: 'The condition', examples: ['endometriosis'] }),
  department: slug({ description: 'The unit that treats, manages or screens for it (its slug or an alias slug)', examples: ['general-gynecology'] }),
  relation: ref(ConditionRelation)
}, {
  sourced: true,
  example: { condition: 'twin-pregnancy', department: 'perinatal-medical-center', relation: 'treated', provenance: provenanceExample }
})

export const eventBodies = writeBodies('Event', {
  hospital: slug({ examples: ['cqhcwc'] }),
  department: Type.Optional(nullable(slug())),
  slug: slug({ description: 'Unique within the hospital', examples: ['new-inpatient-building-opened'] }),
  title: text(500),
  description: Type.Optional(nullable(text(4000))),
  kind: ref(EventKind),
  year: Type.Optional(nullable(year)),
  occurredOn: Type.Optional(nullable(date)),
  datePrecision: Type.Enum(['day', 'month', 'year', 'unknown'])
}, {
  sourced: true,
  example: { hospital: 'cqhcwc', slug: 'new-inpatient-building-opened', title: 'New inpatient building opened', kind: 'milestone', year: 2026, occurredOn: '2026-10-01', datePrecision: 'month', provenance: provenanceExample }
})

export const newsBodies = writeBodies('NewsArticle', {
  hospital: slug({ examples: ['cqhcwc'] }),
  slug: slug({ examples: ['new-inpatient-building-opened'] }),
  title: text(500),
  publishedOn: date,
  summary: Type.Optional(nullable(text(2000))),
  body: text(100_000),
  imageFile: Type.Optional(nullable(text(300))),
  imageCaption: Type.Optional(nullable(text(1000))),
  departments: Type.Optional(Type.Array(slug(), { maxItems: 100, uniqueItems: true, description: 'Units the article is about' }))
}, {
  sourced: true,
  example: { hospital: 'cqhcwc', slug: 'new-inpatient-building-opened', title: 'New inpatient building opened', publishedOn: '2026-10-02', body: 'The new building opened on 1 October.', departments: ['general-gynecology'], provenance: provenanceExample }
})

/** The kinds of document a source sent through the API may be (manual entries are made from notes). */
export const documentKinds = ['department_page', 'center_page', 'news_article'] as const

/** A source's metadata, as a body field or (with a raw text body) a query parameter. */
export const sourceMetadata = {
  title: text(500, { description: 'The document\'s title', examples: ['General Gynecology Department'] }),
  kind: Type.Enum([...documentKinds], { description: 'What kind of page it is', examples: ['department_page'] }),
  hospital: slug({ description: 'The hospital it is about: extraction reads it against this hospital\'s units', examples: ['cqhcwc'] }),
  statedOn: Type.String({ format: 'date', description: 'The date the page states ("Updated: …")', examples: ['2021-03-03'] }),
  breadcrumb: text(500, { description: 'The navigation path as printed', examples: ['Home>Women Health Care Division'] }),
  url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000, description: 'Where it was found', examples: ['https://www.example.org/departments/general-gynecology'] }),
  language: Type.String({
    pattern: '^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$',
    maxLength: 35,
    description: 'BCP 47 language tag, if known (extraction detects the language itself too)',
    examples: ['en']
  })
}

const { title: sourceTitle, kind: sourceKind, hospital: sourceHospital, ...optionalSourceMetadata } = sourceMetadata

export const sourceBodies = writeBodies('Source', {
  title: sourceTitle,
  kind: sourceKind,
  hospital: sourceHospital,
  ...Object.fromEntries(Object.entries(optionalSourceMetadata).map(([key, schema]) => [key, Type.Optional(nullable(schema))])) as {
    [K in keyof typeof optionalSourceMetadata]: ReturnType<typeof Type.Optional<ReturnType<typeof nullable<(typeof optionalSourceMetadata)[K]>>>>
  }
}, {
  sourced: false,
  createOnly: {
    text: Type.String({
      minLength: 1,
      description: 'The document\'s text (UTF-8, no NUL), or its HTML with `contentType: "text/html"`. What is stored is what every ' +
        'quote is checked against; it cannot be changed later (send a new source instead)'
    }),
    contentType: Type.Optional(Type.Enum(['text/plain', 'text/html'], { default: 'text/plain', description: 'What `text` is' }))
  },
  example: {
    title: 'General Gynecology Department',
    kind: 'department_page',
    hospital: 'cqhcwc',
    statedOn: '2026-03-03',
    url: 'https://www.example.org/departments/general-gynecology',
    language: 'en',
    text: 'General Gynecology Department\nThe department currently has 92 beds.'
  }
})

export const AuditEvent = Type.Object({
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    prefix: Type.String({ examples: ['hda_1f3a9c0b7e2d'] }),
    name: Type.String({ examples: ['Bureau statistics office'] })
  }, { additionalProperties: false, description: 'The API key that made the change' }),
  requestId: Type.Union([Type.String(), Type.Null()]),
  resource: Type.String({ examples: ['metrics'] }),
  entityId: Type.String({ format: 'uuid' }),
  action: Type.Enum(['create', 'update', 'archive', 'restore']),
  version: Type.Integer({ minimum: 1, description: 'The entity\'s version after the change (before it, for an archive)' }),
  before: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'The representation before the change; null for a create' }),
  after: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], { description: 'The representation after the change; null for an archive' })
}, { $id: 'AuditEvent', description: 'One write, recorded in the transaction that made it', additionalProperties: false })

export const ArchivedRecord = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The archive entry\'s id (restore it with POST /v1/archive/{id}/restore)' }),
  resource: Type.String({ examples: ['honors'] }),
  entityId: Type.String({ format: 'uuid' }),
  label: Type.String({ description: 'The slug, code or id it was known by' }),
  archivedAt: Type.String({ format: 'date-time' }),
  archivedBy: Type.Object({ prefix: Type.String(), name: Type.String() }, { additionalProperties: false }),
  representation: Type.Object({}, { additionalProperties: true, description: 'Its representation when archived' })
}, { $id: 'ArchivedRecord', description: 'A deleted record, kept for restoring', additionalProperties: false })

export const AuditEventList = listResponse(AuditEvent, 'AuditEventList', 'One page of audit events, newest first')
export const ArchivedRecordList = listResponse(ArchivedRecord, 'ArchivedRecordList', 'One page of archived records, newest first')

export const schemas = [
  Provenance,
  ...[regionBodies, hospitalBodies, departmentBodies, departmentAliasBodies, observationBodies, metricDefinitionBodies, honorBodies, serviceBodies,
    conditionBodies, conditionLinkBodies, eventBodies, newsBodies, sourceBodies].flatMap((bodies) => [bodies.create, bodies.patch]),
  AuditEvent,
  ArchivedRecord,
  AuditEventList,
  ArchivedRecordList
]
