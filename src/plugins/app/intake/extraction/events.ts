// Dated events: foundings ("set up in 1944", "Established in 2007, …", "opened on December 28, 2016"), partnerships
// ("In 2018, X joined hands with Y to establish Z"), designations and awards with a date, and milestones ("In 2020, the
// center completed the FETO", "became the first in Chongqing to …"). A sentence gives at most one event, dated to the
// precision it states; a year alone is 1 January of that year.
import type { EventCandidate } from './candidate.ts'
import { findDates, findYearlessDate, isoDate, type StatedDate } from './dates.ts'
import { capitalize } from './levels.ts'
import { clauseAround, type Sentence } from './sentences.ts'
import { chooseSubject, type Mention } from './subjects.ts'

export interface EventContext {
  sentences: Sentence[]
  mentions: Mention[]
  page: { mention: Mention, from: 'title' | 'breadcrumb' } | null
  statedOn: string | null
  hospitalName: string
  unitNames: Map<string, string>
}

interface Trigger {
  kind: EventCandidate['eventKind']
  rule: string
  pattern: RegExp
  /** How the title reads: the verb after the thing, or the verb phrase as written. */
  title: 'entity' | 'phrase'
}

const partnership = /\b(?:joined hands with|cooperated with|in cooperation with|partnered with|together with|jointly with|in partnership with|teamed up with|signed an? (?:agreement|contract) with)\s+(?:the\s+)?([A-Z][^,;]*?)(?=\s+(?:to|in order to|and|for)\b|[,;.]|$)/
const triggers: Trigger[] = [
  { kind: 'founding', rule: 'event.founded', title: 'entity', pattern: /\b(founded|established|establish|set up|built|build|opened|inaugurated|launched|put into (?:use|operation|service)|started operation)\b/i },
  { kind: 'designation', rule: 'event.designated', title: 'phrase', pattern: /\b(?:was|were|has been|have been)\s+(?:\w+\s+)?(approved|designated|named|listed|selected|accredited|certified|identified|appointed|rated|recognized|recognised)\b/i },
  { kind: 'recognition', rule: 'event.awarded', title: 'phrase', pattern: /\b(awarded|granted|honou?red|won)\b/i },
  { kind: 'equipment', rule: 'event.equipment', title: 'phrase', pattern: /\b(introduced|acquired|purchased|installed|equipped with)\b/i },
  { kind: 'milestone', rule: 'event.milestone', title: 'phrase', pattern: /\b(completed|performed|carried out|conducted|achieved|became|realized|pioneered)\b/i },
]

const pastOf: Record<string, string> = { establish: 'established', build: 'built' }

// What was founded when it is no known unit: the name just before a passive or intransitive verb ("The Yubei Campus
// opened"), else the one the verb takes ("to establish the Hunan Neonatal Simulation Training Center").
const properName = "[A-Z][\\p{L}'’-]*(?:\\s+(?:(?:of|for|and|the)\\s+)*[A-Z][\\p{L}'’-]*)*"
const nameBefore = new RegExp(`(${properName})(?:,\\s*|\\s+(?:(?:was|were|has been|had been|is)\\s+)?(?:(?:officially|formally|jointly|first)\\s+)?)$`, 'u')
const nameAfter = new RegExp(`^\\s+(?:the\\s+|a\\s+|an\\s+)?(${properName})`, 'u')

/**
 * The unit an event is about: the subject after an opening participle ("Founded in 1958, it …"), the unit before a
 * passive verb ("The Department of Neonatology … was established"), or the one an active verb takes ("CQHCWC set up the
 * specialized department for twins"); the unit before an active verb founded something else.
 */
function foundedUnit (sentence: Sentence, verbIndex: number, mentions: Mention[]): Mention | undefined {
  const own = mentions.filter((mention) => mention.sentence === sentence.index && mention.unit !== null && mention.how !== 'keyword')
  const local = (mention: Mention): number => mention.start - sentence.start
  if (verbIndex < 3) {
    const comma = sentence.text.search(/,\s/)
    return own.find((mention) => comma > 0 && local(mention) > comma)
  }
  // "The Department of Neonatology … was established", "the hospital's Internet Hospital, launched in March 2020, …".
  const passive = /\b(?:was|were|has been|had been|is)\s+(?:\w+\s+)?$/.test(sentence.text.slice(0, verbIndex))
  const appositive = own.find((mention) => /^,\s*$/.test(sentence.text.slice(mention.end - sentence.start, verbIndex)))
  if (appositive !== undefined) return appositive
  if (passive) return own.filter((mention) => local(mention) < verbIndex).pop()
  return own.find((mention) => local(mention) > verbIndex && mention.how === 'name')
}

