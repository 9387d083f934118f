import type { SeedPeriod } from '../types.ts'
import type { Random } from './random.ts'
import { capitalize, stateFigure, type StatedFigure } from './text.ts'
import type { Profile } from './units.ts'

// The figures a unit's annual page states, for metric codes the real seed defines (seed/facts.ts). Stocks (beds,
// staff, floor area) are stated at the end of the year; flows (visits, discharges, surgeries, papers) for the year.

export type MetricCode =
  | 'beds' | 'staff.total' | 'staff.doctors' | 'staff.nurses' | 'staff.senior_title' | 'staff.associate_senior_title'
  | 'staff.md_degree' | 'outpatient_visits.annual' | 'discharges.annual' | 'surgeries.annual' | 'research.papers'
  | 'research.sci_papers' | 'research.projects' | 'research.patents' | 'facility.floor_area'

/** What each kind of unit reports, most telling first: a scale of M metrics per unit takes the first M. */
export const profileMetrics: Record<Profile, MetricCode[]> = {
  surgical: ['beds', 'staff.total', 'staff.doctors', 'staff.nurses', 'outpatient_visits.annual', 'discharges.annual',
    'surgeries.annual', 'research.papers', 'research.sci_papers', 'staff.senior_title'],
  medical: ['beds', 'staff.total', 'staff.doctors', 'staff.nurses', 'outpatient_visits.annual', 'discharges.annual',
    'research.papers', 'staff.senior_title', 'research.sci_papers', 'research.projects'],
  technical: ['staff.total', 'staff.doctors', 'staff.nurses', 'staff.senior_title', 'staff.associate_senior_title',
    'research.papers', 'facility.floor_area', 'research.projects', 'staff.md_degree', 'research.sci_papers'],
  division: ['staff.total', 'staff.senior_title', 'staff.associate_senior_title', 'staff.md_degree', 'research.papers',
    'research.sci_papers', 'research.projects', 'research.patents', 'facility.floor_area', 'staff.doctors']
}

export const maxMetricsPerUnit = Math.min(...Object.values(profileMetrics).map((codes) => codes.length))

export const metricCodes: MetricCode[] = [...new Set(Object.values(profileMetrics).flat())]

/** A unit's figures in its first year; later years grow from them. */
export type BaseFigures = Record<MetricCode, number>

export function baseFigures (random: Random, profile: Profile, size: number): BaseFigures {
  const scale = (typical: number): number => typical * size * random.between(0.75, 1.3)
  const clinical = profile === 'surgical' || profile === 'medical'
  const beds = clinical ? scale(42) : 0
  const staff = clinical ? beds * random.between(1.1, 1.6) : profile === 'division' ? scale(160) : scale(28)
  const doctors = staff * random.between(0.28, 0.4)
  const discharges = beds * random.between(38, 70)
  const papers = scale(profile === 'division' ? 30 : 7)
  return {
    beds,
    'staff.total': staff,
    'staff.doctors': doctors,
    'staff.nurses': staff * (clinical ? random.between(0.5, 0.6) : random.between(0.1, 0.25)),
    'staff.senior_title': doctors * random.between(0.1, 0.2),
    'staff.associate_senior_title': doctors * random.between(0.18, 0.3),
    'staff.md_degree': doctors * random.between(0.04, 0.12),
    'outpatient_visits.annual': scale(profile === 'surgical' ? 26_000 : 38_000),
    'discharges.annual': discharges,
    'surgeries.annual': discharges * random.between(0.45, 0.9),
    'research.papers': papers,
    'research.sci_papers': papers * random.between(0.1, 0.35),
    'research.projects': scale(profile === 'division' ? 9 : 3),
    'research.patents': scale(profile === 'division' ? 4 : 1.5),
    'facility.floor_area': scale(profile === 'division' ? 6000 : 1800)
  }
}

/** How a unit is named in its own pages: "the Obstetrics Department", and "the department" after that. */
export interface UnitWording {
  full: string
  short: string
}

type Sentence = (unit: UnitWording, year: number, figure: string, random: Random) => string

const plural = (figure: StatedFigure, one: string, many: string): string => (figure.value === 1 && figure.comparator === null && !figure.approximate ? one : many)

interface MetricWording {
  period: 'point' | 'annual'
  noun: [string, string]
  sentences: Sentence[]
}

