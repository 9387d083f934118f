import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { pagingParameters, sendJson, sendJsonPage } from '../../../lib/listing.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { etagHeader } from '../../../lib/write-routes.ts'
import { candidateListSpec } from '../../../plugins/app/intake/candidate-repository.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import {
  AcceptedCandidate, AcceptedCandidates, Candidate, CandidateBatch, CandidateCorrections, CandidateList, CandidateRejection,
  type CandidateCorrectionsBody
} from '../../../schemas/intake.ts'
import { Source, type SourceBody } from '../../../schemas/sources.ts'

// Review of what extraction proposed from a source (write scope: candidates are proposals, not facts, until accepted).
// Accepting creates the fact through the writes' own path; see plugins/app/intake/review.ts.

const SourceParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The source\'s id' })
}, { additionalProperties: false })

const CandidateParams = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The source\'s id' }),
  candidateId: Type.String({ format: 'uuid', description: 'The candidate\'s id (from the source\'s candidates)', examples: ['0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'] })
}, { additionalProperties: false })

const editors = { scope: 'write', responseCache: false } as const

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/:id/candidates', {
    config: editors,
    schema: {
      tags: ['sources'],
      operationId: 'listSourceCandidates',
      summary: 'List the candidates extraction proposed from a source',
      description: 'The figures, honors and events extraction read in the source (write scope), in the order of the text: ' +
        'proposed ones to review, and the accepted (with the fact each became) and rejected ones. Filter by status and ' +
        'kind; follow `page.nextCursor` for the next page.',
      params: SourceParams,
      querystring: Type.Object({
        status: Type.Optional(Type.Enum(['proposed', 'accepted', 'rejected'], { description: 'Only candidates with this status', examples: ['proposed'] })),
        kind: Type.Optional(Type.Enum(['figure', 'honor', 'event'], { description: 'Only candidates of this kind', examples: ['figure'] })),
        ...pagingParameters(candidateListSpec)
      }, { additionalProperties: false }),
      response: {
        200: ref(CandidateList, { description: 'One page of candidates' }),
        400: problemResponse('The id, a filter, limit, sort or cursor is invalid, or a parameter is unknown'),
        404: problemResponse('No source has this id'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { id } = request.params
    const { status, kind, limit, cursor, sort, count } = request.query
    if (!await fastify.candidateRepository.sourceExists(id)) throw new ProblemError('notFound', `No source document has the id "${id}".`)
    const page = await fastify.candidateRepository.list(id, { status, kind }, { limit, cursor, sort, count })
    sendJsonPage(request, reply, page)
    return reply
  })

  fastify.get('/:id/candidates/:candidateId', {
    config: editors,
    schema: {
      tags: ['sources'],
      operationId: 'getSourceCandidate',
      summary: 'Get one candidate',
      description: 'A candidate with what extraction proposed, and, once decided, who decided it, any corrections and the fact it became (write scope).',
      params: CandidateParams,
      querystring: Type.Object({}, { additionalProperties: false }),
      response: {
        200: ref(Candidate, { description: 'The candidate' }),
        400: problemResponse('An id is malformed or a parameter is unknown'),
        404: problemResponse('The source has no candidate with this id'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const { id, candidateId } = request.params
    const found = await fastify.candidateRepository.find(id, candidateId)
    if (found === null) throw new ProblemError('notFound', `Source ${id} has no candidate with the id ${candidateId}.`)
    sendJson(reply, found.body)
    return reply
  })

  fastify.post('/:id/extract', {
    schema: {
      tags: ['sources'],
      operationId: 'extractSource',
      summary: 'Extract a source again',
      description: 'Runs extraction over the source\'s stored text again (write scope), with the current rules and what the ' +
        'database now knows of its hospital: proposed candidates are replaced by this run\'s, accepted and rejected ones are ' +
        'kept (and not proposed again). A failed run leaves the earlier candidates as they were and marks the source ' +
        '`failed`. The source\'s extraction is part of it: it answers with the source, one version later, and its `ETag`.',
      params: SourceParams,
      response: {
        200: { description: 'The source, with how this extraction went', headers: etagHeader, content: { 'application/json': { schema: ref(Source) } } },
        400: problemResponse('The id is malformed'),
        404: problemResponse('No source has this id'),
        422: problemResponse('The source names no hospital to read it against'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const written = await fastify.review.extractAgain(request, request.params.id)
    if (written.outcome.status === 'failed') request.log.warn({ source: request.params.id, message: written.outcome.message }, 'extraction failed')
    return reply.header('etag', written.etag).send(written.representation as unknown as SourceBody)
  })

  const decisionRefusals = {
    400: problemResponse('An id or a body field is malformed or unknown'),
    404: problemResponse('The source has no candidate with this id'),
    409: problemResponse('The candidate is already accepted or rejected, or the fact would duplicate one (the same source\'s figure for the unit and metric, an honor\'s or event\'s slug)'),
    500: problemResponse('Unexpected server error')
  }

  fastify.post('/:id/candidates/:candidateId/accept', {
    schema: {
      tags: ['sources'],
      operationId: 'acceptSourceCandidate',
      summary: 'Accept a candidate: create its fact',
      description: 'Creates the fact the candidate proposes (write scope): a figure (`POST /v1/metrics`), an honor or an event, ' +
        'with this source and the candidate\'s quote as its provenance, audited like every write and visible at once in ' +
        'every read, statistic, CSV and the FHIR view. The body corrects what extraction read (all optional; `{}` accepts ' +
        'it as proposed): the fact\'s fields, as its own create takes them. The candidate becomes `accepted`, naming the ' +
        'fact; the audit keeps it as proposed and as corrected. Answers 201 with both, the fact\'s URL in `Location` and its `ETag`.',
      params: CandidateParams,
      body: ref(CandidateCorrections),
      response: {
        201: { description: 'The candidate, accepted, and the fact it became', headers: { location: Type.String(), ...etagHeader }, content: { 'application/json': { schema: ref(AcceptedCandidate) } } },
        ...decisionRefusals,
        422: problemResponse('A correction names an unknown metric or unit, does not apply to the candidate\'s kind, or the candidate lacks what its fact needs (a unit or metric) and no correction gives it')
      }
    }
  }, async (request, reply) => {
    const { id, candidateId } = request.params
    const accepted = await fastify.review.accept(request, id, candidateId, request.body as CandidateCorrectionsBody)
    return reply.code(201).header('location', accepted.fact.location).header('etag', accepted.fact.etag)
      .send({ candidate: accepted.candidate, fact: accepted.fact.representation })
  })

  fastify.post('/:id/candidates/:candidateId/reject', {
    schema: {
      tags: ['sources'],
      operationId: 'rejectSourceCandidate',
      summary: 'Reject a candidate',
      description: 'Marks the candidate rejected, with the reason (write scope, audited). It stays listed, and a later extraction does not propose it again.',
      params: CandidateParams,
      body: ref(CandidateRejection),
      response: {
        200: { description: 'The candidate, rejected', content: { 'application/json': { schema: ref(Candidate) } } },
        ...decisionRefusals
      }
    }
  }, async (request, reply) => {
    const { id, candidateId } = request.params
    return reply.send(await fastify.review.reject(request, id, candidateId, request.body.reason))
  })

  fastify.post('/:id/candidates/accept', {
    schema: {
      tags: ['sources'],
      operationId: 'acceptSourceCandidates',
      summary: 'Accept several candidates at once',
      description: 'Accepts every candidate named, as proposed, in one transaction (write scope): all of them or none. When any ' +
        'cannot be accepted, nothing is written and the problem\'s `errors` names each one (`/ids/<index>`) and why: a 409 when ' +
        'every one is a conflict (already decided, a duplicate), else a 422. Answers 201 with each candidate and its fact, in order.',
      params: SourceParams,
      body: ref(CandidateBatch),
      response: {
        201: { description: 'Every candidate, accepted, with its fact', content: { 'application/json': { schema: ref(AcceptedCandidates) } } },
        400: problemResponse('An id is malformed, the list is empty, too long or repeats an id'),
        404: problemResponse('No source has this id'),
        409: problemResponse('Every candidate that cannot be accepted is already decided or would duplicate a fact; none was accepted'),
        422: problemResponse('A candidate cannot be accepted as proposed (it lacks a unit or metric, or names nothing); none was accepted'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const accepted = await fastify.review.acceptAll(request, request.params.id, request.body.ids)
    return reply.code(201).send({ data: accepted.map((item) => ({ candidate: item.candidate, fact: item.fact.representation })) })
  })
}

export default plugin
