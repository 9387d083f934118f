// Figures: a number, the words that qualify it, what it counts and when. What is counted is read three ways, the first
// the vocabulary knows winning: the noun phrase after the number ("88 beds"); the predicate when the number is the
// subject ("Three have senior titles", "of which seven have been collected by the SCI"); the noun phrase the number is
// stated for ("an outpatient capacity of more than 30,000", "the bed occupancy rate was 98.5 percent", "Beds: 180").
// A number whose measure the vocabulary cannot name is not proposed: such numbers are, on hospital pages, mostly sizes of
// something else ("among 117 institutions", "40 indicators", "14 cities").
import type { ExtractionInput, FigureCandidate } from './candidate.ts'
import { matchMeasure, storeMetric, suggestedCode, type Measure } from './metrics.ts'
import { findNumbers, type NumberMention } from './numbers.ts'
import { choosePeriod, type PeriodExpression } from './periods.ts'
import { qualifierAfter, qualifierBefore } from './qualifiers.ts'
import { clauseAround, type Sentence, type Term } from './sentences.ts'
import { chooseSubject, type Mention } from './subjects.ts'

export interface FigureContext {
  input: ExtractionInput
  sentences: Sentence[]
  expressions: PeriodExpression[]
  carried: PeriodExpression | null
  yearOfDocument: number | null
  mentions: Mention[]
  page: { mention: Mention, from: 'title' | 'breadcrumb' } | null
}

const unitAfter = /^\s*(%|percent|per cent|square (?:meters|metres|kilometers|kilometres)|sq\.? ?m\b|m2\b|㎡|yuan|rmb|dollars?|usd|euros?|cny|days?|weeks?|months?|hours?|minutes?|years?(?: old)?|person-times|person times|times)(?![\p{L}])/iu

const stopWords = new Set(('a an the this that these those its their his her our your my is are was were be been being has have had will would ' +
  'can could may might must should shall do does did which who whom whose where when while with without at in on from by for ' +
  'to during since as than per each every over under among between into through after before about around including included ' +
  'includes such or but nor so yet annually yearly daily monthly currently respectively there here not also only just it they ' +
  'we he she you them us a-year nationwide').split(' '))
const closedDeterminers = new Set(['the', 'a', 'an', 'which', 'them', 'these', 'those', 'its', 'their', 'whom', 'this', 'that'])
const verbTags = ['PastTense', 'Participle', 'Copula', 'Auxiliary', 'Modal', 'Infinitive']

const predicateVerb = /^\s*(?:(?:of|among) (?:them|which|whom|these|those)\s+)?(?:have been|has been|had been|were|was|are|is|have|has|had|hold|holds|held)\s+/i
const statedLink = /(?:\b(?:of|is|was|are|were|reached|reaches|totaled|totalled|totaling|stood at|stands at|remained at|remains at|amounted to|amounts to|exceeded|exceeds|hit|hits|registered|recorded|accounted for|accounts for|account for|made up|makes up|(?:shortened|reduced|decreased|increased|raised|rose|fell|dropped|cut|lowered|improved|grew) to)|[:：])\s*$/i
// "up 12% from 2020", "an increase of 8.6 percent": a change stated by its verb alone.
const changeWord = /\b(up|down|rose|rise|grew|fell|dropped|increased|decreased)(?: by)?\s*$/i
const backStop = /^(?:has|have|had|is|are|was|were|with|covers|covering|cover|boasts|handled|including|that|which|while|where|it|there)$/i
const leadingOwner = /^(?:(?:the|a|an|its|their|this|that|these|those)\s+)?(?:[\p{L}\d-]+\s+){0,4}?[\p{L}\d-]+['’]s\s+|^(?:the|a|an|its|their|this|that|these|those)\s+/iu
const inheriting = /\b(?:including|of which|of whom|among them|among whom|among these)\b/i

interface Word { text: string, lower: string, start: number, end: number, tags: Set<string> }

function wordsOf (sentence: Sentence, from: number, to: number): Word[] {
  const tagsAt = new Map<number, Set<string>>(sentence.terms.map((term: Term) => [term.start, term.tags]))
  const words: Word[] = []
  const text = sentence.text.slice(from - sentence.start, to - sentence.start)
  for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.\-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[^\s\p{L}\p{N}]/gu)) {
    const start = from + match.index
    words.push({ text: match[0], lower: match[0].toLowerCase(), start, end: start + match[0].length, tags: tagsAt.get(start) ?? new Set() })
  }
  return words
}

