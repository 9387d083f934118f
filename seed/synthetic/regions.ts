import type { Prisma } from '../../src/generated/prisma/client.ts'
import { places, type Place } from './places.ts'
import { nameUuid, slugify } from './random.ts'

// The administrative hierarchy the synthetic hospitals sit in, made from their places: China (the real seed's) →
// Chongqing (municipality, the real seed's) → its districts and counties, and China → five provinces → their
// prefecture-level cities → the districts of each capital. Regions are made once, before the hospitals, and kept by
// slug: a region that exists already (the seed's, or one an editor made) is used as it is.

export type SyntheticRegionLevel = 'province' | 'municipality' | 'prefecture' | 'district' | 'county'

export interface SyntheticRegion {
  slug: string
  name: string
  level: SyntheticRegionLevel
  /** The parent's slug; "china" and "chongqing" are the real seed's. */
  parent: string
}

/** The region a place's hospitals belong to. */
export function regionOf (place: Place): SyntheticRegion {
  if (place.province === 'Chongqing') {
    const name = place.level === 'city' || place.label.endsWith('District') || place.label.endsWith('County') ? place.label : `${place.label} District`
    return { slug: slugify(name), name, level: place.level === 'county' ? 'county' : 'district', parent: 'chongqing' }
  }
  if (place.level === 'city') return { slug: slugify(place.city), name: place.city, level: 'prefecture', parent: slugify(place.province) }
  return { slug: slugify(place.label), name: place.label, level: 'district', parent: slugify(place.city) }
}

/** Every region of the synthetic places, parents before children, each once. */
export function syntheticRegions (): SyntheticRegion[] {
  const bySlug = new Map<string, SyntheticRegion>()
  const add = (region: SyntheticRegion): void => {
    const known = bySlug.get(region.slug)
    if (known === undefined) bySlug.set(region.slug, region)
    else if (known.parent !== region.parent || known.level !== region.level) throw new Error(`two synthetic regions are called ${region.slug}`)
  }
  for (const place of places) {
    if (place.province !== 'Chongqing') {
      add({ slug: slugify(place.province), name: place.province, level: 'province', parent: 'china' })
      add({ slug: slugify(place.city), name: place.city, level: 'prefecture', parent: slugify(place.province) })
    }
    add(regionOf(place))
  }
  const depth = { province: 0, municipality: 0, prefecture: 1, district: 2, county: 2 }
  return [...bySlug.values()].sort((a, b) => depth[a.level] - depth[b.level])
}

/**
 * Makes the regions that do not exist yet, parents first (the path trigger reads the parent), and answers every
 * synthetic region's id by slug. Needs the real seed's "china" and "chongqing".
 */
export async function ensureRegions (transaction: Pick<Prisma.TransactionClient, '$executeRawUnsafe' | '$queryRawUnsafe'>): Promise<Map<string, string>> {
  const regions = syntheticRegions()
  for (const level of ['province', 'prefecture', 'district'] as const) {
    const rows = regions.filter((region) => level === 'district' ? region.level === 'district' || region.level === 'county' : region.level === level)
    // One statement per level; a region whose slug is taken is left as it is. Ids are made from the slug, so the
    // hospitals of a region made with the same options are the same rows on every database.
    await transaction.$executeRawUnsafe(`
      INSERT INTO region (id, slug, name, level, parent_id)
      SELECT r.id, r.slug, r.name, r.level::"RegionLevel", parent.id
      FROM json_to_recordset($1::json) AS r(id uuid, slug text, name text, level text, parent text)
      JOIN region parent ON parent.slug = r.parent
      ON CONFLICT (slug) DO NOTHING`, JSON.stringify(rows.map((region) => ({ ...region, id: nameUuid(`synthetic/region/${region.slug}`) }))))
  }
  const found = await transaction.$queryRawUnsafe<Array<{ id: string, slug: string }>>(
    'SELECT id, slug FROM region WHERE slug = ANY($1::text[])', regions.map((region) => region.slug))
  return new Map(found.map((row) => [row.slug, row.id]))
}
