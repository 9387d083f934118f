import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/database.ts'
import { clusterTemplate, ensurePgliteCluster, pgliteStartParams, seededTemplate, templateBlob, writeClusterTemplate, writeSeededTemplate, writeTemplate } from '../../src/db/pglite-cluster.ts'
import { pgliteTemplate } from '../database-templates.ts'

// The embedded database's memory settings, and how a new on-disk cluster is created (src/db/pglite-cluster.ts).

t.test('the start parameters keep PGlite\'s own and add shared_buffers and no startup-progress timer', async (t) => {
  const params = pgliteStartParams(16)
  t.same(params.slice(0, PGlite.defaultStartParams.length), PGlite.defaultStartParams)
  t.same(params.slice(PGlite.defaultStartParams.length), ['-c', 'shared_buffers=16MB', '-c', 'log_startup_progress_interval=0'])
})

t.test('an empty data directory gets a cluster from a child process; reopened, it keeps committed rows', async (t) => {
  const dataDir = path.join(t.testdir(), 'pglite')
  const config = loadConfig({ PGLITE_DATA_DIR: dataDir, PGLITE_SHARED_BUFFERS_MB: '24', PGLITE_TEMPLATE: await pgliteTemplate('empty') })

  const first = await openDatabase(config)
  t.ok(existsSync(path.join(dataDir, 'PG_VERSION')), 'the cluster is on disk')
  const [setting] = await first.withSession((session) => session.query<{ shared_buffers: string }>('SHOW shared_buffers'))
  t.equal(setting?.shared_buffers, '24MB', 'PGLITE_SHARED_BUFFERS_MB reaches the server')
  await first.withSession((session) => session.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)'))
  await first.close()

  const reopened = await openDatabase(config)
  t.after(() => reopened.close())
  const rows = await reopened.withSession((session) => session.query<{ id: number }>('SELECT id FROM kept'))
  t.same(rows, [{ id: 1 }])
})

t.test('a new data directory starts from the build\'s cluster template, and only from one its PGlite release made', async (t) => {
  const directory = t.testdir()
  const template = path.join(directory, 'template', 'cluster.tar.gz')
  const params = pgliteStartParams(16)

  t.equal(await clusterTemplate(template), undefined, 'no template yet')
  t.equal(await writeClusterTemplate(params, template), 'written')
  t.ok(existsSync(template) && existsSync(`${template}.json`), 'the tarball and the release it was made with')
  t.equal(await writeClusterTemplate(params, template), 'up to date', 'a second build keeps it')

  const fromTemplate = path.join(directory, 'from-template')
  t.equal(await ensurePgliteCluster(fromTemplate, params, await clusterTemplate(template)), 'template')
  t.ok(existsSync(path.join(fromTemplate, 'PG_VERSION')))
  t.equal(await ensurePgliteCluster(fromTemplate, params, await clusterTemplate(template)), 'existing', 'an existing cluster is left alone')
  const db = new PGlite(fromTemplate, { startParams: params })
  t.after(() => db.close())
  await db.query('CREATE TABLE kept (id int)')
  await db.query('INSERT INTO kept VALUES (7)')
  t.same((await db.query<{ id: number }>('SELECT id FROM kept')).rows, [{ id: 7 }], 'the cluster works')

  // Made by another PGlite release: not trusted, initdb runs instead.
  await writeFile(`${template}.json`, JSON.stringify({ pglite: '0.0.1' }))
  t.equal(await clusterTemplate(template), undefined)
  t.equal(await ensurePgliteCluster(path.join(directory, 'other-release'), params, await clusterTemplate(template)), 'initdb')
  t.ok(existsSync(path.join(directory, 'other-release', 'PG_VERSION')))
})

