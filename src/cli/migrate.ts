import { loadConfig } from '../config.ts'
import { openDatabase, redactUrl } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { exitWithError } from '../lib/fatal.ts'

// npm run db:migrate — applies pending migrations to the configured database and says what it did.
async function main (): Promise<void> {
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    const result = await database.withSession((session) => migrate(session))
    const target = config.DATABASE_URL === undefined ? `PGlite at ${config.PGLITE_DATA_DIR}` : redactUrl(config.DATABASE_URL)
    process.stdout.write(`${target}: applied ${result.applied.length} migration(s)` +
      `${result.applied.length > 0 ? ` (${result.applied.join(', ')})` : ''}, ${result.alreadyApplied.length} already applied\n`)
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => exitWithError('db:migrate', error))
