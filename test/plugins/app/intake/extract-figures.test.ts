// Figure rules one at a time: number forms, qualifiers, what is measured and its metric, and the numbers that are no
// figures. Offsets are asserted exactly: `quote` and `statedValue` are slices of the text.
import t from 'tap'
import type { FigureCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { inputFor } from './inputs.ts'

const figures = (text: string, statedOn: string | null = null): FigureCandidate[] =>
  extract(inputFor(text, { statedOn })).candidates.filter((candidate): candidate is FigureCandidate => candidate.kind === 'figure')

const only = (text: string): FigureCandidate => {
  const found = figures(text)
  if (found.length !== 1) throw new Error(`expected one figure in "${text}", got ${found.length}`)
  return found[0]!
}

const point = { kind: 'point', duration: null, start: null, end: null, label: null }

t.test('a whole candidate: quote, offsets, value, qualifier, measure, metric, period, subject, rule', async (t) => {
  const text = 'Home>Women Health Care Division\n\nThe department currently has 88 beds, with an average annual outpatient capacity of more than 30,000.'
  const found = extract(inputFor(text, { title: 'General Gynecology Department', breadcrumb: 'Home>Women Health Care Division', statedOn: '2021-03-03' }))
    .candidates as FigureCandidate[]
  const quote = 'The department currently has 88 beds, with an average annual outpatient capacity of more than 30,000.'
  t.same(found, [
    {
      kind: 'figure',
      rule: 'figure.count-noun',
      confidence: 0.87,
      quote,
      start: 33,
      end: 33 + quote.length,
      subject: { unit: 'general-gynecology', matchedBy: 'preceding_mention', name: 'The department' },
      metric: 'beds',
      suggestedMetric: 'beds',
      measured: 'beds',
      value: '88',
      comparator: null,
      approximate: false,
      statedValue: '88',
      valueStart: 62,
      valueEnd: 64,
      period: { ...point, label: 'currently' },
    },
    {
      kind: 'figure',
      rule: 'figure.stated-for',
      confidence: 0.82,
      quote,
      start: 33,
      end: 33 + quote.length,
      subject: { unit: 'general-gynecology', matchedBy: 'preceding_mention', name: 'The department' },
      metric: 'outpatient_visits.annual',
      suggestedMetric: 'outpatient_visits.annual',
      measured: 'average annual outpatient capacity',
      value: '30000',
      comparator: '>',
      approximate: false,
      statedValue: 'more than 30,000',
      valueStart: 117,
      valueEnd: 133,
      period: { kind: 'annual', duration: 'P1Y', start: null, end: null, label: 'average annual' },
    },
  ])
  for (const figure of found) {
    t.equal(text.slice(figure.start, figure.end), figure.quote)
    t.equal(text.slice(figure.valueStart, figure.valueEnd), figure.statedValue)
  }
})

t.test('number forms: digit groups, decimals, scaled decimals, number words, a capital at the sentence start', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['It has 30,000 outpatient visits annually.', '30,000', '30000'],
    ['The survival rate is 84.85 percent.', '84.85', '84.85'],
    ['It handled 1.872 million outpatient visits in 2019.', '1.872 million', '1872000'],
    ['Its revenue reached 2.5 billion yuan.', '2.5 billion', '2500000000'],
    ['It has obtained three patents.', 'three', '3'],
    ['The department has six doctors.', 'six', '6'],
    ['The hospital has twenty-one wards.', 'twenty-one', '21'],
    ['Three have senior titles.', 'Three', '3'],
    ['It has one hundred and twenty beds.', 'one hundred and twenty', '120'],
    ['It is a 500-bed hospital.', '500', '500'],
    ['The survival rate reached 85.6%.', '85.6', '85.6'],
  ]
  for (const [text, statedValue, value] of cases) {
    const figure = only(text)
    t.equal(figure.statedValue, statedValue, `${text}: stated as written`)
    t.equal(figure.value, value, `${text}: value ${value}`)
    t.equal(text.slice(figure.valueStart, figure.valueEnd), statedValue)
  }
})

