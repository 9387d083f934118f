// Extraction: the figures, honors and dated events a page states, each with its sentence, offsets, subject, rule and
// confidence. A pure function of its input — no clock, no database, no randomness — so the same page read twice gives
// the same candidates in the same order (by offset), and a change of rules shows as a change of `rulesVersion`.
import type { Candidate, ExtractionInput, ExtractionResult } from './candidate.ts'
import { findEvent } from './events.ts'
import { findFigures } from './figures.ts'
import { findHonors } from './honors.ts'
import { detectLanguage } from './language.ts'
import { documentYear, findPeriodExpressions, type PeriodExpression } from './periods.ts'
import { splitSentences } from './sentences.ts'
import { findMentions, findPageSubject } from './subjects.ts'

/** Bumped whenever a rule changes what extraction proposes. */
export const rulesVersion = 'extract-2026.1'

const kindOrder: Record<Candidate['kind'], number> = { figure: 0, honor: 1, event: 2 }

export function extract (input: ExtractionInput): ExtractionResult {
  const language = detectLanguage(input.text)
  if (!language.readable) return { ...language, rulesVersion, candidates: [] }

  const sentences = splitSentences(input.text, { title: input.title, breadcrumb: input.breadcrumb })
  const page = findPageSubject(input)
  const mentions = findMentions(sentences, input, page?.mention ?? null)
  const yearOfDocument = documentYear(input.title)
  const unitNames = new Map(input.units.map((unit) => [unit.slug, unit.name]))
  const candidates: Candidate[] = []
  let carried: PeriodExpression | null = null
  let lastYear: number | null = null
  let heading: string | null = null
  for (const sentence of sentences) {
    if (sentence.indexInBlock === 0 && (sentences[sentence.index - 1]?.block ?? -1) !== sentence.block) {
      carried = null
      if (sentence.blockKind === 'heading') heading = sentence.text
      else if (sentence.blockKind === 'paragraph') heading = null
    }
    const expressions = findPeriodExpressions(sentence, { statedOn: input.statedOn, lastYear, documentYear: yearOfDocument })
    if (sentence.blockKind !== 'header') {
      candidates.push(...findFigures(sentence, { input, sentences, expressions, carried, yearOfDocument, mentions, page }))
      candidates.push(...findHonors(sentence, { sentences, mentions, page, heading }))
      const event = findEvent(sentence, { sentences, mentions, page, statedOn: input.statedOn, hospitalName: input.hospital.name, unitNames })
      if (event !== null) candidates.push(event)
    }
    carried = expressions.find((expression) => expression.fronted && expression.scope === 'window') ?? carried
    lastYear = [...sentence.text.matchAll(/\b(1[89]\d\d|20\d\d)\b/g)].map((match) => Number(match[1])).pop() ?? lastYear
  }
  candidates.sort((a, b) => a.start - b.start || kindOrder[a.kind] - kindOrder[b.kind] ||
    ('valueStart' in a && 'valueStart' in b ? a.valueStart - b.valueStart : 0) || a.rule.localeCompare(b.rule))
  return { language: language.language, readable: true, message: null, rulesVersion, candidates }
}
