import type { Static } from 'typebox'
import type { Comparator, Prisma } from '../../../generated/prisma/client.ts'
import type { MetricDefinition } from '../../../schemas/metrics.ts'

/** The FHIR comparator symbol of a stored comparator code (the database stores the symbol itself). */
export const comparatorSymbols: Record<Comparator, '<' | '<=' | '>=' | '>'> = { lt: '<', le: '<=', ge: '>=', gt: '>' }

/** A metric definition row as the API shows it (reference data, read through Prisma: a few dozen rows). */
export function metricDefinition (row: Prisma.MetricDefinitionGetPayload<true>): Static<typeof MetricDefinition> {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    unit: row.unit,
    unitLabel: row.unitLabel,
    category: row.category,
    additive: row.additive,
    version: row.version,
    updatedAt: row.updatedAt.toISOString()
  }
}
