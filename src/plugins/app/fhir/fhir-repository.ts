import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Prisma } from '../../../generated/prisma/client.ts'
import {
  fhirHonorInclude, fhirObservationInclude, fhirServiceInclude, fhirUnitInclude, healthcareService, honorBasic, hospitalOrganization, observation,
  unitOrganization
} from './resources.ts'
import { fhirListSpec, type DateBound, type SortName } from './search.ts'
import type { PagePlan } from '../../../lib/paging.ts'
import { likeLiteral } from '../facts/fact-filters.ts'
import type { FhirResource, FhirResourceType } from '../../../schemas/fhir.ts'

declare module 'fastify' {
  interface FastifyInstance {
    fhirRepository: FhirRepository
  }
}

/** A search's filters, already parsed; every one given must hold. */
export interface FhirFilters {
  /** `_id`: any of these (an empty list matches nothing). */
  ids?: string[]
  name?: { text: string, match: 'startsWith' | 'contains' | 'exact' }
  /** The referenced organization (partof, organization, performer, subject); null when it cannot exist. */
  reference?: string | null
  /** Observation `code`: metric codes, any of them. */
  codes?: string[]
  lastUpdated: DateBound[]
}

export interface FhirSearchRequest {
  filters: FhirFilters
  count: number
  sort: SortName
  cursor?: string
  /** Only the total (`_summary=count` or `_count=0`). */
  totalOnly: boolean
  /** Add the organizations the matches refer to (`_include`). */
  include: boolean
}

export interface FhirSearchResult {
  total: number
  matches: FhirResource[]
  included: FhirResource[]
  nextCursor: string | null
}

/** The native resources whose archived records a FHIR type's ids may name (a read of one answers 410). */
const archivedResources: Record<FhirResourceType, string[]> = {
  Organization: ['hospitals', 'departments'],
  HealthcareService: ['services'],
  Observation: ['metrics'],
  Basic: ['honors']
}

const defaultSorts: Record<FhirResourceType, SortName> = {
  Organization: 'name',
  HealthcareService: 'name',
  Observation: '_id',
  Basic: '_id'
}

export function defaultSort (type: FhirResourceType): SortName {
  return defaultSorts[type]
}

function lastUpdatedWhere (bounds: DateBound[]) {
  return bounds.map((bound) => ({ updatedAt: bound }))
}

function nameWhere (name: FhirFilters['name']) {
  if (name === undefined) return {}
  if (name.match === 'exact') return { name: name.text }
  return { name: { [name.match]: likeLiteral(name.text), mode: 'insensitive' as const } }
}

function idWhere (ids: string[] | undefined) {
  return ids === undefined ? {} : { id: { in: ids } }
}

/** An ILIKE pattern matching `text` literally, at the start or anywhere. */
function likePattern (text: string, match: 'startsWith' | 'contains'): string {
  return match === 'startsWith' ? `${likeLiteral(text)}%` : `%${likeLiteral(text)}%`
}

