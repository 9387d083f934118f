// What extraction reads and what it proposes. Extraction is a pure function of this input (no database, no clock):
// the same text and context give the same candidates, so a source can be extracted again and compared.

export type Comparator = '<' | '<=' | '>=' | '>'

/** What a document is read against: its own metadata and what the hospital it is about already has. */
export interface ExtractionInput {
  /** The stored text, the one every quote and offset refers to. */
  text: string
  title: string | null
  /** Navigation path as printed ("Home>Women Health Care Division"). */
  breadcrumb: string | null
  /** ISO date the page states ("Updated: …"); null when it states none. */
  statedOn: string | null
  /** BCP 47 tag given when the source was created, if any; extraction detects the language itself too. */
  language: string | null
  hospital: { slug: string, name: string, shortName: string | null, aliases: string[] }
  /** The hospital's units, with every alias they are known by. */
  units: Array<{ slug: string, name: string, aliases: string[] }>
  /** The metric definitions that exist; a figure whose measure has none is proposed with `metric: null`. */
  metrics: Array<{ code: string, name: string, unit: string, category: string }>
}

/** ISO dates only when stated or derivable from a stated window and the page date (as in the facts). */
export interface CandidatePeriod {
  kind: 'annual' | 'span' | 'cumulative' | 'point'
  duration: string | null
  start: string | null
  end: string | null
  /** As written ("annually", "in the past three years"); null when the text states none. */
  label: string | null
}

/** Who a candidate is about, and why extraction thinks so. */
export interface CandidateSubject {
  /** A unit of `ExtractionInput.units`, or null when it is about the hospital as a whole. */
  unit: string | null
  matchedBy: 'sentence' | 'preceding_mention' | 'title' | 'breadcrumb' | 'hospital'
  /** The name as found in the text, when one was. */
  name: string | null
}

interface CandidateBase {
  /** The rule that produced it ("figure.count-noun", "honor.ranked", …), stable across runs. */
  rule: string
  /** 0–1: how sure the rule is (a mapped metric with an explicit subject scores higher than a guess). */
  confidence: number
  /** The verbatim sentence, `text.slice(start, end)`. */
  quote: string
  start: number
  end: number
  subject: CandidateSubject
}

export interface FigureCandidate extends CandidateBase {
  kind: 'figure'
  /** A code of `ExtractionInput.metrics`, or null when none fits. */
  metric: string | null
  /** The code extraction's vocabulary would give it, even when the store has no such definition ("births.annual"). */
  suggestedMetric: string | null
  /** What is counted, as written ("discharged patients", "hysteroscopy surgeries"). */
  measured: string
  /** Decimal as a string ("1872000", "98.5"). */
  value: string
  comparator: Comparator | null
  approximate: boolean
  /** The figure as written, qualifier included ("more than 30,000", "1.872 million", "Three"). */
  statedValue: string
  /** Offsets of `statedValue` in the text. */
  valueStart: number
  valueEnd: number
  period: CandidatePeriod
}

export interface HonorCandidate extends CandidateBase {
  kind: 'honor'
  title: string
  honorKind: 'designation' | 'accreditation' | 'recognition' | 'membership' | 'distinction'
  level: 'institutional' | 'municipal' | 'provincial' | 'regional' | 'national' | 'international' | null
  issuer: string | null
  year: number | null
  /** For rankings ("ranked 13th among 117 …"). */
  rank: { position: number, of: number | null } | null
}

export interface EventCandidate extends CandidateBase {
  kind: 'event'
  title: string
  eventKind: 'founding' | 'designation' | 'partnership' | 'milestone' | 'equipment' | 'recognition'
  /** ISO date to the stated precision (a year-only event is 1 January of that year). */
  occurredOn: string | null
  datePrecision: 'day' | 'month' | 'year' | 'unknown'
  year: number | null
}

export type Candidate = FigureCandidate | HonorCandidate | EventCandidate

export interface ExtractionResult {
  /** The language extraction found (BCP 47 primary tag), e.g. "en", "zh". */
  language: string
  /** False when extraction cannot read the language: no candidates, and `message` says why. */
  readable: boolean
  message: string | null
  /** Identifies the rules, so candidates from older rules can be told apart after an upgrade. */
  rulesVersion: string
  candidates: Candidate[]
}
