import t from 'tap'
import { decodeBody, htmlToText, storedText } from '../../../../src/plugins/app/intake/source-text.ts'
import { ProblemError } from '../../../../src/lib/problem.ts'

// The text a source keeps: HTML read as a reader sees it, raw bodies decoded strictly as UTF-8.

t.test('HTML: scripts, styles and markup go; headings, paragraphs, list items and table rows become lines', async (t) => {
  const text = htmlToText(`<html><head><title>Page</title><style>h1 { color: red }</style><script>track("visit")</script></head>
    <body><h1>Breast Surgery Department</h1><h2>Overview</h2><p>The department has <b>40</b> beds
    and <a href="/staff">12 doctors</a>.</p><ul><li>Mastectomy</li><li>Reconstruction</li></ul><ol><li>First</li></ol>
    <table><tr><th>Beds</th><td>40</td></tr></table><img src="ward.jpg" alt="The ward"><p>Caf&eacute; &amp; more</p></body></html>`)
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  t.same(lines, [
    'Breast Surgery Department', 'Overview', 'The department has 40 beds and 12 doctors.', 'Mastectomy', 'Reconstruction', 'First',
    'Beds 40', 'Café & more'
  ])
})

t.test('raw bodies are UTF-8 or refused by name', async (t) => {
  t.equal(decodeBody(Buffer.from('Zhōngguó 中国', 'utf8')), 'Zhōngguó 中国')
  t.equal(decodeBody(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), 'A', 'a byte order mark is not text')
  for (const [bytes, message] of [[[0x41, 0x00, 0x42], /NUL bytes/], [[0x41, 0xc3], /not valid UTF-8/], [[0xed, 0xa0, 0x80], /not valid UTF-8/]] as const) {
    const error = (() => { try { decodeBody(Buffer.from(bytes)) } catch (caught) { return caught } })()
    t.type(error, ProblemError)
    t.equal((error as ProblemError).statusCode, 400)
    t.match((error as ProblemError).message, message)
  }
})

t.test('what is stored: line endings made \\n; nothing readable is refused', async (t) => {
  t.equal(storedText('a\r\nb\rc', 'text/plain', '/text'), 'a\nb\nc')
  t.throws(() => storedText('  \n ', 'text/plain', '/text'), { statusCode: 400, message: /body text is empty/ })
  t.throws(() => storedText('<script>x</script>', 'text/html', '/'), { statusCode: 422, message: /holds no text once the HTML is read/ })
})
