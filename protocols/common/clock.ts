// The clock protocol logic is given: every deadline and timestamp goes
// through it, so tests can advance time instead of sleeping.

export interface Clock {
  /** Unix epoch milliseconds (`*_ms` fields, display, schedules). Deadlines use setTimeout. */
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    // A pending deadline must never keep a finished process alive.
    if (typeof t === 'object' && t != null && 'unref' in t) (t as { unref(): void }).unref()
    return t
  },
  clearTimeout: (handle) => { clearTimeout(handle as ReturnType<typeof setTimeout>) }
}
