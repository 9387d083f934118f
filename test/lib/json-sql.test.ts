import t from 'tap'
import { sql, withLiterals } from '../../src/lib/json-sql.ts'

t.test('withLiterals writes each value into the statement as a literal', async (t) => {
  t.equal(withLiterals(sql`SELECT ${'it\'s'} AS a, ${42} AS b, ${null} AS c, ${true} AS d WHERE x = ${'a\\b'}`),
    "SELECT 'it''s' AS a, 42 AS b, NULL AS c, TRUE AS d WHERE x = 'a\\b'", 'quotes doubled; a backslash is only itself')
  t.equal(withLiterals(sql`SELECT ${1}, ${2}, ${3}, ${4}, ${5}, ${6}, ${7}, ${8}, ${9}, ${10}, ${11}`),
    'SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11', '$1 is not taken for the start of $10')
  t.throws(() => withLiterals(sql`SELECT ${'a\u0000b'}`), /NUL/)
  t.throws(() => withLiterals(sql`SELECT ${Number.NaN}`), /finite/)
})
