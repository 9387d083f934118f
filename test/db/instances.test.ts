import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createApiKey } from '../../src/db/api-keys.ts'
import { databaseKind, nextDataChange, testConfig } from '../helper.ts'

// N stateless instances on one PostgreSQL database, as behind a load balancer: two servers listening on ports of
// their own, the same DATABASE_URL. A write through one is seen by the other's next GET although the other had the
// answer cached, because the database tells every instance about each commit (LISTEN/NOTIFY, data_change).

if (databaseKind !== 'postgresql') {
  t.pass('PostgreSQL only: an embedded database belongs to one process')
} else {
  t.test('a write through one instance reaches the other\'s cached answer', async (t) => {
    const config = await testConfig(t)
    const [one, two] = await Promise.all([buildApp(config), buildApp(config)])
    t.teardown(async () => { await Promise.all([one.close(), two.close()]) })
    const [oneUrl, twoUrl] = await Promise.all([one.listen({ port: 0, host: '127.0.0.1' }), two.listen({ port: 0, host: '127.0.0.1' })])
    const { key } = await createApiKey(one.prisma, { name: 'Bureau admin', scopes: ['admin'] })
    const detail = '/v1/departments/general-gynecology'

    const first = await fetch(twoUrl + detail)
    t.equal(first.status, 200)
    t.equal(first.headers.get('x-cache'), 'miss')
    const cached = await fetch(twoUrl + detail)
    t.equal(cached.headers.get('x-cache'), 'hit', 'the second instance has the answer cached')
    const before = await cached.json() as { focus: string | null }
    t.not(before.focus, 'Written through the first instance')

    const heard = nextDataChange(two)
    const sent = performance.now()
    const patched = await fetch(oneUrl + detail, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${key}`, 'if-match': '*', 'content-type': 'application/json' },
      body: JSON.stringify({ focus: 'Written through the first instance', provenance: { note: 'instances test' } })
    })
    t.equal(patched.status, 200, 'the first instance takes the write')
    const answered = performance.now()
    await heard
    t.comment(`PATCH answered after ${Math.round(answered - sent)} ms; the second instance had heard the commit ` +
      `${Math.round(performance.now() - sent)} ms after it was sent`)

    const after = await fetch(twoUrl + detail)
    t.equal(after.status, 200)
    t.equal(after.headers.get('x-cache'), 'miss', 'the cached answer was dropped')
    t.equal((await after.json() as { focus: string }).focus, 'Written through the first instance', 'the second instance serves the write')
    t.equal((await fetch(twoUrl + detail)).headers.get('x-cache'), 'hit', 'and caches the fresh answer')
  })
}
