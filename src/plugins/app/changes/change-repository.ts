import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { empty, isoTimestamp, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'
import { refuseUnknownValues } from '../statistics/scope-sql.ts'

declare module 'fastify' {
  interface FastifyInstance {
    changeRepository: ChangeRepository
  }
}

// The change feed is the audit trail read by position: every write this API makes records an audit event in its own
// transaction, and the database hands out positions in commit order (the change_feed migration), so reading
// "position > since" in order skips nothing and repeats nothing, however transactions interleave. Readers see
// neither who wrote nor what was there before: that stays in the admin-only audit.

export interface ChangeFilters {
  resources?: readonly string[]
  /** Ids of hospitals: only changes to records of one of them. */
  hospitals?: readonly string[]
}

export interface ChangeRead {
  limit: number
  /** A position: the changes after it are read. */
  since: bigint
}

export interface ChangePageText {
  /** Each change as JSON text, written by PostgreSQL, with its position. */
  items: Array<{ position: string, item: string }>
  /** The position to read after next time. */
  next: bigint
  more: boolean
}

/** A change as the feed and webhook deliveries present it, from an audit_event row. */
export const changeJson = (a: Sql): Sql => jsonObject([
  ['cursor', sql`${a}.position::text`],
  ['resource', sql`${a}.resource`],
  ['id', sql`${a}.entity_id`],
  ['key', sql`${a}.key`],
  ['version', sql`${a}.version`],
  ['action', sql`${a}.action`],
  ['at', isoTimestamp(sql`${a}.occurred_at`)],
  ['record', sql`CASE WHEN ${a}.action = 'archive' THEN NULL ELSE ${a}.after END`],
  ['location', sql`${a}.location`]
])

/** A page from up to `limit + 1` rows read after `since`: the extra row only says that more are there. */
function pageOf<Row extends { position: string }> (rows: Row[], since: bigint, limit: number): { items: Row[], next: bigint, more: boolean } {
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  const last = items.at(-1)
  return { items, next: last === undefined ? since : BigInt(last.position), more }
}

export function createChangeRepository (fastify: FastifyInstance) {
  const { database } = fastify
  const a = sql`a`
  const item = changeJson(a)

  return {
    /** The changes after `since`, oldest first, at most `limit`. */
    async page (filters: ChangeFilters, read: ChangeRead): Promise<ChangePageText> {
      const resources = filters.resources === undefined || filters.resources.length === 0
        ? empty
        : sql`AND a.resource = ANY(${[...filters.resources]}::text[])`
      const hospitals = filters.hospitals === undefined
        ? empty
        : sql`AND a.hospital_ids && ${[...filters.hospitals]}::uuid[]`
      const rows = await database.query<{ position: string, item: string }>(sql`
        SELECT a.position::text AS position, ${item}::text AS item
        FROM audit_event a
        WHERE a.position > ${read.since.toString()}::bigint ${resources} ${hospitals}
        ORDER BY a.position
        LIMIT ${read.limit + 1}`)
      return pageOf(rows, read.since, read.limit)
    },

    /** The changes after `since`, unfiltered, each with what the event streams' filters look at (see change-hub.ts). */
    async pageForHub (since: bigint, limit: number) {
      const rows = await database.query<{ position: string, item: string, resource: string, hospitals: string[] }>(sql`
        SELECT a.position::text AS position, ${item}::text AS item, a.resource, a.hospital_ids::text[] AS hospitals
        FROM audit_event a
        WHERE a.position > ${since.toString()}::bigint
        ORDER BY a.position
        LIMIT ${limit + 1}`)
      return pageOf(rows, since, limit)
    },

    /** The ids of the hospitals with these slugs; a 400 naming any slug that names none. */
    async hospitalIds (slugs: readonly string[]): Promise<string[]> {
      await refuseUnknownValues(fastify.prisma, { hospital: [...slugs] })
      const rows = await database.query<{ id: string }>(sql`SELECT id::text AS id FROM hospital WHERE slug = ANY(${[...slugs]}::text[])`)
      return rows.map((row) => row.id)
    },

    /** The position of the latest change (0 before the first): where a reader that wants only what comes next starts. */
    async latest (): Promise<bigint> {
      const [row] = await database.query<{ position: string }>(sql`SELECT coalesce(max(position), 0)::text AS position FROM audit_event`)
      return BigInt(row!.position)
    }
  }
}

export type ChangeRepository = ReturnType<typeof createChangeRepository>

export default fp(async (fastify) => {
  fastify.decorate('changeRepository', createChangeRepository(fastify))
}, { name: 'change-repository', dependencies: ['prisma'] })
