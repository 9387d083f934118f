// @ts-check
// What a qualified figure is, in a glyph and in words: the one place that reads a figure's bounds and qualifier, for
// the charts and the tables alike, so that nothing hedged is ever drawn or written as if it were exact.

/**
 * @typedef {{ value: number, lower: number | null, upper: number | null, lowerInclusive: boolean,
 *   upperInclusive: boolean, comparator: '<' | '<=' | '>=' | '>' | null, approximate: boolean, exact: boolean }} QualifiedValue
 */
/** @typedef {'exact' | 'lower' | 'upper' | 'interval' | 'about'} Shape */

/** The glyph a figure is drawn with. @param {QualifiedValue} figure @returns {Shape} */
export function shapeOf (figure) {
  if (figure.exact) return 'exact'
  const { lower, upper } = figure
  if (lower !== null && upper !== null) return lower === upper && !figure.approximate ? 'exact' : 'interval'
  if (lower !== null) return 'lower'
  if (upper !== null) return 'upper'
  return 'about'
}

/** The half-width, as a share of the value, of the band that marks an "about" figure whose source gives no bounds. */
export const aboutBand = 0.1

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 2 })

/** @param {number} value */
export const formatNumber = (value) => numbers.format(value)

/** What the figure's bounds say, in words. @param {QualifiedValue} figure */
export function boundsInWords (figure) {
  const { lower, upper } = figure
  const hedge = figure.approximate ? ', approximately (the source hedges it)' : ''
  switch (shapeOf(figure)) {
    case 'exact':
      return 'exact'
    case 'lower':
      return `a lower bound: ${figure.lowerInclusive ? 'at least' : 'more than'} ${formatNumber(lower ?? figure.value)}, no upper bound stated${hedge}`
    case 'upper':
      return `an upper bound: ${figure.upperInclusive ? 'at most' : 'less than'} ${formatNumber(upper ?? figure.value)}, no lower bound stated${hedge}`
    case 'interval':
      return `between ${formatNumber(lower ?? 0)} and ${formatNumber(upper ?? 0)}${hedge}`
    case 'about':
      return `about ${formatNumber(figure.value)}: approximate, the source gives no bounds`
  }
}

/**
 * The figure as a short label: the source's own words where there are some ("more than 30,000"), else the bounds.
 * @param {QualifiedValue} figure
 * @param {string | null} statedValue
 */
export function figureLabel (figure, statedValue) {
  if (statedValue !== null) return statedValue
  switch (shapeOf(figure)) {
    case 'exact': return formatNumber(figure.value)
    case 'lower': return `${figure.lowerInclusive ? 'at least' : 'more than'} ${formatNumber(figure.lower ?? figure.value)}`
    case 'upper': return `${figure.upperInclusive ? 'at most' : 'less than'} ${formatNumber(figure.upper ?? figure.value)}`
    case 'interval': return `${formatNumber(figure.lower ?? 0)}–${formatNumber(figure.upper ?? 0)}${figure.approximate ? ' (approximate)' : ''}`
    case 'about': return `about ${formatNumber(figure.value)}`
  }
}

/** A period as written in a table: its kind, and its window or duration when known. @param {import('./data.js').Period} period */
export function periodLabel (period) {
  const window = period.start !== null && period.end !== null
    ? `${period.start} to ${period.end}`
    : period.end !== null ? `to ${period.end}` : period.start !== null ? `from ${period.start}` : ''
  const duration = period.duration === 'P1Y' ? 'a year' : period.duration ?? ''
  return [period.kind, window || duration].filter((part) => part !== '').join(', ')
}
