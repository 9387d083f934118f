import { existsSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import t from 'tap'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/database.ts'
import { pgliteStartParams } from '../../src/db/pglite-cluster.ts'

// The embedded database's memory settings, and how a new on-disk cluster is created (src/db/pglite-cluster.ts).

t.test('the start parameters keep PGlite\'s own and only add shared_buffers', async (t) => {
  const params = pgliteStartParams(16)
  t.same(params.slice(0, PGlite.defaultStartParams.length), PGlite.defaultStartParams)
  t.same(params.slice(PGlite.defaultStartParams.length), ['-c', 'shared_buffers=16MB'])
})

t.test('an empty data directory gets a cluster from a child process; reopened, it keeps committed rows', async (t) => {
  const dataDir = path.join(t.testdir(), 'pglite')
  const config = loadConfig({ PGLITE_DATA_DIR: dataDir, PGLITE_SHARED_BUFFERS_MB: '24' })

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
