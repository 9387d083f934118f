import path from 'node:path'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { packageRoot } from '../paths.ts'

export const openApiPath = path.join(packageRoot, 'openapi.yaml')

/** The OpenAPI document as YAML, generated from the routes' schemas exactly as the server registers them. */
export async function generateOpenApi (): Promise<string> {
  // The document depends only on the routes, so an empty in-memory database is enough to build the app.
  const app = await buildApp(loadConfig({
    PGLITE_DATA_DIR: 'memory://', LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false', SEED_ON_START: 'false'
  }))
  try {
    await app.ready()
    return app.swagger({ yaml: true })
  } finally {
    await app.close()
  }
}