const isWord = (word: Word): boolean => /[\p{L}\p{N}]/u.test(word.text[0]!)
const isNumberWord = (word: Word): boolean => /^\d/.test(word.text) || /^(?:one|two|three|four|five|six|seven|eight|nine|ten|more|over|about|around|nearly|almost|some|approximately|up|at)$/i.test(word.text)

/** The noun phrase that starts right after a number: "outpatient and emergency visits", "doctors of medicine". */
function followingPhrase (words: Word[]): Word[] {
  const phrase: Word[] = []
  let ofs = 0
  for (let index = 0; index < words.length && phrase.length < 8; index++) {
    const word = words[index]!
    const next = words[index + 1]
    if (!isWord(word)) break
    if (word.lower === 'of' || word.lower === 'and') {
      const joins = phrase.length > 0 && next !== undefined && isWord(next) && !closedDeterminers.has(next.lower) &&
        !isNumberWord(next) && !stopWords.has(next.lower) && !verbTags.some((tag) => next.tags.has(tag)) &&
        (word.lower === 'and' || ofs++ === 0)
      if (!joins) break
      phrase.push(word)
      continue
    }
    if (stopWords.has(word.lower)) break
    const verb = verbTags.some((tag) => word.tags.has(tag)) && !word.tags.has('Adjective')
    // A participle before a noun describes it: "approved beds", "registered nurses", "parking spaces".
    const describes = phrase.length === 0 && next !== undefined && isWord(next) && !stopWords.has(next.lower) && !verbTags.some((tag) => next.tags.has(tag))
    if (verb && !describes && !(phrase.length === 0 && word.tags.has('Gerund'))) break
    phrase.push(word)
  }
  while (phrase.length > 0 && ['of', 'and'].includes(phrase[phrase.length - 1]!.lower)) phrase.pop()
  return phrase
}

/** The noun phrase a number is stated for, read backwards from its link: "the number of discharged patients is …". */
function statedPhrase (words: Word[]): Word[] {
  const phrase: Word[] = []
  for (let index = words.length - 1; index >= 0 && phrase.length < 16; index--) {
    const word = words[index]!
    if (!isWord(word)) {
      if (word.text === '(' || word.text === ')' || word.text === '-' || word.text === "'" || word.text === '’') continue
      break
    }
    if (phrase.length === 0 && /^(?:has|have|had|was|were|is|are|been|being|be)$/i.test(word.text)) continue
    if (backStop.test(word.text)) break
    // "outpatient and emergency visits" is one phrase; "… beds and the occupancy rate" is two.
    if (word.lower === 'and' && (phrase.length === 0 || closedDeterminers.has(phrase[0]!.lower))) break
    if (phrase.length > 0 && verbTags.some((tag) => word.tags.has(tag)) && !/^(?:born|aged)$/i.test(word.text) && !word.tags.has('Adjective')) break
    phrase.unshift(word)
  }
  // "The hospital's total revenue", "the number of outpatient visits": what is measured starts after the owner and the count.
  while (phrase.length > 0) {
    const text = phrase.map((word) => word.text).join(' ')
    const owner = leadingOwner.exec(text)
    if (owner !== null) {
      const drop = owner[0].trim().split(/\s+/).length
      phrase.splice(0, drop)
      continue
    }
    if (/^(?:number|total|volume|amount)$/i.test(phrase[0]!.text) && phrase[1]?.lower === 'of') {
      phrase.splice(0, 2)
      continue
    }
    break
  }
  // "visits to the Children's Hospital": where they went is no part of what is counted.
  const place = phrase.findIndex((word, index) => index > 0 && /^(?:to|at|in)$/i.test(word.text) &&
    /^(?:the\s+)?[A-Z]/.test(phrase.slice(index + 1).map((next) => next.text).join(' ')))
  return place > 0 ? phrase.slice(0, place) : phrase
}

