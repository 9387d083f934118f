// Subject rules: who a figure is about, and how extraction knows (matchedBy).
import t from 'tap'
import type { CandidateSubject, ExtractionInput } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { inputFor } from './inputs.ts'

const subjects = (text: string, page: Partial<ExtractionInput> = {}): CandidateSubject[] =>
  extract(inputFor(text, page)).candidates.filter((candidate) => candidate.kind === 'figure').map((figure) => figure.subject)

t.test('a unit named in the sentence, by its name or an alias, in any case', async (t) => {
  t.same(subjects('The General Gynecology Department of Chongqing Health Center for Women and Children (CQHCWC) has 88 beds.'),
    [{ unit: 'general-gynecology', matchedBy: 'sentence', name: 'General Gynecology Department' }], 'the hospital named as its owner is not the subject')
  t.same(subjects('The obstetrics second department has 40 beds.'),
    [{ unit: 'twins-department', matchedBy: 'sentence', name: 'obstetrics second department' }], 'an alias')
  t.same(subjects("Chongqing Health Center for Women and Children (CQHCWC)'s specialized department for twins has 40 beds."),
    [{ unit: 'twins-department', matchedBy: 'sentence', name: 'specialized department for twins' }])
  t.same(subjects('The hospital has 1,300 beds.'), [{ unit: null, matchedBy: 'sentence', name: 'The hospital' }])
})

t.test('"It", "the department", "the center" are the nearest fitting mention before', async (t) => {
  t.same(subjects('The General Gynecology Department is a key department of the hospital. It boasts a team of 61 staff members.'),
    [{ unit: 'general-gynecology', matchedBy: 'preceding_mention', name: 'It' }], '"It" is the subject of the sentence before, not its last noun')
  t.same(subjects('The Perinatal Medical Center opened in 2018. The hospital bought a shuttle. The center has 30 beds.'),
    [{ unit: 'perinatal-medical-center', matchedBy: 'preceding_mention', name: 'The center' }], 'the nearest unit called a center')
  t.same(subjects('The Perinatal Medical Center and the General Gynecology Department opened. The department has 30 beds.'),
    [{ unit: 'general-gynecology', matchedBy: 'preceding_mention', name: 'The department' }], 'the nearest unit called a department')
})

t.test('a sentence naming none: its paragraph, else the page (title, breadcrumb), else the hospital', async (t) => {
  t.same(subjects('The Perinatal Medical Center is new. Among its staff, 30 are doctors.'),
    [{ unit: 'perinatal-medical-center', matchedBy: 'preceding_mention', name: 'its' }])
  t.same(subjects('The Perinatal Medical Center is new.\n\nThe hospital also has 1,300 beds.\n\nAbout 300 staff members work there.',
    { title: 'General Gynecology Department' }),
  [{ unit: null, matchedBy: 'sentence', name: 'The hospital' }, { unit: 'general-gynecology', matchedBy: 'title', name: 'General Gynecology Department' }],
  'a paragraph without a mention on a unit\'s page is about that unit')
  t.same(subjects('About 300 staff members work there.', { title: 'Overview', breadcrumb: 'Home>Women Health Care Division>Overview' }),
    [{ unit: 'women-health-care-division', matchedBy: 'breadcrumb', name: 'Women Health Care Division' }])
  t.same(subjects('About 300 staff members work there.'), [{ unit: null, matchedBy: 'hospital', name: null }])
})

t.test('a unit named after a figure in its clause, and words that name a unit without its full name', async (t) => {
  t.same(subjects('The Perinatal Medical Center has 180 beds, including 60 beds in the General Gynecology Department.'), [
    { unit: 'perinatal-medical-center', matchedBy: 'sentence', name: 'Perinatal Medical Center' },
    { unit: 'general-gynecology', matchedBy: 'sentence', name: 'General Gynecology Department' },
  ])
  t.same(subjects('The average gestational week for twins is 35.3 weeks at CQHCWC.'),
    [{ unit: 'twins-department', matchedBy: 'sentence', name: 'twin' }], '"twins" is the word that tells the twins department apart; "at CQHCWC" is where, not who')
})
