import { Type, type Static } from 'typebox'
import { HospitalReference, IsoDate, ref, refById, SourceReference, UnitReference, entityFields } from './common.ts'
import { Hospital } from './hospitals.ts'

// Honors, services, conditions and timeline events: the facts a source states about a unit or a hospital.

// A fact refers to its hospital, unit and source by a short reference; `include` expands a reference in place into
// the full resource (the Department without embeds, the Hospital, the Source with the fact's quote). Department and
// CitedSource are named by $id: their modules import this one. An expanded resource is a superset of its reference.
const Department = refById<Static<typeof UnitReference> & Record<string, unknown>>('Department')
const CitedSource = refById<Static<typeof SourceReference> & Record<string, unknown>>('CitedSource')

/** The hospital a fact belongs to, expanded with include=hospital. */
export const RelatedHospital = Type.Union([ref(HospitalReference), ref(Hospital)], {
  description: 'A reference to the hospital; with include=hospital, the Hospital'
})

/** The unit a fact belongs to, expanded with include=department. */
export const RelatedUnit = Type.Union([ref(UnitReference), Department], {
  description: 'A reference to the unit; with include=department, the Department (without embeds)'
})

/** The source a fact cites, expanded with include=source into the Source with the quote. */
export const RelatedSource = Type.Union([ref(SourceReference), CitedSource], {
  description: 'The document and the exact quote backing the fact; with include=source, the Source with the quote'
})

export const honorIncludes = ['hospital', 'department', 'source'] as const
export type HonorInclude = (typeof honorIncludes)[number]
export const serviceIncludes = ['department', 'source'] as const
export type ServiceInclude = (typeof serviceIncludes)[number]
export const eventIncludes = ['hospital', 'department', 'source'] as const
export type EventInclude = (typeof eventIncludes)[number]
export const conditionLinkIncludes = ['condition', 'department', 'source'] as const
export type ConditionLinkInclude = (typeof conditionLinkIncludes)[number]

export const HonorKind = Type.Enum(['designation', 'accreditation', 'recognition', 'membership', 'distinction'], { $id: 'HonorKind' })
export const HonorLevel = Type.Enum(['institutional', 'municipal', 'provincial', 'regional', 'national', 'international'], { $id: 'HonorLevel' })

export const Honor = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['municipal-medical-specialty-department'] }),
  title: Type.String({ examples: ['Municipal-level medical specialty department'] }),
  kind: ref(HonorKind),
  issuer: Type.Union([Type.String(), Type.Null()], { examples: ['China Maternal and Child Health Association'] }),
  level: Type.Union([ref(HonorLevel), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()], { description: 'Year awarded, when the source states it', examples: [2009] }),
  statedOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'Date of the source that states the honor' }),
  hospital: RelatedHospital,
  department: Type.Union([ref(UnitReference), Department, Type.Null()], {
    description: 'Null for an honor of the whole hospital; with include=department, the Department (without embeds)'
  }),
  source: RelatedSource,
  ...entityFields
}, { $id: 'Honor', description: 'An honor, designation, accreditation, membership or distinction', additionalProperties: false })

export const ServiceKind = Type.Enum(['procedure', 'treatment', 'clinic', 'screening', 'management', 'consultation', 'transport'], { $id: 'ServiceKind' })

export const Service = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['laparoscopic-surgery'] }),
  name: Type.String({ examples: ['Laparoscopic surgeries'] }),
  kind: ref(ServiceKind),
  description: Type.Union([Type.String(), Type.Null()]),
  department: RelatedUnit,
  source: RelatedSource,
  ...entityFields
}, { $id: 'Service', description: 'A service in a unit\'s scope of diagnosis and treatment', additionalProperties: false })

export const ConditionRelation = Type.Enum(['treated', 'managed', 'screened'], { $id: 'ConditionRelation' })

export const ConditionLink = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The link\'s id: change or archive it at /v1/condition-links/{id}' }),
  condition: Type.Union([
    Type.Object({ slug: Type.String(), name: Type.String() }, { additionalProperties: false }),
    refById<{ slug: string, name: string } & Record<string, unknown>>('Condition')
  ], { description: 'A reference to the condition; with include=condition, the Condition with all its links' }),
  department: RelatedUnit,
  relation: ref(ConditionRelation),
  source: RelatedSource,
  ...entityFields
}, { $id: 'ConditionLink', description: 'That a unit treats, manages or screens for a condition, as a source says', additionalProperties: false })

export const Condition = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['cesarean-scar-pregnancy'] }),
  name: Type.String({ examples: ['Cesarean scar pregnancy'] }),
  departments: Type.Array(ref(ConditionLink), { description: 'The units that treat, manage or screen for it' }),
  ...entityFields
}, { $id: 'Condition', additionalProperties: false })

export const EventKind = Type.Enum(['founding', 'designation', 'partnership', 'milestone', 'equipment', 'recognition'], { $id: 'EventKind' })

export const Event = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['perinatal-medical-center-founded'] }),
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  kind: ref(EventKind),
  year: Type.Union([Type.Integer(), Type.Null()], { examples: [2018] }),
  occurredOn: Type.Union([ref(IsoDate), Type.Null()], { description: 'The date to its stated precision (a year-only event is 1 January)' }),
  datePrecision: Type.Enum(['day', 'month', 'year', 'unknown']),
  hospital: RelatedHospital,
  department: Type.Union([ref(UnitReference), Department, Type.Null()], {
    description: 'Null for an event of the whole hospital; with include=department, the Department (without embeds)'
  }),
  source: RelatedSource,
  ...entityFields
}, { $id: 'Event', description: 'An event in the timeline', additionalProperties: false })

export const schemas = [HonorKind, HonorLevel, Honor, ServiceKind, Service, ConditionRelation, ConditionLink, Condition, EventKind, Event]
