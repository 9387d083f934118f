import { ProblemError } from '../../../lib/problem.ts'
import type { Db } from '../writes/resources.ts'
import type { Candidate, ExtractionInput, ExtractionResult } from './extraction/candidate.ts'

// Running extraction over a stored source and keeping what it proposes. Extraction itself is a pure function of the
// text and what the database knows of the hospital (extraction/extract.ts); this file builds its input, checks its
// output, and stores the candidates in one step of the caller's transaction: a savepoint, so that a failure (a bug in
// the rules, a candidate the table refuses) leaves the source stored and marked `failed`, with none of that run's
// candidates and the earlier run's proposals as they were.

export type ExtractionStatus = 'extracted' | 'unreadable' | 'failed'

export interface ExtractionOutcome {
  status: ExtractionStatus
  message: string | null
  /** How many candidates this run stored. */
  stored: number
}

/** What extraction reads: the source's text and metadata, its hospital with its units and their aliases, the metrics. */
export async function extractionInput (db: Db, sourceId: string): Promise<ExtractionInput> {
  const source = await db.sourceDocument.findUnique({
    where: { id: sourceId },
    select: { fullText: true, title: true, breadcrumb: true, statedOn: true, language: true, hospitalId: true }
  })
  if (source === null) throw new ProblemError('notFound', `No source document has the id "${sourceId}".`)
  if (source.hospitalId === null) {
    throw new ProblemError('unprocessableContent', 'The source names no hospital, so there is nothing to read it against: ' +
      'give it one (PATCH /v1/sources/{id} with `hospital`), then extract it.')
  }
  const [hospital, units, metrics] = await Promise.all([
    db.hospital.findUniqueOrThrow({ where: { id: source.hospitalId }, select: { slug: true, name: true, shortName: true } }),
    db.unit.findMany({
      where: { hospitalId: source.hospitalId },
      select: { slug: true, name: true, aliases: { select: { name: true }, orderBy: { slug: 'asc' } } },
      orderBy: { slug: 'asc' }
    }),
    db.metricDefinition.findMany({ select: { code: true, name: true, unit: true, category: true }, orderBy: { code: 'asc' } })
  ])
  return {
    text: source.fullText,
    title: source.title,
    breadcrumb: source.breadcrumb,
    statedOn: source.statedOn === null ? null : source.statedOn.toISOString().slice(0, 10),
    language: source.language,
    // Hospitals have no aliases of their own in this model; the short name is given beside the name.
    hospital: { ...hospital, aliases: [] },
    units: units.map((unit) => ({ slug: unit.slug, name: unit.name, aliases: unit.aliases.map((alias) => alias.name) })),
    metrics
  }
}

/** A candidate the store could not keep faithfully: its quote must be the text at its offsets. */
function faultOf (candidate: Candidate, text: string): string | undefined {
  if (!['figure', 'honor', 'event'].includes(candidate.kind)) return `a candidate of unknown kind "${String(candidate.kind)}"`
  if (!(candidate.confidence >= 0 && candidate.confidence <= 1)) return `a ${candidate.kind} candidate with confidence ${candidate.confidence}, outside 0–1`
  if (!Number.isInteger(candidate.start) || !Number.isInteger(candidate.end) || candidate.start < 0 || candidate.end <= candidate.start ||
    candidate.end > text.length || text.slice(candidate.start, candidate.end) !== candidate.quote) {
    return `a ${candidate.kind} candidate (rule ${candidate.rule}) whose quote is not the text at its offsets ${candidate.start}–${candidate.end}`
  }
  return undefined
}

/** The fields of a candidate beyond those every candidate has, as stored in `proposal`. */
function proposalOf (candidate: Candidate): Record<string, unknown> {
  const { kind: _kind, rule: _rule, confidence: _confidence, quote: _quote, start: _start, end: _end, ...proposal } = candidate
  return proposal
}

/** What tells two runs' candidates for the same words apart: a decided one is not proposed again. */
function sameWords (kind: string, start: number, end: number, proposal: Record<string, unknown>): string {
  return JSON.stringify([kind, start, end, proposal.valueStart ?? proposal.title ?? null])
}

