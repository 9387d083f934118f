import { createHash, randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Prisma } from '../../../generated/prisma/client.ts'
import { matchesVersion, requireIfMatch, staleVersion } from '../../../lib/entity-tag.ts'
import { sql } from '../../../lib/json-sql.ts'
import { ProblemError } from '../../../lib/problem.ts'
import type { ProvenanceBody } from '../../../schemas/writes.ts'
import { assertInKeyRegion } from '../regions/region-scope.ts'
import { completeIdempotentRequest } from './idempotency.ts'
import { resourcesByName, type Db, type Representation, type SourceLink, type WritableResource } from './resources.ts'

declare module 'fastify' {
  interface FastifyInstance {
    writer: Writer
  }
}

/** One row of a batch: what it became, or why it could not. */
/** What the audit (and so the change feed) needs of a resource: its name, and where it can its key and URL. */
export type AuditedResource = Pick<WritableResource, 'name'> & Partial<Pick<WritableResource, 'key' | 'location' | 'placement'>>

export type BatchRow = { representation: Representation, location: string, problem?: undefined } | { problem: ProblemError }

/** How long a batch's transaction may take before it is rolled back. */
const batchTimeoutMs = 120_000

/** Thrown to roll a batch's transaction back once every row has been tried. */
class BatchRolledBack extends Error {
  constructor (readonly rows: BatchRow[]) {
    super('batch rolled back')
  }
}

/** A failed row's error as a problem; anything else (the database gone, a bug) fails the whole batch. */
function rowProblem (resource: WritableResource, error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error
  if (isUniqueViolation(error)) {
    const message = `repeats an existing ${resource.noun} (${resource.uniqueField.slice(1)} and source)`
    return new ProblemError('conflict', message, { errors: [{ in: 'body', field: resource.uniqueField, message }] })
  }
  return undefined
}

export interface WriteResult {
  representation: Representation
  etag: string
  location: string
}

/** Whitespace differs between a document and a quote typed from it; nothing else may. */
function normalized (text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function problemField (field: string, kind: 'invalidRequest' | 'unprocessableContent', message: string): ProblemError {
  return new ProblemError(kind, `body ${field.slice(1)} ${message}`, { errors: [{ in: 'body', field, message }] })
}

/**
 * Where the new state of a fact comes from. A document and a sentence of it: the sentence must occur in the document.
 * A note: kept as a source document of kind manual_entry, entered by the caller's key, so that the fact, like every
 * other, links to the words that back it.
 */
async function resolveProvenance (db: Db, provenance: ProvenanceBody | undefined, request: FastifyRequest,
  documents?: Map<string, { fullText: string, title: string } | null>): Promise<SourceLink> {
  const { source, quote, note } = provenance ?? {}
  if (note !== undefined && (source !== undefined || quote !== undefined)) {
    throw problemField('/provenance', 'invalidRequest', 'takes either source and quote, or a note, not both')
  }
  if (note !== undefined) {
    const key = request.apiKey!
    const document = await db.sourceDocument.create({
      data: {
        fileName: `manual-entries/${randomUUID()}`,
        title: `Entered by ${key.name} (${key.prefix})`,
        kind: 'manual_entry',
        statedOn: new Date(new Date().toISOString().slice(0, 10)),
        fullText: note,
        sha256: createHash('sha256').update(note).digest('hex'),
        enteredById: key.id
      },
      select: { id: true }
    })
    return { sourceId: document.id, quote: note }
  }
  if (source === undefined || quote === undefined) {
    throw problemField(source === undefined ? '/provenance/source' : '/provenance/quote', 'invalidRequest',
      'is required: give source and quote (a document and its sentence), or a note')
  }
  let document = documents?.get(source)
  if (document === undefined) {
    document = await db.sourceDocument.findUnique({ where: { id: source }, select: { fullText: true, title: true } })
    documents?.set(source, document)
  }
  if (document === null) throw problemField('/provenance/source', 'unprocessableContent', `names no source document: ${source}`)
  if (!normalized(document.fullText).includes(normalized(quote))) {
    throw problemField('/provenance/quote', 'unprocessableContent', `does not occur in "${document.title}"; quote the document verbatim`)
  }
  return { sourceId: source, quote }
}

/**
 * An INSERT of a table's rows from their to_jsonb copies that names only the stored columns: a generated column (a
 * stored search vector) takes no value, and its copy in the JSON is left out.
 */
async function insertFromJson (db: Db, table: string, populate: 'jsonb_populate_record' | 'jsonb_populate_recordset', json: string): Promise<void> {
  const [stored] = await db.$queryRawUnsafe<Array<{ columns: string }>>(
    `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS columns FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`, `"${table}"`)
  await db.$executeRawUnsafe(
    `INSERT INTO "${table}" (${stored!.columns}) SELECT ${stored!.columns} FROM ${populate}(NULL::"${table}", $1::jsonb)`, json)
}

/** The PostgreSQL SQLSTATE behind a Prisma error, from a model query (P2002/P2003) or a raw one (P2010). */
function sqlState (error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined
  if (error.code === 'P2002') return '23505'
  if (error.code === 'P2003') return '23503'
  const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: string } } } | undefined)?.driverAdapterError?.cause
  return cause?.originalCode
}

