import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { SourceKind } from '../../../generated/prisma/client.ts'
import { jsonArray, jsonObject, selectFields, sql, type Sql } from '../../../lib/json-sql.ts'
import type { JsonRow, ListSpec, PageRequest } from '../../../lib/paging.ts'
import { conditionLinkJson } from '../conditions/condition-json.ts'
import { unitReferenceFields } from '../departments/unit-reference-json.ts'
import { eventJson } from '../events/event-json.ts'
import { honorJson } from '../honors/honor-json.ts'
import { observationFields } from '../metrics/observation-json.ts'
import { newsSummaryJson } from '../news/news-json.ts'
import { serviceJson } from '../services/service-json.ts'
import { sourceFields } from './source-json.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sourceRepository: SourceRepository
  }
}

export const sourceListSpec: ListSpec = {
  resource: 'sources',
  sort: {
    fileName: { field: 'fileName', type: 'string' },
    title: { field: 'title', type: 'string' },
    statedOn: { field: 'statedOn', type: 'date', nullable: true, dateOnly: true },
    updatedAt: { field: 'updatedAt', type: 'date' }
  },
  defaultSort: 'fileName'
}

export interface SourceFilters {
  kind?: SourceKind
}

/**
 * The document with its full text and every fact it backs, each list in the order the API promises, as one JSON
 * object written by PostgreSQL for the source_document row `s`.
 */
function sourceDetailJson (): Sql {
  const id = sql`s.id`
  return jsonObject([
    ...sourceFields('s'),
    ['fullText', sql`s.full_text`],
    ['facts', jsonObject([
      ['departments', jsonArray(unitReferenceFields('fu'), sql`FROM unit fu WHERE fu.source_id = ${id}`, sql`fu.slug, fu.id`)],
      ['observations', jsonArray(jsonObject(observationFields('o', 'om')),
        sql`FROM metric_observation o JOIN metric_definition om ON om.id = o.metric_id JOIN unit ou ON ou.id = o.unit_id WHERE o.source_id = ${id}`,
        sql`ou.slug, om.code, o.id`)],
      ['honors', jsonArray(honorJson('hn'), sql`FROM honor hn WHERE hn.source_id = ${id}`, sql`hn.slug, hn.id`)],
      ['services', jsonArray(serviceJson('sv'), sql`FROM service sv WHERE sv.source_id = ${id}`, sql`sv.slug, sv.id`)],
      ['conditions', jsonArray(conditionLinkJson('uc'),
        sql`FROM unit_condition uc JOIN condition cc ON cc.id = uc.condition_id JOIN unit cu ON cu.id = uc.unit_id WHERE uc.source_id = ${id}`,
        sql`cc.slug, cu.slug, uc.id`)],
      ['events', jsonArray(eventJson('ev'), sql`FROM event ev WHERE ev.source_id = ${id}`, sql`ev.occurred_on ASC NULLS LAST, ev.slug, ev.id`)],
      ['news', jsonArray(newsSummaryJson('na'), sql`FROM news_article na WHERE na.source_id = ${id}`, sql`na.published_on DESC, na.id`)]
    ])]
  ])
}

/** The latest change to the document or to any fact it lists (a removed fact leaves no timestamp; the ETag covers it). */
const lastModified = sql`GREATEST(s.updated_at,
  (SELECT max(updated_at) FROM unit WHERE source_id = s.id), (SELECT max(updated_at) FROM metric_observation WHERE source_id = s.id),
  (SELECT max(updated_at) FROM honor WHERE source_id = s.id), (SELECT max(updated_at) FROM service WHERE source_id = s.id),
  (SELECT max(updated_at) FROM unit_condition WHERE source_id = s.id), (SELECT max(updated_at) FROM event WHERE source_id = s.id),
  (SELECT max(updated_at) FROM news_article WHERE source_id = s.id))`

export function createSourceRepository (fastify: FastifyInstance) {
  const { paging, database } = fastify

  return {
    /** One page of sources (without their text), each written as JSON by PostgreSQL. */
    async list (filters: SourceFilters, page: PageRequest & { count?: boolean }, fields: string[] = []) {
      const where = filters.kind === undefined ? sql`TRUE` : sql`s.kind = ${filters.kind}::"SourceKind"`
      const item = jsonObject(selectFields(sourceFields('s'), fields))
      return await paging.listJson(sourceListSpec, page, {
        columns: { id: sql`s.id`, sort: { fileName: sql`s.file_name`, title: sql`s.title`, statedOn: sql`s.stated_on`, updatedAt: sql`s.updated_at` } },
        find: async (keyset) => database.query<JsonRow>(sql`
          SELECT s.id, ${keyset.sortValue} AS "sortValue", ${item}::text AS item
          FROM source_document s WHERE ${where} AND ${keyset.where}
          ORDER BY ${keyset.orderBy} LIMIT ${keyset.take}`),
        count: async () => {
          const [row] = await database.query<{ total: number }>(sql`SELECT count(*)::int AS total FROM source_document s WHERE ${where}`)
          return row!.total
        }
      })
    },

    /** The document, its full text and every fact it backs as JSON text, with the latest change among them and its version; null when missing. */
    async findById (id: string): Promise<{ body: string, lastModified: Date, version: number } | null> {
      const [row] = await database.query<{ body: string, lastModified: Date, version: number }>(sql`
        SELECT ${sourceDetailJson()}::text AS body, ${lastModified} AS "lastModified", s.version FROM source_document s WHERE s.id = ${id}::uuid`)
      return row ?? null
    }
  }
}

export type SourceRepository = ReturnType<typeof createSourceRepository>

export default fp(async (fastify) => {
  fastify.decorate('sourceRepository', createSourceRepository(fastify))
}, { name: 'source-repository', dependencies: ['prisma', 'paging'] })
