// Recall and precision of figure extraction on the three seed documents, against the observations curated in
// seed/facts.ts. Targets: recall ≥ 90 %, precision ≥ 80 %.
import t from 'tap'
import type { FigureCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { seedData } from '../../../../seed/facts.ts'
import { locate, percent, score, seedInput, type Expected, type Score } from './inputs.ts'

// Real figures the seed did not curate, each with why it is real. Empty: every figure candidate on the three pages is
// one the seed records, and no number left out of the seed is a figure about the hospital (years, "32 weeks" in a metric's
// definition, list bullets).
const uncurated: Array<{ document: string, near: string, value: string, reason: string }> = []

t.test('figures of the seed documents: recall ≥ 90 %, precision ≥ 80 %', async (t) => {
  const total: Score = { expected: 0, recalled: 0, recalledWithMetricAndUnit: 0, candidates: 0, real: 0, missed: [], junk: [] }
  for (const document of seedData.documents) {
    const input = seedInput(document.fileName)
    const result = extract(input)
    t.ok(result.readable, `${document.fileName} is readable`)
    const figures = result.candidates.filter((candidate): candidate is FigureCandidate => candidate.kind === 'figure')
    const expected: Expected[] = seedData.observations
      .filter((observation) => observation.source.document === document.fileName)
      .map((observation) => ({
        at: locate(input.text, observation.source.quote),
        value: observation.value,
        comparator: observation.comparator,
        approximate: observation.approximate,
        period: observation.period,
        metric: observation.metric,
        unit: observation.unit,
        what: `${observation.metric} ${observation.statedValue}`,
      }))
    // A quote may hold several figures: a candidate stands on an observation when its value sits inside the quote.
    const alsoReal = uncurated.filter((other) => other.document === document.fileName)
      .map((other) => ({ at: locate(input.text, other.near), value: other.value }))
    const documentScore = score(expected, figures, alsoReal)
    t.comment(`${document.fileName}: recall ${documentScore.recalled}/${documentScore.expected}, with metric and unit ${documentScore.recalledWithMetricAndUnit}; precision ${documentScore.real}/${documentScore.candidates}` +
      (documentScore.missed.length > 0 ? `; missed ${documentScore.missed.join(', ')}` : '') + (documentScore.junk.length > 0 ? `; not real ${documentScore.junk.join(', ')}` : ''))
    for (const key of ['expected', 'recalled', 'recalledWithMetricAndUnit', 'candidates', 'real'] as const) total[key] += documentScore[key]
  }
  t.comment(`seed documents: recall ${percent(total.recalled, total.expected)} (${total.recalled}/${total.expected}), ` +
    `with the same metric and unit ${percent(total.recalledWithMetricAndUnit, total.expected)} (${total.recalledWithMetricAndUnit}/${total.expected}); ` +
    `precision ${percent(total.real, total.candidates)} (${total.real}/${total.candidates})`)
  t.ok(total.recalled / total.expected >= 0.9, 'recall ≥ 90 %')
  t.ok(total.real / total.candidates >= 0.8, 'precision ≥ 80 %')
})
