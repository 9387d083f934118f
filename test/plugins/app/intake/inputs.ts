// Extraction inputs for the tests: the seed documents read as the seed describes them (title, breadcrumb, page date, the
// hospital, its units with aliases, every metric definition), and the test pages of test/fixtures/intake with their gold.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CandidatePeriod, ExtractionInput, FigureCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { seedData } from '../../../../seed/facts.ts'

const root = join(import.meta.dirname, '../../../..')
export const fixtureDirectory = join(root, 'test/fixtures/intake')

const cqhcwc = seedData.hospitals.find((hospital) => hospital.slug === 'cqhcwc')!

/** Everything but the page itself: the seed hospital, its units and the store's metrics. */
export const seedContext: Omit<ExtractionInput, 'text' | 'title' | 'breadcrumb' | 'statedOn'> = {
  language: null,
  hospital: { slug: cqhcwc.slug, name: cqhcwc.name, shortName: cqhcwc.shortName, aliases: [] },
  units: seedData.units.map((unit) => ({ slug: unit.slug, name: unit.name, aliases: unit.aliases.map((alias) => alias.name) })),
  metrics: seedData.metricDefinitions.map((metric) => ({ code: metric.code, name: metric.name, unit: metric.unit, category: metric.category })),
}

export function inputFor (text: string, page: Partial<ExtractionInput> = {}): ExtractionInput {
  return { ...seedContext, text, title: null, breadcrumb: null, statedOn: null, ...page }
}

export function seedInput (fileName: string): ExtractionInput {
  const document = seedData.documents.find((seedDocument) => seedDocument.fileName === fileName)!
  return inputFor(readFileSync(join(root, 'seed/documents', fileName), 'utf8'), {
    title: document.title,
    breadcrumb: document.breadcrumb,
    statedOn: document.statedOn,
  })
}

export interface GoldFigure {
  /** A verbatim snippet of the page around the figure, to find where it stands. */
  near: string
  statedValue: string
  value: string
  comparator: FigureCandidate['comparator']
  approximate: boolean
  period: Omit<CandidatePeriod, 'label'>
  metric: string | null
  measured: string
  unit: string | null
}

export interface Gold {
  document: string
  input: {
    title: string
    breadcrumb: string | null
    statedOn: string | null
    hospital: 'cqhcwc' | ExtractionInput['hospital']
    units: 'seed' | ExtractionInput['units']
  }
  readable: boolean
  language?: string
  figures: GoldFigure[]
}

export function fixture (name: string): { input: ExtractionInput, gold: Gold } {
  const gold = JSON.parse(readFileSync(join(fixtureDirectory, `${name}.gold.json`), 'utf8')) as Gold
  const input = inputFor(readFileSync(join(fixtureDirectory, gold.document), 'utf8'), {
    title: gold.input.title,
    breadcrumb: gold.input.breadcrumb,
    statedOn: gold.input.statedOn,
    ...(gold.input.hospital === 'cqhcwc' ? {} : { hospital: gold.input.hospital }),
    ...(gold.input.units === 'seed' ? {} : { units: gold.input.units }),
  })
  return { input, gold }
}

export const fixtureNames = ['hospital-introduction', 'annual-report-2019', 'ranking-news', 'neonatology-department', 'outpatient-guide', 'chinese-department', 'obstetrics-department', 'childrens-annual-data', 'reproductive-medicine', 'hospital-profile-hangzhou']

/** Where `snippet` stands in `text`; it must stand there exactly once. */
export function locate (text: string, snippet: string): { start: number, end: number } {
  const start = text.indexOf(snippet)
  if (start < 0 || text.indexOf(snippet, start + 1) >= 0) throw new Error(`"${snippet}" must occur exactly once in the page`)
  return { start, end: start + snippet.length }
}

export interface Expected {
  at: { start: number, end: number }
  value: string
  comparator: FigureCandidate['comparator']
  approximate: boolean
  period: Omit<CandidatePeriod, 'label' | 'duration'> & { duration?: string | null }
  metric: string | null
  unit: string | null
  what: string
}

export interface Score {
  expected: number
  recalled: number
  recalledWithMetricAndUnit: number
  candidates: number
  real: number
  missed: string[]
  junk: string[]
}

const samePeriod = (a: Expected['period'], b: CandidatePeriod): boolean => a.kind === b.kind && a.start === b.start && a.end === b.end
const stands = (expected: Expected, figure: FigureCandidate): boolean =>
  figure.valueStart >= expected.at.start && figure.valueStart < expected.at.end && figure.value === expected.value

/**
 * Recall: expected figures matched one to one by a candidate standing there with the same value, comparator, approximate
 * flag and period (kind and dates); of those, how many also name the same metric (the store's or the suggested code) and
 * unit. Precision: candidates that stand on a real figure (an expected one, or one of `alsoReal`) over all candidates.
 */
export function score (expected: Expected[], figures: FigureCandidate[], alsoReal: Array<{ at: { start: number, end: number }, value: string }> = []): Score {
  const used = new Set<FigureCandidate>()
  const result: Score = { expected: expected.length, recalled: 0, recalledWithMetricAndUnit: 0, candidates: figures.length, real: 0, missed: [], junk: [] }
  for (const want of expected) {
    const found = figures.find((figure) => !used.has(figure) && stands(want, figure) && figure.comparator === want.comparator &&
      figure.approximate === want.approximate && samePeriod(want.period, figure.period))
    if (found === undefined) {
      result.missed.push(want.what)
      continue
    }
    used.add(found)
    result.recalled++
    if ((found.metric === want.metric || found.suggestedMetric === want.metric) && found.subject.unit === want.unit) result.recalledWithMetricAndUnit++
  }
  for (const figure of figures) {
    const real = expected.some((want) => stands(want, figure)) ||
      alsoReal.some((other) => figure.valueStart >= other.at.start && figure.valueStart < other.at.end && figure.value === other.value)
    if (real) result.real++
    else result.junk.push(`${figure.statedValue} [${figure.measured}]`)
  }
  return result
}

export const percent = (part: number, whole: number): string => whole === 0 ? 'n/a' : `${(100 * part / whole).toFixed(1)}%`
