import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listResponse, sendPage } from '../../../lib/listing.ts'
import { DEFAULT_LIMIT, MAX_LIMIT, parseNames } from '../../../lib/paging.ts'
import type { SearchKind } from '../../../plugins/app/search/search-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { SearchHit, searchKinds } from '../../../schemas/search.ts'

const SearchResults = listResponse(SearchHit, 'SearchResults', 'One page of search hits, best first')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(SearchResults)

  fastify.get('/', {
    schema: {
      tags: ['search'],
      operationId: 'search',
      summary: 'Search units, services, conditions, honors and news',
      description: 'PostgreSQL full-text search (English stemming) over unit names, summaries, focus and aliases, ' +
        'services, conditions, honors and news articles. `q` takes web-search syntax: words, "quoted phrases", `or`, ' +
        'and `-word` to exclude. Hits are ranked with ts_rank, a word in a name or title counting more than in a ' +
        'summary or description, and more there than in a body; best first, with the matched text in `snippet`. ' +
        'Follow `page.nextCursor` for more.',
      querystring: Type.Object({
        q: Type.String({ minLength: 1, maxLength: 200, description: 'What to look for', examples: ['hysteroscopy'] }),
        kind: Type.Optional(Type.String({
          maxLength: 100,
          description: `Only these kinds of hit, comma-separated, from: ${searchKinds.join(', ')}.`,
          examples: ['department,service']
        })),
        hospital: Type.Optional(slug({ description: 'Only hits of this hospital (conditions are shared and then left out)', examples: ['cqhcwc'] })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Page size', examples: [DEFAULT_LIMIT] })),
        cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The `page.nextCursor` of the previous page (same q)' })),
        count: Type.Optional(Type.Boolean({ default: false, description: 'Add the exact number of hits as `page.total`' }))
      }, { additionalProperties: false }),
      response: {
        200: ref(SearchResults, { description: 'Ranked hits with snippets' }),
        400: problemResponse('q is missing, too long or has no searchable words, or a parameter is invalid'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { q, kind, hospital, limit = DEFAULT_LIMIT, cursor, count } = request.query
    const kinds = (kind === undefined ? [...searchKinds] : parseNames(kind, searchKinds, 'kind')) as SearchKind[]
    const result = await fastify.searchRepository.search({ q, kinds, hospital, limit, cursor, count })
    return sendPage(request, reply, { ...result, limit })
  })
}

export default plugin
