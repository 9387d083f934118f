import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { writeRoutes } from '../../../lib/write-routes.ts'
import { writableResources } from '../../../plugins/app/writes/resources.ts'

// Unit aliases: other names a unit is known by, and the slugs of renamed units. Read with their unit
// (GET /v1/departments/{slug} lists them; an alias slug there answers 301); written here like every resource.
const plugin: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(writeRoutes(writableResources.departmentAliases, { detail: true }))
}

export default plugin
