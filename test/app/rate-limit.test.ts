import { Redis } from 'ioredis'
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { createApiKey } from '../../src/db/api-keys.ts'
import { buildTestApp } from '../helper.ts'

// Rate limits per API key and per address, counted in process or in Redis (shared by instances), and a Redis that
// is down lets requests through instead of failing them.

const redisUrl = 'redis://127.0.0.1:6379'

async function redisUp (): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 })
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

t.test('per address without a key, per key with one; 429 problems with RateLimit and Retry-After', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_PER_IP: '3', RATE_LIMIT_PER_KEY: '5' })
  const first = await app.inject('/v1/hospitals')
  t.equal(first.statusCode, 200)
  t.equal(first.headers['ratelimit-limit'], '3')
  t.equal(first.headers['ratelimit-remaining'], '2')
  t.ok(Number(first.headers['ratelimit-reset']) > 0 && Number(first.headers['ratelimit-reset']) <= 60)
  await app.inject('/v1/hospitals')
  t.equal((await app.inject('/v1/hospitals')).statusCode, 200, 'the third request is still allowed')
  const refused = await app.inject('/v1/departments')
  t.equal(refused.statusCode, 429, 'the fourth, on any route, is not')
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.json(), { type: '/problems/too-many-requests', status: 429, detail: /More than 3 requests in a minute/ })
  t.ok(Number(refused.headers['retry-after']) > 0, `Retry-After: ${refused.headers['retry-after']}`)
  t.equal(refused.headers['cache-control'], 'no-store')

  const key = await createApiKey(app.prisma, { name: 'dashboard', scopes: ['read'] })
  const keyed = await app.inject({ url: '/v1/hospitals', headers: { authorization: `Bearer ${key.key}` } })
  t.equal(keyed.statusCode, 200, 'a key has its own budget, whatever its address spent')
  t.equal(keyed.headers['ratelimit-limit'], '5')

  t.equal((await app.inject('/health')).statusCode, 200, 'probes are never limited')
  t.equal((await app.inject('/docs/json')).statusCode, 200, 'nor the documentation')
})

t.test('failed key guesses count against the address', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_PER_IP: '2' })
  const guess = { authorization: `Bearer hda_000000000000_${'A'.repeat(43)}` }
  t.equal((await app.inject({ url: '/v1/hospitals', headers: guess })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/hospitals', headers: guess })).statusCode, 401)
  t.equal((await app.inject({ url: '/v1/hospitals', headers: guess })).statusCode, 429, 'the third guess is not even looked up')
})

t.test('limits of 0 mean none', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '0' })
  for (let index = 0; index < 5; index++) t.equal((await app.inject('/v1/hospitals')).statusCode, 200)
  t.equal((await app.inject('/v1/hospitals')).headers['ratelimit-limit'], undefined)

  // One limit of 0 leaves the other in force.
  const keysOnly = await buildTestApp(t, { RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_KEY: '2' })
  for (let index = 0; index < 4; index++) {
    const anonymous = await keysOnly.inject('/v1/hospitals')
    t.equal(anonymous.statusCode, 200, 'anonymous requests are not counted')
    t.equal(anonymous.headers['ratelimit-limit'], undefined)
  }
  const key = await createApiKey(keysOnly.prisma, { name: 'dashboard', scopes: ['read'] })
  const headers = { authorization: `Bearer ${key.key}` }
  const first = await keysOnly.inject({ url: '/v1/hospitals', headers })
  t.equal(first.headers['ratelimit-limit'], '2', 'a key is')
  await keysOnly.inject({ url: '/v1/hospitals', headers })
  t.equal((await keysOnly.inject({ url: '/v1/hospitals', headers })).statusCode, 429)
})

t.test('with Redis, instances count together', async (t) => {
  if (!await redisUp()) {
    t.fail(`Redis is not reachable at ${redisUrl}; .ci/run starts it`)
    return
  }
  const cleanup = new Redis(redisUrl)
  t.after(() => cleanup.disconnect())
  const clear = async () => {
    const keys = await cleanup.keys('hospital-departments-api:rate-limit:*')
    if (keys.length > 0) await cleanup.del(...keys)
  }
  await clear()
  t.after(clear)
  const env = { REDIS_URL: redisUrl, RATE_LIMIT_PER_IP: '4' }
  const one = await buildTestApp(t, env)
  const two = await buildApp(one.config)
  t.after(() => two.close())
  await two.ready()
  const statuses = []
  for (const app of [one, two, one, two, one]) statuses.push((await app.inject('/v1/hospitals')).statusCode)
  t.same(statuses, [200, 200, 200, 200, 429], 'the fifth request is refused, whichever instance gets it')
})

t.test('with Redis down, requests go through: no 500, no wait', async (t) => {
  const app = await buildTestApp(t, { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_PER_IP: '1' })
  const started = Date.now()
  for (let index = 0; index < 3; index++) t.equal((await app.inject('/v1/hospitals')).statusCode, 200, 'fails open')
  t.ok(Date.now() - started < 5000, `three requests in ${Date.now() - started} ms`)
})
