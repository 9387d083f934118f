import { Type, type Static, type TSchema } from 'typebox'
import { ref } from './common.ts'

// The FHIR R4 resources the /fhir/r4 view emits, described exactly as it emits them (the FHIR data types reduced
// to the elements used). The tests validate every emitted resource against the official R4 definitions as well.

const fhirId = Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$', description: 'FHIR id (the record\'s UUID)', examples: ['0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11'] })
const uri = (description: string, examples: string[]) => Type.String({ description, examples })

export const FhirCoding = Type.Object({
  system: uri('The code system', ['https://hospital-departments-api.org/fhir/CodeSystem/metric']),
  code: Type.String({ examples: ['beds'] }),
  display: Type.Optional(Type.String({ examples: ['Beds'] }))
}, { $id: 'FhirCoding', additionalProperties: false })

export const FhirCodeableConcept = Type.Object({
  coding: Type.Optional(Type.Array(ref(FhirCoding), { minItems: 1 })),
  text: Type.Optional(Type.String({ examples: ['Beds'] }))
}, { $id: 'FhirCodeableConcept', additionalProperties: false })

export const FhirReference = Type.Object({
  reference: Type.String({ description: 'Relative reference: Type/id', examples: ['Organization/0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11'] }),
  display: Type.Optional(Type.String({ examples: ['General Gynecology Department'] }))
}, { $id: 'FhirReference', additionalProperties: false })

export const FhirExtension = Type.Object({
  url: uri('What the extension means', ['https://hospital-departments-api.org/fhir/StructureDefinition/source-quote']),
  valueString: Type.Optional(Type.String()),
  valueBoolean: Type.Optional(Type.Boolean()),
  valueInteger: Type.Optional(Type.Integer()),
  valueCode: Type.Optional(Type.String()),
  valueUri: Type.Optional(Type.String())
}, { $id: 'FhirExtension', description: 'An extension with one value', additionalProperties: false })

export const FhirMeta = Type.Object({
  versionId: Type.String({ description: 'The record\'s version, as in the native API', examples: ['3'] }),
  lastUpdated: Type.String({ format: 'date-time', examples: ['2026-11-23T06:00:00.000Z'] }),
  source: Type.Optional(uri('The source document the facts come from (urn:uuid of /v1/sources/{id})', ['urn:uuid:5f0e9f53-64f1-4a6c-a2f4-7c1d2c3b4a5e']))
}, { $id: 'FhirMeta', additionalProperties: false })

const extensions = Type.Optional(Type.Array(ref(FhirExtension)))

export const FhirOrganization = Type.Object({
  resourceType: Type.Literal('Organization'),
  id: fhirId,
  meta: ref(FhirMeta),
  extension: extensions,
  identifier: Type.Array(Type.Object({
    system: uri('Slugs of hospitals or of units', ['https://hospital-departments-api.org/fhir/sid/unit-slug']),
    value: Type.String({ examples: ['general-gynecology'] })
  }, { additionalProperties: false })),
  active: Type.Boolean({ description: 'Always true: an archived record is gone (410) from this view' }),
  type: Type.Array(ref(FhirCodeableConcept)),
  name: Type.String({ examples: ['General Gynecology Department'] }),
  alias: Type.Optional(Type.Array(Type.String())),
  address: Type.Array(Type.Object({
    city: Type.String({ examples: ['Chongqing'] }),
    state: Type.String({ examples: ['Chongqing'] }),
    country: Type.String({ examples: ['CN'] })
  }, { additionalProperties: false })),
  partOf: Type.Optional(ref(FhirReference))
}, { $id: 'FhirOrganization', description: 'A hospital or one of its units (division, department, center)', additionalProperties: false })

export const FhirHealthcareService = Type.Object({
  resourceType: Type.Literal('HealthcareService'),
  id: fhirId,
  meta: ref(FhirMeta),
  extension: extensions,
  active: Type.Boolean(),
  providedBy: ref(FhirReference),
  category: Type.Array(ref(FhirCodeableConcept)),
  type: Type.Array(ref(FhirCodeableConcept)),
  name: Type.String({ examples: ['Laparoscopic surgeries'] }),
  comment: Type.Optional(Type.String()),
  characteristic: Type.Optional(Type.Array(ref(FhirCodeableConcept), { description: 'Conditions the providing unit treats, manages or screens for' }))
}, { $id: 'FhirHealthcareService', description: 'A service of a unit', additionalProperties: false })

export const FhirObservation = Type.Object({
  resourceType: Type.Literal('Observation'),
  id: fhirId,
  meta: ref(FhirMeta),
  extension: extensions,
  status: Type.Literal('final'),
  category: Type.Array(ref(FhirCodeableConcept)),
  code: ref(FhirCodeableConcept),
  focus: Type.Array(ref(FhirReference), { description: 'The unit the figure is about' }),
  performer: Type.Array(ref(FhirReference), { description: 'The unit that reports the figure' }),
  effectivePeriod: Type.Optional(Type.Object({
    start: Type.String({ format: 'date' }),
    end: Type.String({ format: 'date' })
  }, { additionalProperties: false })),
  effectiveDateTime: Type.Optional(Type.String({ format: 'date', description: 'The date the source states the figure on' })),
  valueQuantity: Type.Object({
    extension: extensions,
    value: Type.Number({ examples: [30000] }),
    comparator: Type.Optional(Type.Union([Type.Literal('<'), Type.Literal('<='), Type.Literal('>='), Type.Literal('>')])),
    unit: Type.String({ examples: ['visits'] }),
    system: Type.Optional(Type.Literal('http://unitsofmeasure.org')),
    code: Type.Optional(Type.String({ description: 'UCUM (absent when the metric\'s unit is not a valid code)', examples: ['{visit}'] }))
  }, { additionalProperties: false }),
  note: Type.Array(Type.Object({ text: Type.String() }, { additionalProperties: false }))
}, { $id: 'FhirObservation', description: 'A figure with its qualifier, period and source sentence', additionalProperties: false })

