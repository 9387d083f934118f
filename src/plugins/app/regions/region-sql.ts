import { join, sql, type Sql } from '../../../lib/json-sql.ts'

// "In this region or below" as SQL. Every region keeps the materialised path of ids from the top (`region.path`,
// "/<country>/<province>/<district>/", maintained by the regions migration's triggers whoever writes), so a region's
// subtree is the regions whose path starts with its path, and a hospital is in the subtree when its region_id is one of
// those. No recursive query, whatever the depth.
//
// "Starts with P" is written as the byte range [P, P with its last "/" replaced by "0"): a path holds only "/", "-"
// and hex digits, and "0" is the byte after "/". The pattern operators (~>=~, ~<~) compare bytes, as the
// text_pattern_ops index region_path_idx is ordered, so the range is an index scan even with P from another row
// (LIKE can use the index only with a constant pattern).

/**
 * The ids of the regions named by `slugs` and of every region below them, as a subquery: `x IN (${regionSubtreeIds(…)})`.
 * A slug that names no region adds nothing (the set is empty when none does).
 */
export function regionSubtreeIds (slugs: string | readonly string[]): Sql {
  const names = typeof slugs === 'string' ? [slugs] : [...slugs]
  if (names.length === 0) return sql`SELECT NULL::uuid WHERE FALSE`
  // One parameter a slug (not an array parameter): the statement may be sent with its values as literals (withLiterals).
  return sql`SELECT below.id FROM region named JOIN region below ON below.path ~>=~ named.path AND below.path ~<~ (left(named.path, -1) || '0')
    WHERE named.slug IN (${join(names)})`
}

/**
 * The condition "the hospital whose id is `hospitalId` lies in one of the regions `slugs`, or below one", for any row
 * that names a hospital: `WHERE ${hospitalInRegion(sql`h.id`, 'chongqing')}`, or on a unit,
 * `hospitalInRegion(sql`u.hospital_id`, slugs)`. This is the region filter of the hospital, unit and figure lists and
 * the one to use wherever else a region narrows hospitals (statistics, analytics). A hospital with no region is in
 * none. Give it the hospital table's own `region_id` where the query has it (`regionIdInRegion`): one join fewer.
 */
export function hospitalInRegion (hospitalId: Sql, slugs: string | readonly string[]): Sql {
  return sql`${hospitalId} IN (SELECT region_hospital.id FROM hospital region_hospital
    WHERE region_hospital.region_id IN (${regionSubtreeIds(slugs)}))`
}

/** The same condition on a hospital row's `region_id` column: `regionIdInRegion(sql`h.region_id`, 'chongqing')`. */
export function regionIdInRegion (regionId: Sql, slugs: string | readonly string[]): Sql {
  return sql`${regionId} IN (${regionSubtreeIds(slugs)})`
}
