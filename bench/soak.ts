import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { appEnvironment, createBenchDatabase, createWriteKey, dropBenchDatabase, startApp } from './app-setup.ts'
import { peakRss, stopAllServers } from './processes.ts'

// npm run load [-- --rate 300 --duration 300 --connections 20 --postgres-url postgresql://…]
// A soak: the compiled app on a freshly seeded PostgreSQL database, driven at a fixed request rate for a set time
// with a mix of cached and uncached reads and a trickle of writes. It prints the status counts, latency percentiles
// and the resident memory over time, and exits 1 if any response was a 5xx or any request failed. It measures; it
// asserts nothing about speed.

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: process.env.LOAD_RATE ?? '300' },
    duration: { type: 'string', default: process.env.LOAD_DURATION ?? '300' },
    connections: { type: 'string', default: process.env.LOAD_CONNECTIONS ?? '20' },
    'postgres-url': { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }
  }
})
const rate = Number(values.rate)
const duration = Number(values.duration)
const connections = Number(values.connections)
for (const [name, value] of Object.entries({ rate, duration, connections })) {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
}
const adminUrl = values['postgres-url']

function residentBytes (pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match === null ? Number.NaN : Number(match[1]) * 1024
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`

// What a day of partner apps and dashboards asks: mostly repeated reads (cache hits), a share of distinct queries
// (misses: every page size and search term is its own cache entry), and one request in a hundred a write, which
// empties the caches. Writes go round the units, so that two rarely race for one record (a lost race is a 412).
function requestMix (writeKey: string, units: string[]): autocannon.Request[] {
  let counter = 0
  const reads = [
    '/v1/departments?hospital=cqhcwc&limit=20',
    '/v1/departments/general-gynecology?include=children,metrics,honors,services',
    '/v1/metrics?department=general-gynecology&metric=beds',
    '/v1/statistics/summary',
    '/v1/statistics/ratios',
    '/v1/metrics?format=csv&limit=100',
    '/v1/search?q=surgery',
    '/v1/conditions',
    '/v1/news'
  ]
  const terms = ['care', 'surgery', 'women', 'children', 'screening']
  return [{
    method: 'GET',
    setupRequest: (request) => {
      counter++
      if (counter % 100 === 0) {
        return {
          ...request,
          method: 'PATCH',
          path: `/v1/departments/${units[(counter / 100) % units.length]}`,
          headers: { authorization: `Bearer ${writeKey}`, 'if-match': '*', 'content-type': 'application/json' },
          body: JSON.stringify({ focus: `Soak write ${counter}`, provenance: { note: 'load test' } })
        }
      }
      const path = counter % 10 === 0
        ? `/v1/metrics?limit=${1 + (counter % 100)}`
        : counter % 10 === 5 ? `/v1/search?q=${terms[counter % terms.length]}&limit=${1 + (counter % 20)}` : reads[counter % reads.length]!
      return { ...request, method: 'GET', path, headers: {}, body: undefined }
    }
  }]
}

async function main (): Promise<void> {
  const databaseUrl = await createBenchDatabase(adminUrl)
  const env = appEnvironment({ DATABASE_URL: databaseUrl })
  try {
    // First start migrates and seeds; the key is made while the app is stopped, as in the bench.
    const first = await startApp('app (first start)', env, '/dev/null')
    await first.stop()
    const writeKey = await createWriteKey(env)
    const app = await startApp('app', env, '/dev/null')
    const units = (await (await fetch(`${app.origin}/v1/departments?limit=100`)).json() as { data: Array<{ slug: string }> }).data.map((unit) => unit.slug)

    const samples: Array<{ second: number, rss: number }> = []
    const started = Date.now()
    const sampler = setInterval(() => samples.push({ second: Math.round((Date.now() - started) / 1000), rss: residentBytes(app.pid) }), 5000)
    process.stderr.write(`soak: ${rate} req/s for ${duration} s over ${connections} connections against ${app.origin}\n`)
    const result = await autocannon({
      url: app.origin,
      connections,
      overallRate: rate,
      duration,
      requests: requestMix(writeKey, units)
    })
    clearInterval(sampler)
    const peak = peakRss(app.pid)
    await app.stop()

    const statusCounts = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]))
    const serverErrors = Object.entries(statusCounts).filter(([code]) => code.startsWith('5')).reduce((sum, [, count]) => sum + (count ?? 0), 0)
    const afterWarmUp = samples.find((sample) => sample.second >= 30) ?? samples[0]
    const last = samples.at(-1)
    console.log(`requests          ${result.requests.total} in ${result.duration} s (${result.requests.average} req/s asked ${rate})`)
    console.log(`statuses          ${JSON.stringify(statusCounts)} (a 412 is a write that lost a race for a record)`)
    console.log(`5xx               ${serverErrors}`)
    console.log(`errors, timeouts  ${result.errors}, ${result.timeouts}`)
    console.log(`latency           p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`)
    if (afterWarmUp !== undefined && last !== undefined) {
      console.log(`RSS               ${mb(afterWarmUp.rss)} at ${afterWarmUp.second} s, ${mb(last.rss)} at ${last.second} s ` +
        `(growth ${mb(last.rss - afterWarmUp.rss)}), peak ${mb(peak)}`)
    }
    console.log(`RSS every 5 s     ${samples.map((sample) => (sample.rss / 1024 / 1024).toFixed(0)).join(' ')} MB`)
    if (serverErrors > 0 || result.errors > 0 || result.timeouts > 0) process.exitCode = 1
  } finally {
    await stopAllServers()
    await dropBenchDatabase(adminUrl)
  }
}

await main()
