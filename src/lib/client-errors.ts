import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ProblemError, problemTypes, type ProblemType } from './problem.ts'

// Requests Node's HTTP parser cannot read never become a Fastify request: Node hands the error and the socket to the
// server's `clientError` listener, which must write a whole HTTP response itself. Fastify's default listener writes
// `{"error","message","statusCode"}`; this one writes a problem like every other error of the API, and closes the
// connection, since the rest of what the client sent cannot be read as a request either.

/**
 * More header fields than any client needs (Apache's default limit). Node itself reads up to about 1,000: Node 20 drops
 * the rest silently, newer versions refuse the request as a header overflow.
 */
const maxHeaderFields = 100

/** The limits of a request's header section, as a problem states them. */
const headerLimits = `at most ${http.maxHeaderSize} bytes, in at most ${maxHeaderFields} fields`

/** Node's own errors (llhttp's codes, and the request timeout) as problems, in words a client can act on. */
function refusal (code: string | undefined, requestTimeoutMs: number): [ProblemType, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['requestHeaderFieldsTooLarge', `The request's header section is larger than the server reads: ${headerLimits}.`]
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return ['payloadTooLarge', 'The chunk extensions of the request body are larger than the server reads.']
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['requestTimeout', `The request was not received in full within ${requestTimeoutMs / 1000} s; send it without pausing.`]
    case 'HPE_INVALID_METHOD':
      return ['invalidRequest', 'The request line does not start with an HTTP method the server knows.']
    case 'HPE_INVALID_URL':
      return ['invalidRequest', 'The request target is not a valid path and query.']
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
      return ['invalidRequest', 'The request line is not "method target HTTP/1.1" (or HTTP/1.0), with single spaces and ' +
        'no space in the target, ended by CRLF.']
    case 'HPE_INVALID_HEADER_TOKEN':
      return ['invalidRequest', 'A header name or value contains a character HTTP does not allow there, such as a control character.']
    case 'HPE_UNEXPECTED_SPACE':
      return ['invalidRequest', 'The request has a space where HTTP allows none, such as before a header\'s colon.']
    case 'HPE_INVALID_CONTENT_LENGTH':
      return ['invalidRequest', 'The Content-Length header is not a non-negative decimal number.']
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return ['invalidRequest', 'The request carries Content-Length more than once, or together with Transfer-Encoding.']
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return ['invalidRequest', 'The request carries Transfer-Encoding with Content-Length, or a Transfer-Encoding that ' +
        'does not end in chunked; a body is framed by one of them only.']
    case 'HPE_INVALID_CHUNK_SIZE':
      return ['invalidRequest', 'The chunked request body is malformed: a chunk size is not a hexadecimal number.']
    case 'HPE_CR_EXPECTED':
    case 'HPE_LF_EXPECTED':
    case 'HPE_STRICT':
      return ['invalidRequest', 'The request is not well-formed HTTP/1.1: each line must end in CRLF.']
    default:
      return ['invalidRequest', 'The request is not well-formed HTTP/1.1 and could not be read.']
  }
}

/** A request line Node read before it refused the request: its target is the problem's `instance`. */
const requestLine = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ ([\x21-\x7e]{1,2000}) HTTP\/1\.[01]\r\n/

/** The request's target, when what the client sent starts with a well-formed request line. */
function requestTarget (rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined
  return requestLine.exec(rawPacket.subarray(0, 2100).toString('latin1'))?.[1]
}

/**
 * Fastify's `clientErrorHandler`: answers a request Node could not parse (or did not receive in time) with a problem,
 * the security headers every response carries (`headers`) and a fresh request id, then closes the connection.
 */
export function clientErrorHandler (options: { headers: Record<string, string>, requestTimeoutMs: number }) {
  return function (this: FastifyInstance, error: Error & { code?: string, rawPacket?: unknown }, socket: Socket): void {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const [kind, detail] = refusal(error.code, options.requestTimeoutMs)
    const { type, title, status } = problemTypes[kind]
    const requestId = randomUUID()
    // The error's rawPacket holds what the client sent, credentials included: only the code is logged.
    this.log.debug({ code: error.code, status, reqId: requestId }, 'unreadable request: answered with a problem')
    // As Node does: no answer when a response on this connection has begun, since it would corrupt that one.
    const inFlight = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage
    if (socket.writable && inFlight?.headersSent !== true) {
      const instance = requestTarget(error.rawPacket)
      const body = JSON.stringify({ type, title, status, detail, ...(instance === undefined ? {} : { instance }), requestId })
      const headers = {
        ...options.headers,
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        'cache-control': 'no-store',
        'x-request-id': requestId,
        date: new Date().toUTCString(),
        connection: 'close'
      }
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
      socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head}\r\n${body}`)
    }
    socket.destroy(error)
  }
}

/**
 * onRequest hook for what Node lets through: an HTTP/1.1 request without Host (RFC 9112 §3.2: a 400; Node's own
 * answer has no body, so server options turn it off and this refuses it) and a request with more than
 * `maxHeaderFields` header fields (Node 20 reads about 1,000 and drops the rest silently). Both close the connection.
 */
export async function rejectMalformedHeaders (request: FastifyRequest): Promise<void> {
  const { raw } = request
  if (raw.httpVersion === '1.1' && raw.headers.host === undefined) {
    throw new ProblemError('invalidRequest', 'An HTTP/1.1 request must carry a Host header.', { headers: { connection: 'close' } })
  }
  if (raw.rawHeaders.length / 2 > maxHeaderFields) {
    throw new ProblemError('requestHeaderFieldsTooLarge',
      `The request has more than ${maxHeaderFields} header fields; the server reads ${headerLimits}.`, { headers: { connection: 'close' } })
  }
}
