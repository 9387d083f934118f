import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { queryJson, sql } from '../../../lib/json-sql.ts'
import { ProblemError } from '../../../lib/problem.ts'
import { EventKind, HonorKind } from '../../../schemas/facts.ts'
import { correctionKinds, type CandidateBody, type CandidateCorrectionsBody } from '../../../schemas/intake.ts'
import { writableResources, type Db, type Representation, type WritableResource } from '../writes/resources.ts'
import { isUniqueViolation, type AuditedResource, type WriteResult } from '../writes/writer.ts'
import { candidateJson } from './candidate-json.ts'
import { runExtraction, type ExtractionOutcome } from './extraction-run.ts'

declare module 'fastify' {
  interface FastifyInstance {
    review: Review
  }
}

// Review turns a candidate into a fact through the same write path as every other write: the fact is created by its
// resource (writes/resources.ts) with the source and the candidate's quote as provenance, and audited; the candidate
// becomes accepted, naming it, and is audited too (before: as proposed; after: with the corrections), in the same
// transaction. Caches hear of both at commit.

type CandidateKind = 'figure' | 'honor' | 'event'

interface CandidateRow {
  id: string
  kind: CandidateKind
  status: 'proposed' | 'accepted' | 'rejected'
  proposal: Record<string, unknown>
  quote: string
  fact_id: string | null
}

interface SourceContext {
  id: string
  hospitalId: string | null
  hospitalSlug: string | null
  statedOn: string | null
}

export interface Accepted {
  candidate: CandidateBody
  fact: WriteResult
}

const factResource: Record<CandidateKind, WritableResource> = {
  figure: writableResources.metrics,
  honor: writableResources.honors,
  event: writableResources.events
}

const candidates: AuditedResource = {
  name: 'candidates',
  key: 'id',
  placement: { hospitalOf: (id) => sql`SELECT d.hospital_id FROM extraction_candidate c JOIN source_document d ON d.id = c.source_id WHERE c.id = ${id}::uuid` },
  location: (candidate) => {
    const { id, source } = candidate as unknown as { id: string, source: { id: string } }
    return `/v1/sources/${source.id}/candidates/${id}`
  }
}

function unprocessable (field: string, message: string): ProblemError {
  return new ProblemError('unprocessableContent', `body ${field.slice(1)} ${message}`, { errors: [{ in: 'body', field, message }] })
}

function taken (field: string, message: string): ProblemError {
  return new ProblemError('conflict', `body ${field.slice(1)} ${message}`, { errors: [{ in: 'body', field, message }] })
}

/** A slug from a title: lower-case words joined by hyphens; the candidate's id when the title has no such words. */
function slugOf (title: string, fallback: string): string {
  const words = title.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '')
  return words === '' ? fallback : words
}

function has<K extends string> (corrections: Partial<Record<K, unknown>>, key: K): boolean {
  return Object.hasOwn(corrections, key)
}

function candidateNotFound (sourceId: string, candidateId: string): ProblemError {
  return new ProblemError('notFound', `Source ${sourceId} has no candidate with the id ${candidateId}.`)
}

async function presentCandidate (db: Db, id: string): Promise<CandidateBody & Representation> {
  return (await queryJson<CandidateBody & Representation>(db, sql`SELECT ${candidateJson('c')}::text AS body FROM extraction_candidate c WHERE c.id = ${id}::uuid`))!
}

/** The candidate, locked for this transaction; only a proposed one may be decided. */
async function lockProposed (db: Db, sourceId: string, candidateId: string): Promise<CandidateRow> {
  const [row] = await db.$queryRaw<CandidateRow[]>`
    SELECT id, kind::text AS kind, status::text AS status, proposal, quote, fact_id FROM extraction_candidate
    WHERE id = ${candidateId}::uuid AND source_id = ${sourceId}::uuid FOR UPDATE`
  if (row === undefined) throw candidateNotFound(sourceId, candidateId)
  if (row.status !== 'proposed') {
    const became = row.fact_id === null ? '' : `: it became /v1/${factResource[row.kind].name}/${row.fact_id}`
    throw new ProblemError('conflict', `The candidate ${candidateId} is already ${row.status}${became}. Only a proposed candidate can be accepted or rejected.`)
  }
  return row
}

