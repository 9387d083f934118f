import { Prisma } from '../../../generated/prisma/client.ts'
import { regionIdInRegion } from '../regions/region-sql.ts'
import { textArray, unitTreeSql, unknownValues } from './scope-sql.ts'

// What an analytics cell can be grouped by, and filtered on, beside its metric and its period (which every cell has):
// one definition per dimension, so that a new one (a region, once hospitals have one) is one more entry here, and
// `groupBy`, the filter of the same name, the cell's JSON, its CSV column, its breakdown link and the check for unknown
// values all follow from it. A dimension's member is a text key; its SQL runs over a figure's unit `u` and hospital `h`.

export interface AnalyticsDimension {
  /** A figure's member of the dimension, as text: what cells group and sort by, and what the filter names. */
  key: Prisma.Sql
  /** The member's JSON in a cell, looked up from its key (for the cells of one page only). */
  member: (key: Prisma.Sql) => Prisma.Sql
  /** The condition `name=a,b` sets on a figure's unit `u` and hospital `h`. */
  filter: (values: readonly string[]) => Prisma.Sql
  /** Rows (parameter, value) for the values of the filter that name nothing. */
  unknown: (values: readonly string[]) => Prisma.Sql
  /** The filter's description in the OpenAPI document, and an example value. */
  description: string
  example: string
}

export const analyticsDimensions = {
  hospital: {
    key: Prisma.sql`h.slug`,
    member: (key) => Prisma.sql`(SELECT json_build_object('slug', slug, 'name', name, 'shortName', short_name) FROM hospital WHERE slug = ${key})`,
    filter: (values) => Prisma.sql`h.slug = ANY(${textArray(values)})`,
    unknown: unknownValues.hospital,
    description: 'Only units of these hospitals (slugs)',
    example: 'cqhcwc'
  },
  department: {
    key: Prisma.sql`u.slug`,
    member: (key) => Prisma.sql`(SELECT json_build_object('slug', slug, 'name', name, 'kind', kind) FROM unit WHERE slug = ${key})`,
    filter: (values) => Prisma.sql`u.id IN (${unitTreeSql(values)})`,
    unknown: unknownValues.department,
    description: 'Only these units and the units below them (slugs or aliases)',
    example: 'obstetrics-second-department'
  },
  region: {
    // A hospital's own region (the most precise one known); the filter takes any region and everything below it.
    key: Prisma.sql`(SELECT slug FROM region WHERE id = h.region_id)`,
    member: (key) => Prisma.sql`(SELECT json_build_object('slug', slug, 'name', name, 'level', level) FROM region WHERE slug = ${key})`,
    filter: (values) => regionIdInRegion(Prisma.sql`h.region_id`, values),
    unknown: unknownValues.region,
    description: 'Only hospitals in these regions or any region below them (slugs; see /v1/regions)',
    example: 'chongqing'
  }
} satisfies Record<string, AnalyticsDimension>

export type DimensionName = keyof typeof analyticsDimensions

export const dimensionNames = Object.keys(analyticsDimensions) as DimensionName[]

/** What `groupBy` takes: the metric and the period, which every cell has anyway (naming them sets the order), and the dimensions. */
export const groupByNames = ['metric', 'period', ...dimensionNames] as const
export type GroupByName = (typeof groupByNames)[number]
