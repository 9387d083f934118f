import fp from 'fastify-plugin'
import { DataChanges } from '../../lib/data-changes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    dataChanges: DataChanges
  }
}

/** The channel the database's triggers notify on every committed change (see the data_change_notifications migration). */
export const dataChangeChannel = 'data_change'

// Hears every committed change to the data, whichever process made it, through the database's notifications.
export default fp(async (fastify) => {
  const changes = new DataChanges()
  const stop = await fastify.database.listen(dataChangeChannel, {
    notify: (table) => { changes.changed(table) },
    listening: (listening) => {
      if (!listening) fastify.log.warn('lost the database connection that reports data changes; caches are bypassed until it is back')
      else if (changes.generation > 0) fastify.log.info('hearing data changes again')
      changes.setListening(listening)
    }
  })
  fastify.decorate('dataChanges', changes)
  fastify.addHook('onClose', async () => {
    await stop()
  })
}, { name: 'data-changes', dependencies: ['prisma'] })
