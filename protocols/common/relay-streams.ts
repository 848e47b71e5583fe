// Stream plumbing shared by the relay's state machines (the GSS of §6.5 and the CRP relay of §9.2):
// timers on the injected clock that close() cancels all at once, writes with a deadline, the
// closing handshake with a grace period, the first frame with its own deadline, and a deadline on
// every frame once its first byte is in (a stream cannot hold the relay with a half-sent frame).
import type { Clock } from './clock.js'
import type { FrameChannel } from './framing.js'
import { ProtocolViolationError, type GiniErrorCode } from './errors.js'

export interface RelayStreamLimits {
  /** A stream must deliver its first frame within this time, else it is reset. */
  firstFrameTimeoutMs: number
  /** Once a frame's first byte is in, the rest must follow within this time (docs/protocol.md §3.2), else a reset. */
  frameTimeoutMs: number
  /** A frame the other side does not take within this time resets its stream (it left). */
  writeTimeoutMs: number
  /** After our last frame and close, the peer has this long to close its side before a reset. */
  closeGraceMs: number
}

class FirstFrameTimeoutError extends Error {
  override name = 'FirstFrameTimeoutError'
}

export class RelayStreams<T> {
  private readonly timers = new Set<unknown>()
  private stopped = false

  constructor (
    private readonly clock: Clock,
    private readonly limits: RelayStreamLimits,
    /** The protocol's `Error { code, message }` envelope. */
    private readonly errorMessage: (code: GiniErrorCode) => T
  ) {}

  /** True after close(): no timer may be started any more. */
  get closed (): boolean {
    return this.stopped
  }

  /** A timer on the injected clock, forgotten on cancel or when it fires; returns its cancel. */
  schedule (fn: () => void, ms: number): () => void {
    if (this.stopped) return () => {} // after close() nothing may keep the process alive
    const handle: unknown = this.clock.setTimeout(() => { this.timers.delete(handle); fn() }, ms)
    this.timers.add(handle)
    return () => { if (this.timers.delete(handle)) this.clock.clearTimeout(handle) }
  }

  /** The next frame, under the per-frame deadline on the relay's clock (FrameTimeoutError: reset). */
  async read (ch: FrameChannel<T>, signal?: AbortSignal): Promise<T> {
    return await ch.read({ signal, deadline: { clock: this.clock, ms: this.limits.frameTimeoutMs } })
  }

  /** Writes with a deadline; a stream that cannot take a frame is reset, so its reader sees it leave. */
  async write (ch: FrameChannel<T>, msg: T): Promise<void> {
    const ac = new AbortController()
    const cancel = this.schedule(() => { ac.abort(new Error('write deadline')) }, this.limits.writeTimeoutMs)
    try {
      await ch.write(msg, { signal: ac.signal })
    } catch (err) {
      ch.abort(err instanceof Error ? err : new Error('write failed'))
    } finally {
      cancel()
    }
  }

  /** Sends the stream's last frame (if any) and closes our side (§3.3: an error frame is followed by closing). */
  async end (ch: FrameChannel<T>, last?: T): Promise<void> {
    if (last != null) await this.write(ch, last)
    await ch.close()
    if (ch.stream.status !== 'open' && ch.stream.status !== 'closing') return
    // The peer should close its side now; reset the stream if it does not within the grace time.
    const cancel = this.schedule(() => { ch.abort(new Error('close grace elapsed')) }, this.limits.closeGraceMs)
    ch.stream.addEventListener('close', cancel, { once: true })
  }

  /** Answers with one Error frame and closes. */
  async refuse (ch: FrameChannel<T>, code: GiniErrorCode): Promise<void> {
    await this.end(ch, this.errorMessage(code))
  }

  /**
   * The stream's first frame within its deadline. On a timeout (reset), an oversized or undecodable
   * frame (PROTOCOL_VIOLATION, then close) or an early end it answers the stream itself, reports the
   * first two through `onOutcome`, and returns undefined.
   */
  async readFirst (ch: FrameChannel<T>, onOutcome: (outcome: 'first-frame-timeout' | 'violation') => void): Promise<T | undefined> {
    const ac = new AbortController()
    const cancel = this.schedule(() => { ac.abort(new FirstFrameTimeoutError()) }, this.limits.firstFrameTimeoutMs)
    try {
      return await this.read(ch, ac.signal)
    } catch (err) {
      if (err instanceof FirstFrameTimeoutError) {
        onOutcome('first-frame-timeout')
        ch.abort(err)
      } else if (err instanceof ProtocolViolationError) {
        onOutcome('violation')
        void this.refuse(ch, 'PROTOCOL_VIOLATION')
      } else {
        void ch.close()
      }
      return undefined
    } finally {
      cancel()
    }
  }

  /** Cancels every timer; later schedule() calls are no-ops. */
  close (): void {
    this.stopped = true
    for (const t of this.timers) this.clock.clearTimeout(t)
    this.timers.clear()
  }
}
