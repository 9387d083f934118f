import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ProblemError } from '../../../lib/problem.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { DepartmentDetail, DepartmentList, DepartmentListQuery, DepartmentParams } from '../../../schemas/departments.ts'

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', {
    schema: {
      tags: ['departments'],
      operationId: 'listDepartments',
      summary: 'List organisational units',
      description: 'Divisions, departments and centers, ordered by slug, filtered by hospital, kind or parent. ' +
        'Follow `page.nextCursor` for the next page.',
      querystring: DepartmentListQuery,
      response: {
        200: ref(DepartmentList, { description: 'One page of units' }),
        400: problemResponse('A filter, the limit or the cursor is invalid, or a parameter is unknown'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request) => {
    const { data, nextCursor } = await fastify.departmentRepository.list(request.query)
    return { data, page: { limit: request.query.limit ?? 20, nextCursor } }
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['departments'],
      operationId: 'getDepartment',
      summary: 'Get one organisational unit with its figures',
      description: 'The unit with its children and every figure stated for it (value, qualifier, period, source quote). ' +
        'An alias slug (e.g. `obstetrics-second-department`) answers 301 with the canonical URL in `Location`.',
      params: DepartmentParams,
      response: {
        200: ref(DepartmentDetail, { description: 'The unit with its children and figures' }),
        301: Type.Null({ description: 'The slug is an alias; `Location` holds the canonical URL' }),
        400: problemResponse('The slug is not a valid slug'),
        404: problemResponse('No unit or alias has this slug'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.departmentRepository.findBySlug(request.params.slug)
    if (found === null) throw new ProblemError('notFound', `No department, division or center has the slug "${request.params.slug}".`)
    if ('canonicalSlug' in found) return reply.redirect(`/v1/departments/${found.canonicalSlug}`, 301)
    return found.department
  })
}

export default plugin
