import { Type, type Static } from 'typebox'
import { PageInfo, ref, slug, SourceReference } from './common.ts'
import { Observation } from './metrics.ts'

const unitKinds = ['division', 'department', 'center']
export const UnitKind = Type.Enum(unitKinds, { $id: 'UnitKind' })

const UnitReference = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  kind: ref(UnitKind)
}, { $id: 'UnitReference', additionalProperties: false })

const departmentFields = {
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String({ examples: ['General Gynecology Department'] }),
  kind: ref(UnitKind),
  hospital: Type.Object({
    slug: Type.String(),
    name: Type.String({ examples: ['Chongqing Health Center for Women and Children'] }),
    shortName: Type.Union([Type.String(), Type.Null()], { examples: ['CQHCWC'] })
  }, { additionalProperties: false }),
  parent: Type.Union([ref(UnitReference), Type.Null()]),
  aliases: Type.Array(Type.Object({ name: Type.String(), slug: Type.String() }, { additionalProperties: false })),
  summary: Type.Union([Type.String(), Type.Null()]),
  focus: Type.Union([Type.String(), Type.Null()]),
  establishedYear: Type.Union([Type.Integer(), Type.Null()], { examples: [2016] }),
  source: ref(SourceReference),
  version: Type.Integer({ minimum: 1 }),
  updatedAt: Type.String({ format: 'date-time' }),
  links: Type.Object({
    self: Type.String({ examples: ['/v1/departments/general-gynecology'] })
  }, { additionalProperties: false })
}

export const Department = Type.Object(departmentFields, {
  $id: 'Department',
  description: 'An organisational unit: a division, department or center',
  additionalProperties: false
})
export type DepartmentBody = Static<typeof Department>

export const DepartmentDetail = Type.Object({
  ...departmentFields,
  children: Type.Array(ref(UnitReference)),
  metrics: Type.Array(ref(Observation), { description: 'Every figure stated for the unit' })
}, { $id: 'DepartmentDetail', additionalProperties: false })
export type DepartmentDetailBody = Static<typeof DepartmentDetail>

export const DepartmentList = Type.Object({
  data: Type.Array(ref(Department)),
  page: ref(PageInfo)
}, { $id: 'DepartmentList', additionalProperties: false })

export const DepartmentListQuery = Type.Object({
  hospital: Type.Optional(slug({ description: 'Only units of this hospital', examples: ['cqhcwc'] })),
  kind: Type.Optional(Type.Enum(unitKinds, { description: 'Only units of this kind' })),
  parent: Type.Optional(slug({ description: 'Only direct children of this unit', examples: ['women-health-care-division'] })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The `page.nextCursor` of the previous page' }))
}, { additionalProperties: false })

export const departmentSchemas = [UnitKind, UnitReference, Department, DepartmentDetail, DepartmentList]

export const DepartmentParams = Type.Object({
  slug: slug({ description: 'The unit\'s slug or one of its aliases' })
}, { additionalProperties: false })