const wording: Record<MetricCode, MetricWording> = {
  beds: {
    period: 'point',
    noun: ['bed', 'beds'],
    sentences: [
      (unit, year, figure) => `At the end of ${year}, ${unit.full} had ${figure}.`,
      (unit, year, figure) => `${capitalize(unit.short)} had ${figure} open at the end of ${year}.`
    ]
  },
  'staff.total': {
    period: 'point',
    noun: ['staff member', 'staff members'],
    sentences: [
      (unit, year, figure) => `At the end of ${year}, ${unit.short} had a team of ${figure}.`,
      (unit, year, figure) => `${capitalize(unit.full)} employed ${figure} at the end of ${year}.`
    ]
  },
  'staff.doctors': {
    period: 'point',
    noun: ['doctor', 'doctors'],
    sentences: [
      (_unit, year, figure) => `Its team included ${figure} at the end of ${year}.`,
      (unit, year, figure) => `At the end of ${year}, ${figure} worked in ${unit.short}.`
    ]
  },
  'staff.nurses': {
    period: 'point',
    noun: ['nurse', 'nurses'],
    sentences: [
      (unit, year, figure) => `At the end of ${year}, ${unit.short} had ${figure}.`,
      (unit, year, figure) => `The nursing team of ${unit.short} numbered ${figure} at the end of ${year}.`
    ]
  },
  'staff.senior_title': {
    period: 'point',
    noun: ['staff member', 'staff members'],
    sentences: [(_unit, year, figure) => `At the end of ${year}, ${figure} held senior titles.`]
  },
  'staff.associate_senior_title': {
    period: 'point',
    noun: ['staff member', 'staff members'],
    sentences: [(_unit, year, figure) => `At the end of ${year}, ${figure} held associate senior titles.`]
  },
  'staff.md_degree': {
    period: 'point',
    noun: ['doctor of medicine', 'doctors of medicine'],
    sentences: [(unit, year, figure) => `At the end of ${year}, the team of ${unit.short} included ${figure}.`]
  },
  'outpatient_visits.annual': {
    period: 'annual',
    noun: ['outpatient visit', 'outpatient visits'],
    sentences: [
      (unit, year, figure) => `In ${year}, ${unit.short} received ${figure}.`,
      (unit, year, figure) => `${capitalize(unit.full)} handled ${figure} in ${year}.`
    ]
  },
  'discharges.annual': {
    period: 'annual',
    noun: ['patient', 'patients'],
    sentences: [
      (unit, year, figure) => `In ${year}, ${figure} were discharged from ${unit.short}.`,
      (unit, year, figure) => `${capitalize(unit.short)} discharged ${figure} in ${year}.`
    ]
  },
  'surgeries.annual': {
    period: 'annual',
    noun: ['surgery', 'surgeries'],
    sentences: [
      (unit, year, figure) => `${capitalize(unit.short)} performed ${figure} in ${year}.`,
      (_unit, year, figure) => `In ${year}, it performed ${figure}.`
    ]
  },
  'research.papers': {
    period: 'annual',
    noun: ['paper', 'papers'],
    sentences: [
      (unit, year, figure) => `In ${year}, ${unit.short} published ${figure}.`,
      (_unit, year, figure) => `Its staff published ${figure} in ${year}.`
    ]
  },
  'research.sci_papers': {
    period: 'annual',
    noun: ['paper', 'papers'],
    sentences: [(_unit, year, figure) => `In ${year}, ${figure} by its staff were collected by the Science Citation Index (SCI).`]
  },
  'research.projects': {
    period: 'annual',
    noun: ['scientific research project', 'scientific research projects'],
    sentences: [(unit, year, figure) => `In ${year}, ${unit.short} presided over ${figure}.`]
  },
  'research.patents': {
    period: 'annual',
    noun: ['patent', 'patents'],
    sentences: [(unit, year, figure) => `${capitalize(unit.short)} obtained ${figure} in ${year}.`]
  },
  'facility.floor_area': {
    period: 'point',
    noun: ['square meter', 'square meters'],
    sentences: [(unit, year, figure) => `At the end of ${year}, ${unit.short} covered an area of ${figure}.`]
  }
}

export interface WrittenFigure extends StatedFigure {
  sentence: string
  period: SeedPeriod
}

/** The figure of one metric for one year, and the sentence an annual page states it in. */
export function writeFigure (random: Random, code: MetricCode, count: number, unit: UnitWording, year: number): WrittenFigure {
  const words = wording[code]
  const figure = stateFigure(random, Math.max(1, Math.round(count)))
  const phrase = `${figure.statedValue} ${plural(figure, ...words.noun)}`
  const sentence = random.pick(words.sentences)(unit, year, phrase, random)
  const period: SeedPeriod = words.period === 'annual'
    ? { kind: 'annual', duration: 'P1Y', start: `${year}-01-01`, end: `${year}-12-31`, label: `in ${year}` }
    : { kind: 'point', duration: null, start: null, end: `${year}-12-31`, label: `at the end of ${year}` }
  return { ...figure, sentence, period }
}
