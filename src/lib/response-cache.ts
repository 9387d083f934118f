import { LRUCache } from 'lru-cache'
import type { DataChanges } from './data-changes.ts'

/** A successful GET as it went out: the serialized body and the headers that describe it. */
export interface CachedResponse {
  body: Buffer
  etag: string
  headers: Record<string, string>
  /** The body compressed, by content coding (`br`, `gzip`), each made the first time a client asks for it. */
  encoded: Partial<Record<string, Buffer>>
}

export interface ResponseCacheStats {
  /** Served from the cache, or by waiting for a computation already under way for the same key. */
  hits: number
  /** Computed, because nothing was cached for the key. */
  misses: number
  /** Computed without the cache, because changes were not being heard or the cache is off. */
  bypasses: number
  entries: number
  bytes: number
}

/**
 * The first request for a key that found nothing: it computes the response, and `fill` stores it (or `abandon`
 * lets any request waiting on it compute its own). Requests that arrive meanwhile wait for it instead of computing the
 * same response again.
 */
export interface ResponseSlot {
  fill(response: CachedResponse): void
  abandon(): void
}

export type Lookup =
  | { kind: 'hit', response: CachedResponse }
  | { kind: 'miss', slot: ResponseSlot }
  | { kind: 'bypass' }

export interface ResponseCache {
  /**
   * What the cache holds for a key: a hit, a miss (whose slot the caller then fills) or a bypass, at once; a promise
   * only when another request is computing the same response, settled when that computation ends.
   */
  lookup(key: string): Lookup | Promise<Lookup>
  /**
   * The response's body in a content coding: made by `encode` the first time and kept with the response (counted
   * against the cache's bound), so a hit is compressed once, not on every request.
   */
  encoded(key: string, response: CachedResponse, coding: string, encode: (body: Buffer) => Buffer): Buffer
  stats(): ResponseCacheStats
}

const bypass: Lookup = { kind: 'bypass' }

function responseSize (response: CachedResponse): number {
  let bytes = response.body.length + response.etag.length + 200
  for (const body of Object.values(response.encoded)) bytes += body?.length ?? 0
  return bytes
}

function encodedBody (response: CachedResponse, coding: string, encode: (body: Buffer) => Buffer): { body: Buffer, made: boolean } {
  const known = response.encoded[coding]
  if (known !== undefined) return { body: known, made: false }
  const body = encode(response.body)
  response.encoded[coding] = body
  return { body, made: true }
}

/**
 * Serialized GET responses by key (the URL and what the client accepts), for as long as the data does not change.
 * Every change heard (a write of this process, or another's through the database's notifications) empties it; a
 * response computed across a change is sent to its client but never stored, so nothing older than the last change is
 * served afterwards. While changes are not being heard the cache steps aside. Bounded by the bytes of its bodies, and
 * entries expire after `ttlMs` (ten minutes by default).
 */
export function createResponseCache (changes: DataChanges, options: { maxBytes: number, ttlMs?: number }): ResponseCache {
  const counts = { hits: 0, misses: 0, bypasses: 0 }
  if (options.maxBytes === 0) {
    return {
      lookup: () => {
        counts.bypasses++
        return bypass
      },
      encoded: (_key, response, coding, encode) => encodedBody(response, coding, encode).body,
      stats: () => ({ ...counts, entries: 0, bytes: 0 })
    }
  }

  const entries = new LRUCache<string, CachedResponse>({
    maxSize: options.maxBytes,
    // A response larger than the whole cache is simply not kept.
    maxEntrySize: options.maxBytes,
    // A bound on staleness should a change ever go unheard.
    ttl: options.ttlMs ?? 10 * 60_000,
    sizeCalculation: responseSize
  })
  const pending = new Map<string, Promise<CachedResponse | null>>()
  changes.on('change', () => {
    entries.clear()
    // A computation under way may have read the old data: later requests must not wait for it.
    pending.clear()
  })

  function open (key: string): ResponseSlot {
    const generation = changes.generation
    let settle!: (response: CachedResponse | null) => void
    const computation = new Promise<CachedResponse | null>((resolve) => { settle = resolve })
    pending.set(key, computation)
    let settled = false
    const finish = (response: CachedResponse | null) => {
      if (settled) return
      settled = true
      if (pending.get(key) === computation) pending.delete(key)
      settle(response)
    }
    return {
      fill (response) {
        if (settled) return
        const fresh = changes.generation === generation && changes.listening
        if (fresh) entries.set(key, response)
        // Waiters that joined before a change read nothing newer than the change either; after one they computed
        // their own, since the change emptied `pending`.
        finish(fresh ? response : null)
      },
      abandon () { finish(null) }
    }
  }

  return {
    lookup (key) {
      if (!changes.listening) {
        counts.bypasses++
        return bypass
      }
      const cached = entries.get(key)
      if (cached !== undefined) {
        counts.hits++
        return { kind: 'hit', response: cached }
      }
      const running = pending.get(key)
      if (running !== undefined) {
        return running.then((response): Lookup => {
          if (response !== null) {
            counts.hits++
            return { kind: 'hit', response }
          }
          // The first request failed or its result was outdated: compute without the cache.
          counts.bypasses++
          return bypass
        })
      }
      counts.misses++
      return { kind: 'miss', slot: open(key) }
    },
    encoded (key, response, coding, encode) {
      const { body, made } = encodedBody(response, coding, encode)
      // Stored again (as a new object: the cache recounts the size of a new value only), with the time it had left,
      // so that it expires when it would have.
      if (made && entries.peek(key)?.encoded === response.encoded) entries.set(key, { ...response }, { ttl: entries.getRemainingTTL(key) })
      return body
    },
    stats: () => ({ ...counts, entries: entries.size, bytes: entries.calculatedSize })
  }
}
