import { Type } from 'typebox'
import { HospitalReference, ref, slug, SourceReference, UnitKind, UnitReference, entityFields } from './common.ts'
import { ConditionLink, Event, Honor, Service } from './facts.ts'
import { Observation } from './metrics.ts'
import { NewsSummary } from './news.ts'

export const departmentIncludes = ['children', 'metrics', 'honors', 'services', 'conditions', 'events', 'news'] as const
export type DepartmentInclude = (typeof departmentIncludes)[number]

export const Department = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['general-gynecology'] }),
  name: Type.String({ examples: ['General Gynecology Department'] }),
  kind: ref(UnitKind),
  hospital: ref(HospitalReference),
  parent: Type.Union([ref(UnitReference), Type.Null()]),
  aliases: Type.Array(Type.Object({ name: Type.String(), slug: Type.String() }, { additionalProperties: false }), {
    description: 'Other names the unit is known by, and its former slugs; their URLs answer 301 to this unit\'s (see /v1/department-aliases)'
  }),
  summary: Type.Union([Type.String(), Type.Null()]),
  focus: Type.Union([Type.String(), Type.Null()]),
  establishedYear: Type.Union([Type.Integer(), Type.Null()], { examples: [2016] }),
  source: ref(SourceReference),
  ...entityFields,
  links: Type.Object({
    self: Type.String({ examples: ['/v1/departments/general-gynecology'] }),
    metrics: Type.String({ examples: ['/v1/departments/general-gynecology/metrics'] })
  }, { additionalProperties: false }),
  children: Type.Optional(Type.Array(ref(UnitReference), { description: 'With include=children' })),
  metrics: Type.Optional(Type.Array(ref(Observation), { description: 'With include=metrics: every figure stated for the unit' })),
  honors: Type.Optional(Type.Array(ref(Honor), { description: 'With include=honors' })),
  services: Type.Optional(Type.Array(ref(Service), { description: 'With include=services' })),
  conditions: Type.Optional(Type.Array(ref(ConditionLink), { description: 'With include=conditions' })),
  events: Type.Optional(Type.Array(ref(Event), { description: 'With include=events' })),
  news: Type.Optional(Type.Array(ref(NewsSummary), { description: 'With include=news' }))
}, { $id: 'Department', description: 'An organisational unit: a division, department or center', additionalProperties: false })

export const DepartmentParams = Type.Object({
  slug: slug({ description: 'The unit\'s slug or one of its aliases' })
}, { additionalProperties: false })

export const DepartmentAlias = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['gynecology'] }),
  name: Type.String({ examples: ['Gynecology Department'] }),
  department: ref(UnitReference),
  hospital: ref(HospitalReference),
  source: ref(SourceReference),
  ...entityFields,
  links: Type.Object({
    self: Type.String({ examples: ['/v1/department-aliases/gynecology'] }),
    department: Type.String({ description: 'The alias URL of the unit: answers 301 to its own', examples: ['/v1/departments/gynecology'] })
  }, { additionalProperties: false })
}, {
  $id: 'DepartmentAlias',
  description: 'Another name a unit is known by, or a slug it had before it was renamed: GET /v1/departments/{alias slug} ' +
    '(and the unit\'s sub-resources under it) answers 301 to the unit\'s own URL',
  additionalProperties: false
})

export const schemas = [Department, DepartmentAlias]
