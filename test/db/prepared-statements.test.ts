import t, { type Test } from 'tap'
import { statementNames } from '../../src/db/statement-names.ts'
import { buildTestApp, databaseKind } from '../helper.ts'

// Prisma's statements are prepared once per PostgreSQL connection: named after a digest of their text, from the
// second time a text is seen, for at most DATABASE_PREPARED_STATEMENTS texts; 0 leaves every statement unnamed.

t.test('names a text from its second use, the same name each time, for at most max texts', async (t) => {
  const names = statementNames({ max: 2 })
  const list = { sql: 'SELECT "id" FROM "unit" WHERE "slug" = $1' }
  t.equal(names(list), '', 'the first use runs unnamed')
  const name = names(list)
  t.match(name, /^prisma_[\w-]{32}$/, 'the second is named')
  t.equal(names({ sql: list.sql }), name, 'the same text keeps its name')
  t.equal(statementNames({ max: 2 })(list) + statementNames({ max: 2 })(list), '', 'a new generator starts afresh')

  const other = { sql: 'SELECT "id" FROM "hospital"' }
  names(other)
  const otherName = names(other)
  t.not(otherName, '', 'a second text is named')
  t.not(otherName, name, 'under a name of its own')
  const third = { sql: 'SELECT 1' }
  names(third)
  t.equal(names(third), '', 'beyond max, texts run unnamed')
  t.equal(names(list), name, 'while the named ones keep their names')
})

t.test('a text seen once is forgotten once many other texts have been seen', async (t) => {
  const names = statementNames({ max: 1 })
  names({ sql: 'SELECT 1' })
  for (let i = 0; i < 5; i++) names({ sql: `SELECT ${i + 2}` })
  t.equal(names({ sql: 'SELECT 1' }), '', 'counted as a first use again')
  t.not(names({ sql: 'SELECT 1' }), '', 'and named on the next')
})

async function preparedOnTheConnection (t: Test, env: Record<string, string>): Promise<string[]> {
  // One connection, so the query that reads pg_prepared_statements runs in the session that prepared them.
  const app = await buildTestApp(t, { DATABASE_POOL_SIZE: '1', RESPONSE_CACHE_MAX_MB: '0', ...env })
  for (let i = 0; i < 3; i++) {
    const response = await app.inject('/v1/departments?hospital=cqhcwc&limit=5&include=children')
    t.equal(response.statusCode, 200)
    t.equal(response.json().data.length, 5)
  }
  const rows = await app.prisma.$queryRawUnsafe<Array<{ name: string, statement: string }>>(
    'SELECT name, statement FROM pg_prepared_statements')
  // The seed, through the same pool, prepared its own statements: the list is the one that embeds the children.
  return rows.filter((row) => row.name.startsWith('prisma_') && row.statement.includes('ch.parent_id')).map((row) => row.name)
}

t.test('on PostgreSQL, the unit list is prepared once on its connection and reused', { skip: databaseKind !== 'postgresql' && 'PostgreSQL only: PGlite runs in the process and has no prepared statement cache to fill' }, async (t) => {
  const names = await preparedOnTheConnection(t, {})
  t.equal(names.length, 1, 'one prepared statement for the three identical lists')
})

t.test('on PostgreSQL, the app\'s sessions use generic plans unless told otherwise', { skip: databaseKind !== 'postgresql' && 'PostgreSQL only' }, async (t) => {
  for (const [env, expected] of [[{}, 'force_generic_plan'], [{ DATABASE_PLAN_CACHE_MODE: 'auto' }, 'auto']] as const) {
    const app = await buildTestApp(t, { DATABASE_POOL_SIZE: '1', ...env })
    const [row] = await app.database.query<{ plan_cache_mode: string }>({ text: 'SHOW plan_cache_mode', values: [] })
    t.equal(row?.plan_cache_mode, expected)
  }
})

t.test('DATABASE_PREPARED_STATEMENTS=0 prepares nothing', { skip: databaseKind !== 'postgresql' && 'PostgreSQL only' }, async (t) => {
  t.same(await preparedOnTheConnection(t, { DATABASE_PREPARED_STATEMENTS: '0' }), [])
})
