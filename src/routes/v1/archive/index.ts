import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { pagingParameters, sendPage } from '../../../lib/listing.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { archiveListSpec } from '../../../plugins/app/writes/audit-repository.ts'
import { resourcesByName } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { ArchivedRecord, ArchivedRecordList } from '../../../schemas/writes.ts'

const ArchiveParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The archive entry\'s id' })
}, { additionalProperties: false })

// Archived records are out of every public read; editors (write scope) can look them up, administrators restore.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    config: { scope: 'write', responseCache: false },
    schema: {
      tags: ['archive'],
      operationId: 'listArchivedRecords',
      summary: 'List archived records',
      description: 'Records removed by DELETE, newest first (write scope), each with its representation when archived. ' +
        'Follow `page.nextCursor` for the next page.',
      querystring: Type.Object({
        resource: Type.Optional(Type.Enum([...resourcesByName.keys()], { description: 'Only records of this resource' })),
        ...pagingParameters(archiveListSpec)
      }, { additionalProperties: false }),
      response: {
        200: ref(ArchivedRecordList, { description: 'One page of archived records' }),
        400: problemResponse('A filter, limit or cursor is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { resource, limit, cursor, sort, count } = request.query
    return sendPage(request, reply, await fastify.auditRepository.listArchived({ resource }, { limit, cursor, sort, count }))
  })

  fastify.get('/:id', {
    config: { scope: 'write', responseCache: false },
    schema: {
      tags: ['archive'],
      operationId: 'getArchivedRecord',
      summary: 'Get one archived record',
      description: 'An archived record and its representation when it was archived (write scope).',
      params: ArchiveParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(ArchivedRecord, { description: 'The archived record' }),
        400: problemResponse('The id is malformed or a parameter is unknown'),
        404: problemResponse('No archived record has this id (never archived, or restored)'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request) => {
    const found = await fastify.auditRepository.findArchived(request.params.id)
    if (found === null) throw new ProblemError('notFound', `No archived record has the id ${request.params.id}.`)
    return found
  })

  fastify.post('/:id/restore', {
    config: { scope: 'admin' },
    schema: {
      tags: ['archive'],
      operationId: 'restoreArchivedRecord',
      summary: 'Restore an archived record',
      description: 'Puts the record back with its id and the rows archived with it (admin scope), one version later, ' +
        'so an ETag from before the archive no longer matches. Answers 201 with the record, its URL in `Location` and ' +
        'its `ETag`. Refused with 409 when its slug has been taken since, or what it belongs to is archived.',
      params: ArchiveParams,
      response: {
        201: {
          description: 'The restored record',
          headers: { location: Type.String(), etag: Type.String() },
          content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) } }
        },
        400: problemResponse('The id is malformed'),
        404: problemResponse('No archived record has this id'),
        409: problemResponse('Its slug is taken, or what it belongs to is archived'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const restored = await fastify.writer.restore(request, request.params.id)
    reply.code(201).header('location', restored.location).header('etag', restored.etag)
    return restored.representation
  })
}

export default plugin
