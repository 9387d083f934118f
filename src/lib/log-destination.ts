import { writeSync } from 'node:fs'
import { pino, type DestinationStream } from 'pino'

/** sonic-boom sets `destroyed` once closed (its types leave it out); writing then throws. */
type SonicBoom = ReturnType<typeof pino.destination> & { destroyed?: boolean }

/**
 * Where the log goes: pino's own destination (sonic-boom) on a file descriptor, given the lines of one turn of the
 * event loop together, after the turn, in one write, instead of one write per line.
 *
 * Why not sonic-boom's asynchronous mode, which also gathers lines: it appends each line to the text it will write
 * next and measures that text's UTF-8 length on every line, which flattens (copies) the whole text each time. Under
 * load, hundreds of lines pile up between two writes, and a cached GET allocated about 8 KB for its one log line
 * (heap sampling: 33 KB per request, 25 KB with the lines gathered here), so the garbage collector ran a third more
 * often; each write also went through libuv's thread pool. And at exit it wrote the last lines synchronously while an
 * earlier write was still under way, out of order. Here a turn's lines are joined once and written synchronously, as
 * pino writes by default (sonic-boom retries a full pipe): one system call per turn however many requests it
 * answered, never out of order.
 *
 * Lines still waiting for the end of the turn are written when the process exits (close-with-grace and fatal errors
 * call process.exit) and by flushSync, as pino expects of a destination.
 */
export class BatchedLogDestination implements DestinationStream {
  #lines: string[] = []
  #scheduled = false
  readonly #fd: number
  readonly #sonic: SonicBoom

  constructor (fd: number) {
    this.#fd = fd
    // Registered before sonic-boom registers its own exit handler (pino's), so it runs first and hands sonic-boom
    // the last lines before sonic-boom writes out what it holds.
    process.once('exit', () => { this.flushSync() })
    this.#sonic = pino.destination({ dest: fd, sync: true })
  }

  write (line: string): void {
    this.#lines.push(line)
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(this.#writeWaiting)
    }
  }

  /** Writes the waiting lines. */
  readonly #writeWaiting = (): void => {
    this.#scheduled = false
    const text = this.#take()
    if (text !== '' && this.#sonic.destroyed !== true) this.#sonic.write(text)
  }

  #take (): string {
    if (this.#lines.length === 0) return ''
    const text = this.#lines.join('')
    this.#lines = []
    return text
  }

  /** Writes every line given so far before returning. */
  flushSync (): void {
    const text = this.#take()
    if (this.#sonic.destroyed === true) {
      // Closed already (another exit handler ran first): write directly.
      if (text !== '') writeSync(this.#fd, text)
      return
    }
    if (text !== '') this.#sonic.write(text)
    this.#sonic.flushSync()
  }

  /** Writes every line given so far, then calls back (pino's logger.flush). */
  flush (callback?: (error?: Error) => void): void {
    this.#writeWaiting()
    this.#sonic.flush(callback)
  }
}
