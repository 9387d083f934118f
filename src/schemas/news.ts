import { Type } from 'typebox'
import { IsoDate, ref, entityFields } from './common.ts'
import { RelatedHospital, RelatedSource, RelatedUnit } from './facts.ts'

export const newsIncludes = ['hospital', 'departments', 'source'] as const
export type NewsInclude = (typeof newsIncludes)[number]

const newsFields = {
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['twins-department-recognized-nationally'] }),
  title: Type.String(),
  publishedOn: ref(IsoDate),
  summary: Type.Union([Type.String(), Type.Null()]),
  imageFile: Type.Union([Type.String(), Type.Null()]),
  imageCaption: Type.Union([Type.String(), Type.Null()]),
  hospital: RelatedHospital,
  departments: Type.Array(RelatedUnit, {
    description: 'The units the article is about, by slug; with include=departments, each the Department (without embeds)'
  }),
  source: RelatedSource,
  ...entityFields,
  links: Type.Object({ self: Type.String({ examples: ['/v1/news/twins-department-recognized-nationally'] }) }, { additionalProperties: false })
}

export const NewsSummary = Type.Object(newsFields, { $id: 'NewsSummary', description: 'A news article without its body', additionalProperties: false })
export const NewsArticle = Type.Object({ ...newsFields, body: Type.String() }, { $id: 'NewsArticle', additionalProperties: false })

export const schemas = [NewsSummary, NewsArticle]
