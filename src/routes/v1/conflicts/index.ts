import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { pagingParameters, sendJsonPage } from '../../../lib/listing.ts'
import { conflictListSpec } from '../../../plugins/app/metrics/conflict-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { FigureConflictList } from '../../../schemas/conflicts.ts'
import { metricCodeInput } from '../../../schemas/writes.ts'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      tags: ['metrics'],
      operationId: 'listConflicts',
      summary: 'List conflicting figures',
      description: 'Where sources disagree: each unit, metric and period with figures stating different values (or ' +
        'comparators), with every figure, its source and the date it was stated. No figure is overwritten: the one that ' +
        'counts (in statistics, and marked `conflict.current` on the figures) is the latest stated, then the latest ' +
        'entered. Filter by hospital, unit or metric; follow `page.nextCursor` for the next page.',
      querystring: Type.Object({
        hospital: Type.Optional(slug({ description: 'Only conflicts in this hospital\'s units', examples: ['cqhcwc'] })),
        department: Type.Optional(slug({ description: 'Only conflicts of this unit (its slug or an alias slug)', examples: ['general-gynecology'] })),
        metric: Type.Optional(Type.String({ ...metricCodeInput, description: 'Only conflicts of this metric' })),
        ...pagingParameters(conflictListSpec)
      }, { additionalProperties: false }),
      response: {
        200: ref(FigureConflictList, { description: 'One page of conflicts' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { limit, cursor, sort, count, ...filters } = request.query
    const page = await fastify.conflictRepository.list(filters, { limit, cursor, sort, count })
    sendJsonPage(request, reply, page)
    return reply
  })
}

export default plugin
