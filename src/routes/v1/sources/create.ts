import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { etagHeader } from '../../../lib/write-routes.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { decodeBody, sourceMediaTypes, type SourceMediaType } from '../../../plugins/app/intake/source-text.ts'
import { beginIdempotentRequest, idempotencyKeyHeader, releaseIdempotencyKey } from '../../../plugins/app/writes/idempotency.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { Source, type SourceBody } from '../../../schemas/sources.ts'
import { sourceBodies, sourceMetadata } from '../../../schemas/writes.ts'

// POST /v1/sources: a document's text as JSON ({ text, title, … }), or the text itself as the body (text/plain or
// text/html) with its metadata as query parameters. Either way it is stored through the writer like every other
// create (audit, Idempotency-Key), extracted at once, and answered with the source and how its extraction went.
// Bodies are read here, in this plugin only: as UTF-8 or not at all, up to SOURCE_BODY_LIMIT_BYTES.

const metadataParameters = Type.Object(Object.fromEntries(Object.entries(sourceMetadata).map(([name, schema]) =>
  [name, Type.Optional(schema)])) as { [K in keyof typeof sourceMetadata]: ReturnType<typeof Type.Optional<(typeof sourceMetadata)[K]>> }, {
  additionalProperties: false
})

const requiredWithRawText = ['title', 'kind', 'hospital'] as const

