import { randomUUID } from 'node:crypto'
import { STATUS_CODES, type Server } from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autoload from '@fastify/autoload'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyError, type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import type { DestinationStream } from 'pino'
import type { Config } from './config.ts'
import { clientErrorHandler, rejectMalformedHeaders } from './lib/client-errors.ts'
import { databaseFailure, databaseFailureAnswers } from './lib/database-errors.ts'
import { fhirMediaType, isFhirUrl, operationOutcome } from './plugins/app/fhir/outcome.ts'
import { deferredCompilers } from './lib/lazy-compilers.ts'
import { BatchedLogDestination } from './lib/log-destination.ts'
import { ProblemError, problemTypes } from './lib/problem.ts'
import { RequestLogController } from './lib/request-log.ts'
import { apiHelmetOptions, securityHeaders } from './plugins/external/helmet.ts'
import type { ProblemBody } from './schemas/common.ts'
import { serverOwnedFields } from './schemas/writes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

const here = path.dirname(fileURLToPath(import.meta.url))

// Running from the TypeScript sources (tsx: dev and tests), autoload must be told to load .ts files.
if (import.meta.url.endsWith('.ts')) process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1'

function prettyLogs (): boolean {
  if (!process.stdout.isTTY) return false
  try {
    import.meta.resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

/** TRUST_PROXY as Fastify's `trustProxy`: no proxy, any proxy, or a list of addresses and CIDR ranges. */
export function trustProxyOption (value: string): boolean | string[] {
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  return value.split(',').map((address) => address.trim())
}

let stdoutDestination: DestinationStream | undefined

/**
 * Standard output: a request's log line is written after the response, with the other lines of the same turn of the
 * event loop in one write, instead of a write per line (see lib/log-destination.ts). What is left is written when the
 * process exits (not after kill -9).
 */
function stdoutLog (): DestinationStream {
  stdoutDestination ??= new BatchedLogDestination(1)
  return stdoutDestination
}

/** What a caller's X-Request-Id may be: up to 128 printable ASCII characters, without spaces. */
const requestIdPattern = /^[\x21-\x7e]{1,128}$/

/** The Fastify server options, shared by server.ts and the tests so both build the same app. */
export function serverOptions (config: Config): FastifyHttpOptions<Server> {
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
      ...(prettyLogs() ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : { stream: stdoutLog() })
    },
    // One line per request, written when it is answered, instead of Fastify's two.
    logController: new RequestLogController(),
    // The caller's X-Request-Id is kept (and returned) when it is a plausible id; anything else, such as a
    // kilobyte of text or a line break meant to forge log lines, is replaced by a fresh UUID.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    // Migrations and the first seed of an embedded database can take longer than Fastify's 10 s default.
    pluginTimeout: 120_000,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A client that trickles its request in must not hold a connection forever (a handler that hangs is answered by
    // plugins/app/handler-timeout.ts); an idle keep-alive connection outlives the load balancer's idle timeout, so
    // the balancer is the one that closes it.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // What Node's parser cannot read (oversized or malformed headers, a bad method, conflicting lengths) or does not
    // receive in time is answered as a problem too (lib/client-errors.ts). An HTTP/1.1 request without Host is refused
    // by a hook instead of by Node, whose answer is an empty 400.
    clientErrorHandler: clientErrorHandler({ headers: securityHeaders(apiHelmetOptions).set, requestTimeoutMs: config.REQUEST_TIMEOUT_MS }),
    http: { requireHostHeader: false },
    // request.ip (which rate limits key on) is the client's only when the proxies in front of us are trusted.
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    // Schemas compile on first use, not at start-up (see lib/lazy-compilers.ts).
    schemaController: { compilersFactory: deferredCompilers as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'] },
    ajv: {
      customOptions: {
        // Unknown query parameters and body fields are errors, never silently dropped.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: true
      }
    },
    // Above the longest path parameter documented (120 characters), so a longer one is refused by its schema, by name.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // The router's own refusals (a URL whose percent-encoding is not UTF-8, a path segment far too long) are problems
    // like every other 400, not Fastify's default JSON.
    frameworkErrors: (error, request, reply) => {
      const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'A path segment is longer than 200 characters; no identifier of this API is.'
        : 'The URL is not valid: a percent-encoded sequence does not decode to UTF-8 text.'
      const { type, title, status } = problemTypes.invalidRequest
      reply.header('x-request-id', request.id)
      void sendProblem(request, reply as FastifyReply, problemBody(request, status, type, title, detail))
    }
  }
}

/** Sends a problem: as application/problem+json, or as a FHIR OperationOutcome under /fhir/. */
function sendProblem (request: { url: string }, reply: FastifyReply, body: ProblemBody): FastifyReply {
  if (isFhirUrl(request.url)) return reply.code(body.status).type(fhirMediaType).send(operationOutcome(body))
  return reply.code(body.status).type('application/problem+json').send(body)
}

function problemBody (request: { url: string, id: string }, status: number, type: string, title: string, detail: string,
  errors?: ProblemBody['errors']): ProblemBody {
  return { type, title, status, detail, instance: request.url, requestId: request.id, ...(errors === undefined ? {} : { errors }) }
}

/** Turns Ajv's errors into the problem's `errors` list and one readable sentence. */
function validationProblem (error: FastifyError): { detail: string, errors: NonNullable<ProblemBody['errors']> } {
  const where = error.validationContext ?? 'request'
  const errors = (error.validation ?? []).map((issue) => {
    const params = issue.params as Record<string, unknown>
    if (typeof params.additionalProperty === 'string') {
      const message = where !== 'body'
        ? 'is not a known parameter'
        : serverOwnedFields.includes(params.additionalProperty) ? 'is set by the server and cannot be written' : 'is not a known field'
      return { in: where, field: `${issue.instancePath}/${params.additionalProperty}`, message }
    }
    if (typeof params.missingProperty === 'string') {
      return { in: where, field: `${issue.instancePath}/${params.missingProperty}`, message: 'is required' }
    }
    const message = Array.isArray(params.allowedValues)
      ? `must be one of: ${params.allowedValues.join(', ')}`
      : issue.message ?? 'is invalid'
    return { in: where, field: issue.instancePath === '' ? '/' : issue.instancePath, message }
  })
  const detail = errors.map((issue) => `${issue.in} ${issue.field.replace(/^\//, '')} ${issue.message}`).join('; ')
  return { detail: detail === '' ? error.message : detail, errors }
}

/**
 * Fastify's own errors that this API gives a problem type of its own (the other client errors it raises keep
 * `about:blank`).
 */
function fastifyProblem (error: FastifyError, request: FastifyRequest): ProblemError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError('payloadTooLarge',
        `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes.`)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().slice(0, 100) ?? ''
      return new ProblemError('unsupportedMediaType', `This API does not read request bodies of type "${mediaType}"; ` +
        'send JSON, with the Content-Type the operation documents.')
    }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ProblemError('invalidRequest', 'The request body is not valid JSON.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError('invalidRequest',
        'The request body is empty but its Content-Type says JSON; send a JSON document.')
    default:
      return undefined
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by server.ts when the process is shutting down: /ready then answers 503. */
    lifecycle: { draining: boolean }
  }
}

