import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { seedDatabase } from '../db/seed.ts'
import { exitWithError } from '../lib/fatal.ts'

// npm run seed — brings the schema up to date, then upserts the curated facts. Safe to run again: a second run
// reports every row unchanged.
async function main (): Promise<void> {
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    await database.withSession((session) => migrate(session))
    const tally = await seedDatabase(database.prisma)
    for (const [table, counts] of Object.entries(tally)) {
      process.stdout.write(`${table.padEnd(18)} created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}\n`)
    }
  } finally {
    await database.close()
  }
}

main().catch((error: unknown) => exitWithError('seed', error))
