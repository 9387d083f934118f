import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { seedData as defaultSeedData } from '../../seed/facts.ts'
import type { ComparatorSymbol, Provenance, SeedData } from '../../seed/types.ts'
import type { Comparator, PrismaClient } from '../generated/prisma/client.ts'
import { seedDocumentsDirectory } from '../paths.ts'
import { OperatorError } from '../lib/fatal.ts'

// Loads the curated facts into the database by natural keys. A row is written only when it is missing or differs,
// so a second run changes nothing (not even updated_at), and everything happens in one transaction.

export type SeedTally = Record<string, { created: number, updated: number, unchanged: number }>

type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0]

/** The slice of a Prisma model delegate the seed needs; every model has these three. */
interface ModelDelegate {
  findUnique(args: { where: object }): Promise<Record<string, unknown> | null>
  create(args: { data: object }): Promise<Record<string, unknown>>
  update(args: { where: object, data: object }): Promise<Record<string, unknown>>
}

export class SeedError extends OperatorError {
  override name = 'SeedError'
}

const comparatorCodes: Record<ComparatorSymbol, Comparator> = { '<': 'lt', '<=': 'le', '>=': 'ge', '>': 'gt' }

function parseIsoDate (value: string | null): Date | null {
  return value === null ? null : new Date(`${value}T00:00:00.000Z`)
}

function sameValue (stored: unknown, wanted: unknown): boolean {
  if (stored instanceof Date || wanted instanceof Date) {
    return stored instanceof Date && wanted instanceof Date && stored.getTime() === wanted.getTime()
  }
  if (stored !== null && typeof stored === 'object' && 'equals' in stored && typeof stored.equals === 'function') {
    return wanted !== null && stored.equals(wanted) === true // Prisma.Decimal
  }
  return stored === wanted
}

async function upsertByKey (
  model: ModelDelegate, table: string, where: object, data: Record<string, unknown>, tally: SeedTally,
  versioned = true
): Promise<{ id: string }> {
  const counts = (tally[table] ??= { created: 0, updated: 0, unchanged: 0 })
  const existing = await model.findUnique({ where })
  if (existing === null) {
    counts.created++
    return await model.create({ data }) as { id: string }
  }
  const changed = Object.entries(data).some(([field, value]) => !sameValue(existing[field], value))
  if (!changed) {
    counts.unchanged++
    return existing as { id: string }
  }
  counts.updated++
  const update = versioned ? { ...data, version: { increment: 1 } } : data
  return await model.update({ where, data: update }) as { id: string }
}

function lookup (ids: Map<string, string>, kind: string, key: string): string {
  const id = ids.get(key)
  if (id === undefined) throw new SeedError(`Seed facts refer to unknown ${kind} "${key}"`)
  return id
}

/** Parents before children, so every parent id exists when a child is written. */
function parentsFirst<T extends { slug: string, parent: string | null }> (units: T[]): T[] {
  const bySlug = new Map(units.map((unit) => [unit.slug, unit]))
  const ordered: T[] = []
  const placed = new Set<string>()
  const place = (unit: T, path: string[]): void => {
    if (placed.has(unit.slug)) return
    if (path.includes(unit.slug)) throw new SeedError(`Unit hierarchy has a cycle: ${[...path, unit.slug].join(' > ')}`)
    const parent = unit.parent === null ? undefined : bySlug.get(unit.parent)
    if (parent !== undefined) place(parent, [...path, unit.slug])
    placed.add(unit.slug)
    ordered.push(unit)
  }
  for (const unit of units) place(unit, [])
  return ordered
}

export async function seedDatabase (prisma: PrismaClient, data: SeedData = defaultSeedData): Promise<SeedTally> {
  const documentTexts = new Map(await Promise.all(data.documents.map(async (document) =>
    [document.fileName, await readFile(path.join(seedDocumentsDirectory, document.fileName), 'utf8')] as const)))

  return prisma.$transaction(async (tx) => seedInTransaction(tx, data, documentTexts), {
    maxWait: 10_000,
    timeout: 120_000
  })
}

