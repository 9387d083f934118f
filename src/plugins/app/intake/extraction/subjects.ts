// Who a candidate is about. Units and the hospital are found by their names and aliases; "It", "the department" and
// "the center" are read as the nearest fitting earlier mention; a sentence naming none is about the one its paragraph
// was about, or, on a page about one unit, about that unit; failing all, about the hospital.
import type { CandidateSubject, ExtractionInput } from './candidate.ts'
import { clauseAround, type Sentence } from './sentences.ts'

export interface Mention {
  start: number
  end: number
  sentence: number
  /** Unit slug, or null for the hospital. */
  unit: string | null
  name: string
  how: 'name' | 'anaphor' | 'keyword'
  /** Named as a place ("trained … at CQHCWC", "born in the hospital"), not as who acts. */
  locative: boolean
}

export interface SubjectChoice {
  subject: CandidateSubject
  /** 0–1: how directly the text says it. */
  strength: number
}

interface Named { unit: string | null, pattern: RegExp }

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')

// "Department of Neonatology" is also written "Neonatology Department", and the other way round.
function variants (name: string): string[] {
  const of = /^department of (.+)$/i.exec(name)
  const trailing = /^(.+) department$/i.exec(name)
  return [name, ...(of ? [`${of[1]} Department`] : []), ...(trailing ? [`Department of ${trailing[1]}`] : [])]
}

function namePatterns (input: ExtractionInput): Named[] {
  const named: Array<{ unit: string | null, name: string }> = [
    ...input.units.flatMap((unit) => [unit.name, ...unit.aliases].flatMap(variants).map((name) => ({ unit: unit.slug, name }))),
    ...[input.hospital.name, input.hospital.shortName, ...input.hospital.aliases]
      .filter((name): name is string => name !== null && name.trim() !== '')
      .map((name) => ({ unit: null, name })),
  ]
  // Longest first: "Perinatal Medical Center" before a shorter alias inside it.
  return named
    .sort((a, b) => b.name.length - a.name.length || a.name.localeCompare(b.name))
    .map(({ unit, name }) => ({ unit, pattern: new RegExp(`(?<![\\p{L}\\d])${escape(name)}(?![\\p{L}\\d])`, 'giu') }))
}

// Words any unit name may hold; the others are what tells a unit apart ("twins", "perinatal", "gynecology").
const genericWords = new Set(['the', 'of', 'for', 'and', 'department', 'dept', 'center', 'centre', 'division', 'unit', 'clinic',
  'ward', 'specialized', 'specialised', 'medical', 'health', 'care', 'hospital', 'women', 'children', 'general', 'second',
  'first', 'third', 'section', 'institute', 'service', 'services', 'team', 'office', 'room', 'management', 'outpatient'])
const stem = (word: string): string => word.toLowerCase().replace(/(?:ies|es|s)$/, '')

function keywords (name: string): string[] {
  return name.split(/[^\p{L}-]+/u).filter((word) => word !== '' && !genericWords.has(word.toLowerCase())).map(stem)
}