async function sourceContext (db: Db, sourceId: string): Promise<SourceContext> {
  const [row] = await db.$queryRaw<SourceContext[]>`
    SELECT s.id, s.hospital_id AS "hospitalId", h.slug AS "hospitalSlug", to_char(s.stated_on, 'YYYY-MM-DD') AS "statedOn"
    FROM source_document s LEFT JOIN hospital h ON h.id = s.hospital_id WHERE s.id = ${sourceId}::uuid`
  if (row === undefined) throw new ProblemError('notFound', `No source document has the id "${sourceId}".`)
  return row
}

/** The unit a slug or alias names, with its hospital; a 422 naming `/department` when none. */
async function unitNamed (db: Db, slug: string): Promise<{ id: string, hospitalId: string }> {
  const [unit] = await db.$queryRaw<Array<{ id: string, hospitalId: string }>>`
    SELECT u.id, u.hospital_id AS "hospitalId" FROM unit u
    WHERE u.slug = ${slug} OR u.id IN (SELECT unit_id FROM unit_alias WHERE slug = ${slug}) LIMIT 1`
  if (unit === undefined) throw unprocessable('/department', `names no department, division or center: "${slug}"`)
  return unit
}

/** The unit a fact of the source is about must be one of the source's hospital. */
async function unitOfSource (db: Db, slug: string, source: SourceContext): Promise<string> {
  const unit = await unitNamed(db, slug)
  if (source.hospitalId !== null && unit.hospitalId !== source.hospitalId) {
    throw unprocessable('/department', `"${slug}" belongs to another hospital than the source's (${source.hospitalSlug})`)
  }
  return unit.id
}

/** The create body of the figure a figure candidate becomes, with the corrections applied. */
async function figureBody (db: Db, proposal: Record<string, unknown>, corrections: CandidateCorrectionsBody, source: SourceContext) {
  const subject = proposal.subject as { unit: string | null } | undefined
  const department = has(corrections, 'department') ? corrections.department : subject?.unit ?? null
  if (department === null || department === undefined) {
    throw unprocessable('/department', 'is required: the candidate names no unit (extraction took it for the hospital as a whole), ' +
      'and a figure belongs to a unit; give the unit\'s slug')
  }
  const metric = corrections.metric ?? (proposal.metric as string | null)
  if (metric === null) {
    const suggested = proposal.suggestedMetric as string | null
    throw unprocessable('/metric', `is required: no metric definition fits "${String(proposal.measured)}"` +
      (suggested === null ? '' : ` (extraction suggests "${suggested}", which does not exist: create it with POST /v1/metric-definitions, or name another)`))
  }
  const unitId = await unitOfSource(db, department, source)
  const [existing] = await db.$queryRaw<Array<{ id: string }>>`
    SELECT o.id FROM metric_observation o JOIN metric_definition m ON m.id = o.metric_id
    WHERE o.source_id = ${source.id}::uuid AND o.unit_id = ${unitId}::uuid AND m.code = ${metric}`
  if (existing !== undefined) {
    throw taken('/metric', `is already stated by this source for "${department}": /v1/metrics/${existing.id}. One source states one figure ` +
      'per unit and metric: change that figure, or reject this candidate')
  }
  return {
    department,
    metric,
    value: corrections.value ?? Number(proposal.value),
    comparator: has(corrections, 'comparator') ? corrections.comparator : proposal.comparator ?? null,
    approximate: corrections.approximate ?? proposal.approximate ?? false,
    statedValue: corrections.statedValue ?? proposal.statedValue,
    period: corrections.period ?? proposal.period,
    statedOn: has(corrections, 'statedOn') ? corrections.statedOn : source.statedOn,
    note: corrections.note ?? null
  }
}

