import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import t from 'tap'
import { MigrationError, migrate, readMigrationFiles, type MigrationFile } from '../../src/db/migrate.ts'
import { migrationsDirectory } from '../../src/paths.ts'
import { databaseKind, openTestDatabase } from '../helper.ts'

interface MigrationRow {
  migration_name: string
  checksum: string
  finished_at: Date | null
  applied_steps_count: number
  rolled_back_at: Date | null
}

const history = 'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name'

t.test('applies every migration once and records it the way Prisma Migrate does', async (t) => {
  const database = await openTestDatabase(t)
  const files = await readMigrationFiles()
  t.ok(files.length >= 1, 'there is at least one migration')

  const first = await database.withSession((session) => migrate(session))
  t.same(first.applied, files.map((file) => file.name))
  t.same(first.alreadyApplied, [])

  const rows = await database.withSession((session) => session.query<MigrationRow>(history))
  t.equal(rows.length, files.length)
  for (const [index, row] of rows.entries()) {
    const file = files[index]!
    const script = await readFile(path.join(migrationsDirectory, file.name, 'migration.sql'))
    t.equal(row.migration_name, file.name)
    t.equal(row.checksum, createHash('sha256').update(script).digest('hex'), 'checksum is the sha256 of migration.sql')
    t.ok(row.finished_at instanceof Date, 'finished_at is set')
    t.equal(row.applied_steps_count, 1)
    t.equal(row.rolled_back_at, null)
  }

  const second = await database.withSession((session) => migrate(session))
  t.same(second.applied, [], 'a second run applies nothing')
  t.same(second.alreadyApplied, files.map((file) => file.name))
})

t.test('refuses to run when an applied migration file was changed', async (t) => {
  const database = await openTestDatabase(t)
  const files = await readMigrationFiles()
  await database.withSession((session) => migrate(session, files))

  const tampered: MigrationFile[] = files.map((file, index) => index === 0
    ? { ...file, script: `${file.script}\n-- edited`, checksum: createHash('sha256').update(`${file.script}\n-- edited`).digest('hex') }
    : file)
  const error = await database.withSession((session) => migrate(session, tampered)).catch((caught: unknown) => caught)
  t.type(error, MigrationError)
  t.match((error as Error).message, new RegExp(`Migration ${files[0]!.name} was modified after it was applied`))
})

t.test('a failing migration leaves neither its changes nor its history row behind', async (t) => {
  const database = await openTestDatabase(t)
  const files = await readMigrationFiles()
  await database.withSession((session) => migrate(session, files))

  const broken: MigrationFile = {
    name: '99999999999999_broken',
    script: 'CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";',
    checksum: 'x'.repeat(64)
  }
  const error = await database.withSession((session) => migrate(session, [...files, broken])).catch((caught: unknown) => caught)
  t.type(error, MigrationError)
  t.match((error as Error).message, /99999999999999_broken failed and was rolled back/)

  const tables = await database.withSession((session) =>
    session.query<{ count: number }>("SELECT count(*)::int AS count FROM information_schema.tables WHERE table_name = 'half_done'"))
  t.equal(tables[0]!.count, 0, 'the half-applied table was rolled back')
  const rows = await database.withSession((session) => session.query<MigrationRow>(history))
  t.notOk(rows.some((row) => row.migration_name === broken.name), 'no history row for the failed migration')
})

t.test('refuses to run when a migration started but never finished', async (t) => {
  const database = await openTestDatabase(t)
  await database.withSession((session) => migrate(session))
  await database.withSession((session) =>
    session.query('UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations")'))
  await t.rejects(database.withSession((session) => migrate(session)), /was started but never finished/)
})

t.test('two instances migrating at once apply each migration exactly once', { skip: databaseKind !== 'postgresql' && 'needs a PostgreSQL server (two connections)' }, async (t) => {
  const database = await openTestDatabase(t)
  const files = await readMigrationFiles()
  const results = await Promise.all([
    database.withSession((session) => migrate(session)),
    database.withSession((session) => migrate(session))
  ])
  const applied = results.flatMap((result) => result.applied).sort()
  t.same(applied, files.map((file) => file.name).sort(), 'each migration applied by exactly one of the two')
  const rows = await database.withSession((session) => session.query<MigrationRow>(history))
  t.equal(rows.length, files.length, 'one history row per migration')
})
