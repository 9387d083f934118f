import { Type } from 'typebox'
import { ref, SourceReference, UnitKind, entityFields } from './common.ts'
import { RegionReference } from './regions.ts'

export const hospitalGrades = ['tertiary_a', 'tertiary_b', 'tertiary_c', 'tertiary', 'secondary_a', 'secondary_b', 'secondary_c',
  'secondary', 'primary_a', 'primary_b', 'primary_c', 'primary', 'ungraded'] as const
export const hospitalTypes = ['general', 'maternal_child_health', 'children', 'tcm', 'integrated_tcm_western', 'specialized', 'other'] as const
export const hospitalOwnerships = ['public', 'private', 'mixed', 'other'] as const

export const HospitalGrade = Type.Enum([...hospitalGrades], {
  $id: 'HospitalGrade',
  description: 'The national hospital grade: level and class, `tertiary_a` for "tertiary class A" (三级甲等) down to ' +
    '`primary_c`; a level alone (`tertiary`, `secondary`, `primary`) when graded without a class; `ungraded`.',
  examples: ['tertiary_a']
})

export const HospitalType = Type.Enum([...hospitalTypes], {
  $id: 'HospitalType',
  description: 'What kind of hospital it is: `general`, `maternal_child_health` (a maternal and child health ' +
    'hospital or center), `children`, `tcm` (traditional Chinese medicine), `integrated_tcm_western`, `specialized` ' +
    '(one specialty: oncology, stomatology, psychiatry…), `other`.',
  examples: ['maternal_child_health']
})

export const HospitalOwnership = Type.Enum([...hospitalOwnerships], {
  $id: 'HospitalOwnership',
  description: 'Who owns it: `public` (government-run), `private`, `mixed` (public and private capital), `other`.',
  examples: ['public']
})

export const Hospital = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['cqhcwc'] }),
  name: Type.String({ examples: ['Chongqing Health Center for Women and Children'] }),
  shortName: Type.Union([Type.String(), Type.Null()], { examples: ['CQHCWC'] }),
  city: Type.String({ examples: ['Chongqing'] }),
  province: Type.String({ examples: ['Chongqing'] }),
  country: Type.String({ description: 'ISO 3166-1 alpha-2', examples: ['CN'] }),
  region: Type.Union([ref(RegionReference), Type.Null()], { description: 'The region it lies in (see /v1/regions); null when not known' }),
  grade: Type.Union([ref(HospitalGrade), Type.Null()], { description: 'Null when not known' }),
  type: Type.Union([ref(HospitalType), Type.Null()], { description: 'Null when not known' }),
  ownership: Type.Union([ref(HospitalOwnership), Type.Null()], { description: 'Null when not known' }),
  aliases: Type.Array(Type.Object({ name: Type.String(), slug: Type.String() }, { additionalProperties: false }), {
    description: 'Former slugs: their URLs answer 301 to this hospital\'s'
  }),
  source: ref(SourceReference),
  ...entityFields,
  links: Type.Object({
    self: Type.String({ examples: ['/v1/hospitals/cqhcwc'] }),
    departments: Type.String({ examples: ['/v1/departments?hospital=cqhcwc'] }),
    tree: Type.String({ examples: ['/v1/hospitals/cqhcwc/tree'] })
  }, { additionalProperties: false })
}, { $id: 'Hospital', additionalProperties: false })

export const TreeNode = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  kind: ref(UnitKind),
  children: Type.Array(Type.Unsafe({ $ref: 'TreeNode#' }))
}, { $id: 'TreeNode', description: 'A unit and the units under it', additionalProperties: false })

export const HospitalTree = Type.Object({
  hospital: Type.Object({ slug: Type.String(), name: Type.String() }, { additionalProperties: false }),
  units: Type.Array(ref(TreeNode), { description: 'Top-level units, each with its descendants' })
}, { $id: 'HospitalTree', description: 'The whole hierarchy of a hospital\'s units', additionalProperties: false })

export const schemas = [HospitalGrade, HospitalType, HospitalOwnership, Hospital, TreeNode, HospitalTree]
