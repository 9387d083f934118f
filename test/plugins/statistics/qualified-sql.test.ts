import t from 'tap'
import { Prisma } from '../../../src/generated/prisma/client.ts'
import {
  certainlyAbove, describe, difference, fromStated, ratio, type ComparatorSymbol, type QualifiedValue
} from '../../../src/plugins/app/statistics/qualified.ts'
import {
  certainlyAbove as certainlyAboveSql, differenceInterval, qualifiedJson, ratioAbsent, ratioInterval, statedInterval
} from '../../../src/plugins/app/statistics/qualified-sql.ts'
import { openTestDatabase } from '../../helper.ts'

// The analytics compute differences, ratios and comparisons of intervals in SQL (qualified-sql.ts); they must be
// what qualified.ts computes. Every pair of stated figures over a small domain (values 0, 3 and 7; every comparator;
// hedged or not: 30 figures, 900 pairs) is compared, in one statement.

const database = await openTestDatabase(t, { migrated: true })

interface Stated { value: number, comparator: ComparatorSymbol | null, approximate: boolean }
const figures: Stated[] = []
for (const value of [0, 3, 7]) {
  for (const comparator of [null, '<', '<=', '>=', '>'] as const) {
    for (const approximate of [false, true]) figures.push({ value, comparator, approximate })
  }
}
const pairs = figures.flatMap((a) => figures.map((b) => [a, b] as const))

const side = (prefix: string) => statedInterval(Prisma.raw(`${prefix}_value`), Prisma.raw(`${prefix}_comparator`), Prisma.raw(`${prefix}_approximate`))
const a = side('a')
const b = side('b')
const rows = Prisma.join(pairs.map(([x, y], index) =>
  Prisma.sql`(${index}::int, ${x.value}::numeric, ${x.comparator}::text, ${x.approximate}::boolean, ${y.value}::numeric, ${y.comparator}::text, ${y.approximate}::boolean)`))
const results = await database.prisma.$queryRaw<Array<{ index: number, difference: QualifiedValue, ratio: QualifiedValue | null, absent: string | null, above: boolean }>>`
  SELECT index, ${qualifiedJson(differenceInterval(a, b))} AS difference,
    CASE WHEN b_value <> 0 THEN ${qualifiedJson(ratioInterval(a, b))} END AS ratio, ${ratioAbsent(b)} AS absent,
    ${certainlyAboveSql(a, b)} AS above
  FROM (VALUES ${rows}) AS pair(index, a_value, a_comparator, a_approximate, b_value, b_comparator, b_approximate)
  ORDER BY index`

t.test('difference, ratio and comparison in SQL are qualified.ts\'s, for every pair', async (t) => {
  t.equal(results.length, pairs.length)
  let differences = 0
  let ratios = 0
  let comparisons = 0
  for (const row of results) {
    const [x, y] = pairs[row.index]!
    const left = fromStated(x.value, x.comparator, x.approximate)
    const right = fromStated(y.value, y.comparator, y.approximate)
    const label = `${JSON.stringify(x)} vs ${JSON.stringify(y)}`
    if (JSON.stringify(row.difference) === JSON.stringify(describe(difference(left, right)))) differences++
    else t.same(row.difference, describe(difference(left, right)), `${label}: difference`)
    const quotient = ratio(left, right)
    const wanted = 'figure' in quotient ? describe(quotient.figure) : null
    const close = row.ratio === null || wanted === null ? row.ratio === wanted : Math.abs(row.ratio.value - wanted.value) < 1e-12 &&
      JSON.stringify({ ...row.ratio, value: 0, lower: row.ratio.lower === null, upper: row.ratio.upper === null }) ===
      JSON.stringify({ ...wanted, value: 0, lower: wanted.lower === null, upper: wanted.upper === null })
    if (close && row.absent === ('absent' in quotient ? quotient.absent : null)) ratios++
    else t.same([row.ratio, row.absent], [wanted, 'absent' in quotient ? quotient.absent : null], `${label}: ratio`)
    if (row.above === certainlyAbove(left, right)) comparisons++
    else t.equal(row.above, certainlyAbove(left, right), `${label}: certainly above`)
  }
  t.equal(differences, pairs.length, 'every difference')
  t.equal(ratios, pairs.length, 'every ratio, or the same reason for none')
  t.equal(comparisons, pairs.length, 'every comparison')
})