/** The body's media type, without parameters, in lower case. */
function mediaTypeOf (request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

/** A text body in a charset other than UTF-8 is refused: it would be read wrongly. */
function checkCharset (contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase()
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') return
  throw new ProblemError('unsupportedMediaType', `This API reads a source's text as UTF-8 only; the body says charset=${charset}. ` +
    'Convert it to UTF-8 and send it with charset=utf-8 (or no charset).')
}

/**
 * A problem about a raw text body, told where it is: metadata in the query string, the text as the body itself.
 * (The source's resource names the fields of the JSON form.)
 */
function aboutRawBody (error: unknown): unknown {
  if (!(error instanceof ProblemError) || error.errors === undefined || error.errors.length === 0) return error
  const errors = error.errors.map((issue) => issue.in !== 'body'
    ? issue
    : issue.field === '/text' ? { ...issue, field: '/' } : { ...issue, in: 'querystring' })
  const detail = errors.map((issue) => issue.field === '/' ? `The body ${issue.message}` : `${issue.in} ${issue.field.slice(1)} ${issue.message}`).join('; ')
  const kind = (Object.entries({ 400: 'invalidRequest', 409: 'conflict', 422: 'unprocessableContent' } as const)
    .find(([status]) => Number(status) === error.statusCode)?.[1])
  if (kind === undefined) return error
  return new ProblemError(kind, error.statusCode === 409 ? error.message : `${detail}.`, { errors, headers: error.headers })
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  const bodyLimit = fastify.config.SOURCE_BODY_LIMIT_BYTES
  const sources = writableResources.sources
  const jsonParser = fastify.getDefaultJsonParser('error', 'error')

  // Text is decoded strictly: invalid UTF-8 or a NUL byte is a 400 that says so, never text with U+FFFD in it.
  fastify.removeContentTypeParser(['application/json', 'text/plain'])
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string
    try {
      text = decodeBody(body as Buffer)
    } catch (error) {
      done(error as Error, undefined)
      return
    }
    jsonParser(request, text, done)
  })
  fastify.addContentTypeParser([...sourceMediaTypes], { parseAs: 'buffer' }, (request, body, done) => {
    try {
      checkCharset(request.headers['content-type'])
      done(null, decodeBody(body as Buffer))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  // A failed write releases its Idempotency-Key, so the client's retry runs again instead of finding it in progress.
  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400) await releaseIdempotencyKey(request)
  })

  fastify.post('/', {
    bodyLimit,
    schema: {
      tags: ['sources'],
      operationId: 'createSource',
      summary: 'Add a source document',
      description: 'Stores a document (write scope) and extracts it at once: the facts it proposes are kept as candidates ' +
        'for review (`links.candidates`), and `extraction` says how it went. Send either JSON (`SourceCreate`: the text ' +
        'with its metadata), or the text itself as a `text/plain` or `text/html` body with the metadata as query ' +
        'parameters (`title`, `kind` and `hospital` required). HTML is kept as the text a reader sees: scripts and styles ' +
        'are dropped, and headings, paragraphs and list items become lines. The stored text is what every quote is ' +
        'checked against; it never changes. Text is read as UTF-8 only. The same text again is a 409 naming the source ' +
        'that has it. Answers 201 with the source, its URL in `Location` and its `ETag`; with `Idempotency-Key`, a retry ' +
        'returns the first response.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String(idempotencyKeyHeader['idempotency-key'])) }),
      querystring: metadataParameters,
      body: {
        content: {
          'application/json': { schema: ref(sourceBodies.create) },
          'text/plain': { schema: Type.String({ description: 'The document\'s text, UTF-8', examples: ['General Gynecology Department\nThe department currently has 92 beds.'] }) },
          'text/html': { schema: Type.String({ description: 'The document\'s HTML, UTF-8', examples: ['<h1>General Gynecology Department</h1><p>The department currently has 92 beds.</p>'] }) }
        }
      },
      response: {
        201: { description: 'The new source, with how its extraction went', headers: { location: Type.String(), ...etagHeader }, content: { 'application/json': { schema: ref(Source) } } },
        400: problemResponse('The body or a parameter is invalid: a field missing, malformed or unknown; metadata in both the query and a JSON body; the text empty, binary (NUL bytes) or not UTF-8'),
        409: problemResponse('The same text is already stored (the source that has it is named, and linked with rel="duplicate"), or the Idempotency-Key\'s first request is still running'),
        413: problemResponse('The body is larger than SOURCE_BODY_LIMIT_BYTES'),
        415: problemResponse('The body is not JSON, text/plain or text/html, or its charset is not UTF-8'),
        422: problemResponse('The hospital names nothing, the HTML holds no text, or the Idempotency-Key was used with another body'),
        500: problemResponse('Unexpected server error')
      }
    }
  }, async (request, reply) => {
    const mediaType = mediaTypeOf(request)
    const query = request.query as Record<string, string>
    const raw = mediaType !== 'application/json'
    let body: Record<string, unknown>
    if (!raw) {
      const given = Object.keys(query)
      if (given.length > 0) {
        throw new ProblemError('invalidRequest', `querystring ${given.join(', ')}: with a JSON body the metadata goes in the body, not the query.`, {
          errors: given.map((name) => ({ in: 'querystring', field: `/${name}`, message: 'is for a text/plain or text/html body; put it in the JSON body' }))
        })
      }
      body = request.body as Record<string, unknown>
    } else {
      const missing = requiredWithRawText.filter((name) => query[name] === undefined)
      if (missing.length > 0) {
        throw new ProblemError('invalidRequest', `querystring ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required with a ${mediaType} body.`, {
          errors: missing.map((name) => ({ in: 'querystring', field: `/${name}`, message: 'is required' }))
        })
      }
      body = { ...query, text: request.body as string, contentType: mediaType as SourceMediaType }
    }
    if (await beginIdempotentRequest(request, reply)) return reply
    let written
    try {
      written = await fastify.writer.create(request, sources, body)
    } catch (error) {
      throw raw ? aboutRawBody(error) : error
    }
    const extraction = (written.representation as unknown as { extraction: { status: string, message: string | null } | null }).extraction
    if (extraction?.status === 'failed') request.log.warn({ source: written.representation.id, message: extraction.message }, 'source stored, but its extraction failed')
    return reply.code(201).header('location', written.location).header('etag', written.etag).send(written.representation as unknown as SourceBody)
  })
}

export default plugin
