import type { ComparatorSymbol } from '../types.ts'
import type { Random } from './random.ts'

// How pages write figures: digits with thousands separators, small exact counts in words, and the hedges real pages
// put in front of a figure. A hedged figure is a round number, rounded the way its hedge implies.

const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']

export function formatNumber (value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

interface Hedge {
  comparator: ComparatorSymbol | null
  approximate: boolean
  phrases: string[]
  round: 'down' | 'up' | 'nearest' | null
  weight: number
}

// Exact half the time; otherwise in about the proportions pages use them.
const hedges: Hedge[] = [
  { comparator: null, approximate: false, phrases: [''], round: null, weight: 50 },
  { comparator: '>', approximate: false, phrases: ['more than', 'over'], round: 'down', weight: 16 },
  { comparator: null, approximate: true, phrases: ['about', 'around'], round: 'nearest', weight: 14 },
  { comparator: '<', approximate: true, phrases: ['nearly', 'almost'], round: 'up', weight: 7 },
  { comparator: '>=', approximate: false, phrases: ['at least'], round: 'down', weight: 7 },
  { comparator: '<=', approximate: false, phrases: ['up to'], round: 'up', weight: 6 }
]
const totalWeight = hedges.reduce((sum, hedge) => sum + hedge.weight, 0)

export interface StatedFigure {
  value: number
  comparator: ComparatorSymbol | null
  approximate: boolean
  /** As the sentence writes it: "more than 1,200", "three", "about 3,000". */
  statedValue: string
}

function roundTo (value: number, step: number, direction: 'down' | 'up' | 'nearest'): number {
  const rounded = direction === 'down' ? Math.floor(value / step) * step
    : direction === 'up' ? Math.ceil(value / step) * step
      : Math.round(value / step) * step
  return Math.max(rounded, step)
}

function step (value: number): number {
  if (value >= 10_000) return 1000
  if (value >= 1000) return 100
  if (value >= 100) return 10
  return 5
}

/** How a page states a count: small ones exactly, larger ones often hedged and rounded. */
export function stateFigure (random: Random, count: number): StatedFigure {
  // Nobody writes "nearly 12 doctors": counts under 20 are stated as they are, and smaller ones hedged less often.
  const hedgeable = count >= 20 && random.chance(count >= 100 ? 1 : 0.6)
  let roll = random.next() * totalWeight
  const hedge = hedgeable ? hedges.find((candidate) => (roll -= candidate.weight) < 0) ?? hedges[0]! : hedges[0]!
  if (hedge.round === null) {
    return { value: count, comparator: null, approximate: false, statedValue: count < 10 ? words[count]! : formatNumber(count) }
  }
  const value = roundTo(count, step(count), hedge.round)
  return { value, comparator: hedge.comparator, approximate: hedge.approximate, statedValue: `${random.pick(hedge.phrases)} ${formatNumber(value)}` }
}

export function capitalize (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "a, b and c". */
export function listOf (items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

export const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December']

export function isoDate (year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * A source document being written: sentences are added as the page prints them, and each fact quotes the sentence
 * it was given back, so every quote is verbatim in the text by construction.
 */
export class Page {
  private readonly lines: string[] = []
  private paragraphOpen = false

  /** Adds a line of its own (a heading, a breadcrumb, a list item) and returns it. */
  line (text: string): string {
    this.lines.push(text)
    this.paragraphOpen = false
    return text
  }

  /** Adds a sentence to the current paragraph (or starts one) and returns it. */
  say (sentence: string): string {
    const last = this.lines.length - 1
    if (this.paragraphOpen && last >= 0) this.lines[last] = `${this.lines[last]} ${sentence}`
    else this.lines.push(sentence)
    this.paragraphOpen = true
    return sentence
  }

  /** The next sentence starts a new paragraph. */
  paragraph (): void {
    this.paragraphOpen = false
  }

  /** Blocks separated by a blank line, as the real documents are. */
  get text (): string {
    return `${this.lines.join('\n\n')}\n`
  }
}