t.test('the build\'s seeded template: made from the cluster template, used only by the build that made it', async (t) => {
  const directory = t.testdir()
  const params = pgliteStartParams(16)
  const cluster = path.join(directory, 'cluster.tar.gz')
  const seeded = path.join(directory, 'seeded.tar.gz')
  await writeClusterTemplate(params, cluster)
  const prepare = async (db: PGlite): Promise<void> => { await db.exec('CREATE TABLE seeded (id int); INSERT INTO seeded VALUES (5)') }
  t.equal(await writeSeededTemplate(params, 'build-1', prepare, seeded, cluster), 'written')
  t.equal(await seededTemplate(seeded, 'build-1'), seeded, 'the build that made it uses it')
  t.equal(await seededTemplate(seeded, 'build-2'), undefined, 'another build does not')
  t.equal(await writeSeededTemplate(params, 'build-1', async () => { throw new Error('made again') }, seeded, cluster), 'up to date')

  const dataDir = path.join(directory, 'first-start')
  t.equal(await ensurePgliteCluster(dataDir, params, seeded), 'template')
  const db = new PGlite(dataDir, { startParams: params })
  t.after(() => db.close())
  t.same((await db.query<{ id: number }>('SELECT id FROM seeded')).rows, [{ id: 5 }], 'a new data directory holds what was prepared')
})

t.test('a database restored from the template arms no timer: a script that never closes it still exits', async (t) => {
  const template = await pgliteTemplate('empty')
  const script = `
    const { PGlite } = await import(${JSON.stringify(import.meta.resolve('@electric-sql/pglite'))})
    const { readFile } = await import('node:fs/promises')
    const db = new PGlite({ startParams: JSON.parse(process.argv[1]), loadDataDir: new Blob([await readFile(process.argv[2])]) })
    await db.query('SELECT 1')
    console.log(process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length)
  `
  const started = performance.now()
  const { stdout } = await promisify(execFile)(process.execPath,
    ['--input-type=module', '--eval', script, JSON.stringify(pgliteStartParams(16)), template], { timeout: 60_000 })
  t.equal(stdout.trim(), '0', 'no timer left once the database is open')
  t.ok(performance.now() - started < 60_000, 'the process ended on its own')
})

t.test('PGLITE_TEMPLATE: a new database starts from the archive named, and one that cannot be used stops the start', async (t) => {
  const directory = t.testdir()
  const base = { DATABASE_URL: undefined, PGLITE_SHARED_BUFFERS_MB: 16, DATABASE_POOL_SIZE: 1, DATABASE_CONNECT_TIMEOUT_MS: 5000 }
  const source = await PGlite.create({ startParams: pgliteStartParams(16), loadDataDir: await templateBlob(await pgliteTemplate('empty')) })
  await source.query('CREATE TABLE kept (id int)')
  await source.query('INSERT INTO kept VALUES (42)')
  const archive = path.join(directory, 'snapshot.tar')
  await writeTemplate(source, archive)
  await source.close()

  for (const dataDir of ['memory://', path.join(directory, 'on-disk')]) {
    const database = await openDatabase({ ...base, PGLITE_DATA_DIR: dataDir, PGLITE_TEMPLATE: archive })
    const rows = await database.withSession((session) => session.query<{ id: number }>('SELECT id FROM kept'))
    await database.close()
    t.same(rows, [{ id: 42 }], `${dataDir === 'memory://' ? 'in memory' : 'on disk'}: the archive's contents`)
  }

  await t.rejects(openDatabase({ ...base, PGLITE_DATA_DIR: 'memory://', PGLITE_TEMPLATE: path.join(directory, 'missing.tar') }),
    { name: 'DatabaseUnavailableError', message: /PGLITE_TEMPLATE .*missing\.tar does not exist/ }, 'a missing archive is named')
  await writeFile(`${archive}.json`, JSON.stringify({ pglite: '0.0.1' }))
  await t.rejects(openDatabase({ ...base, PGLITE_DATA_DIR: path.join(directory, 'other'), PGLITE_TEMPLATE: archive }),
    { name: 'DatabaseUnavailableError', message: /made by PGlite 0\.0\.1, not by the installed/ }, 'so is one of another PGlite release')
  t.notOk(existsSync(path.join(directory, 'other', 'PG_VERSION')), 'and no cluster is made instead')
})
