import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import { buildApp, serverOptions } from './app.ts'
import { loadConfig } from './config.ts'
import { exitWithError } from './lib/fatal.ts'
import { gracefulClose } from './lib/graceful-close.ts'

// The only place that listens and owns the process.

async function main (): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  await app.ready()
  // A refused request gets the id it would have had (the caller's X-Request-Id when plausible).
  const { genReqId = () => randomUUID() } = serverOptions(config)
  const closeServer = gracefulClose(app.server, genReqId)

  // SIGTERM (or SIGINT): /ready fails at once, so the load balancer stops sending new requests, while everything is
  // still served for SHUTDOWN_DRAIN_MS; then the server closes (lib/graceful-close.ts): it accepts the connections
  // already waiting and then no more, requests in flight finish with Connection: close, a request that still arrives
  // on an open connection gets a 503 with Connection: close, and an idle keep-alive connection is ended once quiet;
  // when the last connection has closed, the app closes and with it the database. close-with-grace exits 1 if all
  // that takes more than 10 s. An uncaught error closes at once, without draining.
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    app.lifecycle.draining = true
    if (err !== undefined) {
      app.log.error({ err }, 'closing after an uncaught error')
    } else {
      app.log.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down: not ready, draining')
      await sleep(config.SHUTDOWN_DRAIN_MS)
    }
    // Event streams end first, each telling its client where to resume, so it reconnects to another instance.
    app.eventStreams.endAll()
    const { refused } = await closeServer()
    app.log.info({ refusedRequests: refused }, 'connections closed')
    await app.close()
    app.log.info('closed')
  })

  await app.listen({ host: config.HOST, port: config.PORT })
  // performance.now() counts from the start of the process: module loading, database, migrations, seed, listen.
  app.log.info({ startupMs: Math.round(performance.now()) }, 'ready to serve')
}

main().catch((error: unknown) => exitWithError('hospital-api', error))
