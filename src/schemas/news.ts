import { Type } from 'typebox'
import { HospitalReference, IsoDate, ref, SourceReference, UnitReference, entityFields } from './common.ts'

const newsFields = {
  id: Type.String({ format: 'uuid' }),
  slug: Type.String({ examples: ['twins-department-recognized-nationally'] }),
  title: Type.String(),
  publishedOn: ref(IsoDate),
  summary: Type.Union([Type.String(), Type.Null()]),
  imageFile: Type.Union([Type.String(), Type.Null()]),
  imageCaption: Type.Union([Type.String(), Type.Null()]),
  hospital: ref(HospitalReference),
  departments: Type.Array(ref(UnitReference)),
  source: ref(SourceReference),
  ...entityFields,
  links: Type.Object({ self: Type.String({ examples: ['/v1/news/twins-department-recognized-nationally'] }) }, { additionalProperties: false })
}

export const NewsSummary = Type.Object(newsFields, { $id: 'NewsSummary', description: 'A news article without its body', additionalProperties: false })
export const NewsArticle = Type.Object({ ...newsFields, body: Type.String() }, { $id: 'NewsArticle', additionalProperties: false })

export const schemas = [NewsSummary, NewsArticle]
