import { randomUUID } from 'node:crypto'
import type { Static, TSchema } from 'typebox'
import { Prisma, type Comparator } from '../../../generated/prisma/client.ts'
import { ProblemError } from '../../../lib/problem.ts'
import {
  conditionBodies, conditionLinkBodies, departmentAliasBodies, departmentBodies, eventBodies, regionBodies, honorBodies, hospitalBodies, metricDefinitionBodies, newsBodies,
  observationBodies, serviceBodies, sourceBodies, type ProvenanceBody
} from '../../../schemas/writes.ts'
import { jsonObject, queryJson, sql } from '../../../lib/json-sql.ts'
import { departmentJson } from '../departments/department-json.ts'
import { hospitalJson } from '../hospitals/hospital-json.ts'
import { metricDefinitionJson } from '../metrics/metric-definition-json.ts'
import { observationFields } from '../metrics/observation-json.ts'
import { conditionJson, conditionLinkJson } from '../conditions/condition-json.ts'
import { eventJson } from '../events/event-json.ts'
import { honorJson } from '../honors/honor-json.ts'
import { newsArticleJson } from '../news/news-json.ts'
import { serviceJson } from '../services/service-json.ts'
import { sourceJson } from '../sources/source-json.ts'
import { runExtraction } from '../intake/extraction-run.ts'
import { sha256, storedText, type SourceMediaType } from '../intake/source-text.ts'
import { departmentAliasJson } from '../departments/department-alias-json.ts'
import { regionJson } from '../regions/region-json.ts'
import type { RegionPlacement } from '../regions/region-scope.ts'
import { regionLevels } from '../../../schemas/regions.ts'

// What the writes need to know of each resource: how its path key finds a row, how a body becomes a row, what
// stands in the way of archiving it, and how it is presented (the same presenters the reads use, so the ETag a
// write returns is the ETag a GET would). One generic writer (writer.ts) runs them in a transaction with the audit.

export type Db = Prisma.TransactionClient

/** The document and sentence a fact rests on, resolved from the body's provenance. */
export interface SourceLink {
  sourceId: string
  quote: string
}

export interface Representation {
  id: string
  version: number
}

export interface WritableResource {
  /** The path segment under /v1 and the audit's resource name. */
  name: string
  /** The singular, for messages. */
  noun: string
  /** The table, for archiving (trusted: never from a request). */
  table: string
  /** The path parameter that names one: slug, code or id. */
  key: 'slug' | 'code' | 'id'
  /** Whether its rows cite a source (and so every write needs provenance). */
  sourced: boolean
  /** The body field a uniqueness conflict is about. */
  uniqueField: string
  bodies: { create: TSchema, patch: TSchema }
  /** The $id of the representation schema. */
  representation: string
  idFor: (db: Db, key: string) => Promise<string | null>
  present: (db: Db, id: string) => Promise<Representation | null>
  create: (db: Db, body: Record<string, unknown>, link: SourceLink | undefined) => Promise<string>
  /** Applies a merge patch if the row is still at `version`; false when another write got there first. */
  update: (db: Db, id: string, version: number, patch: Record<string, unknown>, link: SourceLink | undefined) => Promise<boolean>
  /** What still refers to the row and must be archived first, as readable phrases ("3 figures"). */
  dependents: (db: Db, id: string) => Promise<string[]>
  /** Rows deleted and restored with it: table and the column that refers to it. */
  cascades: Array<{ table: string, column: string }>
  location: (representation: Representation) => string
  label: (representation: Representation) => string
  /** Where a row lies, so that a region-scoped key writes only inside its region (regions/region-scope.ts). */
  placement: RegionPlacement
}

function unprocessable (field: string, message: string): ProblemError {
  return new ProblemError('unprocessableContent', `body ${field.slice(1)} ${message}`, {
    errors: [{ in: 'body', field, message }]
  })
}

function invalid (field: string, message: string): ProblemError {
  return new ProblemError('invalidRequest', `body ${field.slice(1)} ${message}`, {
    errors: [{ in: 'body', field, message }]
  })
}

async function hospitalId (db: Db, slug: string, field = '/hospital'): Promise<string> {
  const row = await db.hospital.findUnique({ where: { slug }, select: { id: true } })
  if (row === null) throw unprocessable(field, `names no hospital: "${slug}"`)
  return row.id
}

/** A unit by its slug or one of its aliases. */
async function unitOf (db: Db, slug: string, field: string): Promise<{ id: string, hospitalId: string, kind: string }> {
  const row = await db.unit.findFirst({
    where: { OR: [{ slug }, { aliases: { some: { slug } } }] },
    select: { id: true, hospitalId: true, kind: true }
  })
  if (row === null) throw unprocessable(field, `names no department, division or center: "${slug}"`)
  return row
}

async function metricId (db: Db, code: string): Promise<string> {
  const row = await db.metricDefinition.findUnique({ where: { code }, select: { id: true } })
  if (row === null) throw unprocessable('/metric', `names no metric definition: "${code}" (see /v1/metric-definitions)`)
  return row.id
}

