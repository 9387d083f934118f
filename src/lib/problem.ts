import type { ProblemBody } from '../schemas/common.ts'

/**
 * A problem type: what a client branches on, and what its page (routes/problems.ts, served at `type`) explains. The
 * texts use `backticks` for code, as the OpenAPI descriptions do.
 */
export interface ProblemTypeDefinition {
  /** `/problems/<name>`: a URI reference, resolved against the URL of the response that carries it. */
  readonly type: string
  readonly title: string
  readonly status: number
  /** What the problem means. */
  readonly description: string
  /** When this API answers it. */
  readonly when: string
  /** What the client should do about it. */
  readonly whatToDo: string
  /** A typical occurrence: its `detail`, `instance` and, for a type that names fields, `errors`. */
  readonly example: {
    readonly detail: string
    readonly instance: string
    readonly errors?: ReadonlyArray<{ readonly in: string, readonly field: string, readonly message: string }>
  }
}

/** The request id of every example: a UUID, as the server generates when the client sends no X-Request-Id. */
const exampleRequestId = '7d3c9a4e-2b1f-4e8a-9c61-5f0d2e8b3a17'
const exampleIdempotencyKey = '4f1b8e2c-9a3d-4c7e-b5f6-0e2d1c3b4a59'

// RFC 9457 problem types this API uses. The type is a relative URI reference (it stays the same on every deployment,
// so a client can compare it as a string); resolved against the response's URL it is this server's page about the
// type. The README and the OpenAPI description list them, so a client can branch on `type` rather than on the
// wording of `detail`. Every type needs all the fields of ProblemTypeDefinition: they are its page and its example in
// the OpenAPI document.
export const problemTypes = {
  invalidRequest: {
    type: '/problems/invalid-request',
    title: 'Invalid request',
    status: 400,
    description: 'The request is malformed: a parameter or a body field is missing, of the wrong type, out of range or ' +
      'unknown, or the body is not JSON. The same request will always get the same answer.',
    when: 'A path, query or header parameter breaks its documented schema (`limit=1000`, a slug with capitals, a ' +
      'misspelt or unknown parameter); a body field is missing, malformed, unknown or set by the server (`id`, ' +
      '`version`); the body is not valid JSON, or is empty while its Content-Type says JSON; a paging cursor was not ' +
      'issued by this API or belongs to another query; a range is reversed (`yearFrom` after `yearTo`). The ' +
      '`errors` list names each offending value: where it was (`in`), a JSON pointer to it (`field`) and what is wrong.',
    whatToDo: 'Correct the request as `errors` (or `detail`) says, then send it again. Every operation documents its ' +
      'parameters and body in the OpenAPI document (`/docs`). Do not retry it unchanged.',
    example: {
      detail: 'querystring limit must be <= 100',
      instance: '/v1/departments?limit=1000',
      errors: [{ in: 'querystring', field: '/limit', message: 'must be <= 100' }]
    }
  },
  unauthorized: {
    type: '/problems/unauthorized',
    title: 'Unauthorized',
    status: 401,
    description: 'The request needs an API key and presents none, or presents one that is refused. The response ' +
      'carries a `WWW-Authenticate: Bearer` challenge that says which.',
    when: 'A write (POST, PATCH, DELETE) or an administrator\'s read sent without a key, and any read without one where ' +
      'this deployment requires keys for reads. On every route that is not public, a key that is malformed, unknown ' +
      'or revoked, or an `Authorization` header that is not `Bearer <key>`: a key that is sent must be valid, even ' +
      'where none is needed, so a revoked key is never silently taken as anonymous.',
    whatToDo: 'Send a valid key, as `Authorization: Bearer <key>` or in `X-API-Key`. A revoked or unknown key stays ' +
      'refused: ask the API\'s operators for a new one.',
    example: {
      detail: 'The request\'s API key is refused: the API key is revoked.',
      instance: '/v1/departments/general-gynecology'
    }
  },
  forbidden: {
    type: '/problems/forbidden',
    title: 'Forbidden',
    status: 403,
    description: 'The API key is valid but lacks the scope this request needs. The scopes are `read`, `write` and ' +
      '`admin`, each granting the ones before it.',
    when: 'A key with only the `read` scope sends a write or lists the archive (`/v1/archive`); a key without the ' +
      '`admin` scope reads the audit trail (`/v1/audit`) or the server\'s metrics (`/metrics`), or restores an archived ' +
      'record. The `WWW-Authenticate` challenge names the scope needed.',
    whatToDo: 'Use a key that has the scope `detail` names, or ask the API\'s operators for one. The same key will ' +
      'keep being refused.',
    example: {
      detail: 'The API key "hda_1f3a9c0b7e2d" has the scopes read; this request needs write.',
      instance: '/v1/departments/general-gynecology'
    }
  },
  notFound: {
    type: '/problems/not-found',
    title: 'Not found',
    status: 404,
    description: 'Nothing is at this URL: no record has the slug, code or id in the path, or no route has this path.',
    when: 'A record, its history or what hangs under it, asked for by a slug, code or id that names nothing: never ' +
      'created, mistyped, or archived (a DELETE archives a record, and it is not found until an administrator ' +
      'restores it). Also a statistic of a unit or metric that does not exist, and any path outside the API\'s routes.',
    whatToDo: 'Check the identifier against the lists (`/v1/departments`, `/v1/hospitals`, `/v1/metric-definitions` ' +
      '…). A unit\'s former slug is not a 404: it redirects (301) to the current one. Retrying will not help unless ' +
      'the record is created or restored meanwhile.',
    example: {
      detail: 'No department, division or center has the slug "cardiology".',
      instance: '/v1/departments/cardiology'
    }
  },
  methodNotAllowed: {
    type: '/problems/method-not-allowed',
    title: 'Method not allowed',
    status: 405,
    description: 'The path exists, but not for this HTTP method. The `Allow` header lists the methods it takes.',
    when: 'A method the path does not serve, such as PUT on a collection or DELETE on `/health`, with or without an ' +
      'API key.',
    whatToDo: 'Use a method from `Allow`. This API creates with POST to a collection, changes with PATCH (a JSON ' +
      'merge patch) and archives with DELETE; it has no PUT.',
    example: {
      detail: 'PUT is not allowed here; this resource allows GET, HEAD, POST.',
      instance: '/v1/departments'
    }
  },
  notAcceptable: {
    type: '/problems/not-acceptable',
    title: 'Not acceptable',
    status: 406,
    description: 'The `Accept` header admits none of the media types this resource is available in.',
    when: 'Resources answer `application/json`; the statistics and the lists of figures also answer `text/csv`, and ' +
      'these problem pages `text/html`. A request whose `Accept` header excludes them all, such as ' +
      '`Accept: application/xml`, gets this answer before anything else is checked. (Errors themselves are always ' +
      '`application/problem+json`.)',
    whatToDo: 'Send `Accept: application/json` (or `text/csv` where the operation offers it), or no `Accept` header.',
    example: {
      detail: 'This resource is available as application/json; the Accept header "application/xml" admits none of them.',
      instance: '/v1/departments'
    }
  },
  requestTimeout: {
    type: '/problems/request-timeout',
    title: 'Request timeout',
    status: 408,
    description: 'The server did not receive the whole request in time, and closed the connection.',
    when: 'A request whose headers and body take longer to arrive than the request timeout (30 s unless configured ' +
      'otherwise): a client that stalls, or trickles its request in. The connection is closed.',
    whatToDo: 'Send the request again, all of it at once, on a new connection. If it keeps happening, look at the ' +
      'network between you and the API.',
    example: {
      detail: 'The request was not received in full within 30 s; send it without pausing.',
      instance: '/v1/departments'
    }
  },
  gone: {
    type: '/problems/gone',
    title: 'Gone',
    status: 410,
    description: 'The record existed but has been deleted (archived). Unlike a 404, the identifier is known.',
    when: 'Only the read-only FHIR view answers it: a read of a resource (`GET /fhir/r4/<type>/<id>`) whose record has ' +
      'been archived. Like every FHIR error it is sent as an `OperationOutcome` (issue code `deleted`, ' +
      '`application/fhir+json`), not as problem details. The `/v1` API answers 404 for an archived record.',
    whatToDo: 'Drop your reference to the resource, or ask an administrator to restore the record from the archive. ' +
      'Retrying will not help.',
    example: {
      detail: 'HealthcareService/0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30 was deleted (archived); an administrator can restore it.',
      instance: '/fhir/r4/HealthcareService/0b6f3c2a-8d4e-4f1a-9e7b-2c5d8a1f6e30'
    }
  },
  conflict: {
    type: '/problems/conflict',
    title: 'Conflict',
    status: 409,
    description: 'The request contradicts the data as it stands: a value that must be unique is taken, or other ' +
      'records stand in the way.',
    when: 'A POST or PATCH that gives a record a slug or code another record has (the field is named in `errors`); a ' +
      'DELETE of a record others still depend on (a unit that still has figures, say); a restore whose slug has ' +
      'since been taken, or whose hospital, unit, metric or source is itself archived.',
    whatToDo: 'Do what `detail` says: choose another value for the field in `errors`, archive the dependent records ' +
      'first, or restore what the record belongs to first. Then send the request again.',
    example: {
      detail: 'body slug is already taken by another unit',
      instance: '/v1/departments/general-gynecology',
      errors: [{ in: 'body', field: '/slug', message: 'is already taken by another unit' }]
    }
  },
  requestInProgress: {
    type: '/problems/request-in-progress',
    title: 'Request in progress',
    status: 409,
    description: 'A request with the same `Idempotency-Key` is still being processed, so this retry cannot be given ' +
      'its result yet.',
    when: 'A POST with an `Idempotency-Key` sent again while the first request with that key has not finished (or ' +
      'has just finished without a result). The response carries `Retry-After: 1`.',
    whatToDo: 'Wait as `Retry-After` says, then send the same request with the same key: you get the first ' +
      'request\'s result, and the record is created only once.',
    example: {
      detail: `A request with Idempotency-Key "${exampleIdempotencyKey}" is still being processed; retry after it completes.`,
      instance: '/v1/departments'
    }
  },
  preconditionFailed: {
    type: '/problems/precondition-failed',
    title: 'Precondition failed',
    status: 412,
    description: 'The `If-Match` header names a version that is no longer current: the record changed since you read ' +
      'it. Nothing was changed, so two clients cannot overwrite each other unseen.',
    when: 'A PATCH or DELETE whose `If-Match` ETag is not the record\'s current one. The response carries the current ' +
      '`ETag`.',
    whatToDo: 'GET the record again, apply your change to what it holds now, and send that with the new ETag in ' +
      '`If-Match`. Resending your change with the new ETag without looking would overwrite the other change.',
    example: {
      detail: 'The unit has changed since you read it: it is now at version 4. GET it again, reapply your change and ' +
        'send the new ETag in If-Match.',
      instance: '/v1/departments/general-gynecology'
    }
  },
  payloadTooLarge: {
    type: '/problems/payload-too-large',
    title: 'Payload too large',
    status: 413,
    description: 'The request body is larger than this server accepts.',
    when: 'A body over the server\'s limit (1 MiB unless configured otherwise); `detail` states the limit in bytes. ' +
      'The body is not read further.',
    whatToDo: 'Send a smaller body: no record of this API takes more than a few kilobytes. The same body will be ' +
      'refused again.',
    example: {
      detail: 'The request body is larger than the limit of 1048576 bytes.',
      instance: '/v1/departments'
    }
  },
  unsupportedMediaType: {
    type: '/problems/unsupported-media-type',
    title: 'Unsupported media type',
    status: 415,
    description: 'The request body is in a media type this API does not read: it reads JSON only.',
    when: 'A request with a body whose `Content-Type` is not JSON: a form, XML, plain text, multipart.',
    whatToDo: 'Send the body as JSON with `Content-Type: application/json` (a PATCH also takes ' +
      '`application/merge-patch+json`).',
    example: {
      detail: 'This API does not read request bodies of type "application/x-www-form-urlencoded"; send JSON, with the ' +
        'Content-Type the operation documents.',
      instance: '/v1/departments'
    }
  },
  unprocessableContent: {
    type: '/problems/unprocessable-content',
    title: 'Unprocessable content',
    status: 422,
    description: 'The body is well-formed and matches the schema, but what it says cannot be applied: it refers to ' +
      'something that does not exist, or would make the data inconsistent.',
    when: 'A write whose body names a hospital, unit, metric definition, condition or source document that does not ' +
      'exist; a provenance quote that is not, word for word, in the source document it cites; a unit placed under ' +
      'itself or under a unit of another hospital. `errors` names the field.',
    whatToDo: 'Correct the field `errors` names (look the record up first, or quote the source verbatim), then send ' +
      'the request again.',
    example: {
      detail: 'body parent names no department, division or center: "oncology-center"',
      instance: '/v1/departments/general-gynecology',
      errors: [{ in: 'body', field: '/parent', message: 'names no department, division or center: "oncology-center"' }]
    }
  },
  idempotencyKeyReused: {
    type: '/problems/idempotency-key-reused',
    title: 'Idempotency key reused',
    status: 422,
    description: 'The `Idempotency-Key` was already used for a different request. A key stands for one request: it ' +
      'can be sent again only with the same path and body.',
    when: 'A POST whose `Idempotency-Key` was first sent, within the last 24 hours, with another path or another body.',
    whatToDo: 'Use a new key (a fresh UUID) for each new request; send a key again only to retry exactly the same ' +
      'request.',
    example: {
      detail: `Idempotency-Key "${exampleIdempotencyKey}" was used for a different request (another path or body). ` +
        'Use a new key for a new request.',
      instance: '/v1/departments'
    }
  },
  preconditionRequired: {
    type: '/problems/precondition-required',
    title: 'Precondition required',
    status: 428,
    description: 'The request changes a record without saying which version it changes. This API requires ' +
      '`If-Match` on changes, so that two clients cannot overwrite each other unseen.',
    when: 'A PATCH or DELETE without an `If-Match` header.',
    whatToDo: 'GET the record and send its `ETag` in `If-Match` with the change. `If-Match: *` changes whatever ' +
      'version is current, knowingly.',
    example: {
      detail: 'This request needs an If-Match header with the ETag of the version you are changing (GET it first), or "*".',
      instance: '/v1/departments/general-gynecology'
    }
  },
  tooManyRequests: {
    type: '/problems/too-many-requests',
    title: 'Too many requests',
    status: 429,
    description: 'The client sent more requests in the last minute than its rate limit allows.',
    when: 'Requests are counted per minute: per API key, and per IP address for requests without one (600 a minute ' +
      'unless configured otherwise; a key gets more). The response carries `Retry-After`, and every counted response ' +
      'the `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers. The documentation, these pages ' +
      'and the health probes are not counted.',
    whatToDo: 'Wait as `Retry-After` says before the next request, then spread requests out. Keep what you read and ' +
      'revalidate it with `If-None-Match` (a 304 is cheap); send an API key for a higher limit.',
    example: {
      detail: 'More than 600 requests in a minute; try again in 42 seconds.',
      instance: '/v1/departments?limit=100'
    }
  },
  requestHeaderFieldsTooLarge: {
    type: '/problems/request-header-fields-too-large',
    title: 'Request header fields too large',
    status: 431,
    description: 'The request\'s header fields are too large, together or in number, for the server to read it.',
    when: 'A header section larger than 16 KB (Node.js\'s limit: an oversized cookie or token, say), or with more than ' +
      '100 header fields. The connection is closed.',
    whatToDo: 'Send fewer or smaller headers: this API reads only a few (`Authorization` or `X-API-Key`, `Accept`, ' +
      '`Content-Type`, `If-Match`, `If-None-Match`, `Idempotency-Key`). The same request will be refused again.',
    example: {
      detail: 'The request\'s header section is larger than the server reads: at most 16384 bytes, in at most 100 fields.',
      instance: '/v1/departments'
    }
  },
  internalError: {
    type: '/problems/internal-error',
    title: 'Internal server error',
    status: 500,
    description: 'The server failed in a way the request did not cause. The body says nothing about the failure; ' +
      'the server logged it under the request id.',
    when: 'An unexpected failure, a bug. (A database that does not answer is a 503, not a 500.)',
    whatToDo: 'Retry later; a POST with the same `Idempotency-Key`, so that it is not applied twice. If it persists, ' +
      'report it to the API\'s operators with `requestId` (also in the `X-Request-Id` header).',
    example: {
      detail: `The server could not complete the request. Quote request id ${exampleRequestId} when reporting it.`,
      instance: '/v1/statistics/summary'
    }
  },
  serviceUnavailable: {
    type: '/problems/service-unavailable',
    title: 'Service unavailable',
    status: 503,
    description: 'The server cannot answer now, but should shortly. The response carries `Retry-After`.',
    when: 'The database is down, refuses connections or does not answer in time; the process is overloaded (its ' +
      'event loop lags or its heap is full) and refuses the request before doing any work for it; the request was ' +
      'not answered in time (10 s unless configured otherwise); or, on `/ready`, the instance is shutting down.',
    whatToDo: 'Retry after the `Retry-After` delay, backing off if it happens again. A GET is safe to retry; retry a ' +
      'POST with the same `Idempotency-Key`.',
    example: {
      detail: 'The database is not answering; try again in a few seconds.',
      instance: '/v1/departments'
    }
  }
} as const satisfies Record<string, ProblemTypeDefinition>

export type ProblemType = keyof typeof problemTypes

/** A whole example body of a problem type, as the API sends it. */
export function problemExample (kind: ProblemType): ProblemBody {
  const { type, title, status, example } = problemTypes[kind] as ProblemTypeDefinition
  const body: ProblemBody = { type, title, status, detail: example.detail, instance: example.instance, requestId: exampleRequestId }
  if (example.errors !== undefined) body.errors = example.errors.map((issue) => ({ ...issue }))
  return body
}

/** Thrown by routes and services; the error handler turns it into application/problem+json. */
export class ProblemError extends Error {
  readonly problem: (typeof problemTypes)[ProblemType]
  readonly headers: Record<string, string>
  readonly errors: ProblemBody['errors']

  constructor (kind: ProblemType, detail: string, options: { headers?: Record<string, string>, errors?: ProblemBody['errors'] } = {}) {
    super(detail)
    this.name = 'ProblemError'
    this.problem = problemTypes[kind]
    this.headers = options.headers ?? {}
    this.errors = options.errors
  }

  get statusCode (): number {
    return this.problem.status
  }
}
