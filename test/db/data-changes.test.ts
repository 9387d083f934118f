import t from 'tap'
import { openTestDatabase } from '../helper.ts'

// The database itself reports every committed change (see the data_change_notifications migration).

/**
 * Tables that hold no data a response is built from, so a change to them invalidates nothing; data_version is the
 * counter the triggers themselves move on. The webhook tables are configuration and delivery bookkeeping, never
 * cached (their routes are not); the outbox's trigger notifies the senders itself. audit_event notifies, for the
 * followers of the change feed (checked below), without being a data table.
 */
const bookkeeping = ['_prisma_migrations', 'api_key', 'audit_event', 'archived_record', 'idempotency_record', 'data_version',
  'webhook_subscription', 'webhook_delivery', 'webhook_attempt']

t.test('every data table notifies its changes', async (t) => {
  const database = await openTestDatabase(t, { migrated: true })
  const rows = await database.withSession((session) => session.query<{ table_name: string, triggered: boolean }>(`
    SELECT tables.table_name,
           EXISTS (SELECT 1 FROM information_schema.triggers
                   WHERE event_object_table = tables.table_name AND trigger_name = tables.table_name || '_data_change') AS triggered
    FROM information_schema.tables AS tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1))
    ORDER BY table_name`, [bookkeeping]))
  t.ok(rows.length >= 13)
  t.same(rows.filter((row) => !row.triggered).map((row) => row.table_name), [], 'no data table without the trigger')
  const [apiKeyTriggers] = await database.withSession((session) => session.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM information_schema.triggers WHERE event_object_table = $1', ['api_key']))
  t.equal(apiKeyTriggers?.count, 0, 'creating or revoking a key leaves the caches alone')
  const [auditTrigger] = await database.withSession((session) => session.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM information_schema.triggers WHERE trigger_name = $1', ['audit_event_data_change']))
  t.equal(auditTrigger?.count, 1, 'each write\'s audit event notifies, once, for the feed\'s followers')
})

t.test('a committed change notifies its table; a rolled-back one nothing', async (t) => {
  const database = await openTestDatabase(t, { seeded: true })
  const heard: string[] = []
  let waiting: (() => void) | undefined
  const stop = await database.listen('data_change', {
    notify: (table) => { heard.push(table); waiting?.() },
    listening: () => {}
  })
  t.after(stop)
  const next = async () => {
    if (heard.length > 0) return heard.shift()
    await new Promise<void>((resolve, reject) => {
      waiting = resolve
      setTimeout(() => { reject(new Error('no notification within 5 s')) }, 5000).unref()
    })
    return heard.shift()
  }

  await database.prisma.honor.updateMany({ data: { issuer: 'checked' }, where: { year: 2000 } })
  t.equal(await next(), 'honor')

  await t.rejects(database.prisma.$transaction(async (transaction) => {
    await transaction.metricObservation.updateMany({ data: { note: 'never' } })
    throw new Error('abandoned')
  }), /abandoned/)
  // A committed change to another table is the fence: had the rollback notified, its table would come first.
  await database.prisma.event.updateMany({ data: { title: 'x' }, where: { title: 'no such event' } })
  t.equal(await next(), 'event', 'the rolled-back change sent nothing')

  await database.prisma.$transaction([
    database.prisma.service.updateMany({ data: { description: 'a' }, where: { name: 'no such service' } }),
    database.prisma.service.updateMany({ data: { description: 'b' }, where: { name: 'no such service' } })
  ])
  t.equal(await next(), 'service')
  // Again a fence: a second notification for the same transaction would come before this one.
  await database.prisma.event.updateMany({ data: { title: 'x' }, where: { title: 'no such event' } })
  t.equal(await next(), 'event', 'one notification per table and transaction')
})
