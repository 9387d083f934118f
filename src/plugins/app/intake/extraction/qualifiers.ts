// The words that bound or soften a figure ("more than 30,000", "nearly 100,000", "about 3000", "30,000 or more"), read
// to the comparator and approximate flag the facts use. Longest phrases first, so "no more than" is not read as "more than".
import type { Comparator } from './candidate.ts'

export interface Qualifier {
  comparator: Comparator | null
  approximate: boolean
  /** Offsets of the qualifier's words, relative to the text searched. */
  start: number
  end: number
}

interface Reading { comparator: Comparator | null, approximate: boolean }

const before: Array<[string, Reading]> = [
  ['no more than|not more than|at most|up to|a maximum of', { comparator: '<=', approximate: false }],
  ['at least|no less than|not less than|no fewer than|not fewer than|a minimum of', { comparator: '>=', approximate: false }],
  ['more than|over|exceeding|in excess of|above|upwards of|beyond|exceeded|surpassed|topped|exceeds|surpasses|tops', { comparator: '>', approximate: false }],
  ['nearly|almost|close to|just under|approaching|just shy of', { comparator: '<', approximate: true }],
  ['less than|fewer than|under|below', { comparator: '<', approximate: false }],
  ['about|around|approximately|approx\\.|roughly|some|an estimated|estimated|circa', { comparator: null, approximate: true }],
]

const after: Array<[string, Reading]> = [
  ['or more|and more|or above|and above|or over|\\+|-plus|plus', { comparator: '>=', approximate: false }],
  ['or less|or fewer|and below|or below', { comparator: '<=', approximate: false }],
]

const beforePatterns = before.map(([words, reading]) => ({ pattern: new RegExp(`(?:^|[\\s(])(${words})\\s+$`, 'i'), reading }))
const afterPatterns = after.map(([words, reading]) => ({ pattern: new RegExp(`^\\s*(${words})(?![\\w])`, 'i'), reading }))

// "presided over seven projects", "took over 3 wards": after these verbs "over" belongs to the verb.
const particleVerb = /\b(?:presid|took|tak|hand|turn|pass|watch|rul|look|carr|hold|held|get|got|go|went|fall|fell|think|thought|won|win)\w*\s+$/i

/** The qualifier written just before `index` in `text`, if any. */
export function qualifierBefore (text: string, index: number): Qualifier | null {
  const head = text.slice(Math.max(0, index - 30), index)
  const offset = Math.max(0, index - 30)
  for (const { pattern, reading } of beforePatterns) {
    const match = pattern.exec(head)
    if (match === null) continue
    const start = offset + match.index + match[0].indexOf(match[1]!)
    if (/^over$/i.test(match[1]!) && particleVerb.test(text.slice(0, start))) return null
    return { ...reading, start, end: start + match[1]!.length }
  }
  return null
}

/** The qualifier written just after `index` ("30,000 or more", "3,000+"), if any. */
export function qualifierAfter (text: string, index: number): Qualifier | null {
  const tail = text.slice(index, index + 20)
  for (const { pattern, reading } of afterPatterns) {
    const match = pattern.exec(tail)
    if (match === null) continue
    const start = index + match[0].indexOf(match[1]!)
    return { ...reading, start, end: start + match[1]!.length }
  }
  return null
}
