import type { FastifyInstance, RouteOptions } from 'fastify'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import t, { type Test } from 'tap'
import serviceApp, { serverOptions } from '../../src/app.ts'
import { createApiKey, revokeApiKey } from '../../src/db/api-keys.ts'
import { requiredScope } from '../../src/plugins/app/authentication.ts'
import { testConfig } from '../helper.ts'

// Who may call what, walked over the route table itself: a route added later is checked without editing this file.

interface Caller { name: string, headers: Record<string, string> }

/** The app as buildApp builds it, plus a record of every route it registers. */
async function appWithRoutes (t: Test, env: Record<string, string> = {}): Promise<{ app: FastifyInstance, routes: RouteOptions[] }> {
  const config = await testConfig(t, env)
  const app = Fastify(serverOptions(config))
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => { routes.push(route) })
  await app.register(fp(serviceApp), { config })
  t.after(() => app.close())
  await app.ready()
  return { app, routes }
}

async function callers (app: FastifyInstance): Promise<Caller[]> {
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` })
  const read = await createApiKey(app.prisma, { name: 'partner app', scopes: ['read'] })
  const write = await createApiKey(app.prisma, { name: 'hospital editor', scopes: ['write'] })
  const admin = await createApiKey(app.prisma, { name: 'bureau administrator', scopes: ['admin'] })
  const revoked = await createApiKey(app.prisma, { name: 'former contractor', scopes: ['admin'] })
  await revokeApiKey(app.prisma, revoked.prefix)
  return [
    { name: 'anonymous', headers: {} },
    { name: 'read', headers: bearer(read.key) },
    { name: 'write', headers: { 'x-api-key': write.key } },
    { name: 'admin', headers: bearer(admin.key) },
    { name: 'revoked', headers: bearer(revoked.key) }
  ]
}

/** A concrete URL for a route pattern: parameters get a placeholder (authorization comes before any lookup). */
function concreteUrl (pattern: string): string {
  return pattern.replace(/:[A-Za-z]+/g, 'placeholder').replace(/\*$/, 'index.html')
}

const ranks = { read: 0, write: 1, admin: 2 } as const

function expectedOutcome (caller: string, scope: ReturnType<typeof requiredScope>, readsArePublic: boolean): 'allowed' | 401 | 403 {
  if (scope === 'public') return 'allowed'
  if (caller === 'revoked') return 401
  if (caller === 'anonymous') return scope === 'read' && readsArePublic ? 'allowed' : 401
  return ranks[caller as keyof typeof ranks] >= ranks[scope] ? 'allowed' : 403
}

for (const readsArePublic of [true, false]) {
  t.test(`every route against every kind of caller (READS_REQUIRE_KEY=${!readsArePublic})`, async (t) => {
    const { app, routes } = await appWithRoutes(t, { READS_REQUIRE_KEY: String(!readsArePublic) })
    const everyone = await callers(app)
    const checked = new Set<string>()
    for (const route of routes) {
      for (const method of [route.method].flat()) {
        if (method === 'OPTIONS' && route.url.includes('*')) continue
        const scope = requiredScope({ ...route, method })
        const url = concreteUrl(route.url)
        for (const caller of everyone) {
          const response = await app.inject({ method: method as 'GET', url, headers: caller.headers })
          const expected = expectedOutcome(caller.name, scope, readsArePublic)
          const label = `${caller.name} ${method} ${route.url} (${scope})`
          if (expected === 'allowed') {
            t.notOk([401, 403].includes(response.statusCode), `${label}: ${response.statusCode}`)
          } else {
            t.equal(response.statusCode, expected, label)
            t.match(response.headers['content-type'], route.url.startsWith('/fhir/') ? /^application\/fhir\+json/ : /^application\/problem\+json/, label)
            t.match(response.headers['www-authenticate'], /^Bearer realm="hospital-departments-api"/, label)
          }
        }
        checked.add(`${method} ${route.url}`)
      }
    }
    t.ok(checked.has('GET /v1/departments') && checked.has('GET /health') && checked.has('POST /v1/departments'),
      `${checked.size} method and path pairs walked`)
  })
}

t.test('the answers say what is wrong', async (t) => {
  const { app } = await appWithRoutes(t, { READS_REQUIRE_KEY: 'true' })
  const read = await createApiKey(app.prisma, { name: 'partner app', scopes: ['read'] })

  const missing = await app.inject('/v1/departments')
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['www-authenticate'], 'Bearer realm="hospital-departments-api"')
  t.match(missing.json(), { type: '/problems/unauthorized', status: 401, detail: /needs an API key with the read scope/ })

  for (const [headers, description] of [
    [{ authorization: 'Basic dXNlcjpwYXNz' }, 'not a bearer token'],
    [{ authorization: 'Bearer not-a-key' }, 'not an API key'],
    [{ 'x-api-key': `${read.prefix}_${'x'.repeat(43)}` }, 'unknown API key']
  ] as const) {
    const response = await app.inject({ url: '/v1/departments', headers })
    t.equal(response.statusCode, 401, description)
    t.match(response.headers['www-authenticate'], `error="invalid_token", error_description="${description}"`)
  }

  t.equal((await app.inject({ url: '/v1/departments', headers: { authorization: `bearer ${read.key}` } })).statusCode, 200, 'the scheme is case-insensitive')
  t.equal((await app.inject({ url: '/v1/departments', headers: { authorization: `Bearer ${read.key}`, 'x-api-key': read.key } })).statusCode, 200, 'the same key twice is fine')
  const two = await app.inject({ url: '/v1/departments', headers: { authorization: `Bearer ${read.key}`, 'x-api-key': 'other' } })
  t.equal(two.statusCode, 400)
  t.match(two.json(), { detail: /two different API keys/ })

  const wrongMethod = await app.inject({ method: 'PUT', url: '/v1/departments', headers: { authorization: `Bearer ${read.key}` } })
  t.equal(wrongMethod.statusCode, 405, 'a wrong method is a 405 whoever asks')
  const forbidden = await app.inject({ method: 'POST', url: '/v1/departments', headers: { authorization: `Bearer ${read.key}` }, payload: {} })
  t.equal(forbidden.statusCode, 403, 'a write with a read key is forbidden, before its body is looked at')
  t.match(forbidden.headers['www-authenticate'], /error="insufficient_scope".*scope="write"/)

  await revokeApiKey(app.prisma, read.id)
  const revoked = await app.inject({ url: '/v1/departments', headers: { authorization: `Bearer ${read.key}` } })
  t.equal(revoked.statusCode, 401, 'revocation takes effect on the next request')
  t.match(revoked.headers['www-authenticate'], 'error_description="the API key is revoked"')
  t.equal((await app.inject('/health')).statusCode, 200, 'probes stay public')
  t.equal((await app.inject('/docs/json')).statusCode, 200, 'the documentation stays public')
  t.notOk(JSON.stringify(revoked.json()).includes(read.key.slice(-43)), 'a problem never echoes the secret')
})

t.test('the OpenAPI document describes the keys', async (t) => {
  const { app } = await appWithRoutes(t)
  const document = (await app.inject('/docs/json')).json<{ security: unknown[], components: { securitySchemes: Record<string, { type: string }> }, paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>()
  t.same(Object.keys(document.components.securitySchemes).sort(), ['bearerKey', 'headerKey'])
  t.same(document.security, [{}, { bearerKey: [] }, { headerKey: [] }], 'a key is optional for reads')
  t.ok(document.paths['/v1/departments']?.get?.responses['401'], 'a read documents its 401')
  t.notOk(document.paths['/v1/departments']?.get?.responses['403'], 'a public read cannot be forbidden')
  t.notOk(document.paths['/health']?.get?.responses['401'], 'a probe cannot be refused')
})
