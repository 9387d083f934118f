// Honor and event rules: rankings, approvals, designations, awards, prizes and statuses with level, issuer and year;
// foundings, partnerships, designations and milestones dated to the precision stated.
import t from 'tap'
import type { EventCandidate, HonorCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { fixture, inputFor } from './inputs.ts'

const honors = (text: string): HonorCandidate[] =>
  extract(inputFor(text)).candidates.filter((candidate): candidate is HonorCandidate => candidate.kind === 'honor')
const events = (text: string, statedOn: string | null = null): EventCandidate[] =>
  extract(inputFor(text, { statedOn })).candidates.filter((candidate): candidate is EventCandidate => candidate.kind === 'event')
const brief = (honor: HonorCandidate): Partial<HonorCandidate> =>
  ({ rule: honor.rule, title: honor.title, honorKind: honor.honorKind, level: honor.level, issuer: honor.issuer, year: honor.year, rank: honor.rank })

t.test('a ranking: position, how many, issuer and year from the sentence before when it has them', async (t) => {
  const text = 'Recently, the National Health Commission released the results of the 2019 national performance assessment. CQHCWC ranked 13th among 117 tertiary maternal and child health care institutions nationwide.'
  const [ranking] = honors(text)
  t.same(ranking && brief(ranking), {
    rule: 'honor.ranked',
    title: 'Ranked 13th among 117 tertiary maternal and child health care institutions nationwide',
    honorKind: 'distinction',
    level: 'national',
    issuer: 'National Health Commission',
    year: 2019,
    rank: { position: 13, of: 117 },
  })
  t.equal(ranking?.subject.unit, null)
  t.equal(text.slice(ranking!.start, ranking!.end), ranking!.quote)
  t.same(honors('The department ranked first in the province.').map((honor) => honor.rank), [{ position: 1, of: null }])
})

t.test('approved, recognized, designated, awarded, won, rated: title, kind, level, issuer, year', async (t) => {
  t.same(honors("CQHCWC's specialized department for twins was recently approved by the China Maternal and Child Health Association as a standardized outpatient department for twin pregnancy and a pilot unit for the standardized management improvement project of twin pregnancy.").map(brief), [
    { rule: 'honor.approved', title: 'Standardized outpatient department for twin pregnancy', honorKind: 'accreditation', level: 'national', issuer: 'China Maternal and Child Health Association', year: null, rank: null },
    { rule: 'honor.approved', title: 'Pilot unit for the standardized management improvement project of twin pregnancy', honorKind: 'designation', level: 'national', issuer: 'China Maternal and Child Health Association', year: null, rank: null },
  ], 'two titles approved at once')
  t.same(honors('It was approved as a municipal-level medical specialty department in 2009.').map(brief), [
    { rule: 'honor.approved', title: 'Municipal-level medical specialty department', honorKind: 'designation', level: 'municipal', issuer: null, year: 2009, rank: null },
  ])
  t.same(honors('The Perinatal Medical Center was recognized as a national demonstration center for the prevention of birth defects by the National Health Commission.').map(brief), [
    { rule: 'honor.recognized', title: 'National demonstration center for the prevention of birth defects', honorKind: 'designation', level: 'national', issuer: 'National Health Commission', year: null, rank: null },
  ])
  t.same(honors('It was designated as a provincial-level regional medical center for pediatrics by the Chongqing Municipal Health Commission in December 2020.').map(brief), [
    { rule: 'honor.designated', title: 'Provincial-level regional medical center for pediatrics', honorKind: 'designation', level: 'provincial', issuer: 'Chongqing Municipal Health Commission', year: 2020, rank: null },
  ], 'an explicit level outranks the issuer\'s')
  t.same(honors('In 2020, CQHCWC was awarded the title of "National Advanced Collective in the Fight against COVID-19" by the State Council.').map(brief), [
    { rule: 'honor.awarded', title: 'National Advanced Collective in the Fight against COVID-19', honorKind: 'recognition', level: 'national', issuer: 'State Council', year: 2020, rank: null },
  ])
  t.same(honors('The General Gynecology Department won first place in the Chongqing minimally invasive gynecological surgery skills competition.').map(brief), [
    { rule: 'honor.won', title: 'First place in the Chongqing minimally invasive gynecological surgery skills competition', honorKind: 'recognition', level: 'municipal', issuer: null, year: null, rank: null },
  ])
  t.same(honors('The hospital was rated as a Grade-A tertiary hospital in 2012.').map(brief), [
    { rule: 'honor.rated', title: 'Rated Grade-A tertiary hospital', honorKind: 'designation', level: null, issuer: null, year: 2012, rank: null },
  ])
})

t.test('statuses, distinctions and the items of an honors list', async (t) => {
  t.same(honors('It is also the national health management demonstration base and the council members of Southwest Health Management Alliance.').map(brief), [
    { rule: 'honor.status', title: 'National health management demonstration base', honorKind: 'designation', level: 'national', issuer: null, year: null, rank: null },
    { rule: 'honor.status', title: 'Council members of Southwest Health Management Alliance', honorKind: 'membership', level: 'regional', issuer: null, year: null, rank: null },
  ])
  t.same(honors('It is now the only perinatal center in China that can carry out this operation.').map(brief), [
    { rule: 'honor.only', title: 'The only perinatal center in China that can carry out this operation', honorKind: 'distinction', level: 'national', issuer: null, year: null, rank: null },
  ])
  const { input } = fixture('hospital-introduction')
  const listed = extract(input).candidates.filter((candidate): candidate is HonorCandidate => candidate.rule === 'honor.listed')
  t.same(listed.map((honor) => [honor.title, honor.year]), [
    ['National Baby-Friendly Hospital', 1993],
    ['National Civilized Unit', null],
    ['Chongqing Model Unit for Maternal and Child Health Care', null],
  ], 'the bullets under "Honors"')
})

t.test('events dated to the precision stated', async (t) => {
  const brief = (event: EventCandidate): Partial<EventCandidate> =>
    ({ rule: event.rule, title: event.title, eventKind: event.eventKind, occurredOn: event.occurredOn, datePrecision: event.datePrecision, year: event.year, subject: event.subject })
  t.same(events('The hospital was set up in 1944.').map(brief), [
    { rule: 'event.founded', title: 'Chongqing Health Center for Women and Children set up', eventKind: 'founding', occurredOn: '1944-01-01', datePrecision: 'year', year: 1944, subject: { unit: null, matchedBy: 'sentence', name: 'The hospital' } },
  ])
  t.same(events('The Perinatal Medical Center opened on December 28, 2016.').map(brief), [
    { rule: 'event.founded', title: 'Perinatal Medical Center opened', eventKind: 'founding', occurredOn: '2016-12-28', datePrecision: 'day', year: 2016, subject: { unit: 'perinatal-medical-center', matchedBy: 'sentence', name: 'Perinatal Medical Center' } },
  ])
  t.same(events('Established in 2007, the Medical Examination Center and Cancer Screening Center covers an area of about 3000 square meters.').map(brief), [
    { rule: 'event.founded', title: 'Medical Examination Center and Cancer Screening Center established', eventKind: 'founding', occurredOn: '2007-01-01', datePrecision: 'year', year: 2007, subject: { unit: 'medical-examination-center', matchedBy: 'sentence', name: 'Medical Examination Center and Cancer Screening Center' } },
  ])
  t.same(events('In 2018, CQHCWC joined hands with the University of Magdeburg in Germany to establish the Perinatal Medical Center.').map(brief), [
    { rule: 'event.partnership', title: 'Perinatal Medical Center established with University of Magdeburg in Germany', eventKind: 'partnership', occurredOn: '2018-01-01', datePrecision: 'year', year: 2018, subject: { unit: 'perinatal-medical-center', matchedBy: 'sentence', name: 'Perinatal Medical Center' } },
  ])
  t.same(events('The General Gynecology Department was designated as a key specialty in March 2015.').map(brief), [
    { rule: 'event.designated', title: 'Designated as a key specialty', eventKind: 'designation', occurredOn: '2015-03-01', datePrecision: 'month', year: 2015, subject: { unit: 'general-gynecology', matchedBy: 'sentence', name: 'General Gynecology Department' } },
  ])
  t.same(events('In 2020, the Perinatal Medical Center completed the first fetoscopic tracheal occlusion.').map((event) => [event.eventKind, event.title, event.occurredOn]),
    [['milestone', 'Completed the first fetoscopic tracheal occlusion', '2020-01-01']])
  t.same(events('On March 8, the hospital launched online registration.', '2019-05-01').map((event) => [event.occurredOn, event.datePrecision]),
    [['2019-03-08', 'day']], 'a day without a year takes the page\'s year')
  t.same(events('In 2019, the hospital delivered 16,800 babies and won 23 projects.'), [], 'a verb with a count states a figure, not an event')
  t.same(events('The hospital plans to establish a new campus.'), [], 'no date, no event')
})
