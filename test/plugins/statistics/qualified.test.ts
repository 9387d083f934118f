import fc from 'fast-check'
import t from 'tap'
import {
  admits, certainlyAbove, describe, difference, fromStated, isExact, ratio, sum, type ComparatorSymbol, type QualifiedFigure
} from '../../../src/plugins/app/statistics/qualified.ts'

// A stated figure together with a true value the statement allows: the brute-force side of the comparison.
interface Stated { value: number, comparator: ComparatorSymbol | null, approximate: boolean, truth: number }

const stated: fc.Arbitrary<Stated> = fc.record({
  value: fc.integer({ min: 0, max: 1_000_000 }),
  comparator: fc.constantFrom<ComparatorSymbol | null>(null, '<', '<=', '>=', '>'),
  approximate: fc.boolean(),
  spread: fc.integer({ min: 0, max: 1_000_000 })
}).filter(({ value, comparator }) => comparator !== '<' || value > 0).map(({ value, comparator, approximate, spread }) => {
  const below = Math.min(spread, value)
  let truth = value
  if (comparator === '>') truth = value + Math.max(1, spread)
  if (comparator === '>=') truth = value + spread
  if (comparator === '<') truth = value - Math.max(1, below)
  if (comparator === '<=') truth = value - below
  if (comparator === null && approximate) truth = Math.round(value * (spread / 1_000_000) * 2) // anywhere in [0, 2v]
  return { value, comparator, approximate, truth }
})

const figureOf = (input: Stated): QualifiedFigure => fromStated(input.value, input.comparator, input.approximate)
const exactInput = (input: Stated): boolean => input.comparator === null && !input.approximate

t.test('a sum admits every total the inputs allow (soundness, brute force)', async () => {
  fc.assert(fc.property(fc.array(stated, { minLength: 1, maxLength: 6 }), (inputs) => {
    const total = sum(inputs.map(figureOf))
    return admits(total, inputs.reduce((accumulator, input) => accumulator + input.truth, 0))
  }), { numRuns: 2000 })
})

t.test('a sum\'s finite inclusive bounds are attained: all inputs at their bounds (tightness)', async () => {
  fc.assert(fc.property(fc.array(stated, { minLength: 1, maxLength: 6 }), (inputs) => {
    const figures = inputs.map(figureOf)
    const total = sum(figures)
    const atLower = figures.every((figure) => figure.lower?.inclusive === true)
    const atUpper = figures.every((figure) => figure.upper?.inclusive === true)
    return (!atLower || total.lower?.value === figures.reduce((s, figure) => s + figure.lower!.value, 0)) &&
      (!atUpper || total.upper?.value === figures.reduce((s, figure) => s + figure.upper!.value, 0))
  }), { numRuns: 2000 })
})

t.test('a ratio admits every quotient the inputs allow (soundness, brute force)', async () => {
  fc.assert(fc.property(stated, stated.filter((input) => input.truth > 0), (numerator, denominator) => {
    const result = ratio(figureOf(numerator), figureOf(denominator))
    if ('absent' in result) return denominator.value === 0 || (denominator.comparator !== null && denominator.comparator.startsWith('<') && denominator.value === 0)
    return admits(result.figure, numerator.truth / denominator.truth)
  }), { numRuns: 5000 })
})

t.test('exact in, exact out; anything hedged in, hedged out', async () => {
  fc.assert(fc.property(fc.array(stated, { minLength: 1, maxLength: 5 }), (inputs) => {
    return isExact(sum(inputs.map(figureOf))) === inputs.every(exactInput)
  }), { numRuns: 1000 })
  fc.assert(fc.property(stated, stated.filter((input) => input.value > 0), (numerator, denominator) => {
    const result = ratio(figureOf(numerator), figureOf(denominator))
    return 'figure' in result && isExact(result.figure) === (exactInput(numerator) && exactInput(denominator))
  }), { numRuns: 1000 })
})

t.test('the rules as the issue states them', async (t) => {
  const exact = (value: number) => fromStated(value, null, false)
  t.match(describe(sum([exact(21), exact(36)])), { value: 57, lower: 57, upper: 57, comparator: null, exact: true, approximate: false },
    'exact + exact = exact')
  t.match(describe(sum([fromStated(30000, '>', false), exact(88)])), { value: 30088, lower: 30088, upper: null, comparator: '>', exact: false },
    'a > input makes the total a lower bound')
  t.match(describe(sum([fromStated(3000, null, true), exact(88)])), { value: 3088, approximate: true, exact: false, comparator: null, lower: null, upper: null },
    'an approximate input makes the total approximate')
  t.match(describe(sum([fromStated(100000, '<', true), exact(5)])), { value: 100005, upper: 100005, upperInclusive: false, comparator: '<', approximate: true },
    '"nearly" stays below and approximate')

  const outpatientsPerDoctor = ratio(fromStated(30000, '>', false), exact(21))
  t.ok('figure' in outpatientsPerDoctor)
  if ('figure' in outpatientsPerDoctor) {
    t.match(describe(outpatientsPerDoctor.figure), { comparator: '>', lower: 30000 / 21, upper: null }, 'a lower bound over an exact figure is a lower bound')
  }
  const overOpen = ratio(exact(88), fromStated(36, '>', false))
  t.ok('figure' in overOpen && overOpen.figure.lower === null, 'an open upper bound in the denominator opens the lower side')
  if ('figure' in overOpen) t.match(describe(overOpen.figure), { upper: 88 / 36, upperInclusive: false, comparator: '<' })
  t.same(ratio(exact(88), exact(0)), { absent: 'the denominator is zero' }, 'never divide by zero, and say why')
  t.throws(() => fromStated(-1, null, false), RangeError)
})

t.test('a difference admits every change the inputs allow; "certainly above" is never wrong (brute force)', async () => {
  fc.assert(fc.property(stated, stated, (a, b) => admits(difference(figureOf(a), figureOf(b)), a.truth - b.truth)), { numRuns: 5000 })
  fc.assert(fc.property(stated, stated, (a, b) => !certainlyAbove(figureOf(a), figureOf(b)) || a.truth > b.truth), { numRuns: 5000 })
})
