// Calendar dates as pages write them ("December 28, 2016", "28 December 2016", "December 2020", "2019"), read to an ISO
// date at the precision stated. Periods, honors and events share these so one sentence gives one reading of a date.

export interface StatedDate {
  /** ISO date; a month is its first day, a year its 1 January. */
  iso: string
  precision: 'day' | 'month' | 'year'
  year: number
  month: number | null
  day: number | null
  start: number
  end: number
}

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const monthPattern = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?)'
export const yearPattern = '(1[89]\\d\\d|20\\d\\d)'

// Longest forms first, so "December 28, 2016" is not read as "December" and "2016" apart.
const datePatterns: Array<{ pattern: RegExp, read: (match: RegExpExecArray) => [number, number | null, number | null] }> = [
  { pattern: new RegExp(`\\b${monthPattern} (\\d{1,2})(?:st|nd|rd|th)?,? ${yearPattern}\\b`, 'gi'), read: (m) => [Number(m[3]), monthNumber(m[1]!), Number(m[2])] },
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${monthPattern},? ${yearPattern}\\b`, 'gi'), read: (m) => [Number(m[3]), monthNumber(m[2]!), Number(m[1])] },
  { pattern: /\b(1[89]\d\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  { pattern: new RegExp(`\\b${monthPattern},? ${yearPattern}\\b`, 'gi'), read: (m) => [Number(m[2]), monthNumber(m[1]!), null] },
  { pattern: new RegExp(`(?<![\\d,.\\-–/])\\b${yearPattern}\\b(?![\\d,]\\d|-\\d|–\\d|\\.\\d)`, 'g'), read: (m) => [Number(m[1]), null, null] },
]

function monthNumber (name: string): number {
  const prefix = name.toLowerCase().slice(0, 3)
  return months.findIndex((month) => month.startsWith(prefix)) + 1
}

const pad = (value: number): string => String(value).padStart(2, '0')

export function isoDate (year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`
}

/** Every date stated in `text` (offsets relative to it), earliest first, none overlapping. */
export function findDates (text: string): StatedDate[] {
  const found: StatedDate[] = []
  for (const { pattern, read } of datePatterns) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index
      const end = start + match[0].length
      if (found.some((date) => start < date.end && end > date.start)) continue
      const [year, month, day] = read(match as RegExpExecArray)
      if (month !== null && (month < 1 || (day !== null && (day < 1 || day > daysInMonth(year, month))))) continue
      const precision = day !== null ? 'day' : month !== null ? 'month' : 'year'
      found.push({ iso: isoDate(year, month ?? 1, day ?? 1), precision, year, month, day, start, end })
    }
  }
  return found.sort((a, b) => a.start - b.start)
}

/** A month and day without a year ("On January 17"), for pages whose own date supplies the year. */
export function findYearlessDate (text: string): { month: number, day: number, start: number, end: number } | null {
  const match = new RegExp(`\\b${monthPattern} (\\d{1,2})(?:st|nd|rd|th)?\\b(?!,? ?\\d)`, 'i').exec(text)
  if (match === null) return null
  const month = monthNumber(match[1]!)
  const day = Number(match[2])
  if (day < 1 || day > 31) return null
  return { month, day, start: match.index, end: match.index + match[0].length }
}

export function daysInMonth (year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The last day of the stated year or month: "by the end of 2019" is 2019-12-31. */
export function endOf (date: StatedDate): string {
  if (date.precision === 'day') return date.iso
  if (date.precision === 'month') return isoDate(date.year, date.month!, daysInMonth(date.year, date.month!))
  return isoDate(date.year, 12, 31)
}

/** `iso` moved back by whole years, clamping 29 February: the start of "the past three years" stated on a date. */
export function yearsBefore (iso: string, years: number): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number]
  return isoDate(year - years, month, Math.min(day, daysInMonth(year - years, month)))
}
