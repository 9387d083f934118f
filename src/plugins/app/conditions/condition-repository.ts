import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { ConditionRelation, Prisma } from '../../../generated/prisma/client.ts'
import type { ListSpec, PageRequest } from '../../../lib/paging.ts'
import { condition, conditionInclude, conditionLink, conditionLinkInclude } from '../../../lib/representation.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'

declare module 'fastify' {
  interface FastifyInstance {
    conditionRepository: ConditionRepository
  }
}

export const conditionListSpec: ListSpec = {
  resource: 'conditions',
  sort: {
    name: { field: 'name', type: 'string' },
    slug: { field: 'slug', type: 'string' }
  },
  defaultSort: 'name'
}

export const conditionLinkListSpec: ListSpec = {
  resource: 'condition-links',
  sort: {
    createdAt: { field: 'createdAt', type: 'date' },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'createdAt'
}

export interface ConditionLinkFilters {
  condition?: string
  /** A unit slug or alias slug. */
  department?: string
  relation?: ConditionRelation
}

function linkWhere ({ condition, department, relation }: ConditionLinkFilters): Prisma.UnitConditionWhereInput {
  return {
    AND: [
      condition === undefined ? {} : { condition: { slug: condition } },
      department === undefined ? {} : { unit: unitWithSlug(department) },
      relation === undefined ? {} : { relation }
    ]
  }
}

export interface ConditionFilters {
  /** A unit slug or alias slug: conditions linked to that unit. */
  department?: string
  relation?: ConditionRelation
}

function filterWhere ({ department, relation }: ConditionFilters): Prisma.ConditionWhereInput {
  if (department === undefined && relation === undefined) return {}
  // One `some` for both, so department=x&relation=screened means "x screens for it", not "x has some link to it
  // and some unit screens for it".
  return {
    units: {
      some: {
        ...(department === undefined ? {} : { unit: unitWithSlug(department) }),
        ...(relation === undefined ? {} : { relation })
      }
    }
  }
}

type ConditionRow = Prisma.ConditionGetPayload<{ include: typeof conditionInclude }>

/** A condition's representation embeds its links, so it last changed when it or any of its links did. */
function lastModified (row: ConditionRow): Date {
  return new Date(Math.max(row.updatedAt.getTime(), ...row.units.map((link) => link.updatedAt.getTime())))
}

export function createConditionRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  return {
    async list (filters: ConditionFilters, page: PageRequest & { count?: boolean }) {
      const where = filterWhere(filters)
      return await paging.list(conditionListSpec, page, {
        find: async (keyset) => prisma.condition.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.ConditionOrderByWithRelationInput[],
          take: keyset.take,
          include: conditionInclude
        }),
        count: async () => prisma.condition.count({ where }),
        present: condition
      })
    },

    async listLinks (filters: ConditionLinkFilters, page: PageRequest & { count?: boolean }) {
      const where = linkWhere(filters)
      return await paging.list(conditionLinkListSpec, page, {
        find: async (keyset) => prisma.unitCondition.findMany({
          where: { AND: [where, keyset.where] },
          orderBy: keyset.orderBy as Prisma.UnitConditionOrderByWithRelationInput[],
          take: keyset.take,
          include: conditionLinkInclude
        }),
        count: async () => prisma.unitCondition.count({ where }),
        present: conditionLink
      })
    },

    async findBySlug (slug: string) {
      const row = await prisma.condition.findUnique({ where: { slug }, include: conditionInclude })
      return row === null ? null : { condition: condition(row), lastModified: lastModified(row) }
    }
  }
}

export type ConditionRepository = ReturnType<typeof createConditionRepository>

export default fp(async (fastify) => {
  fastify.decorate('conditionRepository', createConditionRepository(fastify))
}, { name: 'condition-repository', dependencies: ['prisma', 'paging'] })
