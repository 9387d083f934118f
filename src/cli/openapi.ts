import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { exitWithError } from '../lib/fatal.ts'
import { packageRoot } from '../paths.ts'

// npm run openapi — writes openapi.yaml from the routes' schemas; with --check, fails when the file is stale.
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

const specPath = path.join(packageRoot, 'openapi.yaml')

async function main (): Promise<void> {
  const generated = await generateOpenApi()
  if (process.argv.includes('--check')) {
    const committed = await readFile(specPath, 'utf8').catch(() => '')
    if (committed !== generated) {
      process.stderr.write('openapi.yaml is stale: run `npm run openapi` and commit the result\n')
      process.exit(1)
    }
    process.stdout.write('openapi.yaml is up to date\n')
    return
  }
  await writeFile(specPath, generated)
  process.stdout.write(`wrote ${path.relative(process.cwd(), specPath)}\n`)
}

main().catch((error: unknown) => exitWithError('openapi', error))
