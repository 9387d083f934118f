import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fieldNames, fieldsParameter, listResponse, pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { parseNames } from '../../../lib/paging.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { hospitalListSpec } from '../../../plugins/app/hospitals/hospital-repository.ts'
import { problemResponse, ref, slug } from '../../../schemas/common.ts'
import { Hospital, hospitalGrades, HospitalTree, hospitalTypes } from '../../../schemas/hospitals.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { redirectAliases } from '../../../lib/alias-redirect.ts'

const hospitalFields = fieldNames(Hospital)

const HospitalList = listResponse(Hospital, 'HospitalList', 'One page of hospitals')

const HospitalParams = Type.Object({
  slug: slug({ description: 'The hospital\'s slug', examples: ['cqhcwc'] })
}, { additionalProperties: false })

/** Detail routes take no query parameters; declaring none makes an unknown one a 400 rather than ignored. */
const NoQuery = Type.Object({}, { additionalProperties: false })

function notFound (slug: string): ProblemError {
  return new ProblemError('notFound', `No hospital has the slug "${slug}".`)
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addSchema(HospitalList)
  // A former slug answers 301 on every GET under the hospital.
  redirectAliases(fastify, async (slug) => fastify.hospitalRepository.canonicalSlug(slug))
  await fastify.register(writeRoutes(writableResources.hospitals, { detail: false, aliases: true }))

  fastify.get('/', {
    schema: {
      tags: ['hospitals'],
      operationId: 'listHospitals',
      summary: 'List hospitals',
      description: 'Hospitals, filtered by country, city, region (its hospitals and those of every region below it), ' +
        'grade or type. ' +
        'Follow `page.nextCursor` (or the `Link: rel="next"` header) for the next page.',
      querystring: Type.Object({
        country: Type.Optional(Type.String({
          pattern: '^[A-Z]{2}$',
          description: 'Only hospitals in this country (ISO 3166-1 alpha-2, upper case)',
          examples: ['CN']
        })),
        city: Type.Optional(Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'Only hospitals in this city (exact name, as in `city`)',
          examples: ['Chongqing']
        })),
        region: Type.Optional(slug({ description: 'Only hospitals in this region or any region below it (see /v1/regions)', examples: ['chongqing'] })),
        grade: Type.Optional(Type.Enum([...hospitalGrades], { description: 'Only hospitals of this grade (see HospitalGrade)', examples: ['tertiary_a'] })),
        type: Type.Optional(Type.Enum([...hospitalTypes], { description: 'Only hospitals of this type (see HospitalType)', examples: ['maternal_child_health'] })),
        ...pagingParameters(hospitalListSpec),
        fields: fieldsParameter(hospitalFields)
      }, { additionalProperties: false }),
      response: {
        200: ref(HospitalList, { description: 'One page of hospitals' }),
        400: problemResponse('A filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { country, city, region, grade, type, limit, cursor, sort, count, fields } = request.query
    const selected = parseNames(fields, hospitalFields, 'fields')
    const page = await fastify.hospitalRepository.list({ country, city, region, grade, type }, { limit, cursor, sort, count }, selected)
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:slug', {
    schema: {
      tags: ['hospitals'],
      operationId: 'getHospital',
      summary: 'Get one hospital',
      description: 'The hospital with its location and the source sentence that names it; `links` lead to its units.',
      params: HospitalParams,
      querystring: NoQuery,
      response: {
        200: ref(Hospital, { description: 'The hospital' }),
        400: problemResponse('The slug is malformed or a parameter is unknown'),
        301: Type.Null({ description: 'The slug is a former slug of the hospital; `Location` holds its URL now' }),
        404: problemResponse('No hospital has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const found = await fastify.hospitalRepository.findBySlug(request.params.slug)
    if (found === null) throw notFound(request.params.slug)
    reply.header('last-modified', found.updatedAt.toUTCString())
    reply.header('etag', request.entityTag(found.version))
    sendJson(reply, found.body)
    return reply
  })

  fastify.get('/:slug/tree', {
    schema: {
      tags: ['hospitals'],
      operationId: 'getHospitalTree',
      summary: 'Get a hospital\'s unit hierarchy',
      description: 'Every division, department and center of the hospital, nested under its parent. Top-level units ' +
        'have no parent; units at each level are in slug order.',
      params: HospitalParams,
      querystring: NoQuery,
      response: {
        200: ref(HospitalTree, { description: 'The hospital and its units as a tree' }),
        400: problemResponse('The slug is malformed or a parameter is unknown'),
        301: Type.Null({ description: 'The slug is a former slug of the hospital; `Location` holds its tree\'s URL now' }),
        404: problemResponse('No hospital has this slug'),
        406: problemResponse('The Accept header admits no JSON'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request) => {
    // No Last-Modified here: the tree changes when a unit is added, moved or removed, and a removal leaves no
    // timestamp behind. The ETag, computed from the body, covers every change.
    const tree = await fastify.hospitalRepository.tree(request.params.slug)
    if (tree === null) throw notFound(request.params.slug)
    return tree
  })
}

export default plugin
