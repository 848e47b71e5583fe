// A bounded ladder of retries per key (a contact's outbox, a transfer's pull): the n-th retry of a
// key runs after `delaysMs[n]`, and after the last one the key waits for the next session. In real
// time, like the other network steps' deadlines (the system clock's timers never keep a finished
// process alive).
import { systemClock } from '../../protocols/common/index.js'

export class RetryLadder {
  private readonly keys = new Map<string, { attempt: number, handle?: unknown }>()

  constructor (private readonly delaysMs: readonly number[]) {}

  /** Runs `retry` after the key's next delay; nothing if a retry of it is already pending or the ladder is used up. */
  schedule (key: string, retry: () => void): void {
    const entry = this.keys.get(key)
    if (entry?.handle != null) return
    const attempt = entry?.attempt ?? 0
    if (attempt >= this.delaysMs.length) return
    const handle = systemClock.setTimeout(() => {
      this.keys.set(key, { attempt: attempt + 1 })
      retry()
    }, this.delaysMs[attempt])
    this.keys.set(key, { attempt, handle })
  }

  /** The key has climbed the ladder at all since it last worked (a retry pending or run). */
  has (key: string): boolean {
    return this.keys.has(key)
  }

  /** The step worked: the next failure starts from the first delay (a pending retry still runs). */
  succeeded (key: string): void {
    if (this.keys.get(key)?.handle == null) this.keys.delete(key)
  }

  /** Drops the key's pending retry and its count (a new session: start afresh). */
  cancel (key: string): void {
    const entry = this.keys.get(key)
    if (entry?.handle != null) systemClock.clearTimeout(entry.handle)
    this.keys.delete(key)
  }

  cancelAll (): void {
    for (const key of [...this.keys.keys()]) this.cancel(key)
  }
}
