import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'
import { exitWithError } from './lib/fatal.ts'

// The only place that listens and owns the process.

async function main (): Promise<void> {
  const config = loadConfig()
  const app = await buildApp(config)
  await app.ready()

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err !== undefined) app.log.error({ err }, 'closing after an uncaught error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })

  await app.listen({ host: config.HOST, port: config.PORT })
  // performance.now() counts from the start of the process: module loading, database, migrations, seed, listen.
  app.log.info({ startupMs: Math.round(performance.now()) }, 'ready to serve')
}

main().catch((error: unknown) => exitWithError('hospital-api', error))
