import fp from 'fastify-plugin'
import { sharedSchemas } from '../../schemas/common.ts'
import { departmentSchemas } from '../../schemas/departments.ts'
import { metricSchemas } from '../../schemas/metrics.ts'

// Registers every shared schema once, so routes can $ref them and the OpenAPI document lists them as components.
export default fp(async (fastify) => {
  for (const schema of [...sharedSchemas, ...metricSchemas, ...departmentSchemas]) fastify.addSchema(schema)
}, { name: 'schemas' })
