import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Static } from 'typebox'
import type { AuditAction, Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import type { ArchivedRecord, AuditEvent } from '../../../schemas/writes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    auditRepository: AuditRepository
  }
}

// Reads of the audit trail and of the archive.

export const auditListSpec: ListSpec = {
  resource: 'audit',
  sort: { occurredAt: { field: 'occurredAt', type: 'date' } },
  defaultSort: '-occurredAt'
}

export const archiveListSpec: ListSpec = {
  resource: 'archive',
  sort: { archivedAt: { field: 'archivedAt', type: 'date' } },
  defaultSort: '-archivedAt'
}

export interface AuditFilters {
  resource?: string
  entityId?: string
  action?: AuditAction
  /** An API key's public prefix. */
  key?: string
  from?: Date
  to?: Date
}

const actorSelect = { select: { prefix: true, name: true } } as const

type AuditRow = Prisma.AuditEventGetPayload<{ include: { apiKey: typeof actorSelect } }>
type ArchiveRow = Prisma.ArchivedRecordGetPayload<{ include: { archivedBy: typeof actorSelect } }>

function auditEvent (row: AuditRow): Static<typeof AuditEvent> {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.apiKey,
    requestId: row.requestId,
    resource: row.resource,
    entityId: row.entityId,
    action: row.action,
    version: row.version,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null
  }
}

function archivedRecord (row: ArchiveRow): Static<typeof ArchivedRecord> {
  return {
    id: row.id,
    resource: row.resource,
    entityId: row.entityId,
    label: row.label,
    archivedAt: row.archivedAt.toISOString(),
    archivedBy: row.archivedBy,
    representation: row.representation as Record<string, unknown>
  }
}

function auditWhere (filters: AuditFilters): Prisma.AuditEventWhereInput {
  return {
    ...(filters.resource === undefined ? {} : { resource: filters.resource }),
    ...(filters.entityId === undefined ? {} : { entityId: filters.entityId }),
    ...(filters.action === undefined ? {} : { action: filters.action }),
    ...(filters.key === undefined ? {} : { apiKey: { prefix: filters.key } }),
    ...(filters.from === undefined && filters.to === undefined
      ? {}
      : { occurredAt: { ...(filters.from === undefined ? {} : { gte: filters.from }), ...(filters.to === undefined ? {} : { lt: filters.to }) } })
  }
}

export function createAuditRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: AuditFilters, page: PageRequest & { count?: boolean }) {
      const where = auditWhere(filters)
      return await paging.list(auditListSpec, page, {
        find: async (keyset) => prisma.auditEvent.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.AuditEventOrderByWithRelationInput[],
          take: keyset.take,
          include: { apiKey: actorSelect }
        }),
        count: async () => prisma.auditEvent.count({ where }),
        present: auditEvent
      })
    },

    async listArchived (filters: { resource?: string }, page: PageRequest & { count?: boolean }) {
      const where: Prisma.ArchivedRecordWhereInput = filters.resource === undefined ? {} : { resource: filters.resource }
      return await paging.list(archiveListSpec, page, {
        find: async (keyset) => prisma.archivedRecord.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.ArchivedRecordOrderByWithRelationInput[],
          take: keyset.take,
          include: { archivedBy: actorSelect }
        }),
        count: async () => prisma.archivedRecord.count({ where }),
        present: archivedRecord
      })
    },

    async findArchived (id: string) {
      const row = await prisma.archivedRecord.findUnique({ where: { id }, include: { archivedBy: actorSelect } })
      return row === null ? null : archivedRecord(row)
    }
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>

export default fp(async (fastify) => {
  fastify.decorate('auditRepository', createAuditRepository(fastify))
}, { name: 'audit-repository', dependencies: ['prisma', 'paging'] })