/** A unit given with a hospital must belong to it. */
async function unitInHospital (db: Db, slug: string | null | undefined, inHospital: string, field = '/department'): Promise<string | null> {
  if (slug === null || slug === undefined) return null
  const unit = await unitOf(db, slug, field)
  if (unit.hospitalId !== inHospital) throw unprocessable(field, `"${slug}" belongs to another hospital`)
  return unit.id
}

function dateOrNull (value: unknown): Date | null | undefined {
  if (value === undefined) return undefined
  return value === null ? null : new Date(value as string)
}

function count (n: number, singular: string, plural = `${singular}s`): string[] {
  return n === 0 ? [] : [`${n} ${n === 1 ? singular : plural}`]
}

function sourceData (link: SourceLink | undefined) {
  return link === undefined ? {} : { sourceId: link.sourceId, quote: link.quote }
}

/** Optimistic update: the row changes only if it is still at the version the client read. */
const bump = { version: { increment: 1 } }

type HospitalCreate = Static<typeof hospitalBodies.fields> & { provenance?: ProvenanceBody }
type DepartmentCreate = Static<typeof departmentBodies.fields> & { provenance?: ProvenanceBody }
type ObservationCreate = Static<typeof observationBodies.fields> & { provenance?: ProvenanceBody }
type MetricDefinitionCreate = Static<typeof metricDefinitionBodies.fields> & { provenance?: ProvenanceBody }
type HonorCreate = Static<typeof honorBodies.fields> & { provenance?: ProvenanceBody }
type ServiceCreate = Static<typeof serviceBodies.fields> & { provenance?: ProvenanceBody }
type ConditionCreate = Static<typeof conditionBodies.fields> & { provenance?: ProvenanceBody }
type ConditionLinkCreate = Static<typeof conditionLinkBodies.fields> & { provenance?: ProvenanceBody }
type EventCreate = Static<typeof eventBodies.fields> & { provenance?: ProvenanceBody }
type NewsCreate = Static<typeof newsBodies.fields> & { provenance?: ProvenanceBody }

async function regionIdOf (db: Db, slug: string | null | undefined, field = '/region'): Promise<string | null | undefined> {
  if (slug === undefined || slug === null) return slug
  const row = await db.region.findUnique({ where: { slug }, select: { id: true } })
  if (row === null) throw unprocessable(field, `names no region: "${slug}" (see /v1/regions)`)
  return row.id
}

function slugConflict (message: string): ProblemError {
  return new ProblemError('conflict', `body slug ${message}`, { errors: [{ in: 'body', field: '/slug', message }] })
}

/**
 * A hospital's or unit's slug must not be another one's alias (the old slug of a renamed one, which still answers
 * with a redirect). `owner` may take back its own former slug: keepFormerSlug drops that alias.
 */
async function refuseFormerSlug (db: Db, kind: 'hospital' | 'unit', slug: string, owner: string | null): Promise<void> {
  const alias = kind === 'hospital'
    ? await db.hospitalAlias.findUnique({ where: { slug }, select: { hospitalId: true } }).then((row) => row === null ? null : row.hospitalId)
    : await db.unitAlias.findUnique({ where: { slug }, select: { unitId: true } }).then((row) => row === null ? null : row.unitId)
  if (alias !== null && alias !== owner) throw slugConflict(`is an alias of another ${kind}`)
}

/**
 * After a rename, the old slug stays as an alias of the renamed hospital or unit, so its URLs answer 301 to the new
 * ones instead of 404; the rename's provenance backs it. Taking back a former slug drops that alias.
 */
async function keepFormerSlug (db: Db, kind: 'hospital' | 'unit', id: string, before: { slug: string, name: string }, slug: string,
  link: SourceLink): Promise<void> {
  if (kind === 'hospital') {
    await db.hospitalAlias.deleteMany({ where: { slug, hospitalId: id } })
    await db.hospitalAlias.create({ data: { hospitalId: id, slug: before.slug, name: before.name, sourceId: link.sourceId, quote: link.quote } })
  } else {
    await db.unitAlias.deleteMany({ where: { slug, unitId: id } })
    await db.unitAlias.create({ data: { unitId: id, slug: before.slug, name: before.name, sourceId: link.sourceId, quote: link.quote } })
  }
}