t.test('qualifiers: comparator and approximate as the seed encodes them, the qualifier inside the stated value', async (t) => {
  const cases: Array<[string, string, FigureCandidate['comparator'], boolean]> = [
    ['The department has more than 30,000 outpatient visits annually.', 'more than 30,000', '>', false],
    ['It treats over 2,600 inpatients each year.', 'over 2,600', '>', false],
    ['Its annual outpatient volume exceeds 120,000.', 'exceeds 120,000', '>', false],
    ['It admits exceeding 5,000 inpatients a year.', 'exceeding 5,000', '>', false],
    ['It has carried out nearly 100,000 hysteroscopy surgeries.', 'nearly 100,000', '<', true],
    ['It has almost 500 beds.', 'almost 500', '<', true],
    ['The center covers an area of about 3000 square meters.', 'about 3000', null, true],
    ['It has around 90 nurses.', 'around 90', null, true],
    ['It has approximately 12 technicians.', 'approximately 12', null, true],
    ['The center covers at least 3,000 square meters.', 'at least 3,000', '>=', false],
    ['It admits up to 200 inpatients every year.', 'up to 200', '<=', false],
    ['It has 30,000 or more discharges annually.', '30,000 or more', '>=', false],
    ['It has 61 staff members.', '61', null, false],
  ]
  for (const [text, statedValue, comparator, approximate] of cases) {
    const figure = only(text)
    t.same([figure.statedValue, figure.comparator, figure.approximate], [statedValue, comparator, approximate], text)
  }
  t.equal(only('It has also presided over seven research projects.').comparator, null, '"presided over" is a verb, not a bound')
})

t.test('what is measured: the noun after the number, the predicate, or the phrase the number is stated for', async (t) => {
  const cases: Array<[string, string, string | null, string | null, string]> = [
    ['It has 61 staff members, including 21 doctors and 36 nurses.', 'staff members', 'staff.total', 'staff.total', 'figure.count-noun'],
    ['Three have senior associate titles.', 'senior associate titles', 'staff.associate_senior_title', 'staff.associate_senior_title', 'figure.subject-predicate'],
    ['Three are doctors of medicine.', 'doctors of medicine', 'staff.md_degree', 'staff.md_degree', 'figure.subject-predicate'],
    ['Among the doctors, 11 are chief physicians.', 'chief physicians', 'staff.senior_title', 'staff.senior_title', 'figure.subject-predicate'],
    ['The number of discharged patients is more than 6,000 annually.', 'discharged patients', 'discharges.annual', 'discharges.annual', 'figure.stated-for'],
    ['The bed occupancy rate was 98.5 percent.', 'bed occupancy rate', 'bed_occupancy_rate', null, 'figure.stated-for'],
    ['The average length of hospital stay was 5.4 days.', 'average length of hospital stay', 'average_length_of_stay', null, 'figure.stated-for'],
    ['Beds: 180', 'Beds', 'beds', 'beds', 'figure.stated-for'],
    ['The hospital delivered 16,800 babies in 2019.', 'babies', 'births.annual', null, 'figure.count-noun'],
    ['The team transferred more than 1,600 critically ill newborns in 2019.', 'critically ill newborns', 'transports.annual', null, 'figure.count-noun'],
    ['It handled 1.85 million outpatient and emergency visits in 2019.', 'outpatient and emergency visits', 'outpatient_emergency_visits.annual', null, 'figure.count-noun'],
    ['The pediatric emergency department handles more than 300,000 visits each year.', 'visits', 'emergency_visits.annual', null, 'figure.count-noun'],
    ['It receives about 8,000 outpatients a day.', 'outpatients', 'outpatient_visits.daily', null, 'figure.count-noun'],
    ['It has organized six training courses on practical hysteroscopy technology.', 'training courses on practical hysteroscopy technology', 'training.hysteroscopy_courses', 'training.hysteroscopy_courses', 'figure.count-noun'],
    ['It has trained 300 hysteroscopy students.', 'hysteroscopy students', 'training.hysteroscopy_trainees', 'training.hysteroscopy_trainees', 'figure.count-noun'],
    ['The center covers an area of about 3000 square meters.', 'area', 'facility.floor_area', 'facility.floor_area', 'figure.stated-for'],
    ['It handles 1.5 million person-times of outpatient visits every year.', 'outpatient visits', 'outpatient_visits.annual', 'outpatient_visits.annual', 'figure.count-noun'],
    ['Its annual surgical volume exceeds 30,000.', 'annual surgical volume', 'surgeries.annual', 'surgeries.annual', 'figure.stated-for'],
    ['The hospital employs 2,300 people.', 'people', 'staff.total', 'staff.total', 'figure.count-noun'],
    ['Among them, 400 are senior-title staff.', 'senior-title staff', 'staff.senior_title', 'staff.senior_title', 'figure.subject-predicate'],
    ['In 2021, visits rose to 2.96 million, up 12% from 2020.', 'up', 'growth_rate', null, 'figure.change'],
    ['In 2021, 41,500 operations were performed, of which day surgeries accounted for 45 percent.', 'day surgeries', 'surgeries.share', null, 'figure.stated-for'],
    ['The number of outpatient and emergency visits to the Children\'s Hospital reached 2.96 million in 2021.', 'outpatient and emergency visits', 'outpatient_emergency_visits.annual', null, 'figure.stated-for'],
    ['The average waiting time in the outpatient department was shortened to 18 minutes.', 'average waiting time in the outpatient department', 'average_waiting_time', null, 'figure.stated-for'],
  ]
  for (const [text, measured, suggestedMetric, metric, rule] of cases) {
    const figure = figures(text).find((found) => found.measured === measured) ?? figures(text)[0]
    t.same(figure && [figure.measured, figure.suggestedMetric, figure.metric, figure.rule], [measured, suggestedMetric, metric, rule], text)
  }
})

