import { ConfigError } from '../config.ts'
import { DatabaseUnavailableError } from '../db/database.ts'
import { MigrationError } from '../db/migrate.ts'
import { SeedError } from '../db/seed.ts'

/** A command line the command cannot act on: its message says what to type instead. */
export class UsageError extends Error {
  override name = 'UsageError'
}

// Failures an operator can fix (bad config, unreachable database, a changed migration, bad seed facts, a wrong
// command line) end the process with one clear line and exit code 1; anything else also prints its stack (a bug).
const operatorErrors = [ConfigError, DatabaseUnavailableError, MigrationError, SeedError, UsageError]

export function exitWithError (command: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error)
  const known = operatorErrors.some((type) => error instanceof type)
  process.stderr.write(`${command}: ${known ? message : `failed: ${message}`}\n`)
  if (!known && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`)
  process.exit(1)
}
