import fp from 'fastify-plugin'
import type { ChangeFilters } from './change-repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    changeHub: ChangeHub
  }
}

// What the event streams of one instance read, shared: when a write commits, every stream following the feed wakes
// and asks for the changes after the same cursor (the feed's head). Each asking the database would cost one query per
// stream per write (ten streams at 1,000 writes a minute: 170 queries a second); here the first asks, the others
// share its answer, and each keeps the changes its filters admit. An answer is shared only until the next write is
// heard, so a stream woken by that write never gets an answer read before it committed.

/** How many changes one shared read takes. */
const sharedPageSize = 100

export interface HubPage {
  items: Array<{ position: string, item: string, resource: string, hospitals: string[] }>
  next: bigint
  more: boolean
}

export class ChangeHub {
  private pending = new Map<string, Promise<HubPage>>()
  /** Shared reads made, and reads answered from one: for tests and metrics. */
  reads = 0
  shared = 0

  constructor (private readonly readPage: (since: bigint, limit: number) => Promise<HubPage>) {}

  /** A write was heard: answers read before it are no longer shared. */
  invalidate (): void {
    this.pending.clear()
  }

  /** The changes after `cursor` that `filters` admit, the cursor to read after next and whether more are there. */
  async read (filters: ChangeFilters, cursor: bigint) {
    const key = cursor.toString()
    let page = this.pending.get(key)
    if (page === undefined) {
      this.reads++
      page = this.readPage(cursor, sharedPageSize)
      this.pending.set(key, page)
      // A failed read is not shared with the next stream that asks.
      page.catch(() => { if (this.pending.get(key) === page) this.pending.delete(key) })
    } else {
      this.shared++
    }
    const { items, next, more } = await page
    const resources = filters.resources === undefined || filters.resources.length === 0 ? null : new Set(filters.resources)
    const hospitals = filters.hospitals === undefined ? null : new Set(filters.hospitals)
    return {
      items: items.filter((entry) => (resources === null || resources.has(entry.resource)) &&
        (hospitals === null || entry.hospitals.some((id) => hospitals.has(id)))),
      next,
      more
    }
  }
}

export default fp(async (fastify) => {
  const hub = new ChangeHub((since, limit) => fastify.changeRepository.pageForHub(since, limit))
  // Registered before any stream subscribes, so it runs before the streams' own listeners.
  fastify.dataChanges.on('change', (table) => {
    if (table === 'audit_event' || table === '*') hub.invalidate()
  })
  fastify.decorate('changeHub', hub)
}, { name: 'change-hub', dependencies: ['change-repository', 'data-changes'] })
