// Work that must not overlap per key (one contact's record, dials, outbox, mailbox fetch): each
// call for a key starts after the previous one for that key settled, whatever its outcome; calls
// for other keys run alongside. Keys with nothing queued are forgotten.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const next = previous.catch(() => {}).then(fn)
    this.tails.set(key, next)
    try {
      return await next
    } finally {
      if (this.tails.get(key) === next) this.tails.delete(key)
    }
  }

  /** Resolves once nothing is queued for any key (work queued meanwhile is waited for too). */
  async idle (): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()])
  }
}
