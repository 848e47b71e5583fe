// Length-prefixed protobuf frames on a libp2p stream (docs/protocol.md §3.1, §3.2), with the frame
// limit checked before the body is read. Protocol logic talks to a FrameChannel, so it can run over
// any stream. Shared by the relay and the peers: neither end can make the other buffer a prefix
// without end or hold a half-sent frame open.
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { systemClock, type Clock } from './clock.js'
import { ProtocolViolationError, PeerLeftError, withOpenErrorCode } from './errors.js'

/** Once a frame's first byte is in, the whole frame must follow within this time (plus the allowance below). */
export const FRAME_TIMEOUT_MS = 10_000
/** A large frame gets its declared length at this rate on top of FRAME_TIMEOUT_MS (1 MiB contact cards, §3.2). */
export const FRAME_MIN_BYTES_PER_SECOND = 64 * 1024
/** Unread bytes one stream may buffer, at least: a few frames of the small protocols. */
const READ_BUFFER_MIN_BYTES = 64 * 1024

export interface Codec<T> {
  encode(msg: T): Uint8Array
  decode(buf: Uint8Array | Uint8ArrayList): T
}

/** The per-frame deadline: from a frame's first byte to its last, on the given clock. */
export interface FrameDeadline {
  clock: Clock
  ms: number
}

export interface FrameReadOptions {
  signal?: AbortSignal
  /** Replaces the channel's frame deadline for this read (the relay runs it on its own clock). */
  deadline?: FrameDeadline
}

export interface FrameChannel<T> {
  /**
   * Next frame. Throws ProtocolViolationError (oversized/undecodable), FrameTimeoutError (a frame
   * started and did not finish in time; the stream is reset) or PeerLeftError (stream ended).
   */
  read(options?: FrameReadOptions): Promise<T>
  /**
   * The next frame's body, not decoded: the stream's pieces as they came (no copy), under the same
   * limit and deadline as read(). For a protocol that parses its bulk frames itself (§17.4 chunks).
   */
  readBody?(options?: FrameReadOptions): Promise<Uint8ArrayList>
  write(msg: T, options?: { signal?: AbortSignal }): Promise<void>
  /** Half-close our side after flushing. */
  close(): Promise<void>
  /** Reset the stream at once. */
  abort(err: Error): void
  readonly stream: Stream
}

/** A frame began and its bytes stopped coming: the stream was reset, so to protocol logic the peer left. */
export class FrameTimeoutError extends PeerLeftError {
  constructor () {
    super()
    this.name = 'FrameTimeoutError'
  }
}

/** The varint prefix ran past the bytes the frame limit needs (§3.2): no body can follow. */
class LengthPrefixTooLongError extends Error {
  override name = 'InvalidDataLengthLengthError'
}

/**
 * `readBufferBytes`: unread bytes the stream may hold before it is reset (default: four largest
 * frames); a protocol that keeps more frames in flight towards itself (§17.4) sets its own.
 */