/** An honor's or event's slug must be free within the hospital. */
async function freeSlug (db: Db, table: 'honor' | 'event', hospitalId: string, slug: string, given: boolean): Promise<void> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "${table}" WHERE hospital_id = $1::uuid AND slug = $2`, hospitalId, slug)
  if (rows[0] === undefined) return
  const link = `/v1/${table}s/${rows[0].id}`
  throw taken('/slug', given
    ? `is already taken by another ${table} of the hospital (${link})`
    : `"${slug}" (made from the title) is already taken by another ${table} of the hospital (${link}); give a slug, or reject the candidate if it is the same ${table}`)
}

async function honorOrEventBody (db: Db, kind: 'honor' | 'event', proposal: Record<string, unknown>, corrections: CandidateCorrectionsBody,
  source: SourceContext, candidateId: string) {
  if (source.hospitalId === null || source.hospitalSlug === null) {
    throw new ProblemError('unprocessableContent', 'The source names no hospital, so its honors and events belong to none: give it one with PATCH first.')
  }
  const subject = proposal.subject as { unit: string | null } | undefined
  const department = has(corrections, 'department') ? corrections.department ?? null : subject?.unit ?? null
  if (department !== null) await unitOfSource(db, department, source)
  const title = corrections.title ?? String(proposal.title)
  const factKind = corrections.kind ?? (proposal[kind === 'honor' ? 'honorKind' : 'eventKind'] as string)
  const kinds: readonly string[] = kind === 'honor' ? HonorKind.enum : EventKind.enum
  if (!kinds.includes(factKind)) throw unprocessable('/kind', `must be one of: ${kinds.join(', ')} (an ${kind}'s kinds)`)
  const slug = corrections.slug ?? slugOf(title, `${kind}-${candidateId.slice(0, 8)}`)
  await freeSlug(db, kind, source.hospitalId, slug, corrections.slug !== undefined)
  const year = has(corrections, 'year') ? corrections.year : proposal.year ?? null
  const common = { hospital: source.hospitalSlug, department, slug, title, kind: factKind, year }
  if (kind === 'honor') {
    return {
      ...common,
      issuer: has(corrections, 'issuer') ? corrections.issuer : proposal.issuer ?? null,
      level: has(corrections, 'level') ? corrections.level : proposal.level ?? null,
      statedOn: has(corrections, 'statedOn') ? corrections.statedOn : source.statedOn
    }
  }
  return {
    ...common,
    description: corrections.description ?? null,
    occurredOn: has(corrections, 'occurredOn') ? corrections.occurredOn : proposal.occurredOn ?? null,
    datePrecision: corrections.datePrecision ?? proposal.datePrecision ?? 'unknown'
  }
}

/** Corrections of fields that a candidate of this kind does not have are refused by name. */
function checkApplicable (kind: CandidateKind, corrections: CandidateCorrectionsBody): void {
  for (const field of Object.keys(corrections) as Array<keyof typeof correctionKinds>) {
    const kinds: readonly string[] = correctionKinds[field]
    if (!kinds.includes(kind)) throw unprocessable(`/${field}`, `does not apply to a ${kind} candidate (it applies to: ${kinds.join(', ')})`)
  }
}

