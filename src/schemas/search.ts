import { Type } from 'typebox'
import { ref, UnitReference } from './common.ts'

export const searchKinds = ['department', 'service', 'condition', 'honor', 'news'] as const

export const SearchHit = Type.Object({
  kind: Type.Enum([...searchKinds]),
  id: Type.String({ format: 'uuid' }),
  title: Type.String({ examples: ['Hysteroscopic surgeries'] }),
  snippet: Type.String({ description: 'The matched text, with matches wrapped in <mark></mark>', examples: ['<mark>Hysteroscopic</mark> surgeries;'] }),
  rank: Type.Number({ description: 'Relevance; higher is better' }),
  department: Type.Union([ref(UnitReference), Type.Null()]),
  links: Type.Object({ self: Type.String({ examples: ['/v1/services?department=general-gynecology'] }) }, { additionalProperties: false })
}, { $id: 'SearchHit', additionalProperties: false })

export const schemas = [SearchHit]