function namedNear (text: string, verbAt: number, verbLength: number): string | null {
  const before = nameBefore.exec(text.slice(0, verbAt))?.[1]
  if (before !== undefined && !/^(?:In|On|Since|By|At|The)$/.test(before)) return before.replace(/^The\s+/, '')
  return nameAfter.exec(text.slice(verbAt + verbLength))?.[1] ?? null
}

export function findEvent (sentence: Sentence, context: EventContext): EventCandidate | null {
  const text = sentence.text
  const dates = findDates(text)
  let date: { iso: string, precision: StatedDate['precision'], year: number, start: number } | null = dates[0] ?? null
  if (date === null && context.statedOn !== null) {
    // "On January 17, …" on a page dated 2020-01-21 is 17 January 2020.
    const yearless = findYearlessDate(text)
    const year = Number(context.statedOn.slice(0, 4))
    if (yearless !== null) {
      const iso = isoDate(year, yearless.month, yearless.day)
      if (iso <= context.statedOn) date = { iso, precision: 'day', year, start: yearless.start }
    }
  }
  if (date === null) return null
  const partner = partnership.exec(text)
  for (const trigger of triggers) {
    const match = trigger.pattern.exec(text)
    if (match === null) continue
    // "to establish" after a partnership is the partnership; "to establish" alone is a plan, not an event.
    if (/\bto\s+$/.test(text.slice(0, match.index)) && partner === null) continue
    // "delivered 16,800 babies", "won 23 projects": a verb with a count states a figure, not an event.
    if ((trigger.kind === 'milestone' || trigger.kind === 'recognition') && /^\s+(?:\S+\s+){0,2}?(?:\d|(?:more than|over|about|nearly|some)\s)/i.test(text.slice(match.index + match[0].length, match.index + match[0].length + 30))) continue
    // The date must belong to the event's clause or open the sentence ("In 2018, …").
    const clause = clauseAround(text, match.index)
    const fronted = date.start < (text.search(/,\s/) + 1 || Infinity) && date.start < 15
    const eventDate = dates.find((found) => found.start >= clause.start && found.start < clause.end) ?? (fronted || dates.length === 0 ? date : null)
    if (eventDate === null) continue
    const kind = partner !== null && trigger.kind === 'founding' ? 'partnership' : trigger.kind
    const verbAt = sentence.start + match.index
    const entity = foundedUnit(sentence, match.index, context.mentions)
    const { subject, strength } = entity !== undefined
      ? { subject: { unit: entity.unit, matchedBy: 'sentence' as const, name: entity.name }, strength: 1 }
      : chooseSubject(sentence, verbAt, sentence.start + clause.end, context.mentions, context.page, context.sentences)
    const verb = match[1]!.toLowerCase()
    const phrase = text.slice(match.index, clause.end).replace(/\s+(?:in|on)\s+(?:\w+\s+)?(?:\d{1,2},?\s+)?(?:1[89]|20)\d\d\b.*$/, '').replace(/[.;]$/, '').replace(/^(?:was|were|has been|have been)\s+(?:(?:also|recently|successfully|officially|formally)\s+)*/i, '')
    const founded = (entity === undefined ? null : entity.how === 'name' ? entity.name : context.unitNames.get(entity.unit!) ?? null) ??
      namedNear(text, match.index, match[0].length) ?? (subject.unit === null ? context.hospitalName : subject.name)
    const title = trigger.title === 'entity' && founded !== null
      ? `${capitalize(founded)} ${pastOf[verb] ?? verb}${kind === 'partnership' && partner !== null ? ` with ${partner[1]!.trim()}` : ''}`
      : capitalize(phrase)
    return {
      kind: 'event',
      rule: kind === 'partnership' ? 'event.partnership' : trigger.rule,
      confidence: Math.round((0.55 + 0.1 * strength + (eventDate.precision === 'year' ? 0 : 0.05)) * 100) / 100,
      quote: text,
      start: sentence.start,
      end: sentence.end,
      subject,
      title,
      eventKind: kind,
      occurredOn: eventDate.iso,
      datePrecision: eventDate.precision,
      year: eventDate.year,
    }
  }
  return null
}