export function frameChannel<T> (
  stream: Stream, codec: Codec<T>, maxFrameBytes: number,
  deadline: FrameDeadline = { clock: systemClock, ms: FRAME_TIMEOUT_MS },
  readBufferBytes?: number
): FrameChannel<T> {
  const maxPrefixBytes = varintLength(maxFrameBytes)
  codec = withOpenErrorCode(codec) // an unknown error code reads as UNSPECIFIED (docs/protocol.md §10)
  // lpStream reads the prefix one byte at a time and calls the decoder after each; the decoder is
  // where the frame's first byte is seen (its deadline starts) and where a prefix without end stops.
  let onPrefix: ((bytesSoFar: number, length?: number) => void) | undefined
  const lp = lpStream(stream, {
    maxDataLength: maxFrameBytes,
    maxBufferSize: readBufferBytes ?? Math.max(READ_BUFFER_MIN_BYTES, 4 * (maxFrameBytes + maxPrefixBytes)),
    lengthDecoder: (buf: Uint8ArrayList): number => {
      let length: number
      try {
        length = decodePrefix(buf, maxPrefixBytes)
      } catch (err) {
        onPrefix?.(buf.byteLength)
        throw err
      }
      onPrefix?.(buf.byteLength, length)
      return length
    }
  })
  const readBody = async (options?: FrameReadOptions): Promise<Uint8ArrayList> => {
    const dl = options?.deadline ?? deadline
    const frame = new AbortController()
    let startMs = 0
    let cancel: (() => void) | undefined
    const arm = (ms: number): void => {
      cancel?.()
      const handle = dl.clock.setTimeout(() => { frame.abort(new FrameTimeoutError()) }, Math.max(0, ms))
      cancel = () => { dl.clock.clearTimeout(handle) }
    }
    onPrefix = (bytesSoFar, length) => {
      if (bytesSoFar === 1) { startMs = dl.clock.now(); arm(dl.ms) }
      if (length != null && length > 0) {
        const allowanceMs = Math.ceil(length * 1000 / FRAME_MIN_BYTES_PER_SECOND)
        arm(dl.ms + allowanceMs - (dl.clock.now() - startMs))
      }
    }
    const signal = options?.signal != null ? AbortSignal.any([options.signal, frame.signal]) : frame.signal
    try {
      return await lp.read({ signal })
    } catch (err: any) {
      if (frame.signal.aborted && options?.signal?.aborted !== true) {
        const timeout = new FrameTimeoutError()
        stream.abort(timeout) // the rest of the frame may still come: nothing on this stream can be trusted
        throw timeout
      }
      throw classifyReadError(err, options?.signal)
    } finally {
      onPrefix = undefined
      cancel?.()
    }
  }
  return {
    stream,
    readBody,
    async read (options) {
      const body = await readBody(options)
      try {
        return codec.decode(body)
      } catch (err: any) {
        throw classifyReadError(err, options?.signal)
      }
    },
    async write (msg, options) {
      await lp.write(codec.encode(msg), options)
    },
    async close () {
      await stream.close().catch(() => {})
    },
    abort (err) {
      stream.abort(err)
    }
  }
}

/** Bytes of the unsigned varint of `n`: ⌈bits/7⌉, at least 1 (3 for 16 KiB, 4 for 1 MiB). */
export function varintLength (n: number): number {
  let bytes = 1
  while (n >= 0x80) { n = Math.floor(n / 0x80); bytes++ }
  return bytes
}

/** The declared length; RangeError while more prefix bytes may come (lpStream reads on). */
function decodePrefix (buf: Uint8ArrayList, maxPrefixBytes: number): number {
  let value = 0
  for (let i = 0; i < buf.byteLength; i++) {
    const b = buf.get(i)
    value += (b & 0x7f) * 2 ** (7 * i)
    if (b < 0x80) return value
    if (i + 1 >= maxPrefixBytes) throw new LengthPrefixTooLongError(`length prefix longer than ${maxPrefixBytes} bytes`)
  }
  throw new RangeError('length prefix incomplete')
}

/** Maps libp2p's read failures onto the protocol's outcomes; aborts (our own deadline) pass through. */
export function classifyReadError (err: any, signal?: AbortSignal): Error {
  if (signal?.aborted === true) return signal.reason instanceof Error ? signal.reason : err
  const name: string = err?.name ?? ''
  if (name === 'InvalidDataLengthError' || name === 'InvalidMessageLengthError' ||
      name === 'InvalidDataLengthLengthError' || name === 'RangeError' || /decode|wire type|index out of range/i.test(String(err?.message))) {
    return new ProtocolViolationError(undefined, { cause: err })
  }
  if (name === 'UnexpectedEOFError' || name === 'StreamResetError' || name === 'StreamClosedError' ||
      name === 'StreamStateError' || name === 'AbortError') {
    return new PeerLeftError(undefined, { cause: err })
  }
  return new ProtocolViolationError(undefined, { cause: err })
}
