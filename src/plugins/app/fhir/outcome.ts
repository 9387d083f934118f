import type { Static } from 'typebox'
import type { ProblemBody } from '../../../schemas/common.ts'
import { problemResponse, ref } from '../../../schemas/common.ts'
import { FhirOperationOutcome } from '../../../schemas/fhir.ts'

// The FHIR view answers errors as OperationOutcome (application/fhir+json), not problem details: the same errors,
// raised the same way, rendered for FHIR clients by the one error handler (app.ts) when the URL is under /fhir/.

export const fhirPrefix = '/fhir/'
export const fhirMediaType = 'application/fhir+json'

export function isFhirUrl (url: string): boolean {
  return url.startsWith(fhirPrefix)
}

/** FHIR IssueType codes for the statuses this API answers. */
const issueCodes: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  410: 'deleted',
  413: 'too-costly',
  415: 'not-supported',
  429: 'throttled',
  500: 'exception',
  503: 'transient'
}

export function operationOutcome (problem: ProblemBody): Static<typeof FhirOperationOutcome> {
  const severity = problem.status >= 500 ? 'fatal' as const : 'error' as const
  const code = issueCodes[problem.status] ?? 'processing'
  const issues = problem.errors !== undefined && problem.errors.length > 0
    ? problem.errors.map((error) => `${error.in} ${error.field.replace(/^\//, '')} ${error.message}`)
    : [problem.detail]
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((diagnostics) => ({ severity, code, details: { text: problem.title }, diagnostics }))
  }
}

/** A documented error response of a FHIR operation. */
export function outcomeResponse (description: string) {
  return { description, content: { [fhirMediaType]: { schema: ref(FhirOperationOutcome) } } }
}

/** A documented error response for a route at `url`: an OperationOutcome under /fhir/, a problem elsewhere. */
export function errorResponse (url: string, description: string) {
  return isFhirUrl(url) ? outcomeResponse(description) : problemResponse(description)
}
