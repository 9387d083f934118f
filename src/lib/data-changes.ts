import { EventEmitter } from 'node:events'

/**
 * What this process knows about changes to the data. `generation` moves on every change, so a result computed under
 * an older generation may be stale; `listening` says whether changes are being heard at all (a cache must not serve
 * while they are not, since a change could go unnoticed).
 */
export class DataChanges extends EventEmitter<{ change: [table: string], listening: [listening: boolean] }> {
  generation = 0
  listening = false

  constructor () {
    super()
    // Every open event stream listens: there may be many more than EventEmitter's default warning threshold.
    this.setMaxListeners(0)
  }

  /** Data in `table` changed (`*`: anything may have). */
  changed (table: string): void {
    this.generation++
    this.emit('change', table)
  }

  /** Whether changes are being heard. Both transitions count as a change: while deaf, anything may have changed. */
  setListening (listening: boolean): void {
    if (listening === this.listening) return
    this.listening = listening
    this.changed('*')
    this.emit('listening', listening)
  }
}
