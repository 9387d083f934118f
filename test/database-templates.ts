import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PrismaPGlite } from 'pglite-prisma-adapter'
import pg from 'pg'
import { openDatabase } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { pgliteStartParams, templateBlob, writeTemplate } from '../src/db/pglite-cluster.ts'
import { seedIfEmpty } from '../src/db/seed.ts'
import { pgliteSession } from '../src/db/sql-session.ts'
import { PrismaClient } from '../src/generated/prisma/client.ts'
import { packageRoot } from '../src/paths.ts'

// A test database starts as a copy of a template made once per change of the schema or the seed, instead of running
// initdb, every migration and the whole seed again for each of the suite's ~150 apps: a PGlite data-directory archive
// (loaded in about 0.4 s where initdb, migrations and seed take 4–5 s), or a PostgreSQL template database
// (CREATE DATABASE … TEMPLATE). Each template is made by the code the app runs at start (migrate, then seedIfEmpty),
// so a test app built on the seeded one is in the state a fresh server reaches. The name carries a digest of
// everything that decides that state, so a changed migration, seed fact or PGlite release makes a new one.

export type TemplateKind = 'empty' | 'seeded'

const cacheDirectory = path.join(packageRoot, 'node_modules', '.cache', 'hospital-api')

async function filesUnder (directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

let fingerprintPromise: Promise<string> | undefined

/** A digest of the migrations, the data model, the seed and its loader, and the PGlite release. */
export function templateFingerprint (): Promise<string> {
  fingerprintPromise ??= (async () => {
    const hash = createHash('sha256')
    const inputs = [
      ...await filesUnder(path.join(packageRoot, 'prisma', 'migrations')),
      ...await filesUnder(path.join(packageRoot, 'seed')),
      ...await filesUnder(path.join(packageRoot, 'src', 'db')),
      path.join(packageRoot, 'prisma', 'schema.prisma'),
      path.join(path.dirname(new URL(import.meta.resolve('@electric-sql/pglite')).pathname), '..', 'package.json')
    ]
    for (const file of inputs) {
      hash.update(path.relative(packageRoot, file)).update('\0').update(await readFile(file)).update('\0')
    }
    return hash.digest('hex').slice(0, 16)
  })()
  return fingerprintPromise
}

/** Removes PGlite templates of other fingerprints (an earlier schema or seed) from the cache. */
export async function prunePgliteTemplates (): Promise<void> {
  const current = await templateFingerprint()
  const files = existsSync(cacheDirectory) ? await readdir(cacheDirectory) : []
  for (const file of files) {
    if (file.startsWith('pglite-') && !file.includes(current)) await rm(path.join(cacheDirectory, file), { force: true })
  }
}

const pgliteTemplates = new Map<TemplateKind, Promise<string>>()

/** The PGlite template of this kind, made (in this process) when it does not exist yet. */
export function pgliteTemplate (kind: TemplateKind): Promise<string> {
  let made = pgliteTemplates.get(kind)
  if (made === undefined) {
    made = (async () => {
      const file = path.join(cacheDirectory, `pglite-${kind}-${await templateFingerprint()}.tar`)
      if (existsSync(file)) return file
      const startParams = pgliteStartParams(16)
      const db = kind === 'empty'
        ? await PGlite.create('memory://', { startParams })
        : await PGlite.create({ startParams, loadDataDir: await templateBlob(await pgliteTemplate('empty')) })
      try {
        if (kind === 'seeded') {
          const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) })
          await migrate(pgliteSession(db))
          await seedIfEmpty(prisma)
          await prisma.$disconnect()
        }
        // Written under a name of this process's and renamed: files of parallel test processes never mix.
        await writeTemplate(db, file)
      } finally {
        await db.close()
      }
      return file
    })()
    pgliteTemplates.set(kind, made)
  }
  return made
}

const postgresTemplates = new Map<string, Promise<string>>()

/**
 * The name of the seeded template database on the PostgreSQL server of `serverUrl`, made when it does not exist yet.
 * Made under an advisory lock, so that parallel test processes make it once, and renamed into place when complete;
 * templates of other fingerprints (an earlier schema or seed) are dropped then, unless in use.
 */
export function postgresTemplate (serverUrl: string): Promise<string> {
  let made = postgresTemplates.get(serverUrl)
  if (made === undefined) {
    made = (async () => {
      const name = `hospital_test_template_${await templateFingerprint()}`
      const admin = new pg.Client({ connectionString: serverUrl })
      await admin.connect()
      try {
        await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['hospital_test_template'])
        const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
        if (rowCount === 0) {
          const building = `${name}_${process.pid}`
          await admin.query(`DROP DATABASE IF EXISTS "${building}"`)
          await admin.query(`CREATE DATABASE "${building}"`)
          const url = new URL(serverUrl)
          url.pathname = `/${building}`
          const database = await openDatabase({
            DATABASE_URL: url.toString(), PGLITE_DATA_DIR: 'memory://', PGLITE_SHARED_BUFFERS_MB: 16, DATABASE_POOL_SIZE: 2,
            DATABASE_CONNECT_TIMEOUT_MS: 10_000, DATABASE_QUERY_TIMEOUT_MS: 60_000
          })
          try {
            await database.withSession((session) => migrate(session))
            await seedIfEmpty(database.prisma)
          } finally {
            await database.close()
          }
          await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`)
          const { rows } = await admin.query<{ datname: string }>(
            "SELECT datname FROM pg_database WHERE datname LIKE 'hospital\\_test\\_template\\_%' AND datname <> $1", [name])
          for (const { datname } of rows) {
            await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {})
          }
        }
      } finally {
        await admin.end()
      }
      return name
    })()
    postgresTemplates.set(serverUrl, made)
  }
  return made
}
