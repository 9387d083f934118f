// Honors and rankings: "ranked 13th among 117 …", "approved by X as …", "designated as …", "awarded the title of …",
// "won first place in …", "is the national … demonstration base", "the only … in China", and the items of an "Honors"
// list. Each carries its level, issuer and year when the sentence states them.
import type { HonorCandidate } from './candidate.ts'
import { findDates } from './dates.ts'
import { capitalize, issuerIn, levelOf } from './levels.ts'
import { clauseAround, type Sentence } from './sentences.ts'
import { chooseSubject, type Mention } from './subjects.ts'

export interface HonorContext {
  sentences: Sentence[]
  mentions: Mention[]
  page: { mention: Mention, from: 'title' | 'breadcrumb' } | null
  /** The heading the sentence's list stands under ("Honors"), if any. */
  heading: string | null
}

const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 }
const counts = /^(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred)$/i
const wordCounts: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20, thirty: 30, forty: 40, fifty: 50 }

const rankPattern = /\brank(?:ed|s|ing)?\s+(?:No\.\s?)?(?:(\d+)(?:st|nd|rd|th)|(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))\b(?:\s+(?:among|out of|of)\s+(?:the\s+)?(\S+))?/gi
// The verb needs its auxiliary or what it grants ("as", "by", "the title of"): "approved beds" are no honor.
const grantPattern = /\b(?:(?:was|were|has been|have been|had been|is|are|been|be|being)\s+(?:(?:recently|also|successfully|officially|formally|once|newly)\s+)*|(?=\w+\s+(?:as|by|the (?:honou?rary )?title|with the title)\b))(approved|recognized|recognised|designated|rated|named|selected|listed|accredited|certified|awarded|granted|honou?red|identified|appointed|chosen|evaluated)\s+(?:by\s+(?:the\s+)?[A-Z][^,;]*?\s+(?=as\b|the (?:honou?rary )?title|with the title))?(?:as\s+(?:an?\s+|the\s+|one of the\s+)?|the (?:honou?rary )?title of\s+|with the title of\s+|an?\s+|the\s+|for\s+)?/g
const wonPattern = /\bwon\s+(?:the\s+)?((?:first|second|third|gold|silver|bronze|special|excellence|grand)\s+(?:place|prize|award|medal)s?|(?:an?|the)\s+[\w\s-]{0,40}?(?:award|prize|medal))/gi
const statusPattern = /\b(?:is|are|was|remains)\s+(?:(?:also|currently|now|still)\s+)*((?:a|an|the|one of the)\s+(?:[\w'’-]+\s+){0,12}?(?:key (?:department|specialty|speciality|discipline|laboratory)|demonstration (?:base|center|centre|unit|hospital)|training base|pilot (?:unit|hospital)|collaborative unit|collaborating unit|member unit|council members?|base)\b[^;.]*)/gi
const onlyPattern = /\b(?:is|was)\s+(?:(?:also|currently|now|still)\s+)*((?:[A-Z][\p{L}]*['’]s\s+(?:first and only|only|first)\s+[^,;.]+)|(?:the\s+)?(?:first and only|only|first)\s+[^,;.]*?\b(?:in|of)\s+(?:China|the country|the city|the province|the municipality|[A-Z][\p{L}]+)\b[^,;.]*|one of the\s+[^,;.]*?\b(?:most|largest|best|leading|top|strongest|earliest)\b[^,;.]*)/gu

const kindOfTitle = (verb: string, title: string): HonorCandidate['honorKind'] =>
  /\bmembers?\b/i.test(title) ? 'membership'
    : /\b(?:pilot|base|demonstration|key|center|centre)\b/i.test(title) ? 'designation'
    : /^(?:accredited|certified)$/i.test(verb) || /\bstandardi[sz]ed\b|\bstandard\b/i.test(title) ? 'accreditation'
      : /^(?:awarded|granted|honou?red|won)$/i.test(verb) ? 'recognition'
        : 'designation'

/** Titles written as a list ("as a standardized outpatient department … and a pilot unit for …") are honors apiece. */
function splitTitles (title: string): string[] {
  return title.split(/,?\s+and\s+(?=(?:a|an|the)\s)|,\s+(?=the\s)/).map((part) => part.replace(/^(?:a|an|the)\s+/i, '').trim()).filter(Boolean)
}

// A title ends where the sentence goes on to say who gave it, when, or something else.
function trimTitle (text: string): string {
  return text
    .replace(/\s+(?:by|from)\s+(?:the\s+)?[A-Z][\s\S]*$/, '')
    .replace(/\s+(?:in|on)\s+(?:\w+\s+)?(?:1[89]|20)\d\d\b[\s\S]*$/, '')
    .replace(/\s*[,;(][\s\S]*$/, '')
    .replace(/\s+(?:which|that|and has|and is|and was|to)\s[\s\S]*$/, '')
    .replace(/^["“”']+|["“”'.]+$/g, '')
    .trim()
}

// "The National Health Commission released the results of the 2019 … assessment. CQHCWC ranked 13th …": who ranked
// is often named in the sentence before.
function releasedBy (text: string): string | null {
  return /(?:the\s+)?((?:[A-Z][\p{L}'’-]*\s+)+(?:(?:of|and|for)\s+(?:[A-Z][\p{L}'’-]*\s*)+)*)(?:released|published|announced|issued)\b/u.exec(text)?.[1]?.trim() ?? null
}

// "The center's sperm bank, opened in 2016, is the only …": the year of a founding is not the honor's.
function yearIn (text: string): number | null {
  return findDates(text).find((date) => !/\b(?:opened|established|founded|set up|built|launched)\s+(?:in|on)\s+$/i.test(text.slice(0, date.start)))?.year ?? null
}

export function findHonors (sentence: Sentence, context: HonorContext): HonorCandidate[] {
  const honors: HonorCandidate[] = []
  const text = sentence.text
  const previous = context.sentences[sentence.index - 1]
  const previousInBlock = previous !== undefined && previous.block === sentence.block ? previous.text : ''
  const add = (rule: string, at: number, title: string, honorKind: HonorCandidate['honorKind'], extra: Partial<HonorCandidate>, confidence: number): void => {
    const clause = clauseAround(text, at)
    const { subject, strength } = chooseSubject(sentence, sentence.start + at, sentence.start + clause.end, context.mentions, context.page, context.sentences)
    const said = text.slice(at, Math.max(clause.end, at + title.length))
    const issuer = extra.issuer !== undefined ? extra.issuer : issuerIn(said)
    honors.push({
      kind: 'honor',
      rule,
      confidence: Math.round((confidence + 0.1 * strength) * 100) / 100,
      quote: text,
      start: sentence.start,
      end: sentence.end,
      subject,
      title,
      honorKind,
      level: extra.level !== undefined ? extra.level : levelOf(title, issuer, said),
      issuer,
      year: extra.year !== undefined ? extra.year : yearIn(text),
      rank: extra.rank ?? null,
    })
  }

  for (const match of text.matchAll(rankPattern)) {
    const position = match[1] !== undefined ? Number(match[1]) : ordinals[match[2]!.toLowerCase()]!
    const total = match[3] !== undefined && counts.test(match[3]) ? Number(match[3].replace(/,/g, '')) || wordCounts[match[3].toLowerCase()] || null : null
    const clause = clauseAround(text, match.index)
    const title = capitalize(trimTitle(text.slice(match.index, clause.end)).replace(/^ranks?\b|^ranking\b/i, 'ranked'))
    // Which year a ranking is for is often in the sentence before, with who ranked.
    add('honor.ranked', match.index, title, 'distinction', {
      rank: { position, of: total },
      issuer: issuerIn(text) ?? releasedBy(previousInBlock),
      year: yearIn(text) ?? yearIn(previousInBlock),
    }, 0.75)
  }

  for (const match of text.matchAll(grantPattern)) {
    const verb = match[1]!
    const clause = clauseAround(text, match.index)
    const rest = text.slice(match.index + match[0].length, Math.max(clause.end, match.index + match[0].length))
    const full = text.slice(match.index + match[0].length)
    const titled = /^["“]([^"”]+)["”]/.exec(full)?.[1] ?? trimTitle(verb.toLowerCase() === 'rated' ? rest : full.split(/[;]|,\s(?!the\s)/)[0]!)
    if (titled === '' || /^(?:by|in|on|to)\b/i.test(titled)) continue
    const rated = verb.toLowerCase() === 'rated'
    const issuer = issuerIn(text.slice(match.index, match.index + match[0].length + full.length)) ?? (rated ? releasedBy(previousInBlock) : null)
    // A rating belongs to the assessment the sentence before announced, and so does its year.
    const year = yearIn(text) ?? (rated ? yearIn(previousInBlock) : null)
    for (const part of rated ? [titled] : splitTitles(titled)) {
      const title = rated ? `Rated ${part}` : capitalize(part)
      add(`honor.${verb.toLowerCase().replace(/ou?r/, 'or').replace('recognised', 'recognized')}`, match.index, title, kindOfTitle(verb, part), { issuer, year }, 0.7)
    }
  }

  for (const match of text.matchAll(wonPattern)) {
    const clause = clauseAround(text, match.index)
    const title = capitalize(trimTitle(text.slice(match.index + match[0].indexOf(match[1]!), clause.end).replace(/[.]$/, '')))
    add('honor.won', match.index, title, 'recognition', {}, 0.7)
  }

  for (const match of text.matchAll(statusPattern)) {
    for (const part of splitTitles(trimTitle(match[1]!))) {
      add('honor.status', match.index, capitalize(part.replace(/^one of the\s+/i, '')), /\bmembers?\b/i.test(part) ? 'membership' : 'designation', {}, 0.6)
    }
  }

  for (const match of text.matchAll(onlyPattern)) {
    if (honors.some((honor) => honor.rule === 'honor.status')) break
    // Its relative clause is what makes it the only one ("… that can carry out this operation"); a second verb is not.
    add('honor.only', match.index, capitalize(match[1]!.replace(/\s+and\s+(?:has|have|had|is|was)\b[\s\S]*$/, '').trim()), 'distinction', {}, 0.55)
  }

  // An item of a list headed "Honors" ("National Baby-Friendly Hospital (1993)") is an honor by its place.
  if (honors.length === 0 && sentence.blockKind === 'bullet' && context.heading !== null && /\b(?:honou?rs?|awards?|accreditations?|qualifications?|titles?)\b/i.test(context.heading)) {
    const year = /\((1[89]\d\d|20\d\d)\)/.exec(text)
    add('honor.listed', 0, text.replace(/\s*\((?:1[89]|20)\d\d\)/, '').replace(/[.;]$/, '').trim(), 'recognition', { year: year === null ? null : Number(year[1]) }, 0.6)
  }
  return honors
}
