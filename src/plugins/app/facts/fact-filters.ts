import { Type } from 'typebox'
import { join, sql, type Sql } from '../../../lib/json-sql.ts'
import { ProblemError } from '../../../lib/problem.ts'

// Filters the fact lists (honors, services, conditions, events, news, figures) share, in SQL, and the query
// parameters that set them. This module exports no plugin, so autoload passes over it.

/**
 * `unitId` is the unit a `department` filter names: by its slug or by one of its aliases, as
 * /v1/departments/{slug} accepts.
 */
export function unitWithSlug (unitId: Sql, slug: string): Sql {
  return sql`${unitId} IN (SELECT id FROM unit WHERE slug = ${slug} UNION ALL SELECT unit_id FROM unit_alias WHERE slug = ${slug})`
}

/**
 * Text to put in a LIKE pattern so that it matches only itself: a client's "%" would otherwise match everything
 * (Prisma's `contains` and `startsWith` do not escape it either, prisma/prisma#19506). PostgreSQL's default LIKE
 * escape is the backslash, so escaping it and the two wildcards keeps the text literal.
 */
export function likeLiteral (text: string): string {
  return text.replace(/[\\%_]/g, '\\$&')
}

/** `column` contains `text`, ignoring case (a null column never does). */
export function containsText (column: Sql, text: string): Sql {
  return sql`${column} ILIKE ${`%${likeLiteral(text)}%`}`
}

export interface YearRange {
  yearFrom?: number
  yearTo?: number
}

/** The yearFrom and yearTo query parameters, described for the list they filter ("honors awarded", ...). */
export function yearRangeParameters (what: string) {
  const bounds = { minimum: 1000, maximum: 9999 }
  return {
    yearFrom: Type.Optional(Type.Integer({ ...bounds, description: `Only ${what} in or after this year (inclusive); those with no stated year are left out`, examples: [2009] })),
    yearTo: Type.Optional(Type.Integer({ ...bounds, description: `Only ${what} in or before this year (inclusive); those with no stated year are left out`, examples: [2018] }))
  }
}

/**
 * The condition on the `year` column for an inclusive range. Rows with no stated year never match a range (a
 * comparison with NULL is not true), which is what a client asking "what happened in 2009" expects.
 */
export function yearWithin (year: Sql, { yearFrom, yearTo }: YearRange): Sql {
  if (yearFrom !== undefined && yearTo !== undefined && yearFrom > yearTo) {
    // The schema validates each bound on its own; their order is checked here, in the shape Ajv's problems take.
    throw new ProblemError('invalidRequest', `yearFrom (${yearFrom}) is after yearTo (${yearTo}), so no year could match.`, {
      errors: [{ in: 'querystring', field: '/yearFrom', message: 'must be less than or equal to yearTo' }]
    })
  }
  const conditions: Sql[] = [sql`TRUE`]
  if (yearFrom !== undefined) conditions.push(sql`${year} >= ${yearFrom}::int`)
  if (yearTo !== undefined) conditions.push(sql`${year} <= ${yearTo}::int`)
  return join(conditions, ' AND ')
}
