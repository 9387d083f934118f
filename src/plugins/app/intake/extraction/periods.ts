// When a figure holds: the period phrases of a sentence ("annually", "in 2019", "in the past three years", "as of the end
// of December 2019", "so far") and which one a figure takes. Encoded as the curated facts encode them (seed/facts.ts): a
// rate ("annually", "each year") is kind annual, P1Y, no dates; "in 2019" a span of that calendar year; "in the past three
// years" a P3Y span ending on the page date; "in recent years" a span with no dates; cumulative phrasing ("has carried
// out", "to date", "since 2015") a cumulative total up to the page date; a state ("88 beds") a point, its date left to
// the page unless "as of …" names one.
import type { CandidatePeriod } from './candidate.ts'
import { endOf, findDates, isoDate, yearPattern, yearsBefore } from './dates.ts'
import { clauseAround, type Sentence } from './sentences.ts'

export type PeriodScope = 'rate' | 'window' | 'cumulative' | 'state'

export interface PeriodExpression {
  start: number
  end: number
  period: CandidatePeriod
  scope: PeriodScope
  /** Opens the sentence ("In 2019, …"): it governs every figure of the sentence, and a window carries to the next ones. */
  fronted: boolean
  /** Governs the whole sentence even from inside it: fronted, closing the sentence, or a dated state ("as of …"). */
  sentenceWide: boolean
  /** A past calendar year or month: a present-perfect figure ("which has trained …") cannot lie inside it. */
  calendar: boolean
  /** A cumulative verb ("has carried out") rather than a stated window: any stated window outranks it. */
  implied: boolean
}

/** What a figure counts decides which periods can hold for it: a stock (beds, staff) is no yearly rate. */
export type FigureNature = 'stock' | 'flow' | 'level'

export interface PeriodContext {
  statedOn: string | null
  /** The year the text last named before this sentence, for "during the year", "that year" on a page reviewing none. */
  lastYear: number | null
  /** The year the page reviews ("… reviews its work in 2019"): "the year" of such a page is that one. */
  documentYear: number | null
}

const smallNumbers: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, fifty: 50,
}
const count = (word: string): number | null => /^\d+$/.test(word) ? Number(word) : smallNumbers[word.toLowerCase()] ?? null

const annual = (): CandidatePeriod => ({ kind: 'annual', duration: 'P1Y', start: null, end: null, label: null })
const every = (duration: string): CandidatePeriod => ({ kind: 'span', duration, start: null, end: null, label: null })
const calendarYear = (year: number): CandidatePeriod =>
  ({ kind: 'span', duration: 'P1Y', start: isoDate(year, 1, 1), end: isoDate(year, 12, 31), label: null })

interface Rule {
  pattern: RegExp
  scope: PeriodScope
  read: (match: RegExpExecArray, context: PeriodContext) => CandidatePeriod | null
  calendar?: boolean
  implied?: boolean
  /** Rules sentence-wide wherever it stands ("as of the end of 2019", "to date"). */
  wide?: boolean
}

const dateWords = `(?:[A-Z][a-z]+\\.? \\d{1,2}(?:st|nd|rd|th)?,? ${yearPattern}|\\d{1,2} [A-Z][a-z]+ ${yearPattern}|[A-Z][a-z]+ ${yearPattern}|${yearPattern})`

