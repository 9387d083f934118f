import { createHash } from 'node:crypto'
import t from 'tap'
import { buildTestApp } from '../helper.ts'

// Security headers (helmet, src/plugins/external/helmet.ts) on every response: a Content-Security-Policy that allows nothing for the API,
// and the narrower one Swagger UI needs under /docs, which DOCS_ENABLED can turn off.

const partner = 'https://partner.example'
/** Headers that only a document (an HTML page) acts on: Swagger UI's pages carry them, JSON and CSV answers do not. */
const documentOnlyHeaders = ['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control',
  'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']
const app = await buildTestApp(t, { CORS_ORIGINS: partner, PUBLIC_URL: 'https://api.hospital.example' })

/** A Content-Security-Policy header as a map from directive to its sources. */
function directives (header: unknown): Record<string, string[]> {
  return Object.fromEntries(String(header).split(';').map((directive) => directive.trim()).filter((directive) => directive !== '')
    .map((directive) => {
      const [name = '', ...sources] = directive.split(/\s+/)
      return [name, sources]
    }))
}

t.test('API responses, errors included, carry strict security headers and stay readable cross-origin', async (t) => {
  const responses = {
    success: await app.inject({ url: '/v1/departments', headers: { origin: partner } }),
    notFound: await app.inject({ url: '/v1/departments/nowhere', headers: { origin: partner } }),
    wrongMethod: await app.inject({ method: 'DELETE', url: '/health' })
  }
  t.equal(responses.success.statusCode, 200)
  t.equal(responses.notFound.statusCode, 404)
  t.equal(responses.wrongMethod.statusCode, 405)
  for (const [name, response] of Object.entries(responses)) {
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${name}: no MIME sniffing`)
    t.same(directives(response.headers['content-security-policy']), {
      'default-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"]
    }, `${name}: a policy that allows nothing`)
    t.equal(response.headers['x-frame-options'], 'DENY', `${name}: never framed, for browsers without frame-ancestors`)
    t.equal(response.headers['strict-transport-security'], 'max-age=31536000', `${name}: HTTPS only, for a year`)
    t.equal(response.headers['referrer-policy'], 'no-referrer', `${name}: no referrer`)
    t.equal(response.headers['cross-origin-resource-policy'], 'cross-origin', `${name}: loadable from partner origins`)
    t.equal(response.headers['x-powered-by'], undefined, `${name}: no framework banner`)
    for (const header of documentOnlyHeaders) {
      t.equal(response.headers[header], undefined, `${name}: no ${header}, which only an HTML page acts on`)
    }
  }
  t.equal(responses.success.headers['access-control-allow-origin'], partner, 'CORS still answers the allowed origin')
})

t.test('Swagger UI loads under a policy that allows its own scripts, styles and images and nothing else', async (t) => {
  const page = await app.inject('/docs/')
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const policy = directives(page.headers['content-security-policy'])
  t.same(policy['script-src'], ["'self'"], 'scripts from this server only: no inline script, no eval')
  t.same(policy['script-src-attr'], ["'none'"], 'no inline event handlers')
  t.same(policy['style-src'], ["'self'", "'unsafe-inline'"], 'its stylesheets, and the inline styles it sets')
  t.same(policy['img-src'], ["'self'", 'data:'], 'its images, and the data: images it draws')
  t.same(policy['connect-src'], ["'self'", 'https://api.hospital.example'], 'the document here, "Try it out" at PUBLIC_URL')
  t.same(policy['frame-ancestors'], ["'none'"])
  t.same(policy['object-src'], ["'none'"])
  t.same(policy['default-src'], ["'self'"])
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  t.equal(page.headers['strict-transport-security'], 'max-age=31536000')
  t.same(Object.fromEntries(documentOnlyHeaders.map((header) => [header, page.headers[header]])), {
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0'
  }, 'a document also gets the headers only documents act on')

  // What the page loads must be what the policy allows: same-origin files, and no inline script.
  const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
  t.ok(scripts.length >= 3, `${scripts.length} scripts`)
  for (const [, attributes = '', content = ''] of scripts) {
    t.match(attributes, /\bsrc="\.\/static\/[^"]+"/, `a same-origin script file: ${attributes.trim()}`)
    t.equal(content.trim(), '', 'no inline script')
  }
  const assets = [...page.body.matchAll(/\b(?:src|href)="([^"]+)"/g)].map(([, url = '']) => url)
  t.ok(assets.length >= 5, `${assets.length} assets`)
  for (const asset of assets) {
    t.match(asset, /^\.\//, `${asset} is on this server`)
    const loaded = await app.inject(new URL(asset, 'http://localhost/docs/').pathname)
    t.equal(loaded.statusCode, 200, `${asset} loads`)
  }
  const initializer = await app.inject('/docs/static/swagger-initializer.js')
  t.match(initializer.body, '"validatorUrl":null', 'no validator badge from a third-party server')
  t.notMatch(initializer.body, 'tryItOutEnabled', '"Try it out" is off until its button turns it on')

  const document = await app.inject('/docs/json')
  t.equal(document.statusCode, 200)
  t.match(document.json(), { openapi: '3.1.0', servers: [{ url: 'https://api.hospital.example' }] })
})

t.test('a problem type\'s page is a document under the API\'s policy, plus a hash for its one stylesheet', async (t) => {
  const page = await app.inject({ url: '/problems/not-found', headers: { accept: 'text/html' } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const style = /<style>([^<]*)<\/style>/.exec(page.body)?.[1] ?? ''
  t.ok(style.length > 0, 'the page has a stylesheet')
  t.same(directives(page.headers['content-security-policy']), {
    'default-src': ["'none'"],
    'style-src': [`'sha256-${createHash('sha256').update(style).digest('base64')}'`],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"]
  }, 'nothing but that stylesheet: no script, image, font or connection')
  t.notMatch(page.body, /<script|\sstyle=|\son[a-z]+=/i, 'no script, inline style attribute or event handler')
  t.equal(page.headers['x-content-type-options'], 'nosniff')
  t.equal(page.headers['x-frame-options'], 'DENY')
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  t.equal(page.headers['strict-transport-security'], 'max-age=31536000')
  t.equal(page.headers['cross-origin-opener-policy'], 'same-origin', 'a document also gets the headers only documents act on')
  for (const header of documentOnlyHeaders) t.ok(page.headers[header], `${header} on the HTML page`)

  const json = await app.inject('/problems/not-found')
  t.match(json.headers['content-type'], /^application\/json/)
  t.same(directives(json.headers['content-security-policy']), {
    'default-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"]
  }, 'the JSON page has the API\'s policy')
  for (const header of documentOnlyHeaders) t.equal(json.headers[header], undefined, `no ${header} on the JSON page`)
})

t.test('DOCS_ENABLED=false: no Swagger UI and no document under /docs, but the document is still generated', async (t) => {
  const withoutDocs = await buildTestApp(t, { DOCS_ENABLED: 'false' })
  for (const url of ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/swagger-ui.css', '/docs/static/index.html']) {
    const response = await withoutDocs.inject(url)
    t.equal(response.statusCode, 404, url)
    t.match(response.headers['content-type'], /^application\/problem\+json/, url)
    t.match(response.json(), { type: '/problems/not-found', status: 404 }, url)
  }
  const document = withoutDocs.swagger() as { paths: Record<string, unknown> }
  t.ok(document.paths['/v1/departments'], 'fastify.swagger() still has every route, for `npm run openapi`')
  t.equal((await withoutDocs.inject('/v1/departments')).statusCode, 200, 'the API itself is unaffected')
})