export const FhirBasic = Type.Object({
  resourceType: Type.Literal('Basic'),
  id: fhirId,
  meta: ref(FhirMeta),
  extension: extensions,
  code: ref(FhirCodeableConcept),
  subject: ref(FhirReference),
  created: Type.Optional(Type.String({ format: 'date', description: 'The date of the source that states the honor' }))
}, { $id: 'FhirBasic', description: 'An honor, designation, accreditation, membership or distinction', additionalProperties: false })

export const FhirIssue = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('fatal')]),
  code: Type.String({ description: 'IssueType code', examples: ['not-found'] }),
  details: Type.Optional(Type.Object({ text: Type.String() }, { additionalProperties: false })),
  diagnostics: Type.String({ examples: ['Organization/123 is not known.'] })
}, { $id: 'FhirIssue', additionalProperties: false })

export const FhirOperationOutcome = Type.Object({
  resourceType: Type.Literal('OperationOutcome'),
  issue: Type.Array(ref(FhirIssue), { minItems: 1 })
}, { $id: 'FhirOperationOutcome', description: 'Why a FHIR request failed', additionalProperties: false })

export const fhirResources = {
  Organization: FhirOrganization,
  HealthcareService: FhirHealthcareService,
  Observation: FhirObservation,
  Basic: FhirBasic
} as const

export type FhirResourceType = keyof typeof fhirResources
export type FhirResource = Static<typeof FhirOrganization> | Static<typeof FhirHealthcareService> | Static<typeof FhirObservation> | Static<typeof FhirBasic>

const link = Type.Object({
  relation: Type.Union([Type.Literal('self'), Type.Literal('next')]),
  url: Type.String({ description: 'Absolute URL; follow `next` as it is', examples: ['https://api.example.org/fhir/r4/Organization?_count=20'] })
}, { additionalProperties: false })

export const FhirBundle = Type.Object({
  resourceType: Type.Literal('Bundle'),
  type: Type.Literal('searchset'),
  total: Type.Integer({ minimum: 0, description: 'Every match, across all pages' }),
  link: Type.Array(link),
  entry: Type.Optional(Type.Array(Type.Object({
    fullUrl: Type.String({ description: 'The resource\'s absolute URL', examples: ['https://api.example.org/fhir/r4/Organization/0b0d6a53-5d3c-4c40-9a4e-3a6f3f1f2c11'] }),
    resource: Type.Union(Object.values(fhirResources).map((schema) => ref(schema as TSchema))),
    search: Type.Object({ mode: Type.Union([Type.Literal('match'), Type.Literal('include')]) }, { additionalProperties: false })
  }, { additionalProperties: false })))
}, { $id: 'FhirBundle', description: 'A page of search results', additionalProperties: false })

const searchParam = Type.Object({
  name: Type.String(),
  definition: Type.Optional(Type.String()),
  type: Type.String(),
  documentation: Type.String()
}, { additionalProperties: false })

export const FhirCapabilityStatement = Type.Object({
  resourceType: Type.Literal('CapabilityStatement'),
  status: Type.Literal('active'),
  date: Type.String(),
  publisher: Type.String(),
  kind: Type.Literal('instance'),
  software: Type.Object({ name: Type.String(), version: Type.String() }, { additionalProperties: false }),
  implementation: Type.Object({ description: Type.String(), url: Type.String() }, { additionalProperties: false }),
  fhirVersion: Type.Literal('4.0.1'),
  format: Type.Array(Type.String()),
  rest: Type.Array(Type.Object({
    mode: Type.Literal('server'),
    documentation: Type.String(),
    resource: Type.Array(Type.Object({
      type: Type.String(),
      profile: Type.String(),
      documentation: Type.String(),
      interaction: Type.Array(Type.Object({ code: Type.String() }, { additionalProperties: false })),
      versioning: Type.Literal('versioned'),
      readHistory: Type.Boolean(),
      conditionalRead: Type.Literal('full-support'),
      searchInclude: Type.Array(Type.String()),
      searchParam: Type.Array(searchParam)
    }, { additionalProperties: false }))
  }, { additionalProperties: false }))
}, { $id: 'FhirCapabilityStatement', description: 'What this FHIR view supports', additionalProperties: false })

export const schemas = [FhirCoding, FhirCodeableConcept, FhirReference, FhirExtension, FhirMeta, FhirOrganization, FhirHealthcareService,
  FhirObservation, FhirBasic, FhirIssue, FhirOperationOutcome, FhirBundle, FhirCapabilityStatement]
