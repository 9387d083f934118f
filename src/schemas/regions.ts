import { Type } from 'typebox'
import { entityFields, ref } from './common.ts'

export const regionLevels = ['country', 'province', 'autonomous_region', 'municipality', 'prefecture', 'district', 'county'] as const

export const RegionLevel = Type.Enum([...regionLevels], {
  $id: 'RegionLevel',
  description: 'Administrative level, from the top: `country`; `province`, `autonomous_region` or `municipality` ' +
    '(a city governed directly, such as Chongqing) under a country; `prefecture` under a province or autonomous ' +
    'region; `district` or `county` under a municipality or prefecture.'
})

export const RegionReference = Type.Object({
  slug: Type.String({ examples: ['chongqing'] }),
  name: Type.String({ examples: ['Chongqing'] }),
  level: ref(RegionLevel)
}, { $id: 'RegionReference', description: 'A short reference to a region', additionalProperties: false })

export const Region = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['chongqing'] }),
  name: Type.String({ examples: ['Chongqing'] }),
  level: ref(RegionLevel),
  code: Type.Union([Type.String(), Type.Null()], { description: 'Official administrative division code, when known', examples: ['500000'] }),
  parent: Type.Union([ref(RegionReference), Type.Null()], { description: 'The region it lies in; null for a country' }),
  ancestors: Type.Array(ref(RegionReference), { description: 'Every region above it, from the top down' }),
  children: Type.Array(ref(RegionReference), { description: 'The regions directly under it, in slug order' }),
  hospitalCount: Type.Integer({ minimum: 0, description: 'Hospitals in it or in any region below it' }),
  ...entityFields,
  links: Type.Object({
    self: Type.String({ examples: ['/v1/regions/chongqing'] }),
    children: Type.String({ examples: ['/v1/regions?parent=chongqing'] }),
    hospitals: Type.String({ examples: ['/v1/hospitals?region=chongqing'] })
  }, { additionalProperties: false })
}, { $id: 'Region', description: 'An administrative area hospitals belong to', additionalProperties: false })

export const schemas = [RegionLevel, RegionReference, Region]