const hospitals: WritableResource = {
  name: 'hospitals',
  noun: 'hospital',
  table: 'hospital',
  key: 'slug',
  sourced: true,
  uniqueField: '/slug',
  bodies: hospitalBodies,
  representation: 'Hospital',
  idFor: async (db, slug) => (await db.hospital.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${hospitalJson('h')}::text AS body FROM hospital h WHERE h.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, region, ...body } = input as HospitalCreate
    await refuseFormerSlug(db, 'hospital', body.slug, null)
    const row = await db.hospital.create({
      data: {
        ...body,
        shortName: body.shortName ?? null,
        regionId: await regionIdOf(db, region) ?? null,
        grade: body.grade ?? null,
        type: body.type ?? null,
        ownership: body.ownership ?? null,
        ...sourceData(link)
      } as Prisma.HospitalUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, region, ...patch } = input as Partial<HospitalCreate>
    const before = await db.hospital.findUniqueOrThrow({ where: { id }, select: { slug: true, name: true } })
    const renamed = patch.slug !== undefined && patch.slug !== before.slug
    if (renamed) await refuseFormerSlug(db, 'hospital', patch.slug!, id)
    const regionId = await regionIdOf(db, region)
    const { count: changed } = await db.hospital.updateMany({
      where: { id, version },
      data: { ...patch, ...(regionId === undefined ? {} : { regionId }), ...sourceData(link), ...bump } as Prisma.HospitalUncheckedUpdateManyInput
    })
    if (changed === 1 && renamed) await keepFormerSlug(db, 'hospital', id, before, patch.slug!, link!)
    return changed === 1
  },
  async dependents (db, id) {
    const [units, honors, events, news, documents] = await Promise.all([
      db.unit.count({ where: { hospitalId: id } }),
      db.honor.count({ where: { hospitalId: id } }),
      db.event.count({ where: { hospitalId: id } }),
      db.newsArticle.count({ where: { hospitalId: id } }),
      db.sourceDocument.count({ where: { hospitalId: id } })
    ])
    return [...count(units, 'unit'), ...count(honors, 'honor'), ...count(events, 'event'), ...count(news, 'news article'),
      ...count(documents, 'source document')]
  },
  // Its former slugs go and come back with it.
  cascades: [{ table: 'hospital_alias', column: 'hospital_id' }],
  location: (rep) => `/v1/hospitals/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT ${id}::uuid` }
}

/** A parent must be a unit of the same hospital, and not the unit itself or one of its descendants. */
async function checkParent (db: Db, unitId: string | null, hospital: string, parentSlug: string | null | undefined): Promise<string | null | undefined> {
  if (parentSlug === undefined) return undefined
  if (parentSlug === null) return null
  const parent = await unitOf(db, parentSlug, '/parent')
  if (parent.hospitalId !== hospital) throw unprocessable('/parent', `"${parentSlug}" belongs to another hospital`)
  if (unitId !== null) {
    // Walk up from the new parent: meeting the unit itself would make a cycle.
    let cursor: string | null = parent.id
    for (let depth = 0; cursor !== null && depth < 100; depth++) {
      if (cursor === unitId) throw unprocessable('/parent', 'would place the unit under itself')
      const next: { parentId: string | null } | null = await db.unit.findUnique({ where: { id: cursor }, select: { parentId: true } })
      cursor = next?.parentId ?? null
    }
  }
  return parent.id
}