export function createReview (fastify: FastifyInstance) {
  const { writer } = fastify
  const sources = writableResources.sources

  /** Accepts one candidate within the transaction `db`: its fact is created and audited, and so is the candidate's change. */
  async function acceptIn (db: Db, request: FastifyRequest, sourceId: string, candidateId: string, corrections: CandidateCorrectionsBody): Promise<Accepted> {
    const row = await lockProposed(db, sourceId, candidateId)
    // A candidate belongs to its source, and so to the source's hospital and region.
    await writer.inKeyRegion(db, request, sources, sourceId)
    checkApplicable(row.kind, corrections)
    const source = await sourceContext(db, sourceId)
    const fields = row.kind === 'figure'
      ? await figureBody(db, row.proposal, corrections, source)
      : await honorOrEventBody(db, row.kind, row.proposal, corrections, source, candidateId)
    const before = await presentCandidate(db, candidateId)
    const fact = await writer.createIn(db, request, factResource[row.kind], { ...fields, provenance: { source: sourceId, quote: row.quote } })
    const corrected = Object.keys(corrections).length === 0 ? null : JSON.stringify(corrections)
    await db.$executeRaw`
      UPDATE extraction_candidate SET status = 'accepted', fact_id = ${fact.representation.id}::uuid, corrections = ${corrected}::jsonb,
        reviewed_by = ${request.apiKey!.id}::uuid, reviewed_at = CURRENT_TIMESTAMP, version = version + 1, updated_at = CURRENT_TIMESTAMP
      WHERE id = ${candidateId}::uuid`
    const after = await presentCandidate(db, candidateId)
    await writer.audit(db, request, candidates, candidateId, 'update', after.version, before, after)
    return { candidate: after, fact }
  }

  const factTables = ['metric_observation', 'honor', 'event', 'extraction_candidate']

  /** A uniqueness conflict that slipped past the checks (a concurrent write) is still a 409, not a 500. */
  function conflictOf (error: unknown): unknown {
    return isUniqueViolation(error)
      ? new ProblemError('conflict', 'Another write created the same fact at the same moment; read the candidate again.')
      : error
  }

  return {
    async accept (request: FastifyRequest, sourceId: string, candidateId: string, corrections: CandidateCorrectionsBody): Promise<Accepted> {
      try {
        return await writer.transaction(factTables, async (db) => acceptIn(db, request, sourceId, candidateId, corrections))
      } catch (error) {
        throw conflictOf(error)
      }
    },

    /**
     * Accepts every candidate of `ids` as proposed, in one transaction: all of them, or none. Each is tried in a
     * savepoint, so that every one that cannot be accepted is named in the problem, not only the first.
     */
    async acceptAll (request: FastifyRequest, sourceId: string, ids: string[]): Promise<Accepted[]> {
      return await writer.transaction(factTables, async (db) => {
        if (!await db.sourceDocument.findUnique({ where: { id: sourceId }, select: { id: true } })) {
          throw new ProblemError('notFound', `No source document has the id "${sourceId}".`)
        }
        await writer.inKeyRegion(db, request, sources, sourceId)
        const accepted: Accepted[] = []
        const refused: Array<{ index: number, id: string, status: number, message: string }> = []
        for (const [index, id] of ids.entries()) {
          await db.$executeRawUnsafe('SAVEPOINT candidate')
          try {
            accepted.push(await acceptIn(db, request, sourceId, id, {}))
            await db.$executeRawUnsafe('RELEASE SAVEPOINT candidate')
          } catch (caught) {
            await db.$executeRawUnsafe('ROLLBACK TO SAVEPOINT candidate')
            const error = conflictOf(caught)
            if (!(error instanceof ProblemError)) throw error
            refused.push({ index, id, status: error.statusCode, message: error.message })
          }
        }
        if (refused.length > 0) {
          throw new ProblemError(refused.every((item) => item.status === 409) ? 'conflict' : 'unprocessableContent',
            `None of the ${ids.length} candidates was accepted: ${refused.length} cannot be (each is named in errors). ` +
            'Correct or reject those, or leave them out, and send the batch again.', {
              errors: refused.map((item) => ({ in: 'body', field: `/ids/${item.index}`, message: `${item.id}: ${item.message}` }))
            })
        }
        return accepted
      })
    },

    async reject (request: FastifyRequest, sourceId: string, candidateId: string, reason: string): Promise<CandidateBody> {
      return await writer.transaction(['extraction_candidate', 'audit_event'], async (db) => {
        await lockProposed(db, sourceId, candidateId)
        await writer.inKeyRegion(db, request, sources, sourceId)
        const before = await presentCandidate(db, candidateId)
        await db.$executeRaw`
          UPDATE extraction_candidate SET status = 'rejected', reason = ${reason}, reviewed_by = ${request.apiKey!.id}::uuid,
            reviewed_at = CURRENT_TIMESTAMP, version = version + 1, updated_at = CURRENT_TIMESTAMP
          WHERE id = ${candidateId}::uuid`
        const after = await presentCandidate(db, candidateId)
        await writer.audit(db, request, candidates, candidateId, 'update', after.version, before, after)
        return after
      })
    },

    /**
     * Extracts a source again: its proposed candidates are replaced, decided ones kept. The source's extraction
     * status is part of it, so this is an update of the source: one version later, audited.
     */
    async extractAgain (request: FastifyRequest, sourceId: string): Promise<WriteResult & { outcome: ExtractionOutcome }> {
      return await writer.transaction(['source_document', 'extraction_candidate', 'audit_event'], async (db) => {
        const [locked] = await db.$queryRaw<Array<{ id: string }>>`SELECT id FROM source_document WHERE id = ${sourceId}::uuid FOR UPDATE`
        if (locked === undefined) throw new ProblemError('notFound', `No source document has the id "${sourceId}".`)
        await writer.inKeyRegion(db, request, sources, sourceId)
        const before = (await sources.present(db, sourceId))!
        const outcome = await runExtraction(db, sourceId)
        await db.$executeRaw`UPDATE source_document SET version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ${sourceId}::uuid`
        const after = (await sources.present(db, sourceId))!
        await writer.audit(db, request, sources, sourceId, 'update', after.version, before, after)
        const location = sources.location(after)
        return { representation: after, location, etag: await writer.etagOf(db, request, location, after.version), outcome }
      })
    }
  }
}

export type Review = ReturnType<typeof createReview>

export default fp(async (fastify) => {
  fastify.decorate('review', createReview(fastify))
}, { name: 'review', dependencies: ['writer'] })
