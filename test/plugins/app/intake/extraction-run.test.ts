import t from 'tap'
import { extractionInput, runExtraction } from '../../../../src/plugins/app/intake/extraction-run.ts'
import type { ExtractionInput, ExtractionResult } from '../../../../src/plugins/app/intake/extraction/candidate.ts'
import { extract } from '../../../../src/plugins/app/intake/extraction/extract.ts'
import { openTestDatabase } from '../../../helper.ts'

// Running extraction over a stored source, on the database alone: its input comes from the database, its candidates are
// stored in one step of the caller's transaction, and a run that fails (rules that throw, a candidate whose quote is
// not the text at its offsets) stores none of its candidates and marks the source, while the transaction goes on.

const database = await openTestDatabase(t, { seeded: true })
const { prisma } = database
const hospital = await prisma.hospital.findUniqueOrThrow({ where: { slug: 'cqhcwc' } })
const text = 'The Specialized Department for Twins has 30 beds.\nThe department has 88 beds.'
const source = await prisma.sourceDocument.create({
  data: { fileName: 'intake/extraction-run-test', title: 'Capacity', kind: 'news_article', fullText: text, sha256: '0'.repeat(64), hospitalId: hospital.id, statedOn: new Date('2026-05-01') }
})

const candidatesOf = async () => prisma.extractionCandidate.findMany({ where: { sourceId: source.id }, orderBy: { quoteStart: 'asc' } })
const status = async () => prisma.sourceDocument.findUniqueOrThrow({ where: { id: source.id }, select: { extractionStatus: true, extractionMessage: true } })

t.test('the input: the text, its metadata, the hospital\'s units with their aliases, every metric', async (t) => {
  const input = await extractionInput(prisma, source.id)
  t.match(input, { text, title: 'Capacity', statedOn: '2026-05-01', hospital: { slug: 'cqhcwc', shortName: 'CQHCWC', aliases: [] } })
  t.match(input.units.find((unit) => unit.slug === 'twins-department'), { name: 'Specialized Department for Twins', aliases: ['Obstetrics Second Department'] })
  t.ok(input.metrics.some((metric) => metric.code === 'beds'))
})

t.test('a run stores its candidates and marks the source extracted', async (t) => {
  const outcome = await prisma.$transaction(async (db) => runExtraction(db, source.id))
  t.match(outcome, { status: 'extracted', message: null })
  const stored = await candidatesOf()
  t.equal(outcome.stored, stored.length)
  t.ok(stored.some((candidate) => (candidate.proposal as { value: string }).value === '88'))
  for (const candidate of stored) t.equal(text.slice(candidate.quoteStart, candidate.quoteEnd), candidate.quote)
  t.match(await status(), { extractionStatus: 'extracted', extractionMessage: null })
})

t.test('a failing run stores nothing of its own, keeps the earlier proposals, marks the source, and the transaction goes on', async (t) => {
  const before = (await candidatesOf()).map((candidate) => candidate.id)
  const failures: Array<[string, (input: ExtractionInput) => ExtractionResult, RegExp]> = [
    ['rules that throw', () => { throw new Error('rule figure.count-noun broke') }, /rule figure.count-noun broke/],
    ['a quote that is not the text at its offsets', (input) => {
      const result = extract(input)
      return { ...result, candidates: [...result.candidates, { ...result.candidates[0]!, quote: 'Not in the text.' }] }
    }, /quote is not the text at its offsets/]
  ]
  for (const [name, extractor, message] of failures) {
    const [outcome, afterwards] = await prisma.$transaction(async (db) => {
      const result = await runExtraction(db, source.id, extractor)
      // The transaction is still usable after the savepoint was rolled back.
      const [row] = await db.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one`
      return [result, row!.one] as const
    })
    t.match(outcome, { status: 'failed', message, stored: 0 }, name)
    t.equal(afterwards, 1, `${name}: the transaction goes on`)
    t.same((await candidatesOf()).map((candidate) => candidate.id), before, `${name}: the earlier proposals are as they were`)
    t.match(await status(), { extractionStatus: 'failed', extractionMessage: message })
  }
})

t.test('an unreadable text replaces the proposals with none', async (t) => {
  const outcome = await prisma.$transaction(async (db) => runExtraction(db, source.id, () => ({
    language: 'zh', readable: false, message: 'Chinese', rulesVersion: 'test', candidates: []
  })))
  t.match(outcome, { status: 'unreadable', message: 'Chinese', stored: 0 })
  t.equal((await candidatesOf()).length, 0)
})

t.test('the placeholder keeps the contract review relies on', async (t) => {
  const input = await extractionInput(prisma, source.id)
  const figure = extract({ ...input, text: 'The department has 88 beds.' }).candidates.find((candidate) => candidate.kind === 'figure')
  t.match(figure, { metric: 'beds', value: '88' })
  t.match(extract({ ...input, text: '妇科现有床位88张。' }), { readable: false, candidates: [] })
})
