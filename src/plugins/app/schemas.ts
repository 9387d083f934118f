import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'

const schemasDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../schemas')

// Registers every shared schema once, so routes can $ref them and the OpenAPI document lists them as components.
// Each module in src/schemas/ exports `schemas`: the ones with an $id it defines.
export default fp(async (fastify) => {
  const files = (await readdir(schemasDirectory)).filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort()
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(schemasDirectory, file)).href) as { schemas?: TSchema[] }
    for (const schema of module.schemas ?? []) fastify.addSchema(schema)
  }
}, { name: 'schemas' })
