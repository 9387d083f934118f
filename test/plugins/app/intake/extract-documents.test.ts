// Recall and precision on the test pages of test/fixtures/intake, written with their gold figures before the rules
// (a hospital introduction, a year's review, a ranking item, a second hospital's department page, an outpatient guide
// full of numbers that are no figures, a Chinese page). Targets over the pages together: recall ≥ 90 %, precision ≥ 80 %.
import t from 'tap'
import type { FigureCandidate } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { fixture, fixtureNames, locate, percent, score, type Score } from './inputs.ts'

t.test('figures of the test pages: recall ≥ 90 %, precision ≥ 80 %', async (t) => {
  const total: Score = { expected: 0, recalled: 0, recalledWithMetricAndUnit: 0, candidates: 0, real: 0, missed: [], junk: [] }
  for (const name of fixtureNames) {
    const { input, gold } = fixture(name)
    const result = extract(input)
    t.equal(result.readable, gold.readable, `${name}: readable is ${gold.readable}`)
    if (!gold.readable) {
      t.equal(result.language, gold.language, `${name}: language ${gold.language}`)
      t.same(result.candidates, [], `${name}: no candidates`)
      t.match(result.message, /^Extraction reads English; this text is/, `${name}: says why`)
      t.comment(`${name}: unreadable (${result.message})`)
      continue
    }
    const figures = result.candidates.filter((candidate): candidate is FigureCandidate => candidate.kind === 'figure')
    const documentScore = score(gold.figures.map((figure) => ({
      ...figure,
      at: locate(input.text, figure.near),
      what: `${figure.statedValue} (${figure.near})`,
    })), figures)
    t.comment(`${name}: recall ${documentScore.recalled}/${documentScore.expected}, with metric and unit ${documentScore.recalledWithMetricAndUnit}; ` +
      `precision ${documentScore.real}/${documentScore.candidates}` +
      (documentScore.missed.length > 0 ? `; missed ${documentScore.missed.join(', ')}` : '') +
      (documentScore.junk.length > 0 ? `; not real ${documentScore.junk.join(', ')}` : ''))
    for (const key of ['expected', 'recalled', 'recalledWithMetricAndUnit', 'candidates', 'real'] as const) total[key] += documentScore[key]
  }
  t.comment(`test pages: recall ${percent(total.recalled, total.expected)} (${total.recalled}/${total.expected}), ` +
    `with the same metric and unit ${percent(total.recalledWithMetricAndUnit, total.expected)} (${total.recalledWithMetricAndUnit}/${total.expected}); ` +
    `precision ${percent(total.real, total.candidates)} (${total.real}/${total.candidates})`)
  t.ok(total.recalled / total.expected >= 0.9, 'recall ≥ 90 %')
  t.ok(total.real / total.candidates >= 0.8, 'precision ≥ 80 %')
})
