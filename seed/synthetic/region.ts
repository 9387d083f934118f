import type { PrismaClient } from '../../src/generated/prisma/client.ts'
import { OperatorError } from '../../src/lib/fatal.ts'
import { maxMetricsPerUnit, metricCodes } from './figures.ts'
import { generateHospital, hospitalIdentity, planRegion, type References } from './generator.ts'
import { insertRows } from './insert.ts'
import { hospitalSlots } from './places.ts'
import { ensureRegions } from './regions.ts'
import { emptyRows, tableNames, type TableName } from './rows.ts'
import { maxUnitsPerHospital } from './units.ts'

// npm run seed:synthetic, as a function for the CLI, the bench and the tests: adds a region of made-up hospitals to a
// migrated, seeded database, a batch of hospitals per transaction. The real seed is read (metric definitions, the
// condition catalogue) and never written.

export interface SyntheticRegionOptions {
  hospitals: number
  /** Years of figures, ending with 2025. Default 5. */
  years?: number
  /** Default 1. */
  seed?: number
  /** Units per hospital (divisions, departments and centers). Default 50. */
  unitsPerHospital?: number
  /** Metrics each unit states every year. Default 8: 50 units × 5 years × 8 = 2,000 figures a hospital. */
  metricsPerUnit?: number
  /** Hospitals per transaction. Default 10. */
  batchSize?: number
  /** Called after each batch commits. */
  onProgress?: (progress: { done: number, total: number }) => void
}

export interface Tally {
  hospitals: { added: number, alreadyPresent: number }
  /** Rows added, by table. */
  rows: Record<TableName, number>
}

export const limits = {
  hospitals: hospitalSlots.length,
  years: 30,
  seed: 2 ** 31 - 1,
  unitsPerHospital: maxUnitsPerHospital,
  metricsPerUnit: maxMetricsPerUnit
}

export const defaults = { years: 5, seed: 1, unitsPerHospital: 50, metricsPerUnit: 8, batchSize: 10 }

export class SyntheticRegionError extends OperatorError {
  override name = 'SyntheticRegionError'
}

function checkRange (name: keyof typeof limits, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > limits[name]) {
    throw new RangeError(`${name} must be an integer from ${min} to ${limits[name]}, not ${value}`)
  }
}

async function readReferences (prisma: PrismaClient): Promise<References> {
  const metrics = await prisma.metricDefinition.findMany({ select: { id: true, code: true } })
  const metricIds = new Map(metrics.map((metric) => [metric.code, metric.id]))
  const missing = metricCodes.filter((code) => !metricIds.has(code))
  if (missing.length > 0) {
    throw new SyntheticRegionError(`The database lacks the metric definitions ${missing.join(', ')}: run npm run seed first`)
  }
  const conditions = await prisma.condition.findMany({ select: { id: true, slug: true, name: true } })
  if (await prisma.region.count({ where: { slug: { in: ['china', 'chongqing'] } } }) < 2) {
    throw new SyntheticRegionError('The database lacks the regions "china" and "chongqing": run npm run seed first')
  }
  const regionIds = await prisma.$transaction(async (transaction) => ensureRegions(transaction))
  return { metricIds, conditions: new Map(conditions.map((condition) => [condition.slug, condition])), regionIds }
}

/**
 * Which of the planned hospitals the database holds already. A synthetic hospital the plan does not know was made
 * with other options (seed, years or scale); mixing two regions would make neither reproducible, so that is refused.
 */
async function hospitalsPresent (prisma: PrismaClient, plan: ReturnType<typeof planRegion>): Promise<Set<number>> {
  const existing = await prisma.hospital.findMany({ where: { source: { synthetic: true } }, select: { id: true, slug: true } })
  const planned = new Map(plan.slots.map((_slot, index) => [hospitalIdentity(plan, index).id, index]))
  const foreign = existing.filter((hospital) => !planned.has(hospital.id))
  if (foreign.length > 0) {
    throw new SyntheticRegionError(`The database holds a synthetic region made with other options (${foreign.length} hospitals, ` +
      `e.g. ${foreign[0]!.slug}); a database holds one region: make it again on a fresh database, or repeat the options it was made with`)
  }
  return new Set(existing.map((hospital) => planned.get(hospital.id)!))
}

export async function seedSyntheticRegion (prisma: PrismaClient, options: SyntheticRegionOptions): Promise<Tally> {
  const years = options.years ?? defaults.years
  const seed = options.seed ?? defaults.seed
  const unitsPerHospital = options.unitsPerHospital ?? defaults.unitsPerHospital
  const metricsPerUnit = options.metricsPerUnit ?? defaults.metricsPerUnit
  const batchSize = options.batchSize ?? defaults.batchSize
  checkRange('hospitals', options.hospitals, 1)
  checkRange('years', years, 1)
  checkRange('seed', seed, 0)
  checkRange('unitsPerHospital', unitsPerHospital, 1)
  checkRange('metricsPerUnit', metricsPerUnit, 1)
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`)

  const references = await readReferences(prisma)
  const plan = planRegion({ seed, years, unitsPerHospital, metricsPerUnit })
  const present = await hospitalsPresent(prisma, plan)
  const wanted = Array.from({ length: options.hospitals }, (_value, index) => index).filter((index) => !present.has(index))
  const tally: Tally = {
    hospitals: { added: 0, alreadyPresent: options.hospitals - wanted.length },
    rows: Object.fromEntries(tableNames.map((table) => [table, 0])) as Record<TableName, number>
  }

  // The next batch is generated while the database inserts the previous one: two cores, both busy.
  let inserting: Promise<void> = Promise.resolve()
  for (let start = 0; start < wanted.length; start += batchSize) {
    const rows = emptyRows()
    const batch = wanted.slice(start, start + batchSize)
    for (const index of batch) generateHospital(plan, index, references, rows)
    await inserting
    inserting = prisma.$transaction(async (transaction) => insertRows(transaction, rows), { maxWait: 10_000, timeout: 600_000 })
      .then(() => {
        for (const table of tableNames) tally.rows[table] += rows[table].length
        tally.hospitals.added += batch.length
        options.onProgress?.({ done: start + batch.length, total: wanted.length })
      })
  }
  await inserting
  // VACUUM: the rows just written are in the search indexes' pending lists (GIN's fast update), which every search
  // reads through from end to end (at 500 hospitals a search of the honors scanned all 9,835 of them, 6 ms), and the
  // tables have no visibility map yet. ANALYZE: the planner's statistics would otherwise describe the tables as they
  // were before, one hospital and five units.
  if (wanted.length > 0) await prisma.$executeRawUnsafe('VACUUM (ANALYZE)')
  return tally
}
