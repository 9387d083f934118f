import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import t from 'tap'
import { toCsv, type CsvCell, type CsvColumn } from '../../src/lib/csv.ts'

type Row = Record<string, CsvCell>
const columns = (names: string[]): Array<CsvColumn<Row>> =>
  names.map((name) => ({ name, description: name, value: (row: Row) => row[name] ?? null }))

t.test('RFC 4180: CRLF records, a header row, quoting only where needed, quotes doubled', async (t) => {
  const csv = toCsv(columns(['name', 'value', 'note']), [
    { name: '妇女保健部', value: 30000, note: 'more than 30,000, "annually"' },
    { name: 'line\nbreak', value: null, note: null }
  ])
  t.equal(csv, 'name,value,note\r\n' +
    '妇女保健部,30000,"more than 30,000, ""annually"""\r\n' +
    '"line\nbreak",,\r\n')
})

t.test('booleans are written as true/false, null as an empty field, numbers as they are', async (t) => {
  const csv = toCsv(columns(['a', 'b', 'c', 'd']), [{ a: true, b: false, c: null, d: -1.5 }])
  t.equal(csv, 'a,b,c,d\r\ntrue,false,,-1.5\r\n', 'a negative number is not mistaken for a formula')
})

t.test('text a spreadsheet would run as a formula is neutralised', async (t) => {
  const csv = toCsv(columns(['a', 'b', 'c', 'd', 'e']), [{ a: '=HYPERLINK("http://x")', b: '+1', c: '@SUM(A1)', d: '-2', e: '＝1+1' }])
  const [row] = parse(csv, { columns: true }) as Row[]
  t.same(row, { a: '\'=HYPERLINK("http://x")', b: '\'+1', c: '\'@SUM(A1)', d: '\'-2', e: '\'＝1+1' }, 'also the full-width forms')
})

t.test('the byte order mark only when asked for', async (t) => {
  t.notOk(toCsv(columns(['a']), [{ a: 'x' }]).startsWith('\uFEFF'))
  const withBom = toCsv(columns(['a']), [{ a: '中文' }], { bom: true })
  t.ok(withBom.startsWith('\uFEFFa\r\n'))
  t.same(Buffer.from(withBom, 'utf8').subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]), 'UTF-8 encoded BOM')
  t.same(parse(withBom, { columns: true, bom: true }), [{ a: '中文' }])
})

t.test('any text round-trips through a real CSV parser', async (t) => {
  // Text that does not start like a formula comes back exactly, whatever commas, quotes, line breaks or scripts it holds.
  // (The characters below are those csv-stringify escapes: = + - @, their full-width forms, tab and CR.)
  const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value))
  fc.assert(fc.property(fc.array(fc.tuple(text, text, fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 8 }), (rows) => {
    const csv = toCsv(columns(['first', 'second', 'number']), rows.map(([first, second, number]) => ({ first, second, number })))
    const parsed = (parse(csv, { columns: true }) as Array<Record<string, string>>)
      .map((row) => [row.first, row.second, Number(row.number)])
    return parsed.length === rows.length && parsed.every((row, index) =>
      row[0] === rows[index]![0] && row[1] === rows[index]![1] && row[2] === rows[index]![2])
  }), { numRuns: 300 })
  t.pass('300 random tables came back as they went in')
})
