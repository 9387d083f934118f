import { LRUCache } from 'lru-cache'
import type { DataChanges } from './data-changes.ts'

export interface QueryCacheStats {
  /** Answered from the cache, or by joining a computation already under way for the same key. */
  hits: number
  /** Computed, because nothing was cached for the key. */
  misses: number
  /** Computed without the cache, because changes were not being heard (or the cache is off). */
  bypasses: number
  entries: number
}

export interface QueryCache<V> {
  get(key: string, compute: () => Promise<V>): Promise<V>
  stats(): QueryCacheStats
}

/**
 * Results of read queries, by key, for as long as the data does not change. Every change empties it, and a result
 * whose computation overlapped a change is returned to its caller but never stored, so nothing computed from data
 * older than the last change is served afterwards. Concurrent misses for one key share one computation. `maxEntries`
 * 0 turns it off. Entries also expire after `ttlMs`, a bound on staleness should a change ever go unheard.
 */
export function createQueryCache<V extends object> (changes: DataChanges, options: { maxEntries: number, ttlMs: number }): QueryCache<V> {
  const counts = { hits: 0, misses: 0, bypasses: 0 }
  if (options.maxEntries === 0) {
    return {
      get: async (key, compute) => {
        counts.bypasses++
        return compute()
      },
      stats: () => ({ ...counts, entries: 0 })
    }
  }

  const entries = new LRUCache<string, V>({ max: options.maxEntries, ttl: options.ttlMs })
  const pending = new Map<string, Promise<V>>()
  changes.on('change', () => {
    entries.clear()
    // A computation under way may have read the old data: later callers must not join it.
    pending.clear()
  })

  return {
    async get (key, compute) {
      if (!changes.listening) {
        counts.bypasses++
        return compute()
      }
      const cached = entries.get(key) ?? pending.get(key)
      if (cached !== undefined) {
        counts.hits++
        return cached
      }
      counts.misses++
      const generation = changes.generation
      const computation = compute().then((value) => {
        if (changes.generation === generation) entries.set(key, value)
        return value
      }).finally(() => {
        if (pending.get(key) === computation) pending.delete(key)
      })
      pending.set(key, computation)
      return computation
    },
    stats: () => ({ ...counts, entries: entries.size })
  }
}

/** A cache key from a query's name and parameters, independent of the order the parameters came in. */
export function queryKey (name: string, parameters: object): string {
  const defined = Object.entries(parameters).filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `${name}:${JSON.stringify(defined)}`
}
