import type { ProblemBody } from '../schemas/common.ts'

// RFC 9457 problem types this API uses. The type is a relative URI reference; the README and the OpenAPI
// description list them, so a client can branch on `type` rather than on the wording of `detail`.
export const problemTypes = {
  invalidRequest: { type: '/problems/invalid-request', title: 'Invalid request', status: 400 },
  unauthorized: { type: '/problems/unauthorized', title: 'Unauthorized', status: 401 },
  forbidden: { type: '/problems/forbidden', title: 'Forbidden', status: 403 },
  notFound: { type: '/problems/not-found', title: 'Not found', status: 404 },
  methodNotAllowed: { type: '/problems/method-not-allowed', title: 'Method not allowed', status: 405 },
  notAcceptable: { type: '/problems/not-acceptable', title: 'Not acceptable', status: 406 },
  gone: { type: '/problems/gone', title: 'Gone', status: 410 },
  conflict: { type: '/problems/conflict', title: 'Conflict', status: 409 },
  requestInProgress: { type: '/problems/request-in-progress', title: 'Request in progress', status: 409 },
  preconditionFailed: { type: '/problems/precondition-failed', title: 'Precondition failed', status: 412 },
  payloadTooLarge: { type: '/problems/payload-too-large', title: 'Payload too large', status: 413 },
  unsupportedMediaType: { type: '/problems/unsupported-media-type', title: 'Unsupported media type', status: 415 },
  unprocessableContent: { type: '/problems/unprocessable-content', title: 'Unprocessable content', status: 422 },
  idempotencyKeyReused: { type: '/problems/idempotency-key-reused', title: 'Idempotency key reused', status: 422 },
  preconditionRequired: { type: '/problems/precondition-required', title: 'Precondition required', status: 428 },
  tooManyRequests: { type: '/problems/too-many-requests', title: 'Too many requests', status: 429 },
  internalError: { type: '/problems/internal-error', title: 'Internal server error', status: 500 },
  serviceUnavailable: { type: '/problems/service-unavailable', title: 'Service unavailable', status: 503 }
} as const

export type ProblemType = keyof typeof problemTypes

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
