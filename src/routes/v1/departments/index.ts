import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldsParameter, includeParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { departmentListSpec } from '../../../plugins/app/departments/department-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Department, departmentIncludes, DepartmentParams, type DepartmentInclude } from '../../../schemas/departments.ts'
import departmentMetrics from './metrics.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { redirectAliases } from '../../../lib/alias-redirect.ts'

const departmentFields = ['slug', 'name', 'kind', 'hospital', 'parent', 'aliases', 'summary', 'focus', 'establishedYear',
  'source', 'version', 'updatedAt', 'links', ...departmentIncludes] as const

const DepartmentList = listResponse(Department, 'DepartmentList', 'One page of organisational units')

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(DepartmentList)
  // An alias slug (another name, or the slug before a rename) answers 301 on every GET under the unit.
  redirectAliases(fastify, async (slug) => (await fastify.departmentRepository.resolveAlias(slug))?.canonicalSlug ?? null)
  await fastify.register(writeRoutes(writableResources.departments, { detail: false, aliases: true }))
  // Autoload loads only index.ts from a folder that has one, so the unit's sub-resources are registered here.
  await fastify.register(departmentMetrics)

  fastify.get('/', {
    schema: {
      tags: ['departments'],
      operationId: 'listDepartments',
      summary: 'List organisational units',
      description: 'Divisions, departments and centers, filtered by hospital, region, kind or parent. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page. ' +
        '`include` embeds related resources without one query per unit; `fields` trims each item.',
      querystring: Type.Object({
        hospital: Type.Optional(slug({ description: 'Only units of this hospital', examples: ['cqhcwc'] })),
        region: Type.Optional(slug({ description: 'Only units of the hospitals in this region or any region below it (see /v1/regions)', examples: ['chongqing'] })),
        kind: Type.Optional(Type.Enum(['division', 'department', 'center'], { description: 'Only units of this kind' })),
        parent: Type.Optional(slug({ description: 'Only direct children of this unit', examples: ['women-health-care-division'] })),
        ...pagingParameters(departmentListSpec),
        include: includeParameter(departmentIncludes),
        fields: fieldsParameter(departmentFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(DepartmentList, { description: 'One page of units' }),
        400: problemResponse('A filter, limit, sort, cursor, include or field is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { hospital, region, kind, parent, limit, cursor, sort, count, include, fields } = request.query
    const includes = parseNames(include, departmentIncludes, 'include') as DepartmentInclude[]
    const selected = parseNames(fields, departmentFields, 'fields')
    const page = await fastify.departmentRepository.list({ hospital, region, kind, parent }, { limit, cursor, sort, count }, includes, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['departments'],
      operationId: 'getDepartment',
      summary: 'Get one organisational unit',
      description: 'The unit with, by default, its children and every figure stated for it (value, qualifier, period, ' +
        'source quote); `include` chooses what to embed. An alias slug (e.g. `obstetrics-second-department`) answers ' +
        '301 with the canonical URL in `Location`.',
      params: DepartmentParams,
      querystring: Type.Object({
        include: includeParameter(departmentIncludes, 'children,metrics')
      }, { additionalProperties: false }),
      response: {
        200: ref(Department, { description: 'The unit with what was asked to embed' }),
        301: Type.Null({ description: 'The slug is an alias; `Location` holds the canonical URL' }),
        400: problemResponse('The slug is malformed or an include name is unknown'),
        404: problemResponse('No unit or alias has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const includes = parseNames(request.query.include, departmentIncludes, 'include') as DepartmentInclude[]
    const found = await fastify.departmentRepository.findBySlug(request.params.slug, includes)
    if (found === null) throw new ProblemError('notFound', `No department, division or center has the slug "${request.params.slug}".`)
    if ('canonicalSlug' in found) {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
      return reply.redirect(`/v1/departments/${found.canonicalSlug}${query}`, 301)
    }
    reply.header('last-modified', found.department.updatedAt.toUTCString())
    reply.header('etag', request.entityTag(found.department.version))
    sendJson(reply, found.department.body)
    return reply
  })
}

export default plugin
