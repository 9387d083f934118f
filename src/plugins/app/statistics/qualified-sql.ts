import { Prisma } from '../../../generated/prisma/client.ts'
import { zeroDenominator } from './qualified.ts'

// lib/qualified.ts's arithmetic for sums, differences and ratios, written as SQL so PostgreSQL can total a group of any size and send the
// JSON. A stated figure is an interval around its value: it has a lower bound unless its comparator is < or <= or it
// is an unqualified approximation, and an upper bound unless its comparator is > or >= or it is an unqualified
// approximation; the bound is the value itself, inclusive unless the comparator is strict. A sum adds bounds side by
// side, so its lower bound exists when every input has one (and is then the sum of the values), is inclusive when
// every input's is, and so on; any approximate input makes it approximate. Differences and ratios cross the bounds
// (a's lower with b's upper), so every bound of every result is still its value, which is what lets these parts stay
// booleans. test/plugins/statistics/qualified-sql.test.ts
// compares these expressions with qualified.ts on the seed and on generated figures.

/** The parts of a figure's interval, as SQL boolean expressions (per row, or aggregated over a group). */
export interface IntervalParts {
  value: Prisma.Sql
  hasLower: Prisma.Sql
  lowerInclusive: Prisma.Sql
  hasUpper: Prisma.Sql
  upperInclusive: Prisma.Sql
  approximate: Prisma.Sql
}

/** The interval of one stated figure, from its row's value, comparator (as text) and approximate columns. */
export function statedInterval (value: Prisma.Sql, comparator: Prisma.Sql, approximate: Prisma.Sql): IntervalParts {
  const plain = Prisma.sql`(${comparator} IS NULL AND NOT ${approximate})`
  return {
    value,
    // COALESCE: a null comparator compares as unknown, which bool_and would skip.
    hasLower: Prisma.sql`(COALESCE(${comparator} IN ('>', '>='), false) OR ${plain})`,
    lowerInclusive: Prisma.sql`(COALESCE(${comparator} = '>=', false) OR ${plain})`,
    hasUpper: Prisma.sql`(COALESCE(${comparator} IN ('<', '<='), false) OR ${plain})`,
    upperInclusive: Prisma.sql`(COALESCE(${comparator} = '<=', false) OR ${plain})`,
    approximate
  }
}

/** The interval of the sum of a group's figures: aggregates over `statedInterval`'s parts. */
export function sumInterval (figure: IntervalParts): IntervalParts {
  return {
    value: Prisma.sql`sum(${figure.value})`,
    hasLower: Prisma.sql`bool_and(${figure.hasLower})`,
    lowerInclusive: Prisma.sql`bool_and(${figure.lowerInclusive})`,
    hasUpper: Prisma.sql`bool_and(${figure.hasUpper})`,
    upperInclusive: Prisma.sql`bool_and(${figure.upperInclusive})`,
    approximate: Prisma.sql`bool_or(${figure.approximate})`
  }
}

/** The interval of a - b (qualified.ts's `difference`): a side is known when both bounds it crosses are. */
export function differenceInterval (a: IntervalParts, b: IntervalParts): IntervalParts {
  const hasLower = Prisma.sql`(${a.hasLower} AND ${b.hasUpper})`
  const hasUpper = Prisma.sql`(${a.hasUpper} AND ${b.hasLower})`
  return {
    value: Prisma.sql`(${a.value} - ${b.value})`,
    hasLower,
    lowerInclusive: Prisma.sql`(${hasLower} AND ${a.lowerInclusive} AND ${b.upperInclusive})`,
    hasUpper,
    upperInclusive: Prisma.sql`(${hasUpper} AND ${a.upperInclusive} AND ${b.lowerInclusive})`,
    approximate: Prisma.sql`(${a.approximate} OR ${b.approximate})`
  }
}

/**
 * The interval of a / b for non-negative figures (qualified.ts's `ratio`); its value is null when b's is zero, which
 * `ratioAbsent` explains. A bound is reached when both crossed bounds are, or when the numerator is zero.
 */
