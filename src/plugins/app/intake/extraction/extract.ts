import type { CandidateSubject, ExtractionInput, ExtractionResult, FigureCandidate } from './candidate.ts'

// A deliberately minimal stand-in for extraction, so that intake and review can be built and tested before the real
// rules land (they replace this file). One rule: "<number> beds" proposes a figure of the metric `beds`; a text
// mostly in Chinese script is unreadable. Nothing else is read.

const rulesVersion = 'placeholder-1'

/** Han characters among the letters: above this share the text is taken for Chinese. */
const chineseShare = 0.3

function detectLanguage (text: string): string {
  const letters = text.match(/\p{L}/gu)?.length ?? 0
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0
  return letters > 0 && han / letters > chineseShare ? 'zh' : 'en'
}

/** The sentence around offset `at`: from after the previous full stop (or line break) to its own. */
function sentenceAround (text: string, at: number): { start: number, end: number } {
  let start = at
  while (start > 0 && !/[.!?\n]/.test(text[start - 1]!)) start--
  while (start < at && /\s/.test(text[start]!)) start++
  let end = at
  while (end < text.length && !/[.!?\n]/.test(text[end]!)) end++
  if (end < text.length && text[end] !== '\n') end++
  return { start, end }
}

function subjectOf (sentence: string, input: ExtractionInput): CandidateSubject {
  const lower = sentence.toLowerCase()
  for (const unit of input.units) {
    const name = [unit.name, ...unit.aliases].find((candidate) => lower.includes(candidate.toLowerCase()))
    if (name !== undefined) return { unit: unit.slug, matchedBy: 'sentence', name }
  }
  const titled = input.units.find((unit) => input.title !== null && input.title.toLowerCase() === unit.name.toLowerCase())
  if (titled !== undefined) return { unit: titled.slug, matchedBy: 'title', name: input.title }
  return { unit: null, matchedBy: 'hospital', name: null }
}

export function extract (input: ExtractionInput): ExtractionResult {
  const language = detectLanguage(input.text)
  if (language !== 'en') {
    return { language, readable: false, message: `The text is in "${language}"; the rules read English only.`, rulesVersion, candidates: [] }
  }
  const beds = input.metrics.some((metric) => metric.code === 'beds') ? 'beds' : null
  const candidates: FigureCandidate[] = []
  for (const match of input.text.matchAll(/\b(\d{1,3}(?:,\d{3})*|\d+)\s+beds\b/gi)) {
    const statedValue = match[1]!
    const valueStart = match.index
    const { start, end } = sentenceAround(input.text, valueStart)
    const quote = input.text.slice(start, end)
    candidates.push({
      kind: 'figure',
      rule: 'figure.beds',
      confidence: beds === null ? 0.4 : 0.8,
      quote,
      start,
      end,
      subject: subjectOf(quote, input),
      metric: beds,
      suggestedMetric: 'beds',
      measured: 'beds',
      value: statedValue.replaceAll(',', ''),
      comparator: null,
      approximate: false,
      statedValue,
      valueStart,
      valueEnd: valueStart + statedValue.length,
      period: { kind: 'point', duration: null, start: null, end: null, label: null }
    })
  }
  return { language, readable: true, message: null, rulesVersion, candidates }
}
