import fp from 'fastify-plugin'
import { runKeyCommand } from '../../db/api-keys.ts'
import { openControlSocket } from '../../db/control-socket.ts'
import { holdsDataDir } from '../../db/data-dir-lock.ts'

// `npm run keys` while the embedded server runs: the data directory is locked to this process, so the command hands
// its key operation to the server on the directory's control socket (src/db/control-socket.ts). Nothing to do on
// PostgreSQL, where the command opens the database itself, nor in memory, where no other process can reach it.
export default fp(async (fastify) => {
  const { config, database } = fastify
  if (database.kind !== 'pglite' || !holdsDataDir(config.PGLITE_DATA_DIR) || process.platform === 'win32') return
  const log = fastify.log.child({ component: 'key-control' })
  let control: Awaited<ReturnType<typeof openControlSocket>>
  try {
    control = await openControlSocket(config.PGLITE_DATA_DIR, async (command) => {
      const outcome = await runKeyCommand(fastify.prisma, command)
      // Who changed which key, never the key itself.
      if (outcome.command === 'create') {
        const { prefix, name, scopes } = outcome.created
        log.info({ prefix, name, scopes }, 'API key created by the keys command')
      } else if (outcome.command === 'revoke' && outcome.revoked !== null) {
        log.info({ prefix: outcome.revoked.prefix }, 'API key revoked by the keys command')
      }
      return outcome
    }, (error) => log.error({ err: error }, 'a key command failed'))
  } catch (error) {
    // The API serves without it; only the keys command then needs the server stopped.
    log.warn({ err: error }, 'no control socket: `npm run keys` works on this data directory only while the server is stopped')
    return
  }
  log.info({ socket: control.path }, 'taking key commands on the control socket')
  fastify.addHook('onClose', () => control.close())
}, { name: 'key-control', dependencies: ['prisma'] })
