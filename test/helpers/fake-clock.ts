// A Clock whose time moves only when a test says so (tests advance the clock, they never
// sleep to let time pass). Timers fire in time order during `advance`; a timer set by a firing
// timer fires in the same advance if it is due. `jump` moves the wall clock alone, as a suspend
// and resume (or a user setting the clock) does: monotonic time and pending timers do not move.
import type { Clock } from '../../protocols/common/index.js'

interface Timer { id: number, at: number, fn: () => void }

export class FakeClock implements Clock {
  private wall: number
  private mono = 0
  private nextId = 1
  private timers: Timer[] = []
  /** Timer callbacks run so far (tests assert work stays bounded). */
  fired = 0

  constructor (startWallMs = Date.UTC(2026, 0, 1)) {
    this.wall = startWallMs
  }

  now (): number {
    return this.wall
  }

  monotonic (): number {
    return this.mono
  }

  setTimeout (fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.mono + Math.max(0, ms), fn }
    this.timers.push(timer)
    return timer.id
  }

  clearTimeout (handle: unknown): void {
    this.timers = this.timers.filter(t => t.id !== handle)
  }

  get pending (): number {
    return this.timers.length
  }

  /** Monotonic time of the earliest pending timer. */
  get nextAt (): number | undefined {
    return this.timers.reduce<number | undefined>((min, t) => min == null || t.at < min ? t.at : min, undefined)
  }

  /** Moves both clocks forward by `ms`, firing every timer that falls due, in order. */
  advance (ms: number): void {
    const target = this.mono + ms
    while (true) {
      const due = this.timers.filter(t => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (due == null) break
      this.timers = this.timers.filter(t => t !== due)
      this.wall += due.at - this.mono
      this.mono = due.at
      this.fired++
      due.fn()
    }
    this.wall += target - this.mono
    this.mono = target
  }

  /** Advances to the next pending timer (and fires it); false if none. */
  step (): boolean {
    const at = this.nextAt
    if (at == null) return false
    this.advance(at - this.mono)
    return true
  }

  /** The wall clock alone jumps (positive: a resume after suspend; negative: set back). */
  jump (ms: number): void {
    this.wall += ms
  }
}