export function createFhirRepository (fastify: FastifyInstance) {
  const { prisma, paging } = fastify

  /** Organizations by id, hospitals and units alike, in the order of `ids`. */
  async function organizations (ids: string[]): Promise<FhirResource[]> {
    if (ids.length === 0) return []
    const [hospitals, units] = await Promise.all([
      prisma.hospital.findMany({ where: { id: { in: ids } } }),
      prisma.unit.findMany({ where: { id: { in: ids } }, include: fhirUnitInclude })
    ])
    const byId = new Map<string, FhirResource>([
      ...hospitals.map((row) => [row.id, hospitalOrganization(row)] as const),
      ...units.map((row) => [row.id, unitOrganization(row)] as const)
    ])
    return ids.map((id) => byId.get(id)).filter((resource): resource is FhirResource => resource !== undefined)
  }

  /** The organizations the matches refer to that are not matches themselves, for `_include`. */
  async function referencedOrganizations (matches: FhirResource[]): Promise<FhirResource[]> {
    const present = new Set(matches.filter((resource) => resource.resourceType === 'Organization').map((resource) => resource.id))
    const referenced = new Set<string>()
    for (const resource of matches) {
      const reference = resource.resourceType === 'Organization'
        ? resource.partOf
        : resource.resourceType === 'HealthcareService'
          ? resource.providedBy
          : resource.resourceType === 'Observation' ? resource.performer[0] : resource.subject
      const id = reference?.reference.replace('Organization/', '')
      if (id !== undefined && !present.has(id)) referenced.add(id)
    }
    return await organizations([...referenced])
  }

  // Hospitals and units are both Organizations: one query over both tables keeps one order and one keyset.
  function organizationQuery (filters: FhirFilters): Prisma.Sql {
    const hospital: Prisma.Sql[] = []
    const unit: Prisma.Sql[] = []
    const both = (condition: Prisma.Sql) => { hospital.push(condition); unit.push(condition) }
    if (filters.ids !== undefined) both(Prisma.sql`id = ANY(${filters.ids}::uuid[])`)
    for (const bound of filters.lastUpdated) {
      if (bound.gte !== undefined) both(Prisma.sql`updated_at >= ${bound.gte}`)
      if (bound.lt !== undefined) both(Prisma.sql`updated_at < ${bound.lt}`)
    }
    if (filters.name !== undefined) {
      const { text, match } = filters.name
      if (match === 'exact') {
        hospital.push(Prisma.sql`(name = ${text} OR short_name = ${text})`)
        unit.push(Prisma.sql`(name = ${text} OR EXISTS (SELECT 1 FROM unit_alias a WHERE a.unit_id = unit.id AND a.name = ${text}))`)
      } else {
        const pattern = likePattern(text, match)
        hospital.push(Prisma.sql`(name ILIKE ${pattern} OR short_name ILIKE ${pattern})`)
        unit.push(Prisma.sql`(name ILIKE ${pattern} OR EXISTS (SELECT 1 FROM unit_alias a WHERE a.unit_id = unit.id AND a.name ILIKE ${pattern}))`)
      }
    }
    if (filters.reference !== undefined) {
      // A hospital is part of nothing; a unit is part of its division, or of its hospital when it has none.
      hospital.push(Prisma.sql`false`)
      unit.push(filters.reference === null
        ? Prisma.sql`false`
        : Prisma.sql`(parent_id = ${filters.reference}::uuid OR (parent_id IS NULL AND hospital_id = ${filters.reference}::uuid))`)
    }
    const where = (conditions: Prisma.Sql[]) => conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`
    return Prisma.sql`SELECT id, name, updated_at AS "updatedAt" FROM hospital ${where(hospital)}
      UNION ALL SELECT id, name, updated_at AS "updatedAt" FROM unit ${where(unit)}`
  }

  async function searchOrganizations (request: FhirSearchRequest, plan: PagePlan): Promise<{ total: number, rows: Array<{ id: string }> }> {
    const query = organizationQuery(request.filters)
    const [{ total }] = await prisma.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM (${query}) o`
    if (request.totalOnly) return { total, rows: [] }
    const descending = plan.sort.startsWith('-')
    const column = Prisma.raw(plan.sort.endsWith('name') ? 'name' : plan.sort.endsWith('_lastUpdated') ? '"updatedAt"' : 'id')
    const direction = Prisma.raw(descending ? 'DESC' : 'ASC')
    let keyset = Prisma.empty
    if (request.cursor !== undefined) {
      const cursor = paging.codec.decode(request.cursor)
      const value = plan.sort.endsWith('_lastUpdated') && typeof cursor.v === 'string'
        ? new Date(cursor.v)
        : plan.sort === '_id' ? Prisma.sql`${cursor.v}::uuid` : cursor.v
      const beyond = descending ? Prisma.sql`${column} < ${value}` : Prisma.sql`${column} > ${value}`
      keyset = Prisma.sql`WHERE (${beyond} OR (${column} = ${value} AND id > ${cursor.i}::uuid))`
    }
    const rows = await prisma.$queryRaw<Array<{ id: string, name: string, updatedAt: Date }>>`
      SELECT id::text, name, "updatedAt" FROM (${query}) o ${keyset} ORDER BY ${column} ${direction}, id ASC LIMIT ${plan.take}`
    return { total, rows }
  }

  async function findMatches (type: Exclude<FhirResourceType, 'Organization'>, request: FhirSearchRequest, plan: PagePlan) {
    const { filters } = request
    const common = [idWhere(filters.ids), ...lastUpdatedWhere(filters.lastUpdated)]
    const reference = (relation: Record<string, unknown>) => filters.reference === undefined ? {} : filters.reference === null ? { id: { in: [] } } : relation
    const page = { orderBy: plan.orderBy, take: plan.take }
    switch (type) {
      case 'HealthcareService': {
        const where: Prisma.ServiceWhereInput = { AND: [...common, nameWhere(filters.name), reference({ unitId: filters.reference })] }
        const [total, rows] = await Promise.all([
          prisma.service.count({ where }),
          request.totalOnly ? [] : prisma.service.findMany({ where: { AND: [where, plan.where] }, ...page, include: fhirServiceInclude } as Prisma.ServiceFindManyArgs)
        ])
        return { total, rows, present: healthcareService as (row: unknown) => FhirResource }
      }
      case 'Observation': {
        const where: Prisma.MetricObservationWhereInput = {
          AND: [...common, reference({ unitId: filters.reference }), filters.codes === undefined ? {} : { metric: { code: { in: filters.codes } } }]
        }
        const [total, rows] = await Promise.all([
          prisma.metricObservation.count({ where }),
          request.totalOnly ? [] : prisma.metricObservation.findMany({ where: { AND: [where, plan.where] }, ...page, include: fhirObservationInclude } as Prisma.MetricObservationFindManyArgs)
        ])
        return { total, rows, present: observation as (row: unknown) => FhirResource }
      }
      case 'Basic': {
        // The subject of an honor is its unit, or its hospital when it belongs to the whole hospital.
        const where: Prisma.HonorWhereInput = {
          AND: [...common, reference({ OR: [{ unitId: filters.reference }, { unitId: null, hospitalId: filters.reference }] })]
        }
        const [total, rows] = await Promise.all([
          prisma.honor.count({ where }),
          request.totalOnly ? [] : prisma.honor.findMany({ where: { AND: [where, plan.where] }, ...page, include: fhirHonorInclude } as Prisma.HonorFindManyArgs)
        ])
        return { total, rows, present: honorBasic as (row: unknown) => FhirResource }
      }
    }
  }

  return {
    /** One resource by id; `gone` when the id names an archived record of this type. */
    async read (type: FhirResourceType, id: string): Promise<FhirResource | 'gone' | null> {
      let found: FhirResource | null
      switch (type) {
        case 'Organization': found = (await organizations([id]))[0] ?? null; break
        case 'HealthcareService': {
          const row = await prisma.service.findUnique({ where: { id }, include: fhirServiceInclude })
          found = row === null ? null : healthcareService(row)
          break
        }
        case 'Observation': {
          const row = await prisma.metricObservation.findUnique({ where: { id }, include: fhirObservationInclude })
          found = row === null ? null : observation(row)
          break
        }
        case 'Basic': {
          const row = await prisma.honor.findUnique({ where: { id }, include: fhirHonorInclude })
          found = row === null ? null : honorBasic(row)
          break
        }
      }
      if (found !== null) return found
      const archived = await prisma.archivedRecord.findFirst({ where: { entityId: id, resource: { in: archivedResources[type] } }, select: { id: true } })
      return archived === null ? null : 'gone'
    },

    async search (type: FhirResourceType, request: FhirSearchRequest): Promise<FhirSearchResult> {
      const plan = paging.plan(fhirListSpec(type, defaultSorts[type]), { limit: Math.max(request.count, 1), sort: request.sort, cursor: request.cursor })
      let total: number
      let matches: FhirResource[]
      let nextCursor: string | null = null
      if (type === 'Organization') {
        const found = await searchOrganizations(request, plan)
        total = found.total
        const page = plan.page(found.rows)
        nextCursor = page.nextCursor
        matches = await organizations(page.rows.map((row) => row.id))
      } else {
        const found = await findMatches(type, request, plan)
        total = found.total
        const page = plan.page(found.rows as Array<{ id: string }>)
        nextCursor = page.nextCursor
        matches = page.rows.map(found.present)
      }
      if (request.totalOnly) return { total, matches: [], included: [], nextCursor: null }
      const included = request.include ? await referencedOrganizations(matches) : []
      return { total, matches, included, nextCursor }
    }
  }
}

export type FhirRepository = ReturnType<typeof createFhirRepository>

export default fp(async (fastify) => {
  fastify.decorate('fhirRepository', createFhirRepository(fastify))
}, { name: 'fhir-repository', dependencies: ['prisma', 'paging'] })