const rules: Rule[] = [
  {
    pattern: new RegExp(`\\b(?:as of|as at|by|at|until|till|up to)(?: the end of| the close of| end of| the end-of)? ${dateWords}`, 'gi'),
    scope: 'window',
    wide: true,
    read: (match) => {
      const [date] = findDates(match[0])
      return date === undefined ? null : { kind: 'point', duration: null, start: null, end: endOf(date), label: null }
    },
  },
  {
    pattern: new RegExp(`\\bsince (?:the (?:founding|establishment)|its (?:founding|establishment|opening)|${dateWords})`, 'gi'),
    scope: 'window',
    wide: true,
    read: (match, { statedOn }) => {
      const [date] = findDates(match[0])
      return { kind: 'cumulative', duration: null, start: date?.iso ?? null, end: statedOn, label: null }
    },
  },
  {
    pattern: /\b(?:in|over|during|within|for) the (?:past|last|previous|recent) (\w+)(?:-| )(years?|decades?)\b/gi,
    scope: 'window',
    read: (match, { statedOn }) => {
      const years = (count(match[1]!) ?? 0) * (match[2]!.toLowerCase().startsWith('decade') ? 10 : 1)
      if (years === 0) return { kind: 'span', duration: null, start: null, end: null, label: null }
      return { kind: 'span', duration: `P${years}Y`, start: statedOn && yearsBefore(statedOn, years), end: statedOn, label: null }
    },
  },
  {
    // "over the previous year" compares ("an increase of 8.6 percent over the previous year"); it bounds nothing.
    pattern: /\b(?:in|during|within) the (?:past|last) (year|decade)\b/gi,
    scope: 'window',
    read: (match, { statedOn }) => {
      const years = match[1]!.toLowerCase() === 'decade' ? 10 : 1
      return { kind: 'span', duration: `P${years}Y`, start: statedOn && yearsBefore(statedOn, years), end: statedOn, label: null }
    },
  },
  {
    pattern: /\b(?:in|over|during) (?:recent|the past few|the last few|the past several|the last several) years\b/gi,
    scope: 'window',
    read: () => ({ kind: 'span', duration: null, start: null, end: null, label: null }),
  },
  {
    pattern: new RegExp(`\\bfrom ${yearPattern} (?:to|through|until|till) ${yearPattern}\\b`, 'gi'),
    scope: 'window',
    read: (match) => {
      const [from, to] = [Number(match[1]), Number(match[2])]
      if (to < from) return null
      return { kind: 'span', duration: `P${to - from + 1}Y`, start: isoDate(from, 1, 1), end: isoDate(to, 12, 31), label: null }
    },
    calendar: true,
  },
  {
    pattern: new RegExp(`\\b(?:in|during|for|throughout|over) (?:the year |fiscal year |FY)?${yearPattern}\\b(?! (?:and|to|-|–))`, 'gi'),
    scope: 'window',
    read: (match) => calendarYear(Number(match[1])),
    calendar: true,
  },
  {
    pattern: /\b(?:during|in|for|throughout|over) (?:the|that) (?:same )?year\b|\bthat year\b|\bthe same year\b/gi,
    scope: 'window',
    read: (_match, { lastYear, documentYear }) => {
      const year = documentYear ?? lastYear
      return year === null ? null : calendarYear(year)
    },
    calendar: true,
  },
  {
    pattern: /\b(?:average )?annual(?:ly)?\b|\b(?:each|every|per|a) year\b|\bper annum\b|\byearly\b|\ba-year\b/gi,
    scope: 'rate',
    read: () => annual(),
  },
  {
    // "has exceeded 10,000 for five consecutive years": over 10,000 in each of those years.
    pattern: /\bfor (?:\w+|the (?:past|last) \w+) (?:consecutive|successive|straight) years\b|\b\w+ (?:consecutive|successive|straight) years in a row\b/gi,
    scope: 'rate',
    read: () => annual(),
  },
  { pattern: /\b(?:each|every|per|a) day\b|\bdaily\b/gi, scope: 'rate', read: () => every('P1D') },
  { pattern: /\b(?:each|every|per|a) month\b|\bmonthly\b/gi, scope: 'rate', read: () => every('P1M') },
  { pattern: /\b(?:each|every|per|a) week\b|\bweekly\b/gi, scope: 'rate', read: () => every('P1W') },
  {
    pattern: /\b(?:so far|to date|up to now|until now|till now|cumulatively|accumulatively|in (?:its|their) history|a cumulative (?:total )?of|(?:has|have) accumulated)\b/gi,
    scope: 'cumulative',
    wide: true,
    read: (_match, { statedOn }) => ({ kind: 'cumulative', duration: null, start: null, end: statedOn, label: null }),
  },
  {
    // Totals by nature: what a unit "has carried out" or "has treated" is counted up to the page date.
    pattern: /\b(?:has|have)(?: also| already| so far| now)? (?:carried out|performed|completed|treated|served|transported|transferred|delivered|admitted|received|conducted|screened|cured|rescued|trained|implemented|operated on)\b/gi,
    scope: 'cumulative',
    implied: true,
    read: (_match, { statedOn }) => ({ kind: 'cumulative', duration: null, start: null, end: statedOn, label: null }),
  },
  {
    pattern: /\b(?:currently|at present|presently|now)\b/gi,
    scope: 'state',
    read: () => ({ kind: 'point', duration: null, start: null, end: null, label: null }),
  },
]

const eventVerbBefore = /\b(?:established|founded|set up|built|opened|launched|started|approved|designated|recognized|recognised|named|awarded|rated|listed|completed|joined|became|accredited|certified|selected)\s+$/i

export function findPeriodExpressions (sentence: Sentence, context: PeriodContext): PeriodExpression[] {
  const found: PeriodExpression[] = []
  const text = sentence.text
  const firstComma = text.search(/[,，]\s/)
  for (const rule of rules) {
    for (const match of text.matchAll(rule.pattern)) {
      const start = match.index
      const end = start + match[0].length
      if (found.some((other) => start < other.end - sentence.start && end > other.start - sentence.start)) continue
      // "Established in 2007, the center covers …": the year dates the founding, it is no period of the figures.
      if (rule.calendar === true && eventVerbBefore.test(text.slice(0, start))) continue
      const period = rule.read(match as RegExpExecArray, context)
      if (period === null) continue
      const written = match[0]
      const label = start === 0 ? written[0]!.toLowerCase() + written.slice(1) : written
      const fronted = firstComma > 0 && end <= firstComma && /^(?:(?:and|also|meanwhile|moreover|besides|furthermore|in addition),?\s+)?$/i.test(text.slice(0, start))
      const closing = /^[\s.!?;。]*$/.test(text.slice(end))
      found.push({
        start: sentence.start + start,
        end: sentence.start + end,
        period: { ...period, label },
        scope: rule.scope,
        fronted,
        sentenceWide: fronted || (closing && rule.scope === 'window') || rule.wide === true,
        calendar: rule.calendar === true,
        implied: rule.implied === true,
      })
    }
  }
  // The one calendar year a sentence names is that of all its figures ("… reached 80,000 in 2020, an increase of 5%").
  const calendars = found.filter((expression) => expression.calendar)
  if (calendars.length === 1 && !found.some((expression) => expression.scope === 'window' && !expression.calendar)) calendars[0]!.sentenceWide = true
  return found.sort((a, b) => a.start - b.start)
}