t.test('a metric the vocabulary has no code for in the store is found by the name the store gives it', async (t) => {
  const gestation = only('The average gestational week for twins is 35.3 weeks at CQHCWC.')
  t.same([gestation.suggestedMetric, gestation.metric], ['outcome.gestational_age_mean', 'outcome.twin_gestational_age_mean'], '"Mean gestational age of twins"')
  const survival = only('The survival rate of premature twin babies less than 32 weeks is 84.85 percent.')
  t.same([survival.value, survival.suggestedMetric, survival.metric], ['84.85', 'outcome.survival_rate', 'outcome.twin_preterm_survival_under_32w'],
    '"Survival of premature twins under 32 weeks"; "32 weeks" is part of what is measured, no figure')
  const hysteroscopy = only('It has carried out nearly 100,000 hysteroscopy surgeries.')
  t.same([hysteroscopy.suggestedMetric, hysteroscopy.metric], ['hysteroscopy_surgeries.cumulative', 'hysteroscopy_surgeries.cumulative'])
  const combined = only('In 2019, it handled 1.85 million outpatient and emergency visits.')
  t.equal(combined.metric, null, '"outpatient and emergency visits" is not the store\'s "Annual outpatient visits"')
  const renamed = extract({ ...inputFor('It has carried out nearly 100,000 hysteroscopy surgeries.', { statedOn: '2021-03-03' }), metrics: [{ code: 'gyn.hysteroscopies', name: 'Hysteroscopy surgeries to date', unit: '{surgery}', category: 'activity' }] })
    .candidates[0] as FigureCandidate
  t.same([renamed.suggestedMetric, renamed.metric], ['hysteroscopy_surgeries.cumulative', 'gyn.hysteroscopies'], 'matched by name, not by code')
})

t.test('numbers that are no figures: years, dates, ordinals, phones, addresses, times, bullets, first/only, limits, ages', async (t) => {
  const text = [
    'Home>Patient Services>Outpatient Guide',
    '',
    'Outpatient Guide',
    '',
    'Updated: 2023-01-09',
    '',
    'The hospital was founded in 1944 and opened its new campus on December 28, 2016.',
    '',
    'In 2019, it ranked 13th among 117 hospitals and became the first and only hospital in Chongqing to do so.',
    '',
    'Appointment hotline: 023-60354000 (7:30-20:00)',
    '',
    'Address: No. 120 Longshan Road, Yubei District, Chongqing 401147',
    '',
    '1. Call the hotline.',
    '',
    '2. Take Metro Line 3 to Exit 2 and go to Room 302 on the 1st floor of Building 2.',
    '',
    '• Appointments can be made up to 7 days in advance.',
    '',
    '• Please arrive 15 minutes early; children under 14 must come with a parent.',
    '',
    'The 24-hour emergency department opened at 8 am on January 17.',
    '',
    'It covers 4 aspects with 40 indicators in total and serves patients from 14 cities.',
    '',
    'Room 302 | ICP No. 05006257-1 | © 2016-2023 COVID-19',
  ].join('\n')
  t.same(figures(text, '2023-01-09').map((figure) => figure.statedValue), [])
})
