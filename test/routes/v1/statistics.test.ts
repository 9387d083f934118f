import t from 'tap'
import { buildTestApp } from '../../helper.ts'

interface Qualified { value: number, lower: number | null, upper: number | null, comparator: string | null, approximate: boolean, exact: boolean }
interface Group {
  hospital: { slug: string }
  metric: { code: string }
  additive: boolean
  period: { kind: string, duration: string | null, start: string | null, end: string | null }
  total: Qualified | null
  totalAbsent: string | null
  units: Array<{ department: { slug: string }, figure: Qualified, statedValue: string, observationId: string }>
  observationIds: string[]
}

const app = await buildTestApp(t)
const summary = async (query: string): Promise<Group[]> => {
  const response = await app.inject(`/v1/statistics/summary${query}`)
  t.equal(response.statusCode, 200, query)
  return response.json<{ data: Group[] }>().data
}
const group = (groups: Group[], code: string, kind?: string): Group | undefined =>
  groups.find((candidate) => candidate.metric.code === code && (kind === undefined || candidate.period.kind === kind))

t.test('the seeded hospital: totals keep the qualifier of what they add up', async (t) => {
  const groups = await summary('?hospital=cqhcwc')
  t.equal(groups.length, 20, 'one group per metric and period')
  t.match(group(groups, 'outpatient_visits.annual')?.total, { value: 30000, lower: 30000, upper: null, comparator: '>', exact: false, approximate: false },
    'annual outpatients: more than 30,000, not 30000')
  t.match(group(groups, 'hysteroscopy_surgeries.cumulative')?.total, { value: 100000, lower: null, upper: 100000, comparator: '<', approximate: true })
  t.match(group(groups, 'facility.floor_area')?.total, { value: 3000, lower: null, upper: null, approximate: true, exact: false })
  t.match(group(groups, 'beds')?.total, { value: 88, lower: 88, upper: 88, exact: true })
  t.match(group(groups, 'staff.total')?.total, { value: 61, exact: true })
  const survival = group(groups, 'outcome.twin_preterm_survival_under_32w')!
  t.equal(survival.total, null, 'a rate is never summed')
  t.match(survival.totalAbsent, /cannot be summed/)
  t.match(survival.units, [{ department: { slug: 'twins-department' }, figure: { value: 84.85, exact: true } }])
  t.match(group(groups, 'research.papers')?.period, { kind: 'span', duration: 'P3Y', start: '2018-03-03', end: '2021-03-03' })
  const outpatients = group(groups, 'outpatient_visits.annual')!
  t.same(outpatients.observationIds, outpatients.units.map((unit) => unit.observationId))
  t.equal(outpatients.units[0]?.statedValue, 'more than 30,000')
})

t.test('across several units: exact + exact, lower bounds, approximate figures, separate periods, latest figure', async (t) => {
  const twins = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'twins-department' } })
  const center = await app.prisma.unit.findUniqueOrThrow({ where: { slug: 'medical-examination-center' } })
  const metric = async (code: string) => (await app.prisma.metricDefinition.findUniqueOrThrow({ where: { code } })).id
  const source = twins.sourceId
  const add = async (unitId: string, code: string, value: string, fields: Record<string, unknown> = {}) =>
    app.prisma.metricObservation.create({
      data: {
        unitId, metricId: await metric(code), value, statedValue: value, periodKind: 'point', sourceId: source,
        quote: 'The specialized department for twins', statedOn: new Date('2021-04-27'), ...fields
      }
    })
  await add(twins.id, 'beds', '40')
  await add(twins.id, 'outpatient_visits.annual', '12000', { approximate: true, periodKind: 'annual', periodDuration: 'P1Y' })
  await add(center.id, 'discharges.annual', '800', { comparator: 'ge', periodKind: 'annual', periodDuration: 'P1Y', sourceId: center.sourceId })
  await add(twins.id, 'research.papers', '12', { periodKind: 'span', periodDuration: 'P3Y', periodStart: new Date('2019-01-01'), periodEnd: new Date('2022-01-01') })

  const groups = await summary('?hospital=cqhcwc')
  t.match(group(groups, 'beds')?.total, { value: 128, lower: 128, upper: 128, exact: true }, '88 + 40')
  t.match(group(groups, 'outpatient_visits.annual')?.total, { value: 42000, lower: null, upper: null, approximate: true, exact: false },
    'more than 30,000 plus about 12,000 is about 42,000, with no bound known')
  t.match(group(groups, 'discharges.annual')?.total, { value: 6800, lower: 6800, upper: null, comparator: '>', exact: false },
    'more than 6,000 plus at least 800 is more than 6,800')
  t.equal(group(groups, 'beds')?.units.length, 2)
  const papers = groups.filter((candidate) => candidate.metric.code === 'research.papers')
  t.equal(papers.length, 2, 'two different three-year windows are two groups, never one sum')

  // A newer figure from the same unit for the same period, from a newer page, replaces the older one in the total.
  const text = 'The specialized department for twins now has 44 beds.'
  const newer = await app.prisma.sourceDocument.create({
    data: { fileName: 'twins-2022.txt', title: 'Twins department 2022', kind: 'department_page', statedOn: new Date('2022-01-01'), fullText: text, sha256: 'a'.repeat(64) }
  })
  await add(twins.id, 'beds', '44', { statedOn: new Date('2022-01-01'), sourceId: newer.id, quote: text })
  const later = await summary('?hospital=cqhcwc&metric=beds')
  t.equal(later.length, 1)
  t.match(later[0]?.total, { value: 132, exact: true }, '88 + 44: the twins department\'s latest count')
  t.equal(later[0]?.units.find((unit) => unit.department.slug === 'twins-department')?.figure.value, 44)
})

t.test('filters: department (with the units below it), category, metric, period kind', async (t) => {
  const division = await summary('?department=women-health-care-division&metric=staff.total')
  t.match(division, [{ metric: { code: 'staff.total' }, units: [{ department: { slug: 'general-gynecology' } }] }], 'a division covers its departments')
  const byAlias = await summary('?department=obstetrics-second-department&category=outcome')
  t.equal(byAlias.length, 2)
  const annual = await summary('?periodKind=annual')
  t.ok(annual.length > 0 && annual.every((candidate) => candidate.period.kind === 'annual'))
  const none = await summary('?hospital=another-hospital')
  t.same(none, [])
})

t.test('bad input', async (t) => {
  const cases: Array<[string, number, RegExp]> = [
    ['?department=nowhere', 404, /nowhere/],
    ['?category=money', 400, /category must be one of/],
    ['?metric=Beds!', 400, /metric must match pattern/],
    ['?periodKind=weekly', 400, /periodKind must be one of/],
    ['?limit=5', 400, /limit is not a known parameter/]
  ]
  for (const [query, status, detail] of cases) {
    const response = await app.inject(`/v1/statistics/summary${query}`)
    t.equal(response.statusCode, status, query)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { status, detail }, query)
  }
})
