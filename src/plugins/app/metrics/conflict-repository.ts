import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { isoDate, isoTimestamp, join, jsonArray, jsonObject, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import { unitWithSlug } from '../facts/fact-filters.ts'
import { unitReferenceFields } from '../departments/unit-reference-json.ts'
import { latestFirst, periodEnd, sameFigure, statement } from './figure-groups.ts'

declare module 'fastify' {
  interface FastifyInstance {
    conflictRepository: ConflictRepository
  }
}

// GET /v1/conflicts: every unit, metric and period whose figures disagree, found by grouping the figures (nothing is
// stored about a conflict, so none can be stale), each group written as JSON by PostgreSQL with its figures.

export const conflictListSpec: ListSpec = {
  resource: 'conflicts',
  sort: { department: { field: 'department', type: 'string' } },
  defaultSort: 'department'
}

export interface ConflictFilters {
  hospital?: string
  /** A unit's slug or one of its aliases. */
  department?: string
  metric?: string
}

function filtersSql (filters: ConflictFilters): Sql {
  const conditions: Sql[] = [sql`TRUE`]
  if (filters.hospital !== undefined) conditions.push(sql`o.unit_id IN (SELECT u.id FROM unit u JOIN hospital h ON h.id = u.hospital_id WHERE h.slug = ${filters.hospital})`)
  if (filters.department !== undefined) conditions.push(unitWithSlug(sql`o.unit_id`, filters.department))
  if (filters.metric !== undefined) conditions.push(sql`o.metric_id IN (SELECT id FROM metric_definition WHERE code = ${filters.metric})`)
  return join(conditions, ' AND ')
}

/** One row per unit, metric and period whose figures state more than one thing, with its id and sort key. */
function groupsSql (filters: ConflictFilters): Sql {
  return sql`(
    SELECT k.*, u.slug || chr(31) || m.code || chr(31) || k.period_kind::text || chr(31) || k.duration_key || chr(31) ||
        COALESCE(k.period_start::text, '') || chr(31) || COALESCE(k.period_end::text, '') AS sort_key
    FROM (
      SELECT o.unit_id, o.metric_id, o.period_kind, COALESCE(o.period_duration, '') AS duration_key, o.period_start,
        ${periodEnd('o')} AS period_end,
        md5(o.unit_id::text || '/' || o.metric_id::text || '/' || o.period_kind::text || '/' || COALESCE(o.period_duration, '') || '/' ||
          COALESCE(o.period_start::text, '') || '/' || COALESCE(${periodEnd('o')}::text, ''))::uuid AS id,
        min(o.id::text)::uuid AS any_figure
      FROM metric_observation o WHERE ${filtersSql(filters)}
      GROUP BY o.unit_id, o.metric_id, o.period_kind, COALESCE(o.period_duration, ''), o.period_start, ${periodEnd('o')}
      HAVING count(DISTINCT ${statement('o')}) > 1
    ) k JOIN unit u ON u.id = k.unit_id JOIN metric_definition m ON m.id = k.metric_id
  ) g`
}

/** The group `g` as the API shows it (schemas/conflicts.ts FigureConflict); `r` is one of its figures. */
function conflictJson (): Sql {
  const current = sql`(SELECT c.id FROM metric_observation c WHERE ${sameFigure('c', 'r')} ORDER BY ${latestFirst('c')} LIMIT 1)`
  const figure = jsonObject([
    ['id', sql`c.id`],
    ['value', sql`c.value::float8`],
    ['comparator', sql`c.comparator`],
    ['approximate', sql`c.approximate`],
    ['statedValue', sql`c.stated_value`],
    ['statedOn', isoDate(sql`c.stated_on`)],
    ['current', sql`c.id = ${current}`],
    ['source', jsonObject([['id', sql`cs.id`], ['title', sql`cs.title`], ['statedOn', isoDate(sql`cs.stated_on`)], ['quote', sql`c.quote`]])],
    ['createdAt', isoTimestamp(sql`c.created_at`)],
    ['links', jsonObject([['self', sql`'/v1/metrics/' || c.id`]])]
  ])
  return sql`(SELECT ${jsonObject([
    ['id', sql`g.id`],
    ['hospital', jsonObject([['slug', sql`h.slug`], ['name', sql`h.name`], ['shortName', sql`h.short_name`]])],
    ['department', unitReferenceFields('u')],
    ['metric', jsonObject([['code', sql`m.code`], ['name', sql`m.name`], ['unit', sql`m.unit`], ['unitLabel', sql`m.unit_label`], ['category', sql`m.category`]])],
    ['period', jsonObject([
      ['kind', sql`g.period_kind`],
      ['duration', sql`NULLIF(g.duration_key, '')`],
      ['start', isoDate(sql`g.period_start`)],
      ['end', isoDate(sql`g.period_end`)]
    ])],
    ['current', current],
    ['figures', jsonArray(figure, sql`FROM metric_observation c JOIN source_document cs ON cs.id = c.source_id WHERE ${sameFigure('c', 'r')}`, latestFirst('c'))],
    ['links', jsonObject([['figures', sql`'/v1/metrics?department=' || u.slug || '&metric=' || m.code`]])]
  ])} FROM metric_observation r JOIN unit u ON u.id = r.unit_id JOIN hospital h ON h.id = u.hospital_id
    JOIN metric_definition m ON m.id = r.metric_id WHERE r.id = g.any_figure)`
}

export function createConflictRepository (fastify: FastifyInstance) {
  const { paging, database } = fastify

  return {
    /** One page of conflicts, each written as JSON by PostgreSQL. */
    async list (filters: ConflictFilters, page: PageRequest & { count?: boolean }) {
      const groups = groupsSql(filters)
      return await paging.listJson(conflictListSpec, page, {
        columns: { id: sql`g.id`, sort: { department: sql`g.sort_key` } },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT g.id, ${keyset.sortValue} AS "sortValue", ${conflictJson()}::text AS item
          FROM ${groups} WHERE ${keyset.where} ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM ${groups}`)
          return row!.total
        }
      })
    }
  }
}

export type ConflictRepository = ReturnType<typeof createConflictRepository>

export default fp(async (fastify) => {
  fastify.decorate('conflictRepository', createConflictRepository(fastify))
}, { name: 'conflict-repository', dependencies: ['prisma', 'paging'] })
