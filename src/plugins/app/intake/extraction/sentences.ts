// The text cut into blocks (one a line: a paragraph, a bullet, a heading) and sentences, each with its offsets in the
// whole text. Sentences come from compromise: on this project's nine test pages it cut the same sentences as
// Intl.Segmenter except numbered steps ("1. Complete …", which Intl cut after "1."), and on thirteen abbreviation probes
// ("Dr. Zhang", "Prof. Li", "St. Mary's", "i.e.", "Mr. Wang, M.D.") it cut 10 right against Intl's 6. Its tokens also
// carry part-of-speech tags, which the figure rules use to tell where a measured noun phrase ends.
import nlp from 'compromise'

export interface Term {
  text: string
  start: number
  end: number
  tags: Set<string>
}

export type BlockKind = 'header' | 'heading' | 'bullet' | 'paragraph'

export interface Sentence {
  index: number
  start: number
  end: number
  text: string
  block: number
  blockKind: BlockKind
  /** Position among the sentences of its block: a fronted period ("In 2019, …") carries to the later ones. */
  indexInBlock: number
  terms: Term[]
}

export interface DocumentHeader {
  title: string | null
  breadcrumb: string | null
}

// "•", "-", "*", "·" bullets and numbered steps ("1.", "2)") open a list item; the marker is not part of a sentence.
const bulletMarker = /^(?:[•·▪●◦‣*-]|\d{1,2}[.)、])\s+/
const dateLine = /^(?:updated|update time|published|release date|date|posted|source)\s*[:：]/i

interface CompromiseTerm { text: string, pre: string, post: string, tags: Set<string>, offset: { start: number, length: number } }

export function splitSentences (text: string, header: DocumentHeader): Sentence[] {
  const sentences: Sentence[] = []
  let block = 0
  let lineStart = 0
  for (const line of text.split('\n')) {
    const lineOffset = lineStart
    lineStart += line.length + 1
    if (line.trim() === '') continue
    const kind = blockKind(line, header)
    const marker = kind === 'bullet' ? bulletMarker.exec(line.trimStart()) : null
    const leading = line.length - line.trimStart().length + (marker?.[0].length ?? 0)
    const body = line.slice(leading)
    const doc = nlp(body)
    doc.compute('offset')
    const base = lineOffset + leading
    let indexInBlock = 0
    for (const sentenceTerms of joinNumberAbbreviations(doc.docs as unknown as CompromiseTerm[][])) {
      const first = sentenceTerms[0]!
      const last = sentenceTerms[sentenceTerms.length - 1]!
      const start = base + first.offset.start - first.pre.trimStart().length
      const end = base + last.offset.start + last.offset.length + last.post.trimEnd().length
      sentences.push({
        index: sentences.length,
        start,
        end,
        text: text.slice(start, end),
        block,
        blockKind: kind,
        indexInBlock: indexInBlock++,
        terms: sentenceTerms.map((term) => ({
          text: term.text,
          start: base + term.offset.start,
          end: base + term.offset.start + term.offset.length,
          tags: term.tags,
        })),
      })
    }
    block++
  }
  return sentences
}

// compromise ends a sentence at "No." before a number ("No. 120 Longshan Road"), as Intl.Segmenter does: an
// abbreviation that introduces a number does not end a sentence.
const numberAbbreviation = /^(?:no|nos|vol|fig|rm|approx|tel|ext)$/i

function joinNumberAbbreviations (sentences: CompromiseTerm[][]): CompromiseTerm[][] {
  const joined: CompromiseTerm[][] = []
  for (const terms of sentences) {
    if (terms.length === 0) continue
    const previous = joined[joined.length - 1]
    const last = previous?.[previous.length - 1]
    if (previous !== undefined && last !== undefined && numberAbbreviation.test(last.text) && last.post.startsWith('.') &&
      /^\d/.test(terms[0]!.text)) {
      previous.push(...terms)
    } else {
      joined.push([...terms])
    }
  }
  return joined
}

function blockKind (line: string, header: DocumentHeader): BlockKind {
  const trimmed = line.trim()
  if (trimmed === header.title?.trim() || trimmed === header.breadcrumb?.trim() || dateLine.test(trimmed)) return 'header'
  if (bulletMarker.test(trimmed)) return 'bullet'
  if (!/[.!?;。]$/.test(trimmed) && trimmed.split(/\s+/).length <= 8) return 'heading'
  return 'paragraph'
}

// Commas, semicolons and dashes bound the clause a figure sits in: "88 beds, with an average annual outpatient capacity
// of more than 30,000, and … more than 6,000 annually" gives each figure the period written in its own clause.
const clauseBoundary = /[,;，；]\s|\s[–—]\s|\s-\s/g

/** Offsets (relative to `text`) of the clause around `index`. */
export function clauseAround (text: string, index: number): { start: number, end: number } {
  let start = 0
  let end = text.length
  for (const match of text.matchAll(clauseBoundary)) {
    if (match.index < index) start = match.index + match[0].length
    else if (match.index >= index) {
      end = match.index
      break
    }
  }
  return { start, end }
}
