import fp from 'fastify-plugin'
import { DataChanges } from '../../lib/data-changes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    dataChanges: DataChanges
    /**
     * The data's version (the data_version row, moved on by every committed change): at once while changes are heard
     * and none came since it was last read, else after one small query.
     */
    dataVersion(): number | Promise<number>
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

  // The version read last and the generation of changes it was read under: still current while no change was heard
  // since (a change notified after the read moves the generation on, so the value is read again).
  let known: { value: number, generation: number } | null = null
  const read = async (): Promise<number> => {
    const generation = changes.generation
    const [row] = await fastify.database.query<{ value: number }>({ text: 'SELECT "value"::float8 AS value FROM data_version WHERE id = 1', values: [] })
    const value = row?.value ?? 0
    if (changes.listening) known = { value, generation }
    return value
  }
  fastify.decorate('dataVersion', () => {
    if (known !== null && changes.listening && known.generation === changes.generation) return known.value
    return read()
  })
  fastify.addHook('onClose', async () => {
    await stop()
  })
}, { name: 'data-changes', dependencies: ['prisma'] })
