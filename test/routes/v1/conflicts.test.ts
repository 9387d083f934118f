import t from 'tap'
import { createApiKey } from '../../../src/db/api-keys.ts'
import { buildTestApp } from '../../helper.ts'

// Conflicting figures (issue 25, point 4): when a fact from another source states another value (or comparator) for
// the same unit, metric and period, both are kept; /v1/conflicts lists the group with its figures and sources, the
// latest stated counting, and the figures say so in `conflict`. Never a silent overwrite.

const app = await buildTestApp(t)
const writerKey = await createApiKey(app.prisma, { name: 'Ward office', scopes: ['write'] })
const writer = { authorization: `Bearer ${writerKey.key}` }

interface Figure {
  id: string, value: number, comparator: string | null, statedValue: string, statedOn: string | null, source: { id: string },
  conflict: { current: boolean, figures: number, links: { current: string, conflicts: string } } | null
}
interface Conflict {
  id: string, hospital: { slug: string }, department: { slug: string }, metric: { code: string }, period: { kind: string },
  current: string, figures: Array<{ id: string, value: number, comparator: string | null, statedOn: string | null, current: boolean, source: { id: string, title: string, statedOn: string | null, quote: string }, links: { self: string } }>,
  links: { figures: string }
}

async function conflicts (query = ''): Promise<Conflict[]> {
  const response = await app.inject(`/v1/conflicts${query}`)
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`)
  return response.json<{ data: Conflict[] }>().data
}

async function figures (slug: string, metric: string): Promise<Figure[]> {
  return (await app.inject(`/v1/departments/${slug}/metrics?metric=${metric}&limit=100`)).json<{ data: Figure[] }>().data
}

t.test('the seed has no conflicts, and every figure says so', async (t) => {
  t.same(await conflicts(), [])
  const all = (await app.inject('/v1/metrics?limit=100')).json<{ data: Figure[] }>().data
  t.ok(all.length > 10)
  t.ok(all.every((figure) => figure.conflict === null))
})

t.test('an accepted candidate stating another value: both kept, the conflict listed, the figures marked', async (t) => {
  const [seeded] = await figures('general-gynecology', 'beds')
  t.match(seeded, { value: 88, statedOn: '2021-03-03', conflict: null })
  await app.inject('/v1/conflicts') // cached: the accept must empty the cache

  const created = await app.inject({
    method: 'POST',
    url: '/v1/sources',
    headers: writer,
    // Another page of the same date: two statements of the beds on 3 March 2021 that disagree.
    payload: { title: 'General Gynecology Department', kind: 'department_page', hospital: 'cqhcwc', statedOn: '2021-03-03', text: 'General Gynecology Department\nThe department has 92 beds.' }
  })
  t.equal(created.statusCode, 201, created.body)
  const sourceId = created.json<{ id: string }>().id
  const candidates = (await app.inject({ url: `/v1/sources/${sourceId}/candidates`, headers: writer })).json<{ data: Array<{ id: string, proposal: { value: string } }> }>().data
  const candidate = candidates.find((item) => item.proposal.value === '92')!
  const accepted = await app.inject({
    method: 'POST',
    url: `/v1/sources/${sourceId}/candidates/${candidate.id}/accept`,
    headers: writer,
    payload: { department: 'general-gynecology', period: { kind: 'point', label: 'currently' } }
  })
  t.equal(accepted.statusCode, 201, accepted.body)
  const newer = accepted.json<{ fact: Figure }>().fact
  t.match(newer, { value: 92, statedOn: '2021-03-03', conflict: { current: true, figures: 2 } }, 'the write answers with the conflict')

  const both = await figures('general-gynecology', 'beds')
  t.equal(both.length, 2, 'both figures are kept')
  const old = both.find((figure) => figure.id === seeded!.id)!
  t.equal(old.value, 88, 'the older figure is not overwritten')
  const { conflict: _oldConflict, ...oldFields } = old
  const { conflict: _seededConflict, ...seededFields } = seeded!
  t.same(oldFields, seededFields, 'the figure\'s other fields are unchanged')
  t.same(old.conflict, {
    current: false,
    figures: 2,
    links: { current: `/v1/metrics/${newer.id}`, conflicts: '/v1/conflicts?department=general-gynecology&metric=beds' }
  })
  t.match(both.find((figure) => figure.id === newer.id), { conflict: { current: true, figures: 2 } })
  t.match((await app.inject(`/v1/metrics/${seeded!.id}`)).json(), { conflict: { current: false } }, 'and the figure\'s own GET')
  const unrelated = (await figures('general-gynecology', 'staff.doctors'))[0]!
  t.equal(unrelated.conflict, null, 'other metrics are not in conflict')

  const listed = await conflicts()
  t.equal(listed.length, 1)
  t.match(listed[0], {
    hospital: { slug: 'cqhcwc' },
    department: { slug: 'general-gynecology' },
    metric: { code: 'beds' },
    period: { kind: 'point', duration: null, start: null, end: '2021-03-03' },
    current: newer.id,
    links: { figures: '/v1/metrics?department=general-gynecology&metric=beds' }
  })
  t.same(listed[0]!.figures.map((figure) => [figure.id, figure.value, figure.statedOn, figure.current]),
    [[newer.id, 92, '2021-03-03', true], [seeded!.id, 88, '2021-03-03', false]], 'the one that counts first: stated the same day, the later entered')
  t.match(listed[0]!.figures[0]!.source, { id: sourceId, statedOn: '2021-03-03', quote: 'The department has 92 beds.' })
  t.match(listed[0]!.figures[1]!.source, { title: 'General Gynecology Department', statedOn: '2021-03-03' })
  t.equal(listed[0]!.figures[0]!.links.self, `/v1/metrics/${newer.id}`)

  for (const [query, count] of [['?hospital=cqhcwc', 1], ['?department=general-gynecology', 1], ['?metric=beds', 1], ['?department=twins-department', 0], ['?metric=staff.doctors', 0], ['?hospital=cqhcwc&metric=beds&count=true', 1]] as const) {
    t.equal((await conflicts(query)).length, count, query)
  }
  const counted = (await app.inject('/v1/conflicts?count=true')).json<{ page: { total: number } }>()
  t.equal(counted.page.total, 1)

  // The statistics count the one that counts.
  const summary = await app.inject('/v1/statistics/summary?metric=beds&hospital=cqhcwc')
  t.equal(summary.statusCode, 200, summary.body)
  t.match(summary.json(), { data: [{ total: { value: 92 }, units: [{ observationId: newer.id }] }] })

  // A later page stating another count is a change, not a conflict: it counts from then on.
  const later = await app.inject({
    method: 'POST',
    url: '/v1/metrics',
    headers: writer,
    payload: { department: 'general-gynecology', metric: 'beds', value: 95, statedValue: '95', period: { kind: 'point' }, statedOn: '2026-04-01', provenance: { note: 'The 2026 annual report, page 3' } }
  })
  t.equal(later.statusCode, 201, later.body)
  t.equal(later.json<Figure>().conflict, null, 'beds stated in 2026 do not conflict with beds stated in 2021')
  t.equal((await conflicts('?metric=beds')).length, 1, 'the 2021 conflict is still the only one')
  const updated = await app.inject('/v1/statistics/summary?metric=beds&hospital=cqhcwc')
  t.match(updated.json(), { data: [{ total: { value: 95 }, units: [{ observationId: later.json<Figure>().id }] }] }, 'the latest stated counts')
})

t.test('any write: the same value is no conflict, another comparator is; ties go to the later entered', async (t) => {
  const [seeded] = await figures('general-gynecology', 'staff.doctors')
  const figure = { department: 'general-gynecology', metric: 'staff.doctors', statedValue: '21', period: { kind: 'point' }, statedOn: '2021-03-03' }
  const same = await app.inject({ method: 'POST', url: '/v1/metrics', headers: writer, payload: { ...figure, value: 21, provenance: { note: 'Confirmed by the ward office' } } })
  t.equal(same.statusCode, 201, same.body)
  t.equal(same.json<Figure>().conflict, null, 'another source stating the same figure is no conflict')
  t.equal((await conflicts('?metric=staff.doctors')).length, 0)

  const more = await app.inject({ method: 'POST', url: '/v1/metrics', headers: writer, payload: { ...figure, value: 21, comparator: '>', statedValue: 'more than 21', provenance: { note: 'More than 21 doctors, said the director' } } })
  t.equal(more.statusCode, 201, more.body)
  const group = await conflicts('?metric=staff.doctors')
  t.equal(group.length, 1, 'another comparator is')
  t.equal(group[0]!.figures.length, 3)
  t.equal(group[0]!.current, more.json<Figure>().id, 'stated the same day: the later entered counts')
  t.same(group[0]!.figures.filter((item) => item.current).map((item) => item.id), [more.json<Figure>().id])
  t.match((await figures('general-gynecology', 'staff.doctors')).find((item) => item.id === seeded!.id), { conflict: { current: false, figures: 3 } })

  // Paging: two conflicts, one a page.
  const first = await app.inject('/v1/conflicts?limit=1')
  const page = first.json<{ data: Conflict[], page: { nextCursor: string } }>()
  t.equal(page.data.length, 1)
  const second = await app.inject(`/v1/conflicts?limit=1&cursor=${encodeURIComponent(page.page.nextCursor)}`)
  t.equal(second.json<{ data: Conflict[] }>().data.length, 1)
  t.not(second.json<{ data: Conflict[] }>().data[0]!.id, page.data[0]!.id)
  t.equal((await app.inject('/v1/conflicts?metric=Not A Code')).statusCode, 400)
})
