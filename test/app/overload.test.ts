import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { defaultMaxHeapUsedBytes } from '../../src/plugins/external/under-pressure.ts'
import { buildTestApp } from '../helper.ts'

// Load shedding (src/plugins/external/under-pressure.ts): an overloaded process refuses requests at once with a 503
// problem and Retry-After, keeps answering /health, and serves again when the pressure is gone.

function blockEventLoop (ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) { /* busy, as a CPU-bound handler or a long synchronous query would be */ }
}

t.test('a blocked event loop: 503 with Retry-After until it recovers; /health stays 200', async (t) => {
  const app = await buildTestApp(t, { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '100', PRESSURE_SAMPLE_INTERVAL_MS: '50' })
  // Building the app (the embedded database's start) blocks the loop too, and the sample taken just after it may say
  // so (from Node 24 on, a sample in which the loop never turned holds no measurement, which under-pressure reports as
  // Infinity): the first requests after start-up are not refused for it.
  t.equal((await app.inject('/v1/departments')).statusCode, 200, 'the first request after start-up is served')
  await sleep(200)
  t.equal((await app.inject('/v1/departments')).statusCode, 200, 'served before')

  // Block until a sample sees the delay (a sample is taken every 50 ms, so within a few rounds).
  let refused
  for (let round = 0; round < 20 && refused === undefined; round++) {
    blockEventLoop(300)
    await sleep(1)
    const response = await app.inject('/v1/departments')
    if (response.statusCode !== 200) refused = response
    else t.equal(response.statusCode, 200)
  }
  t.ok(refused, 'a request is refused while the loop is blocked')
  t.equal(refused?.statusCode, 503)
  t.match(refused?.headers['content-type'], /^application\/problem\+json/)
  t.equal(refused?.headers['retry-after'], '5')
  t.match(refused?.json(), {
    type: '/problems/service-unavailable',
    status: 503,
    detail: /^The server is overloaded \(its event loop (is \d+ ms behind|was blocked for over 50 ms)\); try again in 5 seconds\.$/
  })

  blockEventLoop(300)
  await sleep(1)
  t.equal((await app.inject('/health')).statusCode, 200, 'the liveness probe still answers')

  // Unblocked, the next samples show no delay.
  let served = 0
  for (let round = 0; round < 40 && served === 0; round++) {
    await sleep(50)
    if ((await app.inject('/v1/departments')).statusCode === 200) served++
  }
  t.equal(served, 1, 'served again once the loop is free')
})

t.test('a heap over its limit: every request but /health is refused, before any work is done for it', async (t) => {
  const app = await buildTestApp(t, { PRESSURE_MAX_HEAP_USED_MB: '1', PRESSURE_SAMPLE_INTERVAL_MS: '20', METRICS_PUBLIC: 'true' })
  await sleep(100)
  // Without a key this would be a 401: the refusal comes before authentication, validation and the handler.
  const refused = await app.inject({ method: 'POST', url: '/v1/hospitals', payload: {} })
  t.equal(refused.statusCode, 503)
  t.equal(refused.headers['retry-after'], '5')
  t.match(refused.json(), { detail: /^The server is overloaded \(its heap holds \d+ MiB\); try again in 5 seconds\.$/ })
  t.equal((await app.inject('/ready')).statusCode, 503, 'readiness fails: the balancer sends traffic elsewhere')
  t.equal((await app.inject('/health')).statusCode, 200, 'liveness does not')
  const metrics = await app.inject('/metrics')
  t.equal(metrics.statusCode, 200, 'and the metrics still answer, when they matter most')
  t.match(metrics.body, /^http_requests_total\{method="POST",route="\/v1\/hospitals",status_code="503"\} 1$/m, 'counting the refusals')
})

t.test('defaults: a second of event-loop delay, 90% of the heap limit', async (t) => {
  const app = await buildTestApp(t, { PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '1000' })
  t.equal(app.config.PRESSURE_MAX_EVENT_LOOP_DELAY_MS, 1000)
  t.ok(defaultMaxHeapUsedBytes() > 100 * 1024 * 1024, 'the heap default is a real limit')
})

t.test('every operation that can be refused documents the 503', async (t) => {
  const app = await buildTestApp(t)
  const spec = app.swagger() as unknown as { paths: Record<string, Record<string, { operationId: string, responses: Record<string, unknown> }>> }
  const operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })))
  t.ok(operations.length > 50)
  for (const { path, method, operation } of operations) {
    if (path === '/health' || path === '/metrics') {
      t.notOk(operation.responses['503'], `${path} is never refused`)
      continue
    }
    t.ok(operation.responses['503'], `${method.toUpperCase()} ${path} documents 503`)
  }
})