export default async function serviceApp (fastify: FastifyInstance, opts: { config: Config }): Promise<void> {
  fastify.decorate('config', opts.config)

  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  fastify.decorate('lifecycle', { draining: false })

  fastify.setErrorHandler((caught: FastifyError | ProblemError, request, reply) => {
    const error = caught instanceof ProblemError ? caught : fastifyProblem(caught, request) ?? caught
    let body: ProblemBody
    if (error instanceof ProblemError) {
      const { type, title, status } = error.problem
      body = problemBody(request, status, type, title, error.message, error.errors)
      reply.headers(error.headers)
    } else if (error.validation !== undefined) {
      const { detail, errors } = validationProblem(error)
      const { type, title, status } = problemTypes.invalidRequest
      body = problemBody(request, status, type, title, detail, errors)
    } else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's other client errors, such as a body shorter than its Content-Length.
      body = problemBody(request, error.statusCode, 'about:blank', STATUS_CODES[error.statusCode] ?? 'Client error', error.message)
    } else if (databaseFailure(error) !== undefined) {
      // Not a bug: the database is down or unreachable, too slow, or all connections are busy. Said plainly, with
      // when to try again.
      const failure = databaseFailure(error)!
      const { detail, retryAfterSeconds } = databaseFailureAnswers[failure]
      request.log.warn({ err: error, failure }, `database ${failure}: answered 503`)
      reply.header('retry-after', String(retryAfterSeconds))
      const { type, title, status } = problemTypes.serviceUnavailable
      body = problemBody(request, status, type, title, detail)
    } else {
      request.log.error({ err: error }, 'unhandled error')
      const { type, title, status } = problemTypes.internalError
      body = problemBody(request, status, type, title,
        `The server could not complete the request. Quote request id ${request.id} when reporting it.`)
    }
    return sendProblem(request, reply, body)
  })

  fastify.setNotFoundHandler((request, reply) => {
    const { type, title, status } = problemTypes.notFound
    const routePath = request.url.split('?')[0] ?? request.url
    return sendProblem(request, reply, problemBody(request, status, type, title, `No route for ${request.method} ${routePath}.`))
  })

  // Remember which methods each path serves, so a wrong method can answer 405 with Allow instead of 404.
  const methodsByPath = new Map<string, Set<string>>()
  fastify.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>()
    for (const method of [route.method].flat()) methods.add(method)
    methodsByPath.set(route.url, methods)
  })

  // External plugins (database, docs), then the app's own plugins, then the routes. The handlers above are set
  // first because child contexts copy them when they are created.
  await fastify.register(autoload, { dir: path.join(here, 'plugins/external') })
  // After the external plugins, so that the refusal carries the security headers; before the app's (authentication).
  fastify.addHook('onRequest', rejectMalformedHeaders)
  // Every module under plugins/app is imported at start-up, plugin or not; extraction's rules are not, since they load
  // compromise (half a second and 45 MB) and are imported when a source is first extracted (intake/extraction-run.ts).
  await fastify.register(autoload, { dir: path.join(here, 'plugins/app'), ignorePattern: /^intake\/extraction$/ })
  await fastify.register(autoload, { dir: path.join(here, 'routes'), autoHooks: true, cascadeHooks: true })

  for (const [url, methods] of [...methodsByPath]) {
    // Wildcard routes (static files, CORS preflight) would turn every unknown path into a 405.
    if (url.includes('*')) continue
    const missing = ['DELETE', 'PATCH', 'POST', 'PUT'].filter((method) => !methods.has(method))
    if (missing.length === 0) continue
    const allow = [...methods].filter((method) => method !== 'OPTIONS').sort().join(', ')
    fastify.route({
      method: missing,
      url,
      schema: { hide: true },
      // The method is wrong whoever asks: answer 405 without asking for a key.
      config: { scope: 'public' },
      handler: async (request, reply) => {
        reply.header('allow', allow)
        throw new ProblemError('methodNotAllowed', `${request.method} is not allowed here; this resource allows ${allow}.`)
      }
    })
  }
}

/** Builds the app exactly as the server runs it; tests call this too. */
export async function buildApp (config: Config): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config)).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(fp(serviceApp), { config })
  return app
}
