import type { ApiKeyInfo } from '../../../db/api-keys.ts'
import { sql, type Sql } from '../../../lib/json-sql.ts'
import { ProblemError } from '../../../lib/problem.ts'
import type { Prisma } from '../../../generated/prisma/client.ts'

// A key scoped to a region writes only inside it. Where a row lies: in its hospital's region (a hospital and
// everything that belongs to it: units, aliases, figures, honors, services, condition links, events, news, sources
// and their candidates), or, for a region, in itself. Reference data every hospital shares (metric definitions,
// conditions) lies in no region, so such a key cannot write it. The writer checks the row before a change and after
// it, inside the write's transaction, so a write that would move a row out of the region (or into it from outside)
// is refused and rolled back.

/** Where the rows of a writable resource lie, for the check. */
export type RegionPlacement =
  /** SQL selecting the id of the hospital (or hospitals) the row `id` belongs to; none or null is outside every region. */
  | { hospitalOf: (id: string) => Sql }
  /** The row is a region: a scoped key may write the regions below its own, not its own region (that would move its scope). */
  | 'region'
  /** Shared reference data: outside every region. */
  | 'shared'

type Db = Pick<Prisma.TransactionClient, '$queryRaw'>

/**
 * Refuses (403) a write by a region-scoped key to a row outside its region. `noun` names the row in the message.
 * Keys without a region pass.
 */
export async function assertInKeyRegion (db: Db, key: ApiKeyInfo | null, placement: RegionPlacement, id: string, noun: string): Promise<void> {
  if (key === null || key.regionId === null) return
  const inside = placement === 'shared' ? false : await insideRegion(db, key.regionId, placement, id)
  if (inside) return
  const where = placement === 'shared'
    ? `a ${noun} is shared by every hospital, so only a key without a region may write it`
    : placement === 'region'
      ? `this ${noun} is not below it`
      : `this ${noun} belongs to a hospital outside it (or to no hospital with a region)`
  throw new ProblemError('forbidden', `The API key "${key.prefix}" writes only in the region "${key.region ?? ''}": ${where}.`)
}

async function insideRegion (db: Db, keyRegionId: string, placement: Exclude<RegionPlacement, 'shared'>, id: string): Promise<boolean> {
  const [row] = placement === 'region'
    ? await db.$queryRaw<Array<{ inside: boolean }>>(sql`
        SELECT (r.path LIKE k.path || '%' AND r.id <> k.id) AS inside
        FROM region r, region k WHERE r.id = ${id}::uuid AND k.id = ${keyRegionId}::uuid`)
    : await db.$queryRaw<Array<{ inside: boolean }>>(sql`
        SELECT count(*) > 0 AND bool_and(coalesce(r.path LIKE k.path || '%', false)) AS inside
        FROM (${placement.hospitalOf(id)}) AS owner(hospital_id)
        CROSS JOIN region k
        LEFT JOIN hospital h ON h.id = owner.hospital_id
        LEFT JOIN region r ON r.id = h.region_id
        WHERE k.id = ${keyRegionId}::uuid`)
  return row?.inside === true
}
