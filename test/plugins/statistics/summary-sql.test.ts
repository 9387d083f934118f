import t, { type Test } from 'tap'
import { describe, fromStated, sum, type ComparatorSymbol, type QualifiedValue } from '../../../src/plugins/app/statistics/qualified.ts'
import { buildTestApp } from '../../helper.ts'

// PostgreSQL totals the summary's groups itself (plugins/app/statistics/qualified-sql.ts). Its totals and each unit's
// figure must be what lib/qualified.ts computes from the same stated figures: on the seed, and on generated groups of
// one to five units mixing every comparator, approximate and exact figures and decimals.

const app = await buildTestApp(t, { STATISTICS_CACHE_ENTRIES: '0', RESPONSE_CACHE_MAX_MB: '0' })

interface Group {
  metric: { code: string }
  period: { start: string | null }
  total: QualifiedValue | null
  unitCount: number
  units: Array<{ observationId: string, figure: QualifiedValue }>
}

const comparators = { lt: '<', le: '<=', ge: '>=', gt: '>' } as const

/** What qualified.ts makes of the stored figures with these ids. */
async function expected (ids: string[]): Promise<{ total: QualifiedValue, figures: Map<string, QualifiedValue> }> {
  const rows = await app.prisma.metricObservation.findMany({ where: { id: { in: ids } } })
  const stated = new Map(rows.map((row) => [row.id, fromStated(row.value.toNumber(),
    row.comparator === null ? null : comparators[row.comparator] as ComparatorSymbol, row.approximate)]))
  return {
    total: describe(sum(ids.map((id) => stated.get(id)!))),
    figures: new Map([...stated].map(([id, figure]) => [id, describe(figure)]))
  }
}

/** The same QualifiedValue, numbers to within rounding (PostgreSQL adds decimals exactly, JavaScript in binary). */
function assertSame (t: Test, actual: QualifiedValue | null, wanted: QualifiedValue, label: string): void {
  const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)))
  t.ok(actual !== null && close(actual.value, wanted.value) && close(actual.lower, wanted.lower) && close(actual.upper, wanted.upper), `${label}: numbers`)
  const { value: _v, lower: _l, upper: _u, ...flags } = wanted
  t.match(actual, flags, `${label}: qualifier`)
}

async function checkGroups (t: Test, query: string, only: (group: Group) => boolean): Promise<number> {
  const response = await app.inject(`/v1/statistics/summary?${query}&limit=100&units=100`)
  t.equal(response.statusCode, 200)
  const groups = response.json<{ data: Group[] }>().data.filter(only)
  for (const group of groups) {
    const ids = group.units.map((unit) => unit.observationId)
    t.equal(group.unitCount, ids.length)
    const wanted = await expected(ids)
    if (group.total !== null) assertSame(t, group.total, wanted.total, `${group.metric.code} ${group.period.start ?? ''} total`)
    for (const unit of group.units) assertSame(t, unit.figure, wanted.figures.get(unit.observationId)!, `${group.metric.code} ${unit.observationId}`)
  }
  return groups.length
}

t.test('the seed', async (t) => {
  t.equal(await checkGroups(t, 'hospital=cqhcwc', () => true), 20)
})

t.test('generated groups: every mix of comparators, hedges and decimals', async (t) => {
  const units = await app.prisma.unit.findMany({ orderBy: { slug: 'asc' } })
  const metric = await app.prisma.metricDefinition.findUniqueOrThrow({ where: { code: 'research.projects' } })
  const source = await app.prisma.sourceDocument.findFirstOrThrow()
  // A small deterministic generator (a linear congruential one), so a failure can be replayed.
  let state = 24
  const next = (below: number) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state % below
  }
  const kinds = [null, 'lt', 'le', 'ge', 'gt'] as const
  const rows = []
  for (let group = 0; group < 80; group++) {
    const size = 1 + next(units.length)
    const start = new Date(Date.UTC(1990, 0, 1 + group))
    for (const unit of units.slice(0, size)) {
      const exactShare = next(3) === 0 // a third of the groups' figures exact, so some totals are exact
      rows.push({
        unitId: unit.id, metricId: metric.id, sourceId: source.id, quote: 'generated',
        value: (next(10_000_000) / 10_000).toFixed(4), statedValue: 'generated',
        comparator: exactShare ? null : kinds[next(kinds.length)]!, approximate: exactShare ? false : next(4) === 0,
        periodKind: 'span' as const, periodDuration: 'P1D', periodStart: start, periodEnd: start
      })
    }
  }
  // A unit states a metric once per source (a unique key), so each generated figure gets a source of its own.
  const fileName = (index: number) => `generated-${String(index).padStart(4, '0')}.txt`
  await app.prisma.sourceDocument.createMany({
    data: rows.map((_, index) => ({ fileName: fileName(index), title: 'generated', kind: source.kind, fullText: 'generated', sha256: index.toString(16).padStart(64, '0') }))
  })
  const documents = await app.prisma.sourceDocument.findMany({ where: { fileName: { startsWith: 'generated-' } }, orderBy: { fileName: 'asc' } })
  rows.forEach((row, index) => { row.sourceId = documents[index]!.id })
  await app.prisma.metricObservation.createMany({ data: rows })
  const checked = await checkGroups(t, 'hospital=cqhcwc&metric=research.projects&periodKind=span',
    (group) => group.period.start !== null && group.period.start < '2000-01-01')
  t.equal(checked, 80)
})
