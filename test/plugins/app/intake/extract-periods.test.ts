// Period rules: how each phrase is encoded (as seed/facts.ts encodes its figures) and which phrase a figure takes.
import t from 'tap'
import type { CandidatePeriod, FigureCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { inputFor } from './inputs.ts'

const periods = (text: string, statedOn: string | null = '2021-03-03', title: string | null = null): CandidatePeriod[] =>
  extract(inputFor(text, { statedOn, title })).candidates
    .filter((candidate): candidate is FigureCandidate => candidate.kind === 'figure')
    .map((figure) => figure.period)

const period = (kind: CandidatePeriod['kind'], duration: string | null, start: string | null, end: string | null, label: string | null): CandidatePeriod =>
  ({ kind, duration, start, end, label })

t.test('each phrase as the facts encode it', async (t) => {
  const cases: Array<[string, CandidatePeriod]> = [
    ['It discharges more than 6,000 patients annually.', period('annual', 'P1Y', null, null, 'annually')],
    ['It performs more than 5,000 surgeries each year.', period('annual', 'P1Y', null, null, 'each year')],
    ['It performs 5,000 surgeries per year.', period('annual', 'P1Y', null, null, 'per year')],
    ['It performs 5,000 surgeries a year.', period('annual', 'P1Y', null, null, 'a year')],
    ['Its annual outpatient volume is 120,000.', period('annual', 'P1Y', null, null, 'annual')],
    ['In 2019, the hospital handled 65,000 discharges.', period('span', 'P1Y', '2019-01-01', '2019-12-31', 'in 2019')],
    ['The hospital handled 65,000 discharges in 2019.', period('span', 'P1Y', '2019-01-01', '2019-12-31', 'in 2019')],
    ['As of the end of December 2019, the hospital had 3,210 employees.', period('point', null, null, '2019-12-31', 'as of the end of December 2019')],
    ['By the end of 2019, the hospital had 1,300 beds.', period('point', null, null, '2019-12-31', 'by the end of 2019')],
    ['As of June 30, 2020, it had 1,300 beds.', period('point', null, null, '2020-06-30', 'as of June 30, 2020')],
    ['In the past three years, the department has published more than 40 papers.', period('span', 'P3Y', '2018-03-03', '2021-03-03', 'in the past three years')],
    ['Over the past 5 years, it has obtained 64 patents.', period('span', 'P5Y', '2016-03-03', '2021-03-03', 'over the past 5 years')],
    ['In recent years, it has organized six training courses.', period('span', null, null, null, 'in recent years')],
    ['It has carried out nearly 100,000 hysteroscopy surgeries.', period('cumulative', null, null, '2021-03-03', 'has carried out')],
    ['So far, it has trained 300 hysteroscopy students.', period('cumulative', null, null, '2021-03-03', 'so far')],
    ['To date, the department has published 300 papers.', period('cumulative', null, null, '2021-03-03', 'to date')],
    ['Since 2015, the team has transported nearly 20,000 critically ill newborns.', period('cumulative', null, '2015-01-01', '2021-03-03', 'since 2015')],
    ['The department currently has 88 beds.', period('point', null, null, null, 'currently')],
    ['The department has 88 beds.', period('point', null, null, null, null)],
    ['It receives about 8,000 outpatients a day.', period('span', 'P1D', null, null, 'a day')],
    ['The number of deliveries has exceeded 10,000 for five consecutive years.', period('annual', 'P1Y', null, null, 'for five consecutive years')],
  ]
  for (const [text, expected] of cases) t.same(periods(text), [expected], text)
})

t.test('a window stated from the page date needs the page date', async (t) => {
  t.same(periods('In the past three years, the department has published more than 40 papers.', null),
    [period('span', 'P3Y', null, null, 'in the past three years')])
  t.same(periods('It has carried out nearly 100,000 hysteroscopy surgeries.', null), [period('cumulative', null, null, null, 'has carried out')])
})

t.test('each figure takes the phrase of its own clause', async (t) => {
  t.same(periods('The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000, and the number of discharged patients is more than 6,000 annually.'), [
    period('point', null, null, null, 'currently'),
    period('annual', 'P1Y', null, null, 'average annual'),
    period('annual', 'P1Y', null, null, 'annually'),
  ])
  t.same(periods('The department has 40 beds and handles 20,000 outpatient visits a year.'), [
    period('point', null, null, null, null),
    period('annual', 'P1Y', null, null, 'a year'),
  ], 'a yearly rate is no period of a stock')
})

t.test('a window that opens a sentence rules it and carries to the rest of its paragraph', async (t) => {
  const text = 'In the past three years, the department has published more than 40 papers, of which seven have been collected by the SCI. It has also obtained three patents.\n\nIt has 88 beds.'
  t.same(periods(text), [
    period('span', 'P3Y', '2018-03-03', '2021-03-03', 'in the past three years'),
    period('span', 'P3Y', '2018-03-03', '2021-03-03', 'in the past three years'),
    period('span', 'P3Y', '2018-03-03', '2021-03-03', 'in the past three years'),
    period('point', null, null, null, null),
  ], 'the next paragraph starts afresh')
  t.same(periods('In recent years, the department has developed hysteroscopy. It has organized six training courses. It has carried out nearly 100,000 hysteroscopy surgeries.'), [
    period('span', null, null, null, 'in recent years'),
    period('cumulative', null, null, '2021-03-03', 'has carried out'),
  ], 'cumulative phrasing of its own outranks a carried window')
  t.same(periods('In 2021, the department set up a training center, which has trained more than 3,000 medical staff.', '2022-08-15'),
    [period('cumulative', null, null, '2022-08-15', null)], 'a present-perfect total cannot lie inside a past year')
})

t.test('a page that reviews a year gives that year to figures stating none; "during the year" is the year last named', async (t) => {
  const text = 'In 2019, the hospital handled 65,000 discharges.\n\nThe department completed nearly 12,000 hysteroscopy surgeries during the year.\n\nIts revenue reached 2.5 billion yuan.'
  const year = period('span', 'P1Y', '2019-01-01', '2019-12-31', null)
  t.same(periods(text, '2020-01-21', 'CQHCWC reviews its work in 2019'), [
    { ...year, label: 'in 2019' },
    { ...year, label: 'during the year' },
    year,
  ])
  t.same(periods('Its revenue reached 2.5 billion yuan.', '2020-01-21', 'Hospital Introduction'), [period('point', null, null, null, null)])
})

t.test('the one calendar year a sentence names holds for all its figures', async (t) => {
  const year = period('span', 'P1Y', '2020-01-01', '2020-12-31', 'in 2020')
  t.same(periods('The number of annual discharges reached 80,000 in 2020, an increase of 5% year on year.'), [year, year])
})

t.test('"Established in 2007" dates the founding, not the figures of the sentence', async (t) => {
  t.same(periods('Established in 2007, the center covers an area of about 3000 square meters.'), [period('point', null, null, null, null)])
})
