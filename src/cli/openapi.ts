import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { exitWithError } from '../lib/fatal.ts'
import { generateOpenApi, openApiPath } from '../lib/openapi.ts'

// npm run openapi — writes openapi.yaml from the routes' schemas; with --check, fails when the file is stale.
async function main (): Promise<void> {
  const generated = await generateOpenApi()
  if (process.argv.includes('--check')) {
    const committed = await readFile(openApiPath, 'utf8').catch(() => '')
    if (committed !== generated) {
      process.stderr.write('openapi.yaml is stale: run `npm run openapi` and commit the result\n')
      process.exit(1)
    }
    process.stdout.write('openapi.yaml is up to date\n')
    return
  }
  await writeFile(openApiPath, generated)
  process.stdout.write(`wrote ${path.relative(process.cwd(), openApiPath)}\n`)
}

main().catch((error: unknown) => exitWithError('openapi', error))