/** Whether the error is PostgreSQL refusing a duplicate of a unique key. */
export function isUniqueViolation (error: unknown): boolean {
  return sqlState(error) === '23505'
}

function foreignKeyViolation (error: unknown): boolean {
  return sqlState(error) === '23503'
}

function conflict (resource: WritableResource, field: string): ProblemError {
  const message = `is already taken by another ${resource.noun}`
  return new ProblemError('conflict', `body ${field.slice(1)} ${message}`, { errors: [{ in: 'body', field, message }] })
}

function notFound (resource: WritableResource, key: string): ProblemError {
  return new ProblemError('notFound', `No ${resource.noun} has the ${resource.key} "${key}".`)
}

/** The hospitals a record belongs to (none for regions and shared reference data): what the feed's hospital filter reads. */
async function hospitalsOf (db: Db, resource: AuditedResource, id: string): Promise<string[]> {
  const placement = resource.placement
  if (placement === undefined || typeof placement === 'string') return []
  const rows = await db.$queryRaw<Array<{ id: string | null }>>(sql`SELECT DISTINCT owner.id::text AS id FROM (${placement.hospitalOf(id)}) AS owner(id)`)
  return rows.flatMap((row) => row.id === null ? [] : [row.id])
}

/** A JSON copy for the audit: what a client would have read. */
function snapshot (representation: Representation | null): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return representation === null ? Prisma.DbNull : JSON.parse(JSON.stringify(representation)) as Prisma.InputJsonValue
}