async function seedInTransaction (
  tx: Transaction, data: SeedData, documentTexts: Map<string, string>
): Promise<SeedTally> {
  const tally: SeedTally = {}
  const model = (delegate: unknown): ModelDelegate => delegate as ModelDelegate

  const sourceIds = new Map<string, string>()
  const statedOn = new Map<string, Date | null>()
  for (const document of data.documents) {
    const fullText = documentTexts.get(document.fileName) ?? ''
    const row = await upsertByKey(model(tx.sourceDocument), 'sourceDocument', { fileName: document.fileName }, {
      fileName: document.fileName,
      title: document.title,
      kind: document.kind,
      statedOn: parseIsoDate(document.statedOn),
      breadcrumb: document.breadcrumb,
      fullText,
      sha256: createHash('sha256').update(fullText).digest('hex')
    }, tally)
    sourceIds.set(document.fileName, row.id)
    statedOn.set(document.fileName, parseIsoDate(document.statedOn))
  }
  const provenance = (source: Provenance): { sourceId: string, quote: string } => {
    const text = documentTexts.get(source.document)
    if (text === undefined || !text.includes(source.quote)) {
      throw new SeedError(`Quote not found verbatim in ${source.document}: "${source.quote.slice(0, 80)}"`)
    }
    return { sourceId: lookup(sourceIds, 'document', source.document), quote: source.quote }
  }

  const regionIds = new Map<string, string>()
  for (const region of data.regions) {
    const { parent, ...fields } = region
    const row = await upsertByKey(model(tx.region), 'region', { slug: region.slug },
      { ...fields, parentId: parent === null ? null : lookup(regionIds, 'region', parent) }, tally)
    regionIds.set(region.slug, row.id)
  }

  const hospitalIds = new Map<string, string>()
  for (const hospital of data.hospitals) {
    const { source, region, ...fields } = hospital
    const row = await upsertByKey(model(tx.hospital), 'hospital', { slug: hospital.slug },
      { ...fields, regionId: region === null ? null : lookup(regionIds, 'region', region), ...provenance(source) }, tally)
    hospitalIds.set(hospital.slug, row.id)
  }

  const unitIds = new Map<string, string>()
  for (const unit of parentsFirst(data.units)) {
    const { source, aliases, hospital, parent, ...fields } = unit
    const row = await upsertByKey(model(tx.unit), 'unit', { slug: unit.slug }, {
      ...fields,
      hospitalId: lookup(hospitalIds, 'hospital', hospital),
      parentId: parent === null ? null : lookup(unitIds, 'unit', parent),
      ...provenance(source)
    }, tally)
    unitIds.set(unit.slug, row.id)
    for (const alias of aliases) {
      await upsertByKey(model(tx.unitAlias), 'unitAlias', { slug: alias.slug }, {
        unitId: row.id, name: alias.name, slug: alias.slug, ...provenance(alias.source)
      }, tally, false)
    }
  }

  const metricIds = new Map<string, string>()
  for (const definition of data.metricDefinitions) {
    const row = await upsertByKey(model(tx.metricDefinition), 'metricDefinition', { code: definition.code },
      { ...definition }, tally)
    metricIds.set(definition.code, row.id)
  }

  for (const observation of data.observations) {
    const unitId = lookup(unitIds, 'unit', observation.unit)
    const metricId = lookup(metricIds, 'metric', observation.metric)
    const source = provenance(observation.source)
    await upsertByKey(model(tx.metricObservation), 'metricObservation',
      { unitId_metricId_sourceId: { unitId, metricId, sourceId: source.sourceId } }, {
        unitId,
        metricId,
        value: observation.value,
        comparator: observation.comparator === null ? null : comparatorCodes[observation.comparator],
        approximate: observation.approximate,
        statedValue: observation.statedValue,
        periodKind: observation.period.kind,
        periodDuration: observation.period.duration,
        periodStart: parseIsoDate(observation.period.start),
        periodEnd: parseIsoDate(observation.period.end),
        periodLabel: observation.period.label,
        statedOn: statedOn.get(observation.source.document) ?? null,
        note: observation.note,
        ...source
      }, tally)
  }

  for (const honor of data.honors) {
    const { source, hospital, unit, ...fields } = honor
    const hospitalId = lookup(hospitalIds, 'hospital', hospital)
    await upsertByKey(model(tx.honor), 'honor', { hospitalId_slug: { hospitalId, slug: honor.slug } }, {
      ...fields,
      hospitalId,
      unitId: unit === null ? null : lookup(unitIds, 'unit', unit),
      statedOn: statedOn.get(source.document) ?? null,
      ...provenance(source)
    }, tally)
  }

  for (const service of data.services) {
    const { source, unit, ...fields } = service
    const unitId = lookup(unitIds, 'unit', unit)
    await upsertByKey(model(tx.service), 'service', { unitId_slug: { unitId, slug: service.slug } },
      { ...fields, unitId, ...provenance(source) }, tally)
  }

  const conditionIds = new Map<string, string>()
  for (const condition of data.conditions) {
    const row = await upsertByKey(model(tx.condition), 'condition', { slug: condition.slug }, { ...condition }, tally)
    conditionIds.set(condition.slug, row.id)
  }
  for (const link of data.unitConditions) {
    const unitId = lookup(unitIds, 'unit', link.unit)
    const conditionId = lookup(conditionIds, 'condition', link.condition)
    await upsertByKey(model(tx.unitCondition), 'unitCondition', { unitId_conditionId: { unitId, conditionId } },
      { unitId, conditionId, relation: link.relation, ...provenance(link.source) }, tally)
  }

  for (const event of data.events) {
    const { source, hospital, unit, occurredOn, ...fields } = event
    const hospitalId = lookup(hospitalIds, 'hospital', hospital)
    await upsertByKey(model(tx.event), 'event', { hospitalId_slug: { hospitalId, slug: event.slug } }, {
      ...fields,
      hospitalId,
      unitId: unit === null ? null : lookup(unitIds, 'unit', unit),
      occurredOn: parseIsoDate(occurredOn),
      ...provenance(source)
    }, tally)
  }

  for (const article of data.newsArticles) {
    const { source, hospital, units, publishedOn, ...fields } = article
    const row = await upsertByKey(model(tx.newsArticle), 'newsArticle', { slug: article.slug }, {
      ...fields,
      hospitalId: lookup(hospitalIds, 'hospital', hospital),
      publishedOn: parseIsoDate(publishedOn),
      ...provenance(source)
    }, tally)
    await syncArticleUnits(tx, row.id, units.map((slug) => lookup(unitIds, 'unit', slug)), tally)
  }

  return tally
}

async function syncArticleUnits (tx: Transaction, articleId: string, wanted: string[], tally: SeedTally): Promise<void> {
  const counts = (tally.newsArticleUnit ??= { created: 0, updated: 0, unchanged: 0 })
  const existing = new Set((await tx.newsArticleUnit.findMany({ where: { articleId } })).map((link) => link.unitId))
  const missing = wanted.filter((unitId) => !existing.has(unitId))
  const extra = [...existing].filter((unitId) => !wanted.includes(unitId))
  if (missing.length > 0) await tx.newsArticleUnit.createMany({ data: missing.map((unitId) => ({ articleId, unitId })) })
  if (extra.length > 0) await tx.newsArticleUnit.deleteMany({ where: { articleId, unitId: { in: extra } } })
  counts.created += missing.length
  counts.updated += extra.length
  counts.unchanged += wanted.length - missing.length
}

/** Seeds only a database that holds no hospital yet, so start-up never overwrites later edits. */
export async function seedIfEmpty (prisma: PrismaClient): Promise<SeedTally | null> {
  if (await prisma.hospital.count() > 0) return null
  return seedDatabase(prisma)
}
