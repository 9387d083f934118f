// Numbers as pages write them: digit groups ("30,000"), decimals ("84.85"), scaled decimals ("1.872 million") and number
// words ("three", "Twenty-one"), with what is not a count left out: years, dates, times, ordinals, phone and postcodes,
// house and room numbers. Spans are found here rather than by compromise's .numbers(), which on the test pages joined
// neighbours into one value ("1.2 thousand, 3 million," read as 1,203,000,000), took trailing punctuation into the span
// ("117.", "28,") and has no notion of a phone number or a house number; compromise still reads the value of number words.
import nlp from 'compromise'
import { findDates, findYearlessDate } from './dates.ts'

export interface NumberMention {
  /** Offsets of the number as written, scale word included ("1.872 million"), relative to the text searched. */
  start: number
  end: number
  /** Decimal string, no float on the way: "1.872 million" is "1872000". */
  value: string
  /** A bare four-digit number that reads as a year (1800–2100): a figure only where what follows says it counts something. */
  yearLike: boolean
}

const scales: Record<string, number> = { hundred: 2, thousand: 3, million: 6, mn: 6, billion: 9, bn: 9 }

// Digits not glued to letters, other digits, times (8:00), ranges and phone numbers (023-6035), dates (3/8), decimals
// or compounds ("24-hour"), except a bed count ("a 1,300-bed hospital").
const digitPattern = /(?<![\p{L}\d.,:/#\-–])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(hundred|thousand|million|billion|mn|bn)\b)?(?![\p{L}\d:/]|[-–](?!bed)|\.\d|,\d{3})/giu
const wordUnits = 'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety'
const wordPattern = new RegExp(`(?<![\\p{L}\\-])(?:${wordUnits})(?:(?:[\\s-]+(?:and[\\s-]+)?)(?:${wordUnits}|hundred|thousand|million|billion))*(?![\\p{L}]|-(?!\\s))`, 'giu')

// A number after one of these labels names a thing ("No. 120", "Room 302", "Line 3", "Tel: 023…"), it counts nothing.
const identifierLabel = /(?:\b(?:no|nos|number|room|rm|building|bldg|floor|line|exit|gate|window|bus|route|tel|telephone|phone|fax|hotline|postcode|post code|zip|code|icp|ward|grade|level|class|phase|version|page|vol|volume|issue|item|article|step|platform|counter|zone|block|station|district|box|suite|extension|ext)\.?\s*[:：#]?\s*|#\s*|©\s*)$/i
// "120 Longshan Road": a number before a street name is a house number.
const streetAfter = /^\s+(?:[A-Z][\p{L}'-]*\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Alley|Way|Drive|Dr|Hutong|Lu|Jie|Dajie)\b/u
const clockAfter = /^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|hrs)(?![\p{L}])/iu

const wordValues = new Map<string, string>()

function readWords (words: string): string | null {
  const key = words.toLowerCase().replace(/\s+/g, ' ')
  if (!wordValues.has(key)) {
    const [value] = nlp(key).numbers().get() as number[]
    wordValues.set(key, Number.isInteger(value) ? String(value) : '')
  }
  return wordValues.get(key) || null
}

/** "1.872" scaled by 10^6 as decimal text ("1872000"), so no value passes through a float. */
export function scaleDecimal (digits: string, power: number): string {
  const [whole = '0', fraction = ''] = digits.split('.')
  const shifted = (whole + fraction.padEnd(power, '0').slice(0, power)) + (fraction.length > power ? '.' + fraction.slice(power) : '')
  const [integer = '0', rest] = shifted.split('.')
  const trimmedInteger = integer.replace(/^0+(?=\d)/, '')
  const trimmedRest = rest?.replace(/0+$/, '')
  return trimmedRest ? `${trimmedInteger}.${trimmedRest}` : trimmedInteger
}

export function findNumbers (text: string): NumberMention[] {
  const excluded: Array<[number, number]> = findDates(text)
    .filter((date) => date.precision !== 'year')
    .map((date) => [date.start, date.end])
  const yearless = findYearlessDate(text)
  if (yearless !== null) excluded.push([yearless.start, yearless.end])
  const overlapsDate = (start: number, end: number): boolean => excluded.some(([from, to]) => start < to && end > from)

  const mentions: NumberMention[] = []
  for (const match of text.matchAll(digitPattern)) {
    const start = match.index
    const end = start + match[0].length
    const [, integer = '', fraction = '', scale] = match
    const plain = integer.replace(/,/g, '') + fraction
    if (overlapsDate(start, end) || isIdentifier(text, start, end)) continue
    // Six or more bare digits are postcodes, phone and registration numbers; counts that large are written with commas.
    if (!integer.includes(',') && fraction === '' && scale === undefined && integer.length >= 6) continue
    const value = scale === undefined ? scaleDecimal(plain, 0) : scaleDecimal(plain, scales[scale.toLowerCase()]!)
    const yearLike = scale === undefined && fraction === '' && /^(1[89]\d\d|20\d\d|2100)$/.test(integer)
    mentions.push({ start, end, value, yearLike })
  }
  for (const match of text.matchAll(wordPattern)) {
    const start = match.index
    const end = start + match[0].replace(/[\s-]+$/, '').length
    if (overlapsDate(start, end) || isIdentifier(text, start, end)) continue
    const value = readWords(text.slice(start, end))
    if (value !== null) mentions.push({ start, end, value, yearLike: false })
  }
  return mentions.sort((a, b) => a.start - b.start)
}

function isIdentifier (text: string, start: number, end: number): boolean {
  return identifierLabel.test(text.slice(Math.max(0, start - 20), start)) ||
    streetAfter.test(text.slice(end, end + 60)) ||
    clockAfter.test(text.slice(end, end + 8)) ||
    (text[start - 1] === '(' && text[end] === ')')
}