/** What failed, on one line: the database's own message when it refused the candidates. */
function messageOf (error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
  const refusal = /Message: `([^`]*)`/.exec(text)?.[1]
  const message = refusal === undefined ? text : `the database refused the candidates: ${refusal}`
  return message.length > 500 ? `${message.slice(0, 497)}...` : message
}

/**
 * The rules, loaded when a source is first extracted rather than when the server starts: compromise takes about half a
 * second and 45 MB of memory to load, which a server that only reads never needs.
 */
let rules: Promise<(input: ExtractionInput) => ExtractionResult> | undefined
const loadRules = () => (rules ??= import('./extraction/extract.ts').then((module) => module.extract))

/**
 * Extracts the source `sourceId` within the transaction `db` and records the outcome on the source: its proposed
 * candidates are replaced by this run's, decided ones (accepted or rejected) are kept and not proposed again. The
 * candidates are written as one statement inside a savepoint; on any failure the savepoint is rolled back and the
 * source marked `failed` with the message, and the transaction goes on.
 */
export async function runExtraction (db: Db, sourceId: string, given?: (input: ExtractionInput) => ExtractionResult): Promise<ExtractionOutcome> {
  const extractor = given ?? await loadRules()
  const input = await extractionInput(db, sourceId)
  await db.$executeRawUnsafe('SAVEPOINT extraction')
  let outcome: ExtractionOutcome
  let found: { language: string, rulesVersion: string } | null = null
  try {
    const result = extractor(input)
    found = { language: result.language, rulesVersion: result.rulesVersion }
    const fault = result.candidates.map((candidate) => faultOf(candidate, input.text)).find((message) => message !== undefined)
    if (fault !== undefined) throw new Error(`Extraction proposed ${fault}.`)
    await db.$executeRaw`DELETE FROM extraction_candidate WHERE source_id = ${sourceId}::uuid AND status = 'proposed'`
    const decided = await db.extractionCandidate.findMany({
      where: { sourceId }, select: { kind: true, quoteStart: true, quoteEnd: true, proposal: true }
    })
    const taken = new Set(decided.map((row) => sameWords(row.kind, row.quoteStart, row.quoteEnd, row.proposal as Record<string, unknown>)))
    const rows = (result.readable ? result.candidates : [])
      .map((candidate) => ({ candidate, proposal: proposalOf(candidate) }))
      .filter(({ candidate, proposal }) => !taken.has(sameWords(candidate.kind, candidate.start, candidate.end, proposal)))
      .map(({ candidate, proposal }) => ({
        kind: candidate.kind,
        proposal,
        rule: candidate.rule,
        confidence: candidate.confidence,
        quote: candidate.quote,
        quote_start: candidate.start,
        quote_end: candidate.end
      }))
    if (rows.length > 0) {
      await db.$executeRaw`
        INSERT INTO extraction_candidate (source_id, kind, proposal, rule, confidence, quote, quote_start, quote_end, rules_version)
        SELECT ${sourceId}::uuid, c.kind::"CandidateKind", c.proposal, c.rule, c.confidence, c.quote, c.quote_start, c.quote_end, ${result.rulesVersion}
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS c(kind text, proposal jsonb, rule text, confidence float8, quote text, quote_start int, quote_end int)`
    }
    outcome = result.readable
      ? { status: 'extracted', message: null, stored: rows.length }
      : { status: 'unreadable', message: result.message ?? `The text (language "${result.language}") cannot be read by the rules.`, stored: 0 }
    await db.$executeRawUnsafe('RELEASE SAVEPOINT extraction')
  } catch (error) {
    await db.$executeRawUnsafe('ROLLBACK TO SAVEPOINT extraction')
    outcome = { status: 'failed', message: `Extraction failed: ${messageOf(error)}`, stored: 0 }
  }
  await db.$executeRaw`
    UPDATE source_document SET
      extraction_status = ${outcome.status}::"ExtractionStatus", extraction_message = ${outcome.message},
      extraction_language = ${found?.language ?? null}, extraction_rules_version = ${found?.rulesVersion ?? null},
      extracted_at = CURRENT_TIMESTAMP
    WHERE id = ${sourceId}::uuid`
  return outcome
}
