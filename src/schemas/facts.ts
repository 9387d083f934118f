import { Type } from 'typebox'
import { HospitalReference, IsoDate, ref, SourceReference, UnitReference, entityFields } from './common.ts'

// Honors, services, conditions and timeline events: the facts a source states about a unit or a hospital.

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
  hospital: ref(HospitalReference),
  department: Type.Union([ref(UnitReference), Type.Null()], { description: 'Null for an honor of the whole hospital' }),
  source: ref(SourceReference),
  ...entityFields
}, { $id: 'Honor', description: 'An honor, designation, accreditation, membership or distinction', additionalProperties: false })

export const ServiceKind = Type.Enum(['procedure', 'treatment', 'clinic', 'screening', 'management', 'consultation', 'transport'], { $id: 'ServiceKind' })

export const Service = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['laparoscopic-surgery'] }),
  name: Type.String({ examples: ['Laparoscopic surgeries'] }),
  kind: ref(ServiceKind),
  description: Type.Union([Type.String(), Type.Null()]),
  department: ref(UnitReference),
  source: ref(SourceReference),
  ...entityFields
}, { $id: 'Service', description: 'A service in a unit\'s scope of diagnosis and treatment', additionalProperties: false })

export const ConditionRelation = Type.Enum(['treated', 'managed', 'screened'], { $id: 'ConditionRelation' })

export const ConditionLink = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The link\'s id: change or archive it at /v1/condition-links/{id}' }),
  condition: Type.Object({ slug: Type.String(), name: Type.String() }, { additionalProperties: false }),
  department: ref(UnitReference),
  relation: ref(ConditionRelation),
  source: ref(SourceReference),
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
  hospital: ref(HospitalReference),
  department: Type.Union([ref(UnitReference), Type.Null()]),
  source: ref(SourceReference),
  ...entityFields
}, { $id: 'Event', description: 'An event in the timeline', additionalProperties: false })

export const schemas = [HonorKind, HonorLevel, Honor, ServiceKind, Service, ConditionRelation, ConditionLink, Condition, EventKind, Event]
