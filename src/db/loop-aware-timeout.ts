import { performance } from 'node:perf_hooks'

/** How late a timer may fire before the event loop counts as having been blocked at its deadline. */
const lateToleranceMs = 15

export interface LoopAwareTimeout {
  cancel(): void
}

/**
 * Calls `onTimeout` once `ms` have passed during which this process could have heard the answer it waits for.
 *
 * A plain timer is wrong for that when the event loop is busy: after a long synchronous stretch (a large response
 * serialised, a CPU-bound request), Node runs expired timers before it reads the sockets, so an answer that arrived
 * during the stretch is still unread when the timer fires, and the wait is declared lost although the other side
 * answered in time. Two rules keep the loop's own lateness out of the count:
 * - a timer that fires later than `lateToleranceMs` past its deadline was held up by the loop, not by the other side:
 *   it is re-armed for the time it lost, and the sockets are read in between;
 * - a timer that fires on time still gives the loop one pass over its sockets (setImmediate runs after the poll
 *   phase) before it calls `onTimeout`, so an answer that came in just before the deadline is taken.
 * Blocks that end before the deadline cost nothing: the loop reads what arrived as soon as it is free.
 */
export function loopAwareTimeout (ms: number, onTimeout: () => void): LoopAwareTimeout {
  let cancelled = false
  let timer: NodeJS.Timeout | undefined
  let immediate: NodeJS.Immediate | undefined

  function arm (delayMs: number): void {
    const due = performance.now() + delayMs
    timer = setTimeout(() => {
      const lateMs = performance.now() - due
      if (lateMs > lateToleranceMs) {
        arm(lateMs)
        return
      }
      immediate = setImmediate(() => {
        if (!cancelled) onTimeout()
      })
    }, delayMs)
    // The socket or the request waiting on it keeps the process alive, not the timer that guards it.
    timer.unref()
  }

  arm(ms)
  return {
    cancel () {
      cancelled = true
      clearTimeout(timer)
      if (immediate !== undefined) clearImmediate(immediate)
    }
  }
}
