import type { FastifyInstance } from 'fastify'
import { rejectUnacceptable } from '../../lib/negotiation.ts'

// Every /v1 route negotiates its media type (406 when the client accepts none of them).
export default async function (fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRequest', rejectUnacceptable)
}
