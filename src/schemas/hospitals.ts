import { Type } from 'typebox'
import { ref, SourceReference, UnitKind, entityFields } from './common.ts'

export const Hospital = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['cqhcwc'] }),
  name: Type.String({ examples: ['Chongqing Health Center for Women and Children'] }),
  shortName: Type.Union([Type.String(), Type.Null()], { examples: ['CQHCWC'] }),
  city: Type.String({ examples: ['Chongqing'] }),
  province: Type.String({ examples: ['Chongqing'] }),
  country: Type.String({ description: 'ISO 3166-1 alpha-2', examples: ['CN'] }),
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

export const schemas = [Hospital, TreeNode, HospitalTree]
