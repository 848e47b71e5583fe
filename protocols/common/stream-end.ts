// Stream endings for the `/gini/*` request/response protocols (docs/protocol.md §3.3, §7, §8).
// §7 and §8 give the remote's *clean* close a meaning ("card accepted", "session confirmed"), while a
// reset means the peer left. `frameChannel().read()` reports both as PeerLeftError (pbStream throws
// UnexpectedEOFError on a clean close, and on a reset too once the stream is torn down), so this
// module tells them apart from the stream itself. Shared by every /gini/* protocol.
import type { Stream } from '@libp2p/interface'
import { PeerLeftError, ProtocolViolationError, errorFromWire } from './errors.js'
import type { GiniError, GiniErrorCode } from './errors.js'
import type { FrameChannel } from './framing.js'

/** Remembers whether the remote half-closed its write side (a FIN), as opposed to a reset. */
export interface RemoteCloseWatch {
  /** True once the remote closed its write side cleanly and the stream was not reset since. */
  readonly closedCleanly: boolean
  stop(): void
}

/**
 * Start watching before the first read. The 'remoteCloseWrite' event, not `remoteWriteStatus`, is the
 * signal: a muxer that loses its transport marks streams remote-closed without any FIN.
 */
export function watchRemoteClose (stream: Stream): RemoteCloseWatch {
  let fin = false
  const onFin = (): void => { fin = true }
  stream.addEventListener('remoteCloseWrite', onFin, { once: true })
  return {
    get closedCleanly () {
      return fin && stream.status !== 'reset' && stream.status !== 'aborted'
    },
    stop () {
      stream.removeEventListener('remoteCloseWrite', onFin)
    }
  }
}

/** The next frame, or `undefined` when the remote closed cleanly. A reset stays a PeerLeftError. */
export async function readOrEnd<T> (channel: FrameChannel<T>, watch: RemoteCloseWatch, signal?: AbortSignal): Promise<T | undefined> {
  try {
    return await channel.read({ signal })
  } catch (err) {
    if (err instanceof PeerLeftError && watch.closedCleanly) return undefined
    throw err
  }
}

/** Writes one frame; a stream that can no longer carry it means the peer left (or our deadline hit). */
export async function writeFrame<T> (channel: FrameChannel<T>, msg: T, signal?: AbortSignal): Promise<void> {
  try {
    await channel.write(msg, { signal })
  } catch (err) {
    if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : err
    throw new PeerLeftError(undefined, { cause: err })
  }
}

/**
 * Refusal with a reason (§3.3: an error travels as an ErrorFrame, after which the sender closes the stream): best
 * effort, since the peer may already be gone. Returns the error for the caller to throw.
 */
export async function refuse<T> (channel: FrameChannel<T>, frame: T, error: GiniError, signal?: AbortSignal): Promise<GiniError> {
  try {
    await channel.write(frame, { signal })
    await channel.close()
  } catch {
    channel.abort(error)
  }
  return error
}

/**
 * After our own close we can no longer answer a stray frame with an Error (§3.4 treats it as a
 * violation): reset the stream instead and report the violation locally.
 */
export function violationAfterClose<T> (channel: FrameChannel<T>): GiniError {
  const err = new ProtocolViolationError()
  channel.abort(err)
  return err
}

/**
 * One run's reads and failure paths, shared by §7 and §8. An error the protocol itself produced (an
 * Error frame sent or received, our side then closed) leaves the stream closed; anything else (a
 * reset, our deadline, a bug) aborts it: on any failure send the Error frame and abort.
 */
export class ProtocolRun<T> {
  private settled: unknown

  constructor (
    private readonly channel: FrameChannel<T>,
    /** The protocol's `Error { code, message }` envelope. */
    private readonly errorFrame: (code: GiniErrorCode) => T,
    private readonly signal?: AbortSignal
  ) {}

  /** The next frame; an oversized or undecodable one (§3.4) is answered with PROTOCOL_VIOLATION. */
  async read (): Promise<T> {
    try {
      return await this.channel.read({ signal: this.signal })
    } catch (err) {
      if (err instanceof ProtocolViolationError) throw await this.refuse('PROTOCOL_VIOLATION', err)
      throw err
    }
  }

  /** Send Error{code}, close, and return the matching local error to throw. */
  async refuse (code: GiniErrorCode, err: GiniError = errorFromWire(code)): Promise<GiniError> {
    return this.settle(await refuse(this.channel, this.errorFrame(code), err, this.signal))
  }

  /** The other side sent Error{code} (and closes): close ours too and report its verdict. */
  async remoteRefused (code: GiniErrorCode): Promise<GiniError> {
    await this.channel.close()
    return this.settle(errorFromWire(code))
  }

  /** A stray frame after our own close: reset, report PROTOCOL_VIOLATION locally. */
  violationAfterClose (): GiniError {
    return this.settle(violationAfterClose(this.channel))
  }

  /** For the catch block: aborts the stream unless the protocol already ended it; returns `err`. */
  fail (err: unknown): unknown {
    if (err !== this.settled) this.channel.abort(err instanceof Error ? err : new Error(String(err)))
    return err
  }

  private settle (err: GiniError): GiniError {
    this.settled = err
    return err
  }
}