const anaphor = /\b(?:the|this|our) (department|center|centre|division|unit|clinic|ward|hospital|institution)\b|\b(?:it|its)\b(?!['’]s)/gi

/** Every mention of a unit or the hospital, anaphors resolved in reading order. */
export function findMentions (sentences: Sentence[], input: ExtractionInput, pageSubject: Mention | null): Mention[] {
  const patterns = namePatterns(input)
  const unitNames = new Map(input.units.map((unit) => [unit.slug, unit.name]))
  const unitKeywords = input.units.map((unit) => ({ unit: unit.slug, words: keywords(unit.name) })).filter(({ words }) => words.length > 0)
  const mentions: Mention[] = []
  for (const sentence of sentences) {
    // The breadcrumb names where the page sits, not what its sentences are about; the title line does name that.
    if (sentence.blockKind === 'header' && sentence.text.trim() !== input.title?.trim()) continue
    const found: Mention[] = []
    for (const { unit, pattern } of patterns) {
      for (const match of sentence.text.matchAll(pattern)) {
        const start = sentence.start + match.index
        const end = start + match[0].length
        if (found.some((other) => start < other.end && end > other.start)) continue
        const locative = /\b(?:at|in)\s+(?:the\s+)?$/i.test(sentence.text.slice(0, match.index))
        found.push({ start, end, sentence: sentence.index, unit, name: match[0], how: 'name', locative })
      }
    }
    const named = mergeShortNames(found.sort((a, b) => a.start - b.start), sentence).filter((mention, _index, all) => !ownedByUnit(mention, all, sentence))
    for (const match of sentence.text.matchAll(anaphor)) {
      const start = sentence.start + match.index
      const end = start + match[0].length
      if (named.some((other) => start < other.end && end > other.start)) continue
      // "Its Neonatal Department", "the hospital's Internet Hospital": the owner of a named unit is not a subject.
      if (named.some((other) => other.unit !== null && /^(?:['’]s)?\s+$/.test(sentence.text.slice(end - sentence.start, other.start - sentence.start)))) continue
      const head = match[1]?.toLowerCase()
      const earlier = [...mentions, ...named.filter((mention) => mention.end <= start)]
      const resolved = head === 'hospital' || head === 'institution'
        ? { unit: null }
        : resolveAnaphor(head ?? null, earlier, unitNames, pageSubject)
      if (resolved === null) continue
      const locative = /\b(?:at|in)\s+$/i.test(sentence.text.slice(0, match.index))
      // "the hospital" names the hospital as plainly as its name does.
      const how = head === 'hospital' || head === 'institution' ? 'name' : 'anaphor'
      named.push({ start, end, sentence: sentence.index, unit: resolved.unit, name: match[0], how, locative })
    }
    if (!named.some((mention) => mention.unit !== null)) {
      const words = new Set(sentence.text.split(/[^\p{L}-]+/u).map(stem))
      const keyed = unitKeywords.find(({ words: needed }) => needed.every((word) => words.has(word)))
      if (keyed !== undefined) {
        named.push({ start: sentence.start, end: sentence.start, sentence: sentence.index, unit: keyed.unit, name: keyed.words.join(' '), how: 'keyword', locative: false })
      }
    }
    mentions.push(...named.sort((a, b) => a.start - b.start))
  }
  return mentions
}

// "Chongqing Health Center for Women and Children (CQHCWC)" is one mention, not two.
function mergeShortNames (found: Mention[], sentence: Sentence): Mention[] {
  const merged: Mention[] = []
  for (const mention of found) {
    const previous = merged[merged.length - 1]
    if (previous !== undefined && previous.unit === mention.unit &&
      /^\s*\(\s*$/.test(sentence.text.slice(previous.end - sentence.start, mention.start - sentence.start)) &&
      sentence.text[mention.end - sentence.start] === ')') {
      merged[merged.length - 1] = { ...previous, end: mention.end + 1 }
    } else {
      merged.push(mention)
    }
  }
  return merged
}

// "The General Gynecology Department of CQHCWC", "CQHCWC's specialized department for twins": the hospital named as the
// unit's owner is not a second subject.
function ownedByUnit (mention: Mention, found: Mention[], sentence: Sentence): boolean {
  if (mention.unit !== null) return false
  const local = (offset: number): number => offset - sentence.start
  return found.some((unit) => unit.unit !== null && (
    /^\s+(?:of|at)\s+(?:the\s+)?$/i.test(sentence.text.slice(local(unit.end), local(mention.start))) ||
    /^(?:\s*\([^)]*\))?['’]s\s+(?:the\s+)?$/i.test(sentence.text.slice(local(mention.end), local(unit.start)))))
}

function resolveAnaphor (head: string | null, earlier: Mention[], unitNames: Map<string, string>, pageSubject: Mention | null): { unit: string | null } | null {
  if (head === null) {
    // "It": the subject of the last sentence that had one — its first mention.
    const last = earlier[earlier.length - 1]
    if (last === undefined) return pageSubject
    return earlier.find((mention) => mention.sentence === last.sentence) ?? null
  }
  const fits = (mention: Mention): boolean => mention.unit !== null &&
    new RegExp(`\\b${head === 'centre' ? 'cent(?:er|re)' : head === 'center' ? 'cent(?:er|re)' : head}\\b`, 'i').test(unitNames.get(mention.unit) ?? '')
  const match = [...earlier].reverse().find(fits) ?? [...earlier].reverse().find((mention) => mention.unit !== null)
  return match ?? pageSubject
}

/** The unit or hospital the page is about: named in its title, else in its breadcrumb (last crumb first). */
export function findPageSubject (input: ExtractionInput): { mention: Mention, from: 'title' | 'breadcrumb' } | null {
  const patterns = namePatterns(input)
  const inTitle = (text: string): Mention | null => {
    const found: Mention[] = []
    for (const { unit, pattern } of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (found.some((other) => match.index < other.end && match.index + match[0].length > other.start)) continue
        found.push({ start: match.index, end: match.index + match[0].length, sentence: -1, unit, name: match[0], how: 'name', locative: false })
      }
    }
    return found.find((mention) => mention.unit !== null) ?? found[0] ?? null
  }
  const title = input.title === null ? null : inTitle(input.title)
  if (title !== null) return { mention: title, from: 'title' }
  for (const crumb of (input.breadcrumb ?? '').split(/\s*[>›»/|]\s*/).reverse()) {
    const mention = inTitle(crumb)
    if (mention !== null && mention.unit !== null) return { mention, from: 'breadcrumb' }
  }
  return null
}

/**
 * The subject of something stated at `position` in `sentence`: a unit named right after it in its clause ("60 beds in
 * the NICU"), else the nearest mention before it in the sentence, else any mention of the sentence, else the subject of
 * the paragraph's earlier sentences, else the page's unit, else the last mention before, else the hospital.
 */
export function chooseSubject (
  sentence: Sentence,
  position: number,
  clauseEnd: number,
  mentions: Mention[],
  page: { mention: Mention, from: 'title' | 'breadcrumb' } | null,
  sentences: Sentence[],
): SubjectChoice {
  const own = mentions.filter((mention) => mention.sentence === sentence.index)
  const after = own.find((mention) => mention.unit !== null && mention.how === 'name' && mention.start >= position && mention.start < clauseEnd &&
    /^[^,;]{0,40}\b(?:in|at|of|for)\s+(?:the\s+|its\s+)?$/i.test(sentence.text.slice(position - sentence.start, mention.start - sentence.start)))
  if (after !== undefined) return from(after, 'sentence', 1)
  // In its own clause the nearest mention before it; outside, the sentence's subject (its first mention), not a unit the
  // sentence lists as a part ("it has three wards … and a maternal intensive care unit (MICU), with 152 open beds").
  const clauseStart = sentence.start + clauseAround(sentence.text, position - sentence.start).start
  const candidates = own.filter((mention) => mention.how !== 'keyword' && !mention.locative && mention.end <= position)
  const before = candidates.filter((mention) => mention.start >= clauseStart).pop() ?? candidates[0]
  if (before !== undefined) return from(before, before.how === 'anaphor' ? 'preceding_mention' : 'sentence', before.how === 'anaphor' ? 0.8 : 1)
  const anywhere = own.find((mention) => mention.how === 'keyword') ?? own.find((mention) => mention.start >= position)
  if (anywhere !== undefined) return from(anywhere, 'sentence', anywhere.how === 'keyword' ? 0.7 : 0.8)
  const earlier = mentions.filter((mention) => mention.sentence < sentence.index)
  const last = earlier[earlier.length - 1]
  const lastSentence = last === undefined ? undefined : sentences[last.sentence]
  const sameBlock = lastSentence !== undefined && lastSentence.block === sentence.block
  if (sameBlock && sentence.blockKind !== 'bullet') {
    return from(earlier.find((mention) => mention.sentence === last!.sentence)!, 'preceding_mention', 0.6)
  }
  if (page !== null) return from(page.mention, page.from, page.from === 'title' ? 0.6 : 0.5)
  if (last !== undefined) return from(earlier.find((mention) => mention.sentence === last.sentence)!, 'preceding_mention', 0.5)
  return { subject: { unit: null, matchedBy: 'hospital', name: null }, strength: 0.4 }
}

function from (mention: Mention, matchedBy: CandidateSubject['matchedBy'], strength: number): SubjectChoice {
  return { subject: { unit: mention.unit, matchedBy, name: mention.name }, strength }
}
