import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import t from 'tap'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildTestApp } from '../helper.ts'
import { requestsFor, type FuzzRequest } from './cases.ts'
import { operations, responseValidator, type Operation } from './spec.ts'

// Every operation of openapi.yaml, fuzzed from its own schemas: valid requests and hostile ones (wrong types, huge
// and unicode strings, injection and traversal strings, prototype keys, malformed JSON, wrong media types, oversized
// bodies, forged credentials). Whatever comes in, the answer is never a 5xx, its status is one the operation
// documents, its body validates against the schema documented for that status and media type, and every error is
// application/problem+json (an OperationOutcome in application/fhir+json under /fhir/).
//
// `npm test` runs a sample (FUZZ_RUNS, default 40 requests per operation); the slow suite (SLOW_TESTS=1, which
// .ci/run sets) runs 1,000 per operation. FUZZ_SEED replays a run; it is fixed by default so CI is reproducible.

const slow = process.env.SLOW_TESTS === '1'
const runs = Number(process.env.FUZZ_RUNS ?? (slow ? 1000 : 40))
const seed = Number(process.env.FUZZ_SEED ?? 20261123)
if (slow) t.setTimeout(3_600_000)

// Reads first, then creations, changes, archiving and restoring, so reads meet the seeded data and writes meet rows
// that exist.
const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
const ordered = [...operations].sort((a, b) =>
  methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method) || Number(a.path.endsWith('/restore')) - Number(b.path.endsWith('/restore')))

/** Identifiers that exist, per path parameter name, read from the collection each detail path sits under. */
async function existingIdentifiers (app: FastifyInstance, headers: Record<string, string>): Promise<Record<string, Record<string, string[]>>> {
  const byOperation: Record<string, Record<string, string[]>> = {}
  for (const operation of operations) {
    const match = /^(.*?)\/\{([^}]+)\}/.exec(operation.path)
    if (match === null) continue
    const [, collection, name] = match as unknown as [string, string, string]
    const fhir = collection.startsWith('/fhir/')
    const response = await app.inject({ method: 'GET', url: `${collection}?${fhir ? '_count' : 'limit'}=100`, headers })
    const body = response.statusCode === 200 ? response.json() : {}
    const items = (fhir
      ? (body.entry ?? []).map((entry: { resource: unknown }) => entry.resource)
      : body.data ?? []) as Array<Record<string, unknown>>
    const values = items.map((item) => item[name]).filter((value): value is string => typeof value === 'string')
    byOperation[operation.operationId] = { [name]: values }
  }
  return byOperation
}

function mediaType (response: LightMyRequestResponse): string {
  return String(response.headers['content-type'] ?? '').split(';')[0]!.trim()
}

function describe (request: FuzzRequest, response: LightMyRequestResponse, problem: string): string {
  const payload = typeof request.payload === 'string' && request.payload.length > 300 ? `${request.payload.slice(0, 300)}… (${request.payload.length} chars)` : request.payload
  return `${problem}\n  request (${request.kind}): ${request.method} ${request.url.slice(0, 500)}\n  headers: ${JSON.stringify(request.headers).slice(0, 500)}\n` +
    `  body: ${JSON.stringify(payload)}\n  response: ${response.statusCode} ${String(response.headers['content-type'])} ${response.body.slice(0, 500)}`
}

/** Why this response breaks the contract, or undefined when it keeps it. */
function violation (operation: Operation, request: FuzzRequest, response: LightMyRequestResponse): string | undefined {
  const status = String(response.statusCode)
  if (response.statusCode >= 500) return describe(request, response, `a ${status}`)
  const documented = operation.responses[status]
  if (documented === undefined) return describe(request, response, `status ${status} is not documented for ${operation.operationId}`)
  const type = mediaType(response)
  const errorType = operation.path.startsWith('/fhir/') ? 'application/fhir+json' : 'application/problem+json'
  if (response.statusCode >= 400 && type !== errorType) return describe(request, response, `an error that is not ${errorType}`)
  if (documented.content === undefined) {
    return response.body === '' ? undefined : describe(request, response, `a body on ${status}, documented without one`)
  }
  if (documented.content[type] === undefined) return describe(request, response, `media type ${type} is not documented for ${status}`)
  if (type === 'text/csv' || type === 'text/plain') return response.body.length > 0 ? undefined : describe(request, response, 'an empty text body')
  const validate = responseValidator(operation, status, type)
  if (validate === undefined) return undefined
  let body: unknown
  try {
    body = response.json()
  } catch {
    return describe(request, response, 'a body that is not JSON')
  }
  if (!validate(body)) return describe(request, response, `the body does not match the documented schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
  if (response.statusCode >= 400 && errorType === 'application/fhir+json') {
    return (body as { resourceType?: unknown }).resourceType === 'OperationOutcome' ? undefined : describe(request, response, 'an error that is not an OperationOutcome')
  }
  if (response.statusCode >= 400 && (body as { status?: unknown }).status !== response.statusCode) return describe(request, response, 'problem.status differs from the status')
  return undefined
}

t.test('every documented operation, fuzzed from openapi.yaml', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createApiKey(app.prisma, { name: 'fuzz administrator', scopes: ['admin'] })
  const credentials = { authorization: `Bearer ${admin.key}` }
  const identifiers = await existingIdentifiers(app, credentials)
  t.ok(operations.length >= 70, `${operations.length} operations documented`)

  for (const operation of ordered) {
    await t.test(`${operation.method} ${operation.path}`, async (t) => {
      const statuses = new Map<string, number>()
      const kinds = new Map<string, number>()
      const property = fc.asyncProperty(requestsFor(operation, identifiers[operation.operationId] ?? {}, credentials), async (request) => {
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.payload === undefined ? {} : { payload: request.payload })
        })
        const key = `${request.kind === 'valid' ? 'valid' : 'hostile'} ${response.statusCode}`
        statuses.set(key, (statuses.get(key) ?? 0) + 1)
        kinds.set(request.kind, (kinds.get(request.kind) ?? 0) + 1)
        const problem = violation(operation, request, response)
        if (problem !== undefined) throw new Error(problem)
      })
      const result = await fc.check(property, { numRuns: runs, seed, endOnFailure: !slow })
      if (result.failed) {
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)
        t.fail(`${operation.operationId} (FUZZ_SEED=${seed}, case ${result.numRuns}): ${error}`)
        return
      }
      const total = [...statuses.values()].reduce((sum, count) => sum + count, 0)
      t.ok(total >= runs, `${total} requests (${[...statuses].sort().map(([key, count]) => `${key}: ${count}`).join(', ')})`)
    })
  }
})
