// Arithmetic on figures that carry their qualifier. A figure is an interval around its stated value:
//   "88"                 exact        [88, 88]
//   "more than 30,000"   comparator > (30000, open)        "at least" >= [30000, open)
//   "nearly 100,000"     comparator < (open, 100000), approximate
//   "about 3000"         approximate: both sides unknown, value 3000
// Sums add bounds side by side, differences subtract the crossed bounds and ratios divide them; a side that is open in an input stays open in
// the result, and any approximate input makes the result approximate. The figures are counts, areas, rates and the
// like, so they are non-negative; ratios rely on that.

export type ComparatorSymbol = '<' | '<=' | '>=' | '>'

export interface Bound {
  value: number
  inclusive: boolean
}

export interface QualifiedFigure {
  value: number
  /** null: the figure may be anything below (an open or unknown side). */
  lower: Bound | null
  upper: Bound | null
  approximate: boolean
}

/** The public shape: what a client prints ("more than 30,088") and what a chart needs (bounds). */
export interface QualifiedValue {
  value: number
  lower: number | null
  upper: number | null
  lowerInclusive: boolean
  upperInclusive: boolean
  comparator: ComparatorSymbol | null
  approximate: boolean
  exact: boolean
}

export function fromStated (value: number, comparator: ComparatorSymbol | null, approximate: boolean): QualifiedFigure {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`A figure must be a finite non-negative number, got ${value}`)
  const at = (inclusive: boolean): Bound => ({ value, inclusive })
  switch (comparator) {
    case '>': return { value, lower: at(false), upper: null, approximate }
    case '>=': return { value, lower: at(true), upper: null, approximate }
    case '<': return { value, lower: null, upper: at(false), approximate }
    case '<=': return { value, lower: null, upper: at(true), approximate }
    case null: return approximate
      ? { value, lower: null, upper: null, approximate: true }
      : { value, lower: at(true), upper: at(true), approximate: false }
  }
}

function combine (a: Bound | null, b: Bound | null, operation: (x: number, y: number) => number): Bound | null {
  return a === null || b === null ? null : { value: operation(a.value, b.value), inclusive: a.inclusive && b.inclusive }
}

export function sum (figures: QualifiedFigure[]): QualifiedFigure {
  const zero: QualifiedFigure = { value: 0, lower: { value: 0, inclusive: true }, upper: { value: 0, inclusive: true }, approximate: false }
  return figures.reduce((total, figure) => ({
    value: total.value + figure.value,
    lower: combine(total.lower, figure.lower, (x, y) => x + y),
    upper: combine(total.upper, figure.upper, (x, y) => x + y),
    approximate: total.approximate || figure.approximate
  }), zero)
}

/**
 * a - b, for a change from b to a: the smallest difference takes a's lower bound less b's upper one, and the other way
 * round, so a side is known only when both of the bounds it crosses are. Unlike the other results it may be negative.
 */
export function difference (a: QualifiedFigure, b: QualifiedFigure): QualifiedFigure {
  return {
    value: a.value - b.value,
    lower: combine(a.lower, b.upper, (x, y) => x - y),
    upper: combine(a.upper, b.lower, (x, y) => x - y),
    approximate: a.approximate || b.approximate
  }
}

/** x / y is reached when both are reached, or when x is 0 (then the quotient is 0 whatever y is). */
function quotientBound (numerator: Bound, denominator: Bound): Bound {
  return {
    value: numerator.value / denominator.value,
    inclusive: numerator.inclusive && (denominator.inclusive || numerator.value === 0)
  }
}

/** Why a ratio has no value when its denominator's stated value is zero. */
export const zeroDenominator = 'the denominator is zero'

export type RatioResult = { figure: QualifiedFigure } | { absent: string }

/** numerator / denominator for non-negative figures; absent (with the reason) when it would divide by zero. */
export function ratio (numerator: QualifiedFigure, denominator: QualifiedFigure): RatioResult {
  if (denominator.value === 0) return { absent: zeroDenominator }
  if (denominator.upper !== null && denominator.upper.value === 0) return { absent: 'the denominator is at most zero' }
  // The smallest quotient takes the smallest numerator over the largest denominator, and the other way round; a
  // denominator that may be arbitrarily large leaves the lower side open (the rule), and one that may be
  // arbitrarily close to zero leaves the upper side open.
  const lower = numerator.lower === null || denominator.upper === null
    ? null
    : quotientBound(numerator.lower, denominator.upper)
  const upper = numerator.upper === null || denominator.lower === null || denominator.lower.value === 0
    ? null
    : quotientBound(numerator.upper, denominator.lower)
  return {
    figure: {
      value: numerator.value / denominator.value,
      lower,
      upper,
      approximate: numerator.approximate || denominator.approximate
    }
  }
}

export function isExact (figure: QualifiedFigure): boolean {
  return !figure.approximate && figure.lower !== null && figure.upper !== null &&
    figure.lower.inclusive && figure.upper.inclusive &&
    figure.lower.value === figure.value && figure.upper.value === figure.value
}

export function describe (figure: QualifiedFigure): QualifiedValue {
  let comparator: ComparatorSymbol | null = null
  if (figure.lower !== null && figure.upper === null) comparator = figure.lower.inclusive ? '>=' : '>'
  if (figure.upper !== null && figure.lower === null) comparator = figure.upper.inclusive ? '<=' : '<'
  return {
    value: figure.value,
    lower: figure.lower?.value ?? null,
    upper: figure.upper?.value ?? null,
    lowerInclusive: figure.lower?.inclusive ?? false,
    upperInclusive: figure.upper?.inclusive ?? false,
    comparator,
    approximate: figure.approximate,
    exact: isExact(figure)
  }
}

/**
 * Whether every true value `a` allows is above every one `b` allows: a's lower bound lies above b's upper bound (or
 * on it, when either side is strict). Rankings use it: where neither of two figures is certainly above the other,
 * their intervals overlap and their order is not known.
 */
export function certainlyAbove (a: QualifiedFigure, b: QualifiedFigure): boolean {
  if (a.lower === null || b.upper === null) return false
  return a.lower.value > b.upper.value || (a.lower.value === b.upper.value && !(a.lower.inclusive && b.upper.inclusive))
}

/** Whether a true value is consistent with the figure's bounds. */
export function admits (figure: QualifiedFigure, trueValue: number): boolean {
  const aboveLower = figure.lower === null ||
    (figure.lower.inclusive ? trueValue >= figure.lower.value : trueValue > figure.lower.value)
  const belowUpper = figure.upper === null ||
    (figure.upper.inclusive ? trueValue <= figure.upper.value : trueValue < figure.upper.value)
  return aboveLower && belowUpper
}
