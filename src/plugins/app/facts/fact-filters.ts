import { Type } from 'typebox'
import type { Prisma } from '../../../generated/prisma/client.ts'
import { ProblemError } from '../../../lib/problem.ts'

// Filters the honor, service, condition and event lists share, and the query parameters that set them. This module
// exports no plugin, so autoload passes over it.

/** The unit a `department` filter names: by its slug or by one of its aliases, as /v1/departments/{slug} accepts. */
export function unitWithSlug (slug: string): Prisma.UnitWhereInput {
  return { OR: [{ slug }, { aliases: { some: { slug } } }] }
}

/**
 * Text to put in a LIKE pattern so that it matches only itself. Prisma turns `contains` and `startsWith` into LIKE
 * without escaping the pattern characters (prisma/prisma#19506), so a client's "%" would match everything;
 * PostgreSQL's default LIKE escape is the backslash, so escaping it and the two wildcards keeps the text literal.
 */
export function likeLiteral (text: string): string {
  return text.replace(/[\\%_]/g, '\\$&')
}

/** A case-insensitive substring match on literal text. */
export function containsText (text: string): Prisma.StringNullableFilter {
  return { contains: likeLiteral(text), mode: 'insensitive' }
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
 * The `year` condition for an inclusive range. Rows with no stated year never match a range (a comparison with
 * NULL is not true), which is what a client asking "what happened in 2009" expects.
 */
export function yearWithin ({ yearFrom, yearTo }: YearRange): { year?: { gte?: number, lte?: number } } {
  if (yearFrom !== undefined && yearTo !== undefined && yearFrom > yearTo) {
    // The schema validates each bound on its own; their order is checked here, in the shape Ajv's problems take.
    throw new ProblemError('invalidRequest', `yearFrom (${yearFrom}) is after yearTo (${yearTo}), so no year could match.`, {
      errors: [{ in: 'querystring', field: '/yearFrom', message: 'must be less than or equal to yearTo' }]
    })
  }
  if (yearFrom === undefined && yearTo === undefined) return {}
  return {
    year: {
      ...(yearFrom === undefined ? {} : { gte: yearFrom }),
      ...(yearTo === undefined ? {} : { lte: yearTo })
    }
  }
}