const departments: WritableResource = {
  name: 'departments',
  noun: 'unit',
  table: 'unit',
  key: 'slug',
  sourced: true,
  uniqueField: '/slug',
  bodies: departmentBodies,
  representation: 'Department',
  idFor: async (db, slug) => (await db.unit.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  // As GET /v1/departments/{slug} presents it by default: with its children and figures.
  present: async (db, id) => queryJson(db, sql`SELECT ${departmentJson('u', ['children', 'metrics'])}::text AS body FROM unit u WHERE u.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, parent, ...body } = input as DepartmentCreate
    const hospital = await hospitalId(db, hospitalSlug)
    const parentId = await checkParent(db, null, hospital, parent)
    await refuseFormerSlug(db, 'unit', body.slug, null)
    const row = await db.unit.create({
      data: { ...body, hospitalId: hospital, parentId: parentId ?? null, ...sourceData(link) } as Prisma.UnitUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, parent, ...patch } = input as Partial<DepartmentCreate>
    const current = await db.unit.findUniqueOrThrow({ where: { id }, select: { hospitalId: true, parentId: true, slug: true, name: true } })
    const renamed = patch.slug !== undefined && patch.slug !== current.slug
    if (renamed) await refuseFormerSlug(db, 'unit', patch.slug!, id)
    const hospital = hospitalSlug === undefined ? current.hospitalId : await hospitalId(db, hospitalSlug)
    if (hospital !== current.hospitalId && parent === undefined && current.parentId !== null) {
      throw unprocessable('/parent', 'must be given (or null) when the unit moves to another hospital')
    }
    const parentId = await checkParent(db, id, hospital, parent)
    const { count: changed } = await db.unit.updateMany({
      where: { id, version },
      data: { ...patch, hospitalId: hospital, ...(parentId === undefined ? {} : { parentId }), ...sourceData(link), ...bump }
    })
    if (changed === 1 && renamed) await keepFormerSlug(db, 'unit', id, current, patch.slug!, link!)
    return changed === 1
  },
  async dependents (db, id) {
    const unitId = id
    const [children, figures, honors, services, conditions, events, news] = await Promise.all([
      db.unit.count({ where: { parentId: unitId } }),
      db.metricObservation.count({ where: { unitId } }),
      db.honor.count({ where: { unitId } }),
      db.service.count({ where: { unitId } }),
      db.unitCondition.count({ where: { unitId } }),
      db.event.count({ where: { unitId } }),
      db.newsArticleUnit.count({ where: { unitId } })
    ])
    return [
      ...count(children, 'unit under it', 'units under it'), ...count(figures, 'figure'), ...count(honors, 'honor'),
      ...count(services, 'service'), ...count(conditions, 'condition link'), ...count(events, 'event'),
      ...count(news, 'news article')
    ]
  },
  cascades: [{ table: 'unit_alias', column: 'unit_id' }],
  location: (rep) => `/v1/departments/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT hospital_id FROM unit WHERE id = ${id}::uuid` }
}

const comparatorCodes: Record<string, Comparator> = { '<': 'lt', '<=': 'le', '>=': 'ge', '>': 'gt' }

function periodData (period: ObservationCreate['period'] | undefined) {
  if (period === undefined) return {}
  const start = dateOrNull(period.start) ?? null
  const end = dateOrNull(period.end) ?? null
  if (start !== null && end !== null && start > end) throw invalid('/period/start', 'must be on or before period.end')
  return {
    periodKind: period.kind,
    periodDuration: period.duration ?? null,
    periodStart: start,
    periodEnd: end,
    periodLabel: period.label ?? null
  }
}

function comparatorData (comparator: string | null | undefined) {
  if (comparator === undefined) return {}
  return { comparator: comparator === null ? null : comparatorCodes[comparator] }
}

const metrics: WritableResource = {
  name: 'metrics',
  noun: 'figure',
  table: 'metric_observation',
  key: 'id',
  sourced: true,
  uniqueField: '/provenance/source',
  bodies: observationBodies,
  representation: 'Observation',
  idFor: async (db, id) => (await db.metricObservation.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${jsonObject(observationFields('o', 'om'))}::text AS body
    FROM metric_observation o JOIN metric_definition om ON om.id = o.metric_id WHERE o.id = ${id}::uuid`),
  async create (db, input, link) {
    const body = input as ObservationCreate
    const unit = await unitOf(db, body.department, '/department')
    const row = await db.metricObservation.create({
      data: {
        unitId: unit.id,
        metricId: await metricId(db, body.metric),
        value: new Prisma.Decimal(body.value),
        ...comparatorData(body.comparator),
        approximate: body.approximate ?? false,
        statedValue: body.statedValue,
        ...periodData(body.period),
        statedOn: dateOrNull(body.statedOn) ?? null,
        note: body.note ?? null,
        ...sourceData(link)
      } as Prisma.MetricObservationUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const patch = input as Partial<ObservationCreate>
    const { count: changed } = await db.metricObservation.updateMany({
      where: { id, version },
      data: {
        ...(patch.department === undefined ? {} : { unitId: (await unitOf(db, patch.department, '/department')).id }),
        ...(patch.metric === undefined ? {} : { metricId: await metricId(db, patch.metric) }),
        ...(patch.value === undefined ? {} : { value: new Prisma.Decimal(patch.value) }),
        ...comparatorData(patch.comparator),
        approximate: patch.approximate,
        statedValue: patch.statedValue,
        ...periodData(patch.period),
        statedOn: dateOrNull(patch.statedOn),
        note: patch.note,
        ...sourceData(link),
        ...bump
      }
    })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/metrics/${rep.id}`,
  label: (rep) => rep.id,
  placement: { hospitalOf: (id) => sql`SELECT u.hospital_id FROM metric_observation o JOIN unit u ON u.id = o.unit_id WHERE o.id = ${id}::uuid` }
}

const metricDefinitions: WritableResource = {
  name: 'metric-definitions',
  noun: 'metric definition',
  table: 'metric_definition',
  key: 'code',
  sourced: false,
  uniqueField: '/code',
  bodies: metricDefinitionBodies,
  representation: 'MetricDefinition',
  idFor: async (db, code) => (await db.metricDefinition.findUnique({ where: { code }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${metricDefinitionJson('md')}::text AS body FROM metric_definition md WHERE md.id = ${id}::uuid`),
  async create (db, input) {
    const row = await db.metricDefinition.create({ data: input as MetricDefinitionCreate, select: { id: true } })
    return row.id
  },
  async update (db, id, version, input) {
    const { count: changed } = await db.metricDefinition.updateMany({ where: { id, version }, data: { ...(input as Partial<MetricDefinitionCreate>), ...bump } })
    return changed === 1
  },
  dependents: async (db, id) => count(await db.metricObservation.count({ where: { metricId: id } }), 'figure'),
  cascades: [],
  location: (rep) => `/v1/metric-definitions/${(rep as unknown as { code: string }).code}`,
  label: (rep) => (rep as unknown as { code: string }).code,
  placement: 'shared'
}

const honors: WritableResource = {
  name: 'honors',
  noun: 'honor',
  table: 'honor',
  key: 'id',
  sourced: true,
  uniqueField: '/slug',
  bodies: honorBodies,
  representation: 'Honor',
  idFor: async (db, id) => (await db.honor.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${honorJson('hn')}::text AS body FROM honor hn WHERE hn.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, department: unitSlug, statedOn, ...body } = input as HonorCreate
    const hospital = await hospitalId(db, hospitalSlug)
    const row = await db.honor.create({
      data: {
        ...body,
        hospitalId: hospital,
        unitId: await unitInHospital(db, unitSlug, hospital),
        statedOn: dateOrNull(statedOn) ?? null,
        ...sourceData(link)
      } as Prisma.HonorUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, department: unitSlug, statedOn, ...patch } = input as Partial<HonorCreate>
    const current = await db.honor.findUniqueOrThrow({ where: { id }, select: { hospitalId: true, unit: { select: { slug: true } } } })
    const hospital = hospitalSlug === undefined ? current.hospitalId : await hospitalId(db, hospitalSlug)
    // Moving to another hospital re-checks the unit it keeps (or is given).
    const unitSlugAfter = unitSlug === undefined ? current.unit?.slug ?? null : unitSlug
    const unitId = await unitInHospital(db, unitSlugAfter, hospital)
    const { count: changed } = await db.honor.updateMany({
      where: { id, version },
      data: { ...patch, hospitalId: hospital, unitId, statedOn: dateOrNull(statedOn), ...sourceData(link), ...bump }
    })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/honors/${rep.id}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT hospital_id FROM honor WHERE id = ${id}::uuid` }
}

const services: WritableResource = {
  name: 'services',
  noun: 'service',
  table: 'service',
  key: 'id',
  sourced: true,
  uniqueField: '/slug',
  bodies: serviceBodies,
  representation: 'Service',
  idFor: async (db, id) => (await db.service.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${serviceJson('sv')}::text AS body FROM service sv WHERE sv.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, department: unitSlug, ...body } = input as ServiceCreate
    const unit = await unitOf(db, unitSlug, '/department')
    const row = await db.service.create({
      data: { ...body, description: body.description ?? null, unitId: unit.id, ...sourceData(link) } as Prisma.ServiceUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, department: unitSlug, ...patch } = input as Partial<ServiceCreate>
    const unitId = unitSlug === undefined ? undefined : (await unitOf(db, unitSlug, '/department')).id
    const { count: changed } = await db.service.updateMany({ where: { id, version }, data: { ...patch, unitId, ...sourceData(link), ...bump } })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/services/${rep.id}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT u.hospital_id FROM service sv JOIN unit u ON u.id = sv.unit_id WHERE sv.id = ${id}::uuid` }
}

const conditions: WritableResource = {
  name: 'conditions',
  noun: 'condition',
  table: 'condition',
  key: 'slug',
  sourced: false,
  uniqueField: '/slug',
  bodies: conditionBodies,
  representation: 'Condition',
  idFor: async (db, slug) => (await db.condition.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${conditionJson('c')}::text AS body FROM condition c WHERE c.id = ${id}::uuid`),
  async create (db, input) {
    return (await db.condition.create({ data: input as ConditionCreate, select: { id: true } })).id
  },
  async update (db, id, version, input) {
    const { count: changed } = await db.condition.updateMany({ where: { id, version }, data: { ...(input as Partial<ConditionCreate>), ...bump } })
    return changed === 1
  },
  dependents: async () => [],
  // The links to the units that treat it are part of it: archived and restored with it.
  cascades: [{ table: 'unit_condition', column: 'condition_id' }],
  location: (rep) => `/v1/conditions/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: 'shared'
}

async function conditionIdOf (db: Db, slug: string): Promise<string> {
  const row = await db.condition.findUnique({ where: { slug }, select: { id: true } })
  if (row === null) throw unprocessable('/condition', `names no condition: "${slug}"`)
  return row.id
}

/** That a unit treats, manages or screens for a condition: one link per unit and condition. */
const conditionLinks: WritableResource = {
  name: 'condition-links',
  noun: 'condition link',
  table: 'unit_condition',
  key: 'id',
  sourced: true,
  uniqueField: '/department',
  bodies: conditionLinkBodies,
  representation: 'ConditionLink',
  idFor: async (db, id) => (await db.unitCondition.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${conditionLinkJson('uc')}::text AS body FROM unit_condition uc WHERE uc.id = ${id}::uuid`),
  async create (db, input, link) {
    const body = input as ConditionLinkCreate
    const row = await db.unitCondition.create({
      data: {
        conditionId: await conditionIdOf(db, body.condition),
        unitId: (await unitOf(db, body.department, '/department')).id,
        relation: body.relation,
        ...sourceData(link)
      } as Prisma.UnitConditionUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const patch = input as Partial<ConditionLinkCreate>
    const { count: changed } = await db.unitCondition.updateMany({
      where: { id, version },
      data: {
        ...(patch.condition === undefined ? {} : { conditionId: await conditionIdOf(db, patch.condition) }),
        ...(patch.department === undefined ? {} : { unitId: (await unitOf(db, patch.department, '/department')).id }),
        relation: patch.relation,
        ...sourceData(link),
        ...bump
      }
    })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/condition-links/${rep.id}`,
  label: (rep) => {
    const { condition, department } = rep as unknown as { condition: { slug: string }, department: { slug: string } }
    return `${condition.slug} / ${department.slug}`
  },
  placement: { hospitalOf: (id) => sql`SELECT u.hospital_id FROM unit_condition uc JOIN unit u ON u.id = uc.unit_id WHERE uc.id = ${id}::uuid` }
}

const events: WritableResource = {
  name: 'events',
  noun: 'event',
  table: 'event',
  key: 'id',
  sourced: true,
  uniqueField: '/slug',
  bodies: eventBodies,
  representation: 'Event',
  idFor: async (db, id) => (await db.event.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${eventJson('ev')}::text AS body FROM event ev WHERE ev.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, department: unitSlug, occurredOn, ...body } = input as EventCreate
    const hospital = await hospitalId(db, hospitalSlug)
    const row = await db.event.create({
      data: {
        ...body,
        description: body.description ?? null,
        year: body.year ?? (typeof occurredOn === 'string' ? Number(occurredOn.slice(0, 4)) : null),
        hospitalId: hospital,
        unitId: await unitInHospital(db, unitSlug, hospital),
        occurredOn: dateOrNull(occurredOn) ?? null,
        ...sourceData(link)
      } as Prisma.EventUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, department: unitSlug, occurredOn, ...patch } = input as Partial<EventCreate>
    const current = await db.event.findUniqueOrThrow({ where: { id }, select: { hospitalId: true, unit: { select: { slug: true } } } })
    const hospital = hospitalSlug === undefined ? current.hospitalId : await hospitalId(db, hospitalSlug)
    const unitId = await unitInHospital(db, unitSlug === undefined ? current.unit?.slug ?? null : unitSlug, hospital)
    const { count: changed } = await db.event.updateMany({
      where: { id, version },
      data: { ...patch, hospitalId: hospital, unitId, occurredOn: dateOrNull(occurredOn), ...sourceData(link), ...bump }
    })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/events/${rep.id}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT hospital_id FROM event WHERE id = ${id}::uuid` }
}

async function articleUnits (db: Db, slugs: string[], hospital: string): Promise<string[]> {
  const ids: string[] = []
  for (const [index, slug] of slugs.entries()) {
    const unitId = await unitInHospital(db, slug, hospital, `/departments/${index}`)
    if (unitId !== null && !ids.includes(unitId)) ids.push(unitId)
  }
  return ids
}

const news: WritableResource = {
  name: 'news',
  noun: 'news article',
  table: 'news_article',
  key: 'slug',
  sourced: true,
  uniqueField: '/slug',
  bodies: newsBodies,
  representation: 'NewsArticle',
  idFor: async (db, slug) => (await db.newsArticle.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${newsArticleJson('na')}::text AS body FROM news_article na WHERE na.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, departments: unitSlugs, publishedOn, ...body } = input as NewsCreate
    const hospital = await hospitalId(db, hospitalSlug)
    const unitIds = await articleUnits(db, unitSlugs ?? [], hospital)
    const row = await db.newsArticle.create({
      data: {
        ...body,
        hospitalId: hospital,
        publishedOn: new Date(publishedOn),
        ...sourceData(link),
        units: { create: unitIds.map((unitId) => ({ unitId })) }
      } as Prisma.NewsArticleUncheckedCreateInput,
      select: { id: true }
    })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, hospital: hospitalSlug, departments: unitSlugs, publishedOn, ...patch } = input as Partial<NewsCreate>
    const current = await db.newsArticle.findUniqueOrThrow({
      where: { id }, select: { hospitalId: true, units: { select: { unit: { select: { slug: true } } } } }
    })
    const hospital = hospitalSlug === undefined ? current.hospitalId : await hospitalId(db, hospitalSlug)
    const slugsAfter = unitSlugs ?? current.units.map((link) => link.unit.slug)
    const unitIds = await articleUnits(db, slugsAfter, hospital)
    const { count: changed } = await db.newsArticle.updateMany({
      where: { id, version },
      data: { ...patch, hospitalId: hospital, publishedOn: dateOrNull(publishedOn) ?? undefined, ...sourceData(link), ...bump }
    })
    if (changed !== 1) return false
    await db.newsArticleUnit.deleteMany({ where: { articleId: id } })
    await db.newsArticleUnit.createMany({ data: unitIds.map((unitId) => ({ articleId: id, unitId })) })
    return true
  },
  dependents: async () => [],
  cascades: [{ table: 'news_article_unit', column: 'article_id' }],
  location: (rep) => `/v1/news/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT hospital_id FROM news_article WHERE id = ${id}::uuid` }
}

type SourceCreate = Static<typeof sourceBodies.fields> & { text: string, contentType?: SourceMediaType }

/** A text already stored: another source with it is refused, naming the one that has it. */
async function refuseDuplicate (db: Db, digest: string): Promise<void> {
  // Two requests sending the same text at once queue here, so the second sees the first's row.
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`source:${digest}`}, 0))`
  const existing = await db.sourceDocument.findFirst({ where: { sha256: digest }, select: { id: true, title: true }, orderBy: { createdAt: 'asc' } })
  if (existing === null) return
  const link = `/v1/sources/${existing.id}`
  const message = `is the text of source ${existing.id} ("${existing.title}", ${link})`
  throw new ProblemError('conflict', `The same text is already stored as source ${existing.id} ("${existing.title}"): ${link}. ` +
    'A document is stored once; change that source\'s metadata with PATCH, or send a different text.', {
    errors: [{ in: 'body', field: '/text', message }],
    headers: { link: `<${link}>; rel="duplicate"` }
  })
}

/**
 * Source documents sent through the API. The text is stored as sent (HTML as the text a reader sees) and never
 * changes: every quote is checked against it. Creating one extracts it at once (intake/extraction-run.ts); its
 * candidates are archived and restored with it.
 */
const sources: WritableResource = {
  name: 'sources',
  noun: 'source',
  table: 'source_document',
  key: 'id',
  sourced: false,
  uniqueField: '/text',
  bodies: sourceBodies,
  representation: 'Source',
  idFor: async (db, id) => (await db.sourceDocument.findUnique({ where: { id }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${sourceJson('s')}::text AS body FROM source_document s WHERE s.id = ${id}::uuid`),
  async create (db, input) {
    const { hospital: hospitalSlug, text: sent, contentType = 'text/plain', statedOn, ...body } = input as SourceCreate
    const hospital = await hospitalId(db, hospitalSlug)
    const text = storedText(sent, contentType, '/text')
    const digest = sha256(text)
    await refuseDuplicate(db, digest)
    const row = await db.sourceDocument.create({
      data: {
        ...body,
        fileName: `intake/${randomUUID()}`,
        hospitalId: hospital,
        statedOn: dateOrNull(statedOn) ?? null,
        fullText: text,
        sha256: digest,
        contentType
      } as Prisma.SourceDocumentUncheckedCreateInput,
      select: { id: true }
    })
    await runExtraction(db, row.id)
    return row.id
  },
  async update (db, id, version, input) {
    const { hospital: hospitalSlug, statedOn, ...patch } = input as Partial<SourceCreate>
    const current = await db.sourceDocument.findUniqueOrThrow({ where: { id }, select: { kind: true } })
    if (current.kind === 'manual_entry' && patch.kind !== undefined) {
      throw unprocessable('/kind', 'cannot be changed: a manual entry is a note typed in with a write, not a document')
    }
    const { count: changed } = await db.sourceDocument.updateMany({
      where: { id, version },
      data: {
        ...patch,
        ...(hospitalSlug === undefined ? {} : { hospitalId: await hospitalId(db, hospitalSlug) }),
        statedOn: dateOrNull(statedOn),
        ...bump
      }
    })
    return changed === 1
  },
  async dependents (db, id) {
    const sourceId = id
    const [hospitalRows, hospitalAliases, units, aliases, figures, honorRows, serviceRows, links, eventRows, articles] = await Promise.all([
      db.hospital.count({ where: { sourceId } }),
      db.hospitalAlias.count({ where: { sourceId } }),
      db.unit.count({ where: { sourceId } }),
      db.unitAlias.count({ where: { sourceId } }),
      db.metricObservation.count({ where: { sourceId } }),
      db.honor.count({ where: { sourceId } }),
      db.service.count({ where: { sourceId } }),
      db.unitCondition.count({ where: { sourceId } }),
      db.event.count({ where: { sourceId } }),
      db.newsArticle.count({ where: { sourceId } })
    ])
    return [
      ...count(hospitalRows, 'hospital'), ...count(hospitalAliases, 'former hospital slug'), ...count(units, 'unit'), ...count(aliases, 'unit alias', 'unit aliases'), ...count(figures, 'figure'),
      ...count(honorRows, 'honor'), ...count(serviceRows, 'service'), ...count(links, 'condition link'), ...count(eventRows, 'event'),
      ...count(articles, 'news article')
    ].map((phrase, index, phrases) => index === phrases.length - 1 ? `${phrase} citing it` : phrase)
  },
  // Its candidates, proposed and decided, belong to it.
  cascades: [{ table: 'extraction_candidate', column: 'source_id' }],
  location: (rep) => `/v1/sources/${rep.id}`,
  label: (rep) => (rep as unknown as { title: string }).title,
  placement: { hospitalOf: (id) => sql`SELECT hospital_id FROM source_document WHERE id = ${id}::uuid` }
}

type RegionCreate = Static<typeof regionBodies.fields>
type RegionLevelName = (typeof regionLevels)[number]

/** The levels a region of each level may lie in (a country lies in none). */
const parentLevels: Record<RegionLevelName, readonly RegionLevelName[]> = {
  country: [],
  province: ['country'],
  autonomous_region: ['country'],
  municipality: ['country'],
  prefecture: ['province', 'autonomous_region'],
  district: ['municipality', 'prefecture'],
  county: ['municipality', 'prefecture']
}

function levelName (level: RegionLevelName): string {
  return level.replace('_', ' ')
}

/**
 * The parent a region may have: none for a country; for any other a region of a level that holds its level (a
 * province in a country, a district in a municipality or prefecture); never the region itself or one below it. And
 * the regions under it must still fit under its (new) level.
 */
async function regionParent (db: Db, regionId: string | null, level: RegionLevelName, parentSlug: string | null | undefined): Promise<string | null> {
  const allowed = parentLevels[level]
  if (allowed.length === 0) {
    if (parentSlug !== undefined && parentSlug !== null) throw unprocessable('/parent', 'must be null for a country: a country is the top of the hierarchy')
  } else if (parentSlug === undefined || parentSlug === null) {
    throw unprocessable('/parent', `is required for a ${levelName(level)}: only a country has no parent`)
  }
  let parentId: string | null = null
  if (parentSlug !== undefined && parentSlug !== null) {
    const parent = await db.region.findUnique({ where: { slug: parentSlug }, select: { id: true, level: true, path: true } })
    if (parent === null) throw unprocessable('/parent', `names no region: "${parentSlug}"`)
    if (!allowed.includes(parent.level)) {
      throw unprocessable('/parent', `is a ${levelName(parent.level)}; a ${levelName(level)} lies in a ${allowed.map(levelName).join(' or ')}`)
    }
    if (regionId !== null && parent.path.includes(`/${regionId}/`)) throw unprocessable('/parent', 'would place the region under itself')
    parentId = parent.id
  }
  if (regionId !== null) {
    const children = await db.region.findMany({ where: { parentId: regionId }, select: { level: true }, distinct: ['level'] })
    const misfit = children.find((child) => !parentLevels[child.level].includes(level))
    if (misfit !== undefined) throw unprocessable('/level', `cannot be ${levelName(level)}: it holds a ${levelName(misfit.level)}`)
  }
  return parentId
}

/** Administrative areas: reference data (no provenance); the triggers of the regions migration keep their paths. */
const regions: WritableResource = {
  name: 'regions',
  noun: 'region',
  table: 'region',
  key: 'slug',
  sourced: false,
  uniqueField: '/slug',
  bodies: regionBodies,
  representation: 'Region',
  idFor: async (db, slug) => (await db.region.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${regionJson('r')}::text AS body FROM region r WHERE r.id = ${id}::uuid`),
  async create (db, input) {
    const { parent, ...body } = input as RegionCreate
    const parentId = await regionParent(db, null, body.level, parent)
    const row = await db.region.create({ data: { ...body, code: body.code ?? null, parentId }, select: { id: true } })
    return row.id
  },
  async update (db, id, version, input) {
    const { parent, ...patch } = input as Partial<RegionCreate>
    const current = await db.region.findUniqueOrThrow({ where: { id }, select: { level: true, parent: { select: { slug: true } } } })
    const parentId = patch.level === undefined && parent === undefined
      ? undefined
      : await regionParent(db, id, patch.level ?? current.level, parent === undefined ? current.parent?.slug ?? null : parent)
    const { count: changed } = await db.region.updateMany({
      where: { id, version },
      data: { ...patch, ...(parentId === undefined ? {} : { parentId }), ...bump }
    })
    return changed === 1
  },
  async dependents (db, id) {
    const [children, hospitalRows, keys] = await Promise.all([
      db.region.count({ where: { parentId: id } }),
      db.hospital.count({ where: { regionId: id } }),
      db.apiKey.count({ where: { regionId: id } })
    ])
    return [...count(children, 'region under it', 'regions under it'), ...count(hospitalRows, 'hospital'),
      ...count(keys, 'API key scoped to it', 'API keys scoped to it')]
  },
  cascades: [],
  location: (rep) => `/v1/regions/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: 'region'
}

type DepartmentAliasCreate = Static<typeof departmentAliasBodies.fields> & { provenance?: ProvenanceBody }

/** An alias slug must not be a unit's own slug: GET /v1/departments/{slug} must mean one thing. */
async function refuseUnitSlug (db: Db, slug: string): Promise<void> {
  if (await db.unit.findUnique({ where: { slug }, select: { id: true } }) !== null) throw slugConflict('is the slug of a unit')
}

/** Other names a unit is known by; their slugs answer 301 to the unit. A renamed unit keeps its old slug as one. */
const departmentAliases: WritableResource = {
  name: 'department-aliases',
  noun: 'unit alias',
  table: 'unit_alias',
  key: 'slug',
  sourced: true,
  uniqueField: '/slug',
  bodies: departmentAliasBodies,
  representation: 'DepartmentAlias',
  idFor: async (db, slug) => (await db.unitAlias.findUnique({ where: { slug }, select: { id: true } }))?.id ?? null,
  present: async (db, id) => queryJson(db, sql`SELECT ${departmentAliasJson('ua')}::text AS body FROM unit_alias ua WHERE ua.id = ${id}::uuid`),
  async create (db, input, link) {
    const { provenance: _provenance, department, ...body } = input as DepartmentAliasCreate
    const unit = await unitOf(db, department, '/department')
    await refuseUnitSlug(db, body.slug)
    const row = await db.unitAlias.create({ data: { ...body, unitId: unit.id, ...sourceData(link) } as Prisma.UnitAliasUncheckedCreateInput, select: { id: true } })
    return row.id
  },
  async update (db, id, version, input, link) {
    const { provenance: _provenance, department, ...patch } = input as Partial<DepartmentAliasCreate>
    if (patch.slug !== undefined) await refuseUnitSlug(db, patch.slug)
    const unitId = department === undefined ? undefined : (await unitOf(db, department, '/department')).id
    const { count: changed } = await db.unitAlias.updateMany({ where: { id, version }, data: { ...patch, unitId, ...sourceData(link), ...bump } })
    return changed === 1
  },
  dependents: async () => [],
  cascades: [],
  location: (rep) => `/v1/department-aliases/${(rep as unknown as { slug: string }).slug}`,
  label: (rep) => (rep as unknown as { slug: string }).slug,
  placement: { hospitalOf: (id) => sql`SELECT u.hospital_id FROM unit_alias ua JOIN unit u ON u.id = ua.unit_id WHERE ua.id = ${id}::uuid` }
}

export const writableResources = { regions, hospitals, departments, departmentAliases, metrics, metricDefinitions, honors, services, conditions, conditionLinks, events, news, sources }

export const resourcesByName = new Map<string, WritableResource>(Object.values(writableResources).map((resource) => [resource.name, resource]))

/** What the audit trail names: every writable resource, and the candidates whose review it records. */
export const auditedResources = [...resourcesByName.keys(), 'candidates']
