import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { gunzipSync } from 'node:zlib'
import t from 'tap'
import { buildTestApp } from '../helper.ts'

// The dashboard page and its files over HTTP: the page's own security policy and caching, its files under URLs that
// name their content (kept for a year, compressed, revalidated), nothing from another server, and public even where
// reads need a key. The page at work in a browser is test/app/dashboard.test.ts.

const echartsFile = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js')

t.test('GET /dashboard: the page, under its own Content-Security-Policy, revalidated every time', async (t) => {
  const app = await buildTestApp(t)
  const page = await app.inject('/dashboard')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.headers['content-security-policy'], "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", 'scripts, styles, images and data from this server only')
  t.equal(page.headers['cache-control'], 'no-cache', 'revalidated, so that it always names the current files')
  t.equal(page.headers['x-frame-options'], 'DENY')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['cross-origin-opener-policy'], 'same-origin', 'a document\'s headers as well as the API\'s')
  t.match(page.body, /<label for="hospital">Hospital<\/label>/)

  const html = page.body
  t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  t.notMatch(html, /<style|\sstyle=/, 'no inline style')
  t.notMatch(html, /(?:src|href)="(?:https?:)?\/\//, 'nothing from another server')

  const revalidated = await app.inject({ url: '/dashboard', headers: { 'if-none-match': String(page.headers.etag) } })
  t.equal(revalidated.statusCode, 304, 'its ETag answers 304')
})

t.test('the page\'s files: content-addressed, kept a year, compressed, and every module a script imports is there', async (t) => {
  const app = await buildTestApp(t)
  const html = (await app.inject('/dashboard')).body
  const urls = [...new Set([...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((match) => match[1]!))]
  t.ok(urls.some((url) => url.endsWith('/echarts.min.js')), 'ECharts is one of them')
  t.ok(urls.some((url) => url.endsWith('/main.js')), 'the page\'s own module another')

  const seen = new Set<string>()
  const queue = [...urls]
  while (queue.length > 0) {
    const url = queue.shift()!
    if (seen.has(url)) continue
    seen.add(url)
    t.match(url, /^\/dashboard\/assets\/[0-9a-f]{16}\/[\w.-]+$/, `${url}: a URL that names its content`)
    const plain = await app.inject(url)
    t.equal(plain.statusCode, 200, url)
    t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable', `${url} is kept for a year`)
    t.match(plain.headers['content-type'], url.endsWith('.js') ? /^text\/javascript/ : url.endsWith('.css') ? /^text\/css/ : /^image\/svg\+xml/)
    t.equal(plain.headers['content-security-policy'], "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      'a file is not a document: the API\'s policy')
    const notModified = await app.inject({ url, headers: { 'if-none-match': String(plain.headers.etag) } })
    t.equal(notModified.statusCode, 304, `${url} revalidates`)
    if (plain.rawPayload.length >= 1024) {
      const gzipped = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } })
      t.equal(gzipped.headers['content-encoding'], 'gzip', `${url} in gzip`)
      t.equal(gzipped.headers.vary, 'accept-encoding')
      t.ok(gunzipSync(gzipped.rawPayload).equals(plain.rawPayload), 'the same bytes once decompressed')
      t.ok(gzipped.rawPayload.length < plain.rawPayload.length / 2, 'and less than half as many')
    }
    if (url.endsWith('/echarts.min.js')) t.ok(plain.rawPayload.equals(await readFile(echartsFile)), 'ECharts as npm installed it')
    // A module's relative imports resolve to files of the same version.
    for (const match of plain.body.matchAll(/^import\s[^'"]*['"](\.\/[\w.-]+)['"]/gm)) queue.push(new URL(match[1]!, `http://localhost${url}`).pathname)
  }
  t.ok([...seen].some((url) => url.endsWith('/data.js')), 'the modules main.js imports were followed')

  const digest = urls.find((url) => url.endsWith('/main.js'))!.split('/')[3]!
  for (const url of [`/dashboard/assets/0000000000000000/main.js`, `/dashboard/assets/${digest}/server.js`, `/dashboard/assets/${digest}/dashboard.html`,
    `/dashboard/assets/${digest}/..%2F..%2Fserver.ts`]) {
    const missing = await app.inject(url)
    t.equal(missing.statusCode, 404, url)
    t.match(missing.json(), { type: '/problems/not-found', status: 404 })
  }
})

t.test('the page is public where reads need a key (its data still does)', async (t) => {
  const app = await buildTestApp(t, { READS_REQUIRE_KEY: 'true' })
  const page = await app.inject('/dashboard')
  t.equal(page.statusCode, 200)
  const script = /src="(\/dashboard\/assets\/[^"]+\/main\.js)"/.exec(page.body)?.[1]
  t.equal((await app.inject(script!)).statusCode, 200, 'and so are its files')
  t.equal((await app.inject('/v1/hospitals')).statusCode, 401, 'the API still asks for a key')
})