export function createWriter (fastify: FastifyInstance) {
  const { prisma, dataChanges } = fastify

  // PATCH bodies may be sent as what they are, JSON merge patches.
  fastify.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'))

  /**
   * Runs a write in one transaction with its audit row (and, for an idempotent POST, its stored response): all of it
   * commits or none of it does. Every instance's caches hear of the change from the database at commit; this one is
   * told at once as well, so its next read is fresh.
   */
  async function transaction<T> (tables: readonly string[], work: (db: Db) => Promise<T>): Promise<T> {
    const result = await prisma.$transaction(work, { maxWait: 5_000, timeout: 15_000 })
    for (const table of tables) dataChanges.changed(table)
    return result
  }

  async function transact<T> (request: FastifyRequest, resource: WritableResource, work: (db: Db) => Promise<T>): Promise<T> {
    try {
      return await transaction([resource.table, 'audit_event'], work)
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(resource, resource.uniqueField)
      throw error
    }
  }

  /**
   * Records the write in the audit trail, which is also the change feed (GET /v1/changes): the database gives the
   * event its position in commit order (the change_feed migration). `location` is where the record now is: its URL,
   * or after an archive, its archived copy's.
   */
  async function audit (db: Db, request: FastifyRequest, resource: AuditedResource, entityId: string,
    action: 'create' | 'update' | 'archive' | 'restore', version: number, before: Representation | null, after: Representation | null,
    location?: string, hospitals?: string[]): Promise<void> {
    const current = after ?? before
    const keyField = resource.key ?? 'id'
    const key = current === null ? entityId : String((current as unknown as Record<string, unknown>)[keyField] ?? entityId)
    await db.auditEvent.create({
      data: {
        apiKeyId: request.apiKey!.id,
        requestId: request.id,
        resource: resource.name,
        entityId,
        action,
        version,
        before: snapshot(before),
        after: snapshot(after),
        key,
        location: location ?? (after !== null && resource.location !== undefined ? resource.location(after) : null),
        hospitalIds: hospitals ?? await hospitalsOf(db, resource, entityId)
      }
    })
  }

  /**
   * What a write answers: the representation, its location and the ETag a GET of that location will send (same
   * Accept), made from the data version this transaction moved the counter to — the row stays locked until commit,
   * so no other write can come between.
   */
  async function result (db: Db, request: FastifyRequest, resource: WritableResource, representation: Representation): Promise<WriteResult> {
    const location = resource.location(representation)
    return { representation, etag: await etagOf(db, request, location, representation.version), location }
  }

  async function etagOf (db: Db, request: FastifyRequest, location: string, version: number): Promise<string> {
    const [row] = await db.$queryRaw<Array<{ value: number }>>`SELECT "value"::float8 AS value FROM data_version WHERE id = 1`
    return fastify.entityTagFor(location, row!.value, version)
  }

  /** The 412 for a write that named an older version, with the current version's ETag. */
  async function stale (db: Db, request: FastifyRequest, resource: WritableResource, current: Representation): Promise<ProblemError> {
    return staleVersion(resource.noun, current, await etagOf(db, request, resource.location(current), current.version))
  }

  async function current (db: Db, resource: WritableResource, key: string): Promise<Representation> {
    const id = await resource.idFor(db, key)
    const representation = id === null ? null : await resource.present(db, id)
    if (representation === null) throw notFound(resource, key)
    return representation
  }

  /** Creates the entity from a create body in the transaction `db`, with its provenance and audit row. */
  /** Creates one entity, audited; `documents` keeps the sources a batch has read, so each is read once. */
  async function createRow (db: Db, request: FastifyRequest, resource: WritableResource, body: Record<string, unknown>,
    documents?: Map<string, { fullText: string, title: string } | null>): Promise<Representation> {
    const link = resource.sourced ? await resolveProvenance(db, body.provenance as ProvenanceBody, request, documents) : undefined
    const id = await resource.create(db, body, link)
    await inKeyRegion(db, request, resource, id)
    const after = (await resource.present(db, id))!
    await audit(db, request, resource, id, 'create', after.version, null, after)
    return after
  }

  /** Refuses (403) a region-scoped key's write to a row outside its region; see regions/region-scope.ts. */
  async function inKeyRegion (db: Db, request: FastifyRequest, resource: WritableResource, id: string): Promise<void> {
    await assertInKeyRegion(db, request.apiKey, resource.placement, id, resource.noun)
  }

  async function createIn (db: Db, request: FastifyRequest, resource: WritableResource, body: Record<string, unknown>): Promise<WriteResult> {
    return await result(db, request, resource, await createRow(db, request, resource, body))
  }

  return {
    /** The entity's current representation; a 404 problem when there is none. */
    async find (resource: WritableResource, key: string): Promise<Representation> {
      return current(prisma, resource, key)
    },

    async create (request: FastifyRequest, resource: WritableResource, body: Record<string, unknown>): Promise<WriteResult> {
      return transact(request, resource, async (db) => {
        const written = await createIn(db, request, resource, body)
        await completeIdempotentRequest(db, request, { status: 201, ...written })
        return written
      })
    },

    /**
     * Creates many entities of one resource in one transaction, for imports. Each row runs behind a savepoint, so a
     * bad row is rolled back alone and every row is tried: the answer names each bad row, not only the first. With
     * `commit` and every row good, all of it commits (audited row by row, like single creates); otherwise none of it.
     */
    async createMany (request: FastifyRequest, resource: WritableResource, bodies: Array<Record<string, unknown>>,
      options: { commit: boolean }): Promise<{ rows: BatchRow[], committed: boolean }> {
      const documents = new Map<string, { fullText: string, title: string } | null>()
      try {
        const rows = await prisma.$transaction(async (db) => {
          const rows: BatchRow[] = []
          for (const body of bodies) {
            await db.$executeRawUnsafe('SAVEPOINT batch_row')
            try {
              const after = await createRow(db, request, resource, body, documents)
              await db.$executeRawUnsafe('RELEASE SAVEPOINT batch_row')
              rows.push({ representation: after, location: resource.location(after) })
            } catch (error) {
              const problem = rowProblem(resource, error)
              // A row outside the key's region refuses the whole batch with the 403, as a single write would be.
              if (problem === undefined || problem.problem.status === 403) throw error
              await db.$executeRawUnsafe('ROLLBACK TO SAVEPOINT batch_row')
              rows.push({ problem })
            }
          }
          if (!options.commit || rows.some((row) => row.problem !== undefined)) throw new BatchRolledBack(rows)
          return rows
        }, { maxWait: 5_000, timeout: batchTimeoutMs })
        dataChanges.changed(resource.table)
        dataChanges.changed('audit_event')
        return { rows, committed: true }
      } catch (error) {
        if (error instanceof BatchRolledBack) return { rows: error.rows, committed: false }
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2028') {
          throw new ProblemError('serviceUnavailable', `The batch of ${bodies.length} did not finish within ${batchTimeoutMs / 1000} s, so ` +
            'nothing was written; send fewer rows at a time.', { headers: { 'retry-after': '1' } })
        }
        throw error
      }
    },

    /**
     * A write of several rows in one transaction (accepting a candidate creates its fact and marks the candidate):
     * `work` uses createIn and audit; the caches of `tables` are told at commit. A uniqueness conflict is `work`'s to
     * foresee and name.
     */
    transaction,
    createIn,
    audit,
    inKeyRegion,
    /** The ETag of a representation at `location`, as the write's transaction leaves the data version. */
    etagOf,

    async update (request: FastifyRequest, resource: WritableResource, key: string, patch: Record<string, unknown>): Promise<WriteResult> {
      const ifMatch = requireIfMatch(request)
      return transact(request, resource, async (db) => {
        const before = await current(db, resource, key)
        await inKeyRegion(db, request, resource, before.id)
        if (!matchesVersion(ifMatch, before.version)) throw await stale(db, request, resource, before)
        const link = resource.sourced ? await resolveProvenance(db, patch.provenance as ProvenanceBody, request) : undefined
        // The update names the version it read: a concurrent writer that got there first leaves it nothing to update.
        if (!await resource.update(db, before.id, before.version, patch, link)) {
          throw await stale(db, request, resource, (await resource.present(db, before.id))!)
        }
        // Nor may it move the row out of the key's region.
        await inKeyRegion(db, request, resource, before.id)
        const after = (await resource.present(db, before.id))!
        await audit(db, request, resource, before.id, 'update', after.version, before, after)
        return await result(db, request, resource, after)
      })
    },

    /** Deletes the row (and the rows that belong to it) after keeping a copy an administrator can restore. */
    async archive (request: FastifyRequest, resource: WritableResource, key: string): Promise<void> {
      const ifMatch = requireIfMatch(request)
      await transact(request, resource, async (db) => {
        const before = await current(db, resource, key)
        await inKeyRegion(db, request, resource, before.id)
        // Lock the row: a concurrent update must not slip in between the version check and the copy.
        const [locked] = await db.$queryRawUnsafe<Array<{ row: Record<string, unknown> & { version: number } }>>(
          `SELECT to_jsonb(t) AS row FROM "${resource.table}" t WHERE id = $1::uuid FOR UPDATE`, before.id)
        if (locked === undefined) throw notFound(resource, key)
        if (locked.row.version !== before.version || !matchesVersion(ifMatch, before.version)) {
          throw await stale(db, request, resource, (await resource.present(db, before.id))!)
        }
        const blockers = await resource.dependents(db, before.id)
        if (blockers.length > 0) {
          throw new ProblemError('conflict', `The ${resource.noun} still has ${blockers.join(', ')}; archive those first.`)
        }
        // Whose it was, asked before it goes.
        const hospitals = await hospitalsOf(db, resource, before.id)
        const dependents: Record<string, unknown[]> = {}
        for (const { table, column } of resource.cascades) {
          const rows = await db.$queryRawUnsafe<Array<{ row: unknown }>>(
            `DELETE FROM "${table}" t WHERE "${column}" = $1::uuid RETURNING to_jsonb(t) AS row`, before.id)
          dependents[table] = rows.map((entry) => entry.row)
        }
        await db.$executeRawUnsafe(`DELETE FROM "${resource.table}" WHERE id = $1::uuid`, before.id)
        const archived = await db.archivedRecord.create({
          select: { id: true },
          data: {
            resource: resource.name,
            entityId: before.id,
            label: resource.label(before),
            archivedById: request.apiKey!.id,
            row: locked.row as Prisma.InputJsonValue,
            dependents: dependents as Prisma.InputJsonValue,
            representation: snapshot(before) as Prisma.InputJsonValue
          }
        })
        await audit(db, request, resource, before.id, 'archive', before.version, before, null, `/v1/archive/${archived.id}`, hospitals)
      })
    },

    /** Puts an archived record back with its id, one version later (so an ETag from before the archive is stale). */
    async restore (request: FastifyRequest, archiveId: string): Promise<WriteResult & { resource: WritableResource }> {
      const record = await prisma.archivedRecord.findUnique({ where: { id: archiveId } })
      if (record === null) throw new ProblemError('notFound', `No archived record has the id ${archiveId}.`)
      const resource = resourcesByName.get(record.resource)
      if (resource === undefined) throw new Error(`archived record ${archiveId} names an unknown resource "${record.resource}"`)
      try {
        return await transact(request, resource, async (db) => {
          const claimed = await db.archivedRecord.deleteMany({ where: { id: archiveId } })
          if (claimed.count === 0) throw new ProblemError('notFound', `No archived record has the id ${archiveId}.`)
          await insertFromJson(db, resource.table, 'jsonb_populate_record', JSON.stringify(record.row))
          await db.$executeRawUnsafe(
            `UPDATE "${resource.table}" SET version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = $1::uuid`, record.entityId)
          const dependents = record.dependents as Record<string, unknown[]>
          for (const { table } of resource.cascades) {
            const rows = dependents[table] ?? []
            if (rows.length === 0) continue
            await insertFromJson(db, table, 'jsonb_populate_recordset', JSON.stringify(rows))
          }
          await inKeyRegion(db, request, resource, record.entityId)
          const after = (await resource.present(db, record.entityId))!
          await audit(db, request, resource, record.entityId, 'restore', after.version, null, after)
          return { ...await result(db, request, resource, after), resource }
        })
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 409) {
          throw new ProblemError('conflict', `The ${resource.noun} "${record.label}" cannot be restored: its ${resource.key === 'id' ? 'slug' : resource.key} ` +
            'is taken by a newer record. Archive or rename that one first.')
        }
        if (foreignKeyViolation(error)) {
          throw new ProblemError('conflict', `The ${resource.noun} "${record.label}" cannot be restored: something it belongs to ` +
            '(its hospital, unit, metric or source) is archived. Restore that first.')
        }
        throw error
      }
    }
  }
}

export type Writer = ReturnType<typeof createWriter>

export default fp(async (fastify) => {
  fastify.decorate('writer', createWriter(fastify))
}, { name: 'writer', dependencies: ['prisma', 'data-changes'] })