/** The year a title reviews ("… reviews its work in 2019", "2019 Annual Report"): figures of such a page without a
 * period of their own are that year's. */
export function documentYear (title: string | null): number | null {
  if (title === null) return null
  const match = new RegExp(`\\b(?:in|for|of|during) ${yearPattern}\\b|\\b${yearPattern} (?:annual|work|year-end|yearly)\\b`, 'i').exec(title)
  return match === null ? null : Number(match[1] ?? match[2])
}

const presentPerfect = /\b(?:has|have)(?: also| already| now)? (?:been )?\w+(?:ed|en|ne|wn|t|ht|ung)\b/i
const stockScopes: PeriodScope[] = ['window', 'state']

export interface PeriodChoice {
  period: CandidatePeriod
  /** Where the period came from: a rule name suffix and a hint for confidence. */
  source: 'clause' | 'sentence' | 'cumulative' | 'carried' | 'document' | 'default'
}

/**
 * The period of the figure at `index` (global) in `sentence`: the nearest phrase of its clause, else one ruling the whole
 * sentence, else a cumulative verb, else a window opened earlier in the paragraph ("In the past three years, …. It has
 * also obtained three patents"), else the year the page reviews, else a point.
 */
export function choosePeriod (
  sentence: Sentence,
  index: number,
  nature: FigureNature,
  expressions: PeriodExpression[],
  carried: PeriodExpression | null,
  yearOfDocument: number | null,
  statedOn: string | null,
): PeriodChoice {
  const fits = (expression: PeriodExpression): boolean =>
    nature === 'stock' ? stockScopes.includes(expression.scope) && expression.period.kind !== 'cumulative' &&
      (expression.period.duration === null || expression.period.duration === 'P1Y')
      : nature === 'level' ? expression.scope !== 'cumulative' && expression.period.kind !== 'cumulative'
        : true
  const clause = clauseAround(sentence.text, index - sentence.start)
  const clauseText = sentence.text.slice(clause.start, clause.end)
  const inClause = expressions
    .filter((expression) => !expression.implied && fits(expression) &&
      expression.start - sentence.start >= clause.start && expression.end - sentence.start <= clause.end)
    .sort((a, b) => distance(a, index) - distance(b, index))[0]
  if (inClause !== undefined) return { period: inClause.period, source: 'clause' }

  const cumulative = nature === 'flow'
    ? expressions.find((expression) => expression.implied &&
      expression.start - sentence.start >= clause.start && expression.end - sentence.start <= clause.end)
    : undefined
  // A present-perfect clause cannot sit in a past calendar year ("In 2021, … which has trained more than 3,000"): it
  // counts up to the page date.
  const insideCalendar = (expression: PeriodExpression): PeriodChoice =>
    expression.calendar && nature === 'flow' && presentPerfect.test(clauseText)
      ? { period: { kind: 'cumulative', duration: null, start: null, end: statedOn, label: null }, source: 'cumulative' }
      : { period: expression.period, source: 'sentence' }

  const wide = expressions.filter((expression) => expression.sentenceWide && !expression.implied && fits(expression))
  const window = wide.find((expression) => expression.scope !== 'cumulative') ?? wide[0]
  if (window !== undefined) return insideCalendar(window)
  if (cumulative !== undefined) return { period: cumulative.period, source: 'cumulative' }
  if (carried !== null && fits(carried)) {
    const choice = insideCalendar(carried)
    return choice.source === 'sentence' ? { period: carried.period, source: 'carried' } : choice
  }
  // A present-perfect count with no period ("has recruited nearly 3,000 donors") is a total up to the page date.
  if (yearOfDocument === null && nature === 'flow' && presentPerfect.test(clauseText)) {
    return { period: { kind: 'cumulative', duration: null, start: null, end: statedOn, label: null }, source: 'cumulative' }
  }
  if (yearOfDocument !== null && nature !== 'stock') {
    if (nature === 'flow' && presentPerfect.test(clauseText)) return { period: { kind: 'cumulative', duration: null, start: null, end: statedOn, label: null }, source: 'cumulative' }
    return { period: { ...calendarYear(yearOfDocument) }, source: 'document' }
  }
  return { period: { kind: 'point', duration: null, start: null, end: null, label: null }, source: 'default' }
}

function distance (expression: PeriodExpression, index: number): number {
  return expression.end <= index ? index - expression.end : Math.abs(expression.start - index)
}
