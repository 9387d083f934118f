// The same input gives the same output, in offset order; and how long a 20 KB page takes (printed, not asserted: the
// machine is shared).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { fixtureDirectory, fixtureNames, inputFor } from './inputs.ts'

const english = fixtureNames.filter((name) => name !== 'chinese-department')
  .map((name) => readFileSync(join(fixtureDirectory, `${name}.txt`), 'utf8'))

t.test('extracting twice gives deep-equal results, candidates ordered by offset', async (t) => {
  for (const text of english) {
    const input = inputFor(text, { statedOn: '2021-03-03' })
    const first = extract(input)
    const second = extract(structuredClone(input))
    t.same(second, first)
    t.ok(first.candidates.every((candidate, index, all) => index === 0 || all[index - 1]!.start <= candidate.start), 'ordered by offset')
  }
})

t.test('every quote and stated value is the slice of the text its offsets name', async (t) => {
  for (const text of english) {
    for (const candidate of extract(inputFor(text, { statedOn: '2021-03-03' })).candidates) {
      if (text.slice(candidate.start, candidate.end) !== candidate.quote) t.fail(`quote of ${candidate.rule} at ${candidate.start}`)
      if (candidate.kind === 'figure' && text.slice(candidate.valueStart, candidate.valueEnd) !== candidate.statedValue) t.fail(`stated value at ${candidate.valueStart}`)
      if (candidate.confidence < 0 || candidate.confidence > 1) t.fail(`confidence ${candidate.confidence}`)
    }
  }
  t.pass('all offsets hold')
})

t.test('time to extract a 20 KB page', async (t) => {
  let text = ''
  while (text.length < 20_000) text += english.join('\n\n') + '\n\n'
  text = text.slice(0, text.lastIndexOf('\n\n', 20_000))
  const input = inputFor(text, { statedOn: '2021-03-03' })
  extract(inputFor(english[0]!))
  const started = performance.now()
  const result = extract(input)
  const elapsed = performance.now() - started
  t.comment(`extracting ${(text.length / 1024).toFixed(1)} KB (${result.candidates.length} candidates) took ${elapsed.toFixed(0)} ms`)
  t.ok(result.candidates.length > 0)
})