export function ratioInterval (a: IntervalParts, b: IntervalParts): IntervalParts {
  const hasLower = Prisma.sql`(${a.hasLower} AND ${b.hasUpper})`
  const hasUpper = Prisma.sql`(${a.hasUpper} AND ${b.hasLower})`
  return {
    value: Prisma.sql`(${a.value} / NULLIF(${b.value}, 0))`,
    hasLower,
    lowerInclusive: Prisma.sql`(${hasLower} AND ${a.lowerInclusive} AND (${b.upperInclusive} OR ${a.value} = 0))`,
    hasUpper,
    upperInclusive: Prisma.sql`(${hasUpper} AND ${a.upperInclusive} AND (${b.lowerInclusive} OR ${a.value} = 0))`,
    approximate: Prisma.sql`(${a.approximate} OR ${b.approximate})`
  }
}

/** Why a / b has no value (qualified.ts's reason), or null when it has one. */
export function ratioAbsent (b: IntervalParts): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${b.value} = 0 THEN ${zeroDenominator} END`
}

/** qualified.ts's `certainlyAbove`: a's lower bound above b's upper one, or on it when either is strict. */
export function certainlyAbove (a: IntervalParts, b: IntervalParts): Prisma.Sql {
  return Prisma.sql`(${a.hasLower} AND ${b.hasUpper} AND (${a.value} > ${b.value} OR
    (${a.value} = ${b.value} AND NOT (${a.lowerInclusive} AND ${b.upperInclusive}))))`
}

/** Whether the interval is one exact figure: nothing hedged and both sides reached (qualified.ts's `isExact`). */
export function isExact (parts: IntervalParts): Prisma.Sql {
  return Prisma.sql`(NOT ${parts.approximate} AND ${parts.lowerInclusive} AND ${parts.upperInclusive})`
}

/** Columns holding an interval's parts, under `prefix`_value, `prefix`_has_lower, ... */
export function intervalColumns (parts: IntervalParts, prefix: string): Prisma.Sql {
  return Prisma.join(Object.entries(parts).map(([name, expression]) =>
    Prisma.sql`${expression} AS ${Prisma.raw(`${prefix}_${snake(name)}`)}`))
}

/** The parts read back from the columns `intervalColumns` wrote, on the table alias `alias`. */
export function intervalFrom (alias: string, prefix: string): IntervalParts {
  const column = (name: string) => Prisma.raw(`${alias}.${prefix}_${snake(name)}`)
  return {
    value: column('value'),
    hasLower: column('hasLower'),
    lowerInclusive: column('lowerInclusive'),
    hasUpper: column('hasUpper'),
    upperInclusive: column('upperInclusive'),
    approximate: column('approximate')
  }
}

function snake (name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
}

/**
 * The public QualifiedValue of an interval, as qualified.ts's `describe` writes it: the bounds (the value itself when
 * known), their inclusiveness (false for a side that is open), the comparator of a one-sided interval, and `exact`
 * when nothing is hedged and both sides are reached. Numbers go out as float8, which json prints in the shortest
 * form that reads back as the same double.
 */
export function qualifiedJson (parts: IntervalParts): Prisma.Sql {
  const value = Prisma.sql`(${parts.value})::float8`
  return Prisma.sql`json_build_object(
    'value', ${value},
    'lower', CASE WHEN ${parts.hasLower} THEN ${value} END,
    'upper', CASE WHEN ${parts.hasUpper} THEN ${value} END,
    'lowerInclusive', ${parts.lowerInclusive},
    'upperInclusive', ${parts.upperInclusive},
    'comparator', CASE
      WHEN ${parts.hasLower} AND NOT ${parts.hasUpper} THEN CASE WHEN ${parts.lowerInclusive} THEN '>=' ELSE '>' END
      WHEN ${parts.hasUpper} AND NOT ${parts.hasLower} THEN CASE WHEN ${parts.upperInclusive} THEN '<=' ELSE '<' END
    END,
    'approximate', ${parts.approximate},
    'exact', ${isExact(parts)})`
}
