import { Prisma, type PrismaClient } from '../../../generated/prisma/client.ts'
import { ProblemError } from '../../../lib/problem.ts'

// The statistics' multi-valued filters: `hospital=a,b`, `department=a,b` (each with the units below it) and
// `metric=a,b`. A value that names nothing is a 400 problem naming it, never an empty answer that looks like "no
// figures". The SQL that finds the unknown values and the units a department filter covers is written here once; the
// analytics statement embeds it, and the other statistics run it as their one statement before the page.

type Database = Pick<PrismaClient, '$queryRaw'>

/** How many values each multi-valued filter takes (documented in docs/statistics.md and the OpenAPI document). */
export const filterLimits = { hospital: 100, department: 100, region: 20, metric: 20, period: 20 } as const

export type ListFilter = keyof typeof filterLimits

/** A comma-separated filter's values, deduplicated in order; a 400 problem beyond its limit. */
export function filterValues (parameter: ListFilter, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const values = [...new Set(value.split(','))]
  const limit = filterLimits[parameter]
  if (values.length > limit) {
    throw new ProblemError('invalidRequest', `${parameter} takes at most ${limit} comma-separated values; ${values.length} were given.`, {
      errors: [{ in: 'querystring', field: `/${parameter}`, message: `must have at most ${limit} values` }]
    })
  }
  return values
}

/** A list of text values as one SQL array. */
export function textArray (values: readonly string[]): Prisma.Sql {
  return values.length === 0 ? Prisma.sql`ARRAY[]::text[]` : Prisma.sql`ARRAY[${Prisma.join(values)}]::text[]`
}

/** Rows (parameter, value) for each value that names no record, as SQL: the union of these is what a 400 names. */
export const unknownValues = {
  hospital: (slugs: readonly string[]) => Prisma.sql`SELECT 'hospital' AS parameter, v AS value FROM unnest(${textArray(slugs)}) v
    WHERE NOT EXISTS (SELECT 1 FROM hospital WHERE slug = v)`,
  department: (slugs: readonly string[]) => Prisma.sql`SELECT 'department' AS parameter, v AS value FROM unnest(${textArray(slugs)}) v
    WHERE NOT EXISTS (SELECT 1 FROM unit WHERE slug = v) AND NOT EXISTS (SELECT 1 FROM unit_alias WHERE slug = v)`,
  region: (slugs: readonly string[]) => Prisma.sql`SELECT 'region' AS parameter, v AS value FROM unnest(${textArray(slugs)}) v
    WHERE NOT EXISTS (SELECT 1 FROM region WHERE slug = v)`,
  metric: (codes: readonly string[]) => Prisma.sql`SELECT 'metric' AS parameter, v AS value FROM unnest(${textArray(codes)}) v
    WHERE NOT EXISTS (SELECT 1 FROM metric_definition WHERE code = v)`
}

/** Where to look up the values a 400 names. */
const lists: Record<string, string> = { hospital: '/v1/hospitals', department: '/v1/departments', region: '/v1/regions', metric: '/v1/metric-definitions' }

export interface UnknownValue { parameter: string, value: string }

/** The 400 for filter values that name nothing, each named; nothing when every value names something. */
export function refuseUnknown (unknown: readonly UnknownValue[] | null): void {
  if (unknown === null || unknown.length === 0) return
  const byParameter = new Map<string, string[]>()
  for (const { parameter, value } of [...unknown].sort((a, b) => a.value.localeCompare(b.value))) byParameter.set(parameter, [...(byParameter.get(parameter) ?? []), value])
  const detail = [...byParameter].map(([parameter, values]) =>
    `No ${parameter === 'metric' ? 'metric has the code' : `${parameter} has the slug`}${values.length > 1 ? 's' : ''} ` +
    `${values.map((value) => `"${value}"`).join(', ')} (see ${lists[parameter] ?? 'the API'})`).join('; ')
  throw new ProblemError('invalidRequest', `${detail}.`, {
    errors: unknown.map(({ parameter, value }) => ({ in: 'querystring', field: `/${parameter}`, message: `"${value}" names nothing` }))
  })
}

/**
 * The ids of the units with these slugs (or aliases) and of every unit below them, so a division's statistics cover
 * its departments: a recursive SQL relation with one column, `id`.
 */
export function unitTreeSql (slugs: readonly string[]): Prisma.Sql {
  return Prisma.sql`WITH RECURSIVE root AS (
      SELECT u.id, u.hospital_id FROM unit u
      WHERE u.slug = ANY(${textArray(slugs)}) OR EXISTS (SELECT 1 FROM unit_alias a WHERE a.unit_id = u.id AND a.slug = ANY(${textArray(slugs)}))
    ), tree AS (
      SELECT id, hospital_id FROM root
      UNION
      SELECT child.id, child.hospital_id FROM unit child JOIN tree ON child.parent_id = tree.id AND child.hospital_id = tree.hospital_id
    )
    SELECT id FROM tree`
}

export interface ScopeFilters {
  hospital?: string[]
  department?: string[]
  metric?: string[]
}

function unknownChecks (filters: ScopeFilters): Prisma.Sql[] {
  return (['hospital', 'department', 'metric'] as const).flatMap((parameter) => {
    const values = filters[parameter]
    return values === undefined ? [] : [unknownValues[parameter](values)]
  })
}

function unknownJson (checks: readonly Prisma.Sql[]): Prisma.Sql {
  return Prisma.sql`(SELECT json_agg(json_build_object('parameter', parameter, 'value', value)) FROM (${Prisma.join(checks, ' UNION ALL ')}) unknown)`
}

/** A 400 naming every filter value that names nothing: one statement, none without such filters. */
export async function refuseUnknownValues (db: Database, filters: ScopeFilters): Promise<void> {
  const checks = unknownChecks(filters)
  if (checks.length === 0) return
  const [row] = await db.$queryRaw<Array<{ unknown: UnknownValue[] | null }>>`SELECT ${unknownJson(checks)} AS unknown`
  refuseUnknown(row?.unknown ?? null)
}

/**
 * Checks the filters' values and finds the units the department filter covers, in one statement: a 400 naming every
 * value that names nothing, else the unit ids (undefined without a department filter).
 */
export async function resolveScope (db: Database, filters: ScopeFilters): Promise<{ unitIds?: string[] }> {
  const checks = unknownChecks(filters)
  if (checks.length === 0) return {}
  const departments = filters.department
  const [row] = await db.$queryRaw<Array<{ unknown: UnknownValue[] | null, unitIds: string[] | null }>>`
    SELECT ${unknownJson(checks)} AS unknown,
      ${departments === undefined ? Prisma.sql`NULL::text[]` : Prisma.sql`ARRAY(SELECT id::text FROM (${unitTreeSql(departments)}) units)`} AS "unitIds"`
  refuseUnknown(row?.unknown ?? null)
  return departments === undefined ? {} : { unitIds: row?.unitIds ?? [] }
}
