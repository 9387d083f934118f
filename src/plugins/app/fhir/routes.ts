import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { FhirFilters } from './fhir-repository.ts'
import { defaultSort } from './fhir-repository.ts'
import { ref } from '../../../schemas/common.ts'
import { FhirBundle, fhirResources, type FhirResource, type FhirResourceType } from '../../../schemas/fhir.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { fhirMediaType, outcomeResponse } from './outcome.ts'
import { idsOf, lastUpdatedBounds, recordId, searchParameters, sortParameter, type SortName } from './search.ts'

// Read and search for one FHIR resource type. Each type says which parameters of its own it takes and how they
// become filters; the rest (ids, _lastUpdated, paging, _summary, _include, the Bundle) is the same for all.

export interface FhirTypeRoutes {
  type: FhirResourceType
  /** For the OpenAPI document. */
  description: string
  /** The type's own search parameters (besides _id, _lastUpdated and the result parameters). */
  parameters: Record<string, TSchema>
  /** Turns the type's own parameters into filters. */
  filters: (query: Record<string, unknown>) => Omit<FhirFilters, 'ids' | 'lastUpdated'>
  /** The `_include` value this type supports: the organizations its resources refer to. */
  include: string
  sorts: SortName[]
  example: string
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port. */
const hostPattern = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** Where the FHIR view is served, as absolute URLs: PUBLIC_URL when set, else the host the request came to. */
export function serviceBase (request: FastifyRequest): string {
  const publicUrl = request.server.config.PUBLIC_URL
  if (publicUrl !== undefined) return `${publicUrl.replace(/\/+$/, '')}/fhir/r4`
  if (!hostPattern.test(request.host)) {
    throw new ProblemError('invalidRequest', 'The Host header is not a host name or address; the links of the answer are built from it.')
  }
  // Normalised as URLs normalise it (no default port), so every link of an answer has the same base.
  return `${new URL(`${request.protocol}://${request.host}`).origin}/fhir/r4`
}

function absolute (request: FastifyRequest, url: string): string {
  return `${serviceBase(request).slice(0, -'/fhir/r4'.length)}${url}`
}

function sendResource (reply: FastifyReply, resource: FhirResource) {
  return reply
    .type(fhirMediaType)
    .header('etag', `W/"${resource.meta.versionId}"`)
    .header('last-modified', new Date(resource.meta.lastUpdated).toUTCString())
    .send(resource)
}

const fhirErrors = {
  400: outcomeResponse('A parameter is unknown or invalid, or the cursor is not one this server issued'),
  406: outcomeResponse('The Accept header admits no FHIR JSON (this server serves no XML)'),
  500: outcomeResponse('Unexpected server error')
}

export function fhirTypeRoutes (spec: FhirTypeRoutes): FastifyPluginAsyncTypebox {
  const { type } = spec
  const schema = fhirResources[type]
  return async (fastify) => {
    fastify.get(`/${type}/:id`, {
      schema: {
        tags: ['fhir'],
        operationId: `fhirRead${type}`,
        summary: `Read a FHIR ${type}`,
        description: `${spec.description} \`ETag\` is \`W/"<versionId>"\`; If-None-Match answers 304. An id that named a record ` +
          'since archived answers 410 Gone.',
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$', description: 'The resource id', examples: [spec.example] }) }),
        querystring: Type.Object({ _format: Type.Optional(searchParameters._format) }, { additionalProperties: false }),
        response: {
          200: { description: `The ${type}`, content: { [fhirMediaType]: { schema: ref(schema) } } },
          304: { description: 'Not modified since the ETag in If-None-Match' },
          ...fhirErrors,
          404: outcomeResponse(`No ${type} has this id`),
          410: outcomeResponse(`The ${type} was deleted (archived)`)
        }
      }
    }, async (request, reply) => {
      const { id } = request.params
      const recordIdentifier = recordId(id)
      const found = recordIdentifier === null ? null : await fastify.fhirRepository.read(type, recordIdentifier)
      if (found === 'gone') throw new ProblemError('gone', `${type}/${id} was deleted (archived); an administrator can restore it.`)
      if (found === null) throw new ProblemError('notFound', `${type}/${id} is not known.`)
      return sendResource(reply, found)
    })

    const querystring = Type.Object({
      _id: Type.Optional(searchParameters._id),
      _lastUpdated: Type.Optional(searchParameters._lastUpdated),
      ...Object.fromEntries(Object.entries(spec.parameters).map(([name, parameter]) => [name, Type.Optional(parameter)])),
      _count: Type.Optional(searchParameters._count),
      _sort: Type.Optional(sortParameter(spec.sorts, defaultSort(type))),
      _summary: Type.Optional(searchParameters._summary),
      _include: Type.Optional(Type.Literal(spec.include, { description: 'Add the organizations the matches refer to, as entries of mode include' })),
      _cursor: Type.Optional(searchParameters._cursor),
      _format: Type.Optional(searchParameters._format)
    }, { additionalProperties: false })

    fastify.get(`/${type}`, {
      schema: {
        tags: ['fhir'],
        operationId: `fhirSearch${type}`,
        summary: `Search FHIR ${type} resources`,
        description: `${spec.description} The answer is a \`searchset\` Bundle with \`total\` (every match), a \`self\` link and, ` +
          'while more pages follow, a `next` link to follow as it is. Parameters that are not listed are refused with 400.',
        querystring,
        response: {
          200: { description: 'A page of matches', content: { [fhirMediaType]: { schema: ref(FhirBundle) } } },
          304: { description: 'Not modified since the ETag in If-None-Match' },
          ...fhirErrors
        }
      }
    }, async (request, reply) => {
      const query = request.query as Record<string, unknown> & { _id?: string, _lastUpdated?: string[], _count?: number, _sort?: SortName, _summary?: 'count', _include?: string, _cursor?: string }
      const count = query._count ?? 20
      const totalOnly = query._summary === 'count' || count === 0
      const result = await fastify.fhirRepository.search(type, {
        filters: {
          ...spec.filters(query),
          ...(query._id === undefined ? {} : { ids: idsOf(query._id) }),
          lastUpdated: lastUpdatedBounds(query._lastUpdated)
        },
        count,
        sort: query._sort ?? defaultSort(type),
        ...(query._cursor === undefined ? {} : { cursor: query._cursor }),
        totalOnly,
        include: query._include !== undefined
      })
      const self = absolute(request, request.url)
      const links: Array<{ relation: 'self' | 'next', url: string }> = [{ relation: 'self', url: self }]
      if (result.nextCursor !== null) {
        const next = new URL(self)
        next.searchParams.set('_cursor', result.nextCursor)
        links.push({ relation: 'next', url: next.toString() })
      }
      const base = serviceBase(request)
      const entry = (resource: FhirResource, mode: 'match' | 'include') =>
        ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode } })
      return reply.type(fhirMediaType).send({
        resourceType: 'Bundle',
        type: 'searchset',
        total: result.total,
        link: links,
        ...(totalOnly ? {} : { entry: [...result.matches.map((resource) => entry(resource, 'match')), ...result.included.map((resource) => entry(resource, 'include'))] })
      })
    })
  }
}