/** What a number that is the subject is said to be or have: "have senior titles", "have been collected by the SCI". */
function predicatePhrase (words: Word[]): Word[] {
  const phrase: Word[] = []
  for (const word of words.slice(0, 12)) {
    if (/^\d/.test(word.text) || /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)$/i.test(word.text)) break
    if (!isWord(word) && word.text !== '(' && word.text !== ')') break
    phrase.push(word)
  }
  while (phrase.length > 0 && /^(?:and|or|\()$/i.test(phrase[phrase.length - 1]!.text)) phrase.pop()
  return phrase
}

const span = (words: Word[]): { start: number, end: number } | null =>
  words.length === 0 ? null : { start: words[0]!.start, end: words[words.length - 1]!.end }

export function findFigures (sentence: Sentence, context: FigureContext): FigureCandidate[] {
  const { input, expressions } = context
  const text = context.input.text
  const figures: FigureCandidate[] = []
  let previousAction = ''
  for (const number of findNumbers(sentence.text).map((mention): NumberMention =>
    ({ ...mention, start: mention.start + sentence.start, end: mention.end + sentence.start }))) {
    if (expressions.some((expression) => number.start < expression.end && number.end > expression.start)) continue
    const local = number.start - sentence.start
    const clause = clauseAround(sentence.text, local)
    const clauseStart = sentence.start + clause.start
    const clauseEnd = sentence.start + clause.end
    const qualifier = qualifierBefore(sentence.text, local) ?? qualifierAfter(sentence.text, number.end - sentence.start)
    const qualifierStart = qualifier !== null && qualifier.start < local ? sentence.start + qualifier.start : number.start
    const qualifierEnd = qualifier !== null && qualifier.start >= local ? sentence.start + qualifier.end : number.end
    const unitMatch = unitAfter.exec(text.slice(qualifierEnd, clauseEnd))
    const unit = unitMatch?.[1]?.toLowerCase() ?? ''
    // "a 1,300-bed hospital": the hyphen joins the number to what it counts.
    const afterUnit = qualifierEnd + (unitMatch?.[0].length ?? (text[qualifierEnd] === '-' ? 1 : 0))

    const leadWords = wordsOf(sentence, clauseStart, qualifierStart)
    const after = text.slice(afterUnit, clauseEnd)
    const predicate = predicateVerb.exec(after)
    // "1.5 million person-times of outpatient visits": a counting unit takes what it counts with "of".
    const countedOf = /times$/.test(unit) ? /^\s+of\s+/.exec(after)?.[0].length ?? 0 : 0
    const following = wordsOf(sentence, afterUnit + countedOf + (predicate?.[0].length ?? 0), clauseEnd)
    const readings: Array<{ rule: string, words: Word[] }> = []
    if (predicate !== null) {
      readings.push({ rule: 'figure.subject-predicate', words: predicatePhrase(following) })
    } else {
      readings.push({ rule: 'figure.count-noun', words: followingPhrase(following) })
    }
    // "The annual outpatient volume exceeds 120,000": a qualifying verb links the phrase to its figure as "is" does.
    const linkText = text.slice(clauseStart, qualifierStart)
    const link = statedLink.exec(linkText) ?? (/^(?:has |have )?(?:exceed|surpass|top)/i.test(text.slice(qualifierStart, number.start)) ? { index: linkText.length } : null)
    if (link !== null) readings.push({ rule: 'figure.stated-for', words: statedPhrase(wordsOf(sentence, clauseStart, clauseStart + link.index)) })
    const change = changeWord.exec(linkText)
    if (change !== null) readings.push({ rule: 'figure.change', words: wordsOf(sentence, clauseStart + change.index, clauseStart + change.index + change[1]!.length) })
    // "an area of about 3000 square meters": the unit alone says what is measured when no phrase does.
    if (unit !== '') readings.push({ rule: 'figure.unit', words: [] })

    const inherits = inheriting.test(text.slice(clauseStart, qualifierStart)) || /^\s*of (?:which|whom)\b/i.test(after)
    const lead = text.slice(clauseStart, qualifierStart).toLowerCase()
    // The verbs around the figure, not the words of its phrase: "very low birth weight infants" are no births.
    const actionOf = (phrase: Word[]): string => [
      ...(inherits ? [previousAction] : []),
      ...leadWords.filter((word) => !phrase.includes(word)).slice(-4).map((word) => word.lower),
      ...following.filter((word) => !phrase.includes(word)).slice(0, 6).map((word) => word.lower),
    ].join(' ')
    let action = actionOf([])

    let chosen: { rule: string, words: Word[], match: NonNullable<ReturnType<typeof matchMeasure>> } | null = null
    for (const reading of readings) {
      const phraseSpan = span(reading.words)
      const phrase = phraseSpan === null ? '' : text.slice(phraseSpan.start, phraseSpan.end).toLowerCase()
      if (phrase === '' && reading.rule !== 'figure.unit') continue
      const tail = following.slice(reading.words.length, reading.words.length + 8).map((word) => word.lower).join(' ')
      action = actionOf(reading.words)
      const measure: Measure = { phrase, action, unit, lead, tail: reading.rule === 'figure.count-noun' ? tail : '' }
      const match = matchMeasure(measure)
      if (match !== null) {
        chosen = { ...reading, match }
        break
      }
    }
    previousAction = action
    if (chosen === null || (number.yearLike && qualifier === null && chosen.rule !== 'figure.count-noun')) continue

    const measuredSpan = span(chosen.words)
    const topicEnd = chosen.match.topic !== null && chosen.rule === 'figure.count-noun' ? topicWordEnd(following, chosen.words.length, chosen.match.topic) : null
    const measured = measuredSpan === null ? unitMatch![1]! : text.slice(measuredSpan.start, topicEnd ?? measuredSpan.end)
    // "day surgeries accounted for 45 percent": a count's share, a level rather than a count.
    const share = /^(?:%|percent|per cent)$/.test(unit) && chosen.match.nature !== 'level'
    const nature = share ? 'level' : chosen.match.nature
    const { period, source } = choosePeriod(sentence, number.start, nature, expressions, context.carried, context.yearOfDocument, input.statedOn)
    const suggestedMetric = share ? `${suggestedCode({ ...chosen.match, byPeriod: false }, period)}.share` : suggestedCode(chosen.match, period)
    const metric = storeMetric(input.metrics, suggestedMetric, measured, period)
    const { subject, strength } = chooseSubject(sentence, number.start, clauseEnd, context.mentions, context.page, context.sentences)
    const valueStart = Math.min(qualifierStart, number.start)
    const valueEnd = Math.max(qualifierEnd, number.end)
    const confidence = 0.45 + (metric !== null ? 0.2 : 0.1) + 0.15 * strength +
      (source === 'clause' || source === 'sentence' || source === 'default' ? 0.1 : 0.05) - (chosen.rule === 'figure.count-noun' ? 0 : 0.05)
    figures.push({
      kind: 'figure',
      rule: chosen.rule,
      confidence: Math.round(Math.min(0.95, confidence) * 100) / 100,
      quote: sentence.text,
      start: sentence.start,
      end: sentence.end,
      subject,
      metric,
      suggestedMetric,
      measured,
      value: number.value,
      comparator: qualifier?.comparator ?? null,
      approximate: qualifier?.approximate ?? false,
      statedValue: text.slice(valueStart, valueEnd),
      valueStart,
      valueEnd,
      period,
    })
  }
  return figures
}

// "six training courses on practical hysteroscopy technology": the measured phrase runs on to the noun phrase naming
// the topic when the topic is written after the counted noun.
function topicWordEnd (following: Word[], from: number, topic: string): number | null {
  const stem = topic.slice(0, 6)
  if (following.slice(0, from).some((word) => word.lower.startsWith(stem))) return null
  const tail = following.slice(from, from + 8)
  const at = tail.findIndex((word) => word.lower.startsWith(stem))
  if (at < 0 || tail.slice(0, at).some((word) => !isWord(word))) return null
  let end = tail[at]!.end
  for (const word of tail.slice(at + 1, at + 3)) {
    if (!isWord(word) || stopWords.has(word.lower)) break
    end = word.end
  }
  return end
}
