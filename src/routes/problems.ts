import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { rejectUnacceptable } from '../lib/negotiation.ts'
import { ProblemError, problemExample, problemTypes, type ProblemType, type ProblemTypeDefinition } from '../lib/problem.ts'
import { documentHelmetOptions, securityHeaders } from '../plugins/external/helmet.ts'
import { Problem, problemResponse, ref } from '../schemas/common.ts'

// A problem's `type` (/problems/not-found) is a page that explains it: what it means, when the API answers it, what
// to do, and an example body; /problems lists them all. JSON by default, so that `curl` (Accept: */*) and scripts get
// data; HTML to a browser, whose Accept header prefers text/html. Public (a client refused for want of a key must be
// able to read why), cacheable, and left out of the OpenAPI document: these are documentation, not API resources, and
// the API's description and every error response already link to them.

const prefix = '/problems/'
const produces = ['application/json', 'text/html']
// The pages change only with a release: a cache may keep one for an hour, then revalidate it with its ETag.
const cacheControl = 'public, max-age=3600'

const kindByName = new Map((Object.keys(problemTypes) as ProblemType[])
  .map((kind) => [problemTypes[kind].type.slice(prefix.length), kind]))

const ProblemTypeSummary = Type.Object({
  type: Type.String({ format: 'uri-reference', description: 'The problem type, which is also this page\'s path' }),
  title: Type.String(),
  status: Type.Integer({ minimum: 400, maximum: 599 })
}, { additionalProperties: false })

const ProblemTypePage = Type.Object({
  ...ProblemTypeSummary.properties,
  description: Type.String({ description: 'What the problem means' }),
  when: Type.String({ description: 'When this API answers it' }),
  whatToDo: Type.String({ description: 'What a client should do about it' }),
  example: ref(Problem, { description: 'A body of this type, as the API sends it' })
}, { additionalProperties: false, description: 'A problem type and what it means' })

const ProblemTypeList = Type.Object({
  data: Type.Array(ProblemTypeSummary)
}, { additionalProperties: false, description: 'Every problem type of the API' })

function escapeHtml (text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/** Escaped text, with the `backticks` of the descriptions as code. */
function prose (text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')
}

// No script, and a stylesheet the Content-Security-Policy names by its hash: the API's policy, which allows nothing
// else, still holds for these pages.
const style = 'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}' +
  'code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f4f4;padding:1rem;overflow-x:auto}' +
  'table{border-collapse:collapse}td,th{text-align:left;padding:.25rem 1rem .25rem 0;vertical-align:top}'
const pageHeaders = {
  ...securityHeaders(documentHelmetOptions).set,
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; ` +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

function htmlDocument (title: string, body: string): string {
  return '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${style}</style>\n</head>\n<body>\n<main>\n${body}</main>\n</body>\n</html>\n`
}

function typePage (problem: ProblemTypeDefinition, example: unknown): string {
  return htmlDocument(`${problem.status} ${problem.title} — problem type of the Hospital Departments API`,
    `<p><a href="/problems">Problem types</a></p>\n<h1>${escapeHtml(problem.title)}</h1>\n` +
    `<p>HTTP status <strong>${problem.status}</strong>, problem type <code>${escapeHtml(problem.type)}</code></p>\n` +
    `<h2>What it means</h2>\n<p>${prose(problem.description)}</p>\n` +
    `<h2>When this API answers it</h2>\n<p>${prose(problem.when)}</p>\n` +
    `<h2>What to do</h2>\n<p>${prose(problem.whatToDo)}</p>\n` +
    `<h2>Example</h2>\n<pre><code>${escapeHtml(JSON.stringify(example, null, 2))}</code></pre>\n`)
}

function indexPage (docsEnabled: boolean): string {
  const rows = Object.values(problemTypes).map((problem) =>
    `<tr><td>${problem.status}</td><td><a href="${escapeHtml(problem.type)}"><code>${escapeHtml(problem.type)}</code></a></td>` +
    `<td>${escapeHtml(problem.title)}</td></tr>\n`).join('')
  return htmlDocument('Problem types of the Hospital Departments API',
    '<h1>Problem types</h1>\n' +
    '<p>Every error of this API is an <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem, sent as ' +
    '<code>application/problem+json</code>: <code>type</code>, <code>title</code>, <code>status</code>, ' +
    '<code>detail</code>, <code>instance</code> and <code>requestId</code>. Branch on <code>type</code>, not on the ' +
    'wording of <code>detail</code>. Errors that this API gives no type of its own have the type ' +
    '<code>about:blank</code>, and their title is the HTTP status\'s name.</p>\n' +
    (docsEnabled ? '<p>The operations and the errors each one answers are in the <a href="/docs">API documentation</a>.</p>\n' : '') +
    `<table>\n<thead><tr><th>Status</th><th>Type</th><th>Title</th></tr></thead>\n<tbody>\n${rows}</tbody>\n</table>\n`)
}

/** Whether the client prefers the HTML page; rejectUnacceptable has already refused one that accepts neither. */
function wantsHtml (request: FastifyRequest): boolean {
  return request.headers.accept !== undefined && request.accepts().type(produces) === 'text/html'
}

function sendPage (request: FastifyRequest, reply: FastifyReply, html: () => string, json: unknown): FastifyReply {
  reply.header('cache-control', cacheControl).header('vary', 'accept')
  if (!wantsHtml(request)) return reply.send(json)
  return reply.headers(pageHeaders).type('text/html; charset=utf-8').send(html())
}

const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', rejectUnacceptable)
  const config = { scope: 'public' as const, produces }

  fastify.get('/problems', {
    config,
    schema: {
      hide: true,
      response: {
        200: { description: 'Every problem type', content: { 'application/json': { schema: ProblemTypeList }, 'text/html': { schema: Type.String() } } },
        406: problemResponse('The Accept header admits neither JSON nor HTML')
      }
    }
  }, async (request, reply) => {
    const data = Object.values(problemTypes).map(({ type, title, status }) => ({ type, title, status }))
    return sendPage(request, reply, () => indexPage(fastify.config.DOCS_ENABLED), { data })
  })

  fastify.get('/problems/:name', {
    config,
    schema: {
      hide: true,
      params: Type.Object({ name: Type.String({ description: 'The last segment of a problem type', examples: ['not-found'] }) }),
      response: {
        200: { description: 'The problem type', content: { 'application/json': { schema: ProblemTypePage }, 'text/html': { schema: Type.String() } } },
        404: problemResponse('No problem type has this name'),
        406: problemResponse('The Accept header admits neither JSON nor HTML')
      }
    }
  }, async (request, reply) => {
    const kind = kindByName.get(request.params.name)
    if (kind === undefined) {
      throw new ProblemError('notFound', `No problem type is named "${request.params.name}"; /problems lists them.`)
    }
    const problem: ProblemTypeDefinition = problemTypes[kind]
    const example = problemExample(kind)
    const { type, title, status, description, when, whatToDo } = problem
    return sendPage(request, reply, () => typePage(problem, example), { type, title, status, description, when, whatToDo, example })
  })
}

export default plugin
