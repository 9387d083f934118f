import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import ipaddr from 'ipaddr.js'

// Requests this server makes to addresses its callers chose (webhook receivers), guarded against server-side request
// forgery: only public unicast addresses are reached unless the operator allows more ranges (ipaddr.js names them:
// loopback, private, linkLocal, uniqueLocal, carrierGradeNat…). The check is made on the address actually connected
// to, after DNS, so a name that resolves to a public address when checked and a private one when used (DNS
// rebinding) is still refused. A redirect is an answer like any other: it is not followed.

/** An address range ipaddr.js names, or `unicast` (public); every other range is refused unless allowed. */
export type AddressRange = string

/** The ranges ipaddr.js tells apart, besides public `unicast`: what WEBHOOK_ALLOW_ADDRESSES may name. */
export const addressRanges = ['loopback', 'private', 'linkLocal', 'uniqueLocal', 'carrierGradeNat', 'unspecified', 'broadcast',
  'multicast', 'reserved', 'benchmarking', 'amt', 'as112', 'as112v6', 'rfc6145', 'rfc6052', '6to4', 'teredo', 'orchid2',
  'droneRemoteIdProtocolEntityTags']

export class DestinationRefused extends Error {}

/** The range of an address: IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry. */
export function addressRange (address: string): AddressRange {
  const parsed = ipaddr.process(address)
  return parsed.range()
}

/** Why an address may not be reached, or undefined when it may. */
export function refusal (address: string, allowed: ReadonlySet<AddressRange>): string | undefined {
  if (!net.isIP(address)) return `${address} is not an IP address`
  const range = addressRange(address)
  if (range === 'unicast' || allowed.has(range)) return undefined
  return `${address} is a ${range} address, which this server does not send to`
}

/** How long a destination's name may take to resolve when it is checked. */
const lookupTimeoutMs = 3000

/** Whether a URL may be a destination: http or https, no credentials, and (resolved now) no refused address. */
export async function checkDestination (url: string, allowed: ReadonlySet<AddressRange>): Promise<string | undefined> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not an absolute URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL'
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user name or password'
  if (parsed.hash !== '') return 'must not have a fragment'
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: string[]
  if (net.isIP(host)) {
    addresses = [host]
  } else {
    let timer: NodeJS.Timeout | undefined
    try {
      const lookup = dns.promises.lookup(host, { all: true, verbatim: true })
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => { reject(Object.assign(new Error('timeout'), { code: `no answer within ${lookupTimeoutMs} ms` })) }, lookupTimeoutMs)
      })
      addresses = (await Promise.race([lookup, timeout])).map((entry) => entry.address)
    } catch (error) {
      return `names a host that does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`
    } finally {
      clearTimeout(timer)
    }
  }
  for (const address of addresses) {
    const reason = refusal(address, allowed)
    if (reason !== undefined) return `resolves to ${reason}`
  }
  return undefined
}

/** A DNS lookup for http.request that fails the connection when a resolved address is refused. */
function guardedLookup (allowed: ReadonlySet<AddressRange>): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error !== null) return callback(error, '', 0)
      const list = addresses as unknown as dns.LookupAddress[]
      for (const entry of list) {
        const reason = refusal(entry.address, allowed)
        if (reason !== undefined) return callback(new DestinationRefused(reason), '', 0)
      }
      if ((options as dns.LookupOptions).all === true) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
      callback(null, list[0]!.address, list[0]!.family)
    })
  }
}

export interface PostResult {
  /** The receiver's status, or undefined when none came. */
  status?: number
  /** The first `bodyLimit` characters of its answer. */
  body?: string
  /** What went wrong when no status came (or a refused address). */
  error?: string
  durationMs: number
  /** Whether `signal` cut it short. */
  aborted?: boolean
}

export interface PostOptions {
  headers: Record<string, string>
  body: string
  timeoutMs: number
  allowed: ReadonlySet<AddressRange>
  /** How much of the answer to keep. */
  bodyLimit?: number
  /** Ends the request early (the server shutting down). */
  signal?: AbortSignal
}

/** POSTs once, never following a redirect; resolves with what happened, never rejects. */
export function postOnce (url: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now()
  const elapsed = (): number => Math.round(performance.now() - started)
  const limit = options.bodyLimit ?? 1024
  return new Promise((resolve) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      resolve({ error: 'invalid URL', durationMs: 0 })
      return
    }
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
    if (net.isIP(host)) {
      // A literal address is connected to without a lookup: it is checked here instead.
      const reason = refusal(host, options.allowed)
      if (reason !== undefined) {
        resolve({ error: `refused: ${reason}`, durationMs: 0 })
        return
      }
    }
    const client = target.protocol === 'https:' ? https : http
    const request = client.request(target, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      lookup: guardedLookup(options.allowed),
      signal: options.signal === undefined ? AbortSignal.timeout(options.timeoutMs) : AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]),
      agent: false
    }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        if (body.length < limit) body += chunk.slice(0, limit - body.length)
      })
      response.on('end', () => { resolve({ status: response.statusCode, body, durationMs: elapsed() }) })
      response.on('error', () => { resolve({ status: response.statusCode, body, durationMs: elapsed() }) })
    })
    request.on('error', (error: NodeJS.ErrnoException) => {
      const message = error instanceof DestinationRefused
        ? `refused: ${error.message}`
        : error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : `${error.code ?? error.name}: ${error.message}`
      resolve({ error: message, durationMs: elapsed(), aborted: options.signal?.aborted === true })
    })
    request.end(options.body)
  })
}
