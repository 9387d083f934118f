import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { migrationsDirectory } from '../paths.ts'
import type { SqlSession } from './sql-session.ts'
import { OperatorError } from '../lib/fatal.ts'

// Applies prisma/migrations/<name>/migration.sql the way `prisma migrate deploy` would, because Prisma's schema
// engine is not available on every machine and cannot reach an in-process PGlite. Each migration runs in its own
// transaction together with its _prisma_migrations row, so a failed migration leaves neither behind.

/** The advisory lock key Prisma Migrate takes, so this runner and `prisma migrate deploy` exclude each other. */
const MIGRATION_LOCK_KEY = 72707369

export class MigrationError extends OperatorError {
  override name = 'MigrationError'
}

export interface MigrationFile {
  name: string
  script: string
  checksum: string
}

interface AppliedMigration {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
}

export interface MigrationResult {
  applied: string[]
  alreadyApplied: string[]
}

export async function readMigrationFiles (directory = migrationsDirectory): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true })
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
  return Promise.all(names.map(async (name) => {
    const script = await readFile(path.join(directory, name, 'migration.sql'), 'utf8')
    return { name, script, checksum: createHash('sha256').update(script).digest('hex') }
  }))
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

/** Refuses to go on when the history in the database and the files disagree in a way that would corrupt it. */
function checkHistory (files: MigrationFile[], applied: AppliedMigration[]): void {
  const filesByName = new Map(files.map((file) => [file.name, file]))
  for (const row of applied) {
    if (row.rolled_back_at !== null) continue
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${row.migration_name} was started but never finished; repair the database and mark it rolled back before starting.`
      )
    }
    const file = filesByName.get(row.migration_name)
    if (file === undefined) {
      throw new MigrationError(
        `Migration ${row.migration_name} is applied to the database but missing from prisma/migrations; this build is older than the database.`
      )
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was modified after it was applied (database checksum ${row.checksum.slice(0, 12)}…, file ${file.checksum.slice(0, 12)}…); restore the file and put the change in a new migration.`
      )
    }
  }
}

export async function migrate (session: SqlSession, files?: MigrationFile[]): Promise<MigrationResult> {
  const migrationFiles = files ?? await readMigrationFiles()
  await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE)
    // Read the history under the lock: another instance may have just applied what we were about to apply.
    const applied = await session.query<AppliedMigration>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at'
    )
    checkHistory(migrationFiles, applied)
    const done = new Set(applied.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name))
    const result: MigrationResult = { applied: [], alreadyApplied: [] }
    for (const file of migrationFiles) {
      if (done.has(file.name)) {
        result.alreadyApplied.push(file.name)
        continue
      }
      await applyOne(session, file)
      result.applied.push(file.name)
    }
    return result
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
  }
}

async function applyOne (session: SqlSession, file: MigrationFile): Promise<void> {
  try {
    await session.transaction(async (transaction) => {
      const id = randomUUID()
      await transaction.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
        [id, file.checksum, file.name]
      )
      await transaction.exec(file.script)
      await transaction.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id]
      )
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${reason}`)
  }
}
