import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { createApiKey } from '../../src/db/api-keys.ts'
import { openDatabase } from '../../src/db/database.ts'
import { parseLsn } from '../../src/db/read-replicas.ts'
import { databaseKind, freshDatabaseEnv, nextDataChange, testConfig } from '../helper.ts'
import { startReplication } from './replication.ts'

// GETs served by a hot standby (DATABASE_REPLICA_URLS), the writer reading its own writes. Proof that a read came from
// the standby: with its replay paused, a change made on the primary behind the app's back (triggers off, so no
// notification) is not seen; the app's own PATCH is seen by its next GET at once (the primary serves it until the
// standby has replayed past the write); once replay resumes and catches up, reads go back to the standby; and when
// the standby stops, the primary answers. Makes a primary and a standby of its own (test/db/replication.ts): 20-25 s
// in all on this 2-core machine with a load average above 20, most of it building the app.

t.test('LSNs compare as positions', async (t) => {
  t.ok(parseLsn('16/B374D848') > parseLsn('16/B374D847'))
  t.ok(parseLsn('17/0') > parseLsn('16/FFFFFFFF'))
  t.equal(parseLsn('0/0'), 0n)
})

t.test('replicas without a PostgreSQL primary are refused at start', async (t) => {
  await t.rejects(openDatabase(loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://replica/hospital' })),
    { name: 'DatabaseUnavailableError', message: /DATABASE_REPLICA_URLS is set without DATABASE_URL/ })
  t.throws(() => loadConfig({ DATABASE_REPLICA_URLS: 'mysql://replica/hospital' }), /DATABASE_REPLICA_URLS/)
})

if (databaseKind !== 'postgresql') {
  t.pass('The rest is PostgreSQL only (TEST_DATABASE_URL): a replica is a PostgreSQL server')
} else {
  t.test('on a primary and a hot standby of it', async (t) => {
    const startedAt = Date.now()
    // The primary starts from a copy of a seeded test database, as a server leaves it at its first start.
    const { DATABASE_URL: seeded } = await freshDatabaseEnv(t, { seeded: true })
    const replication = await startReplication({ from: seeded!, as: 'hospital' })
    t.comment(`primary and standby made and started in ${Date.now() - startedAt} ms`)
    if (typeof replication === 'string') {
      t.pass(`skipped: no local standby can be made here: ${replication}`)
    } else {
      t.teardown(() => replication.stop())
      const config = await testConfig(t, {
        DATABASE_URL: `${replication.primaryUrl}/hospital`,
        DATABASE_REPLICA_URLS: `${replication.standbyUrl}/hospital`,
        RESPONSE_CACHE_MAX_MB: '0',
        STATISTICS_CACHE_ENTRIES: '0'
      })
      const app = await buildApp(config)
      t.teardown(() => app.close())
      await app.ready()
      t.comment(`the app ready ${Date.now() - startedAt} ms after the start`)
      const routing = app.database.readRouting!
      const { key } = await createApiKey(app.prisma, { name: 'Bureau admin', scopes: ['admin'] })
      const detail = '/v1/departments/general-gynecology'
      const focus = async (t: Test): Promise<string | null> => {
        const response = await app.inject(detail)
        t.equal(response.statusCode, 200)
        return response.json<{ focus: string | null }>().focus
      }
      const reads = () => ({ ...routing.stats() })
      const setReplay = async (state: 'pause' | 'resume') => {
        await replication.query('standby', 'hospital', `SELECT pg_wal_replay_${state}()`)
        while (state === 'pause') {
          const [row] = await replication.query('standby', 'hospital', 'SELECT pg_get_wal_replay_pause_state() AS state')
          if (row?.state === 'paused') break
          await sleep(10)
        }
      }
      /** A change the app does not hear of: triggers (and so notifications) off for the session. */
      const changeBehindTheApp = async (value: string) => replication.query('primary', 'hospital',
        `SET session_replication_role = replica; UPDATE unit SET focus = '${value}' WHERE slug = 'general-gynecology'`)

      t.test('GETs are served by the standby; the writer reads its own write from the primary until the standby has it', async (t) => {
        await routing.settled()
        const original = await focus(t)
        let before = reads()
        await focus(t)
        t.ok(routing.stats().replicaReads > before.replicaReads, 'a GET with nothing pending reads from the standby')

        await setReplay('pause')
        await changeBehindTheApp('Changed on the primary while replay is paused')
        before = reads()
        t.equal(await focus(t), original, 'the standby, paused, does not have the change: the GET was served by it')
        t.ok(routing.stats().replicaReads > before.replicaReads)
        t.equal(routing.stats().primaryReads, before.primaryReads)

        const patched = await app.inject({
          method: 'PATCH',
          url: detail,
          headers: { authorization: `Bearer ${key}`, 'if-match': '*' },
          payload: { focus: 'Written by this instance', provenance: { note: 'read-replicas test' } }
        })
        t.equal(patched.statusCode, 200)
        before = reads()
        t.equal(await focus(t), 'Written by this instance', 'the writer\'s next GET sees its write')
        t.ok(routing.stats().primaryReads > before.primaryReads, 'served by the primary, the standby being behind')
        t.equal(routing.stats().replicaReads, before.replicaReads)

        const resumed = Date.now()
        await setReplay('resume')
        await routing.settled()
        t.comment(`the standby was known to have replayed past the write ${Date.now() - resumed} ms after replay was resumed`)
        before = reads()
        t.equal(await focus(t), 'Written by this instance')
        t.ok(routing.stats().replicaReads > before.replicaReads, 'and once it has, reads go back to the standby')
      })

      t.test('a change heard of sends reads to the primary until the standby has it', async (t) => {
        await routing.settled()
        await setReplay('pause')
        t.teardown(() => setReplay('resume'))
        const heard = nextDataChange(app)
        await replication.query('primary', 'hospital', 'UPDATE unit SET focus = \'Changed by another process\' WHERE slug = \'general-gynecology\'')
        await heard
        const before = reads()
        t.equal(await focus(t), 'Changed by another process', 'no stale answer from the paused standby after a notification')
        t.ok(routing.stats().primaryReads > before.primaryReads)
      })

      t.test('writes and the requests around them never go to the standby', async (t) => {
        await routing.settled()
        const before = reads()
        const created = await app.inject({
          method: 'PATCH',
          url: detail,
          headers: { authorization: `Bearer ${key}`, 'if-match': '*' },
          payload: { focus: 'Another write', provenance: { note: 'read-replicas test' } }
        })
        t.equal(created.statusCode, 200)
        t.same(reads(), before, 'a PATCH reads and writes on the primary only')
      })

      t.test('a standby that stops is left alone, and its reads are served by the primary', async (t) => {
        await routing.settled()
        await replication.stopStandby()
        const before = reads()
        t.equal(await focus(t), 'Another write', 'the GET is answered, from the primary')
        t.equal(await focus(t), 'Another write')
        t.equal(routing.stats().replicaReads, before.replicaReads)
        t.equal(routing.stats().primaryReads, before.primaryReads + 2)
      })
    }
  })
}
