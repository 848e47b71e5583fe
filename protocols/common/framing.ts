// Length-prefixed protobuf frames on a libp2p stream (docs/protocol.md §3.1, §3.2), with the frame
// limit checked before the body is read. Protocol logic talks to a FrameChannel, so it can run over
// any stream.
import { pbStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import { ProtocolViolationError, PeerLeftError } from './errors.js'

export interface Codec<T> {
  encode(msg: T): Uint8Array
  decode(buf: Uint8Array | import('uint8arraylist').Uint8ArrayList): T
}

export interface FrameChannel<T> {
  /** Next frame. Throws ProtocolViolationError (oversized/undecodable) or PeerLeftError (stream ended). */
  read(options?: { signal?: AbortSignal }): Promise<T>
  write(msg: T, options?: { signal?: AbortSignal }): Promise<void>
  /** Half-close our side after flushing. */
  close(): Promise<void>
  /** Reset the stream at once. */
  abort(err: Error): void
  readonly stream: Stream
}

export function frameChannel<T> (stream: Stream, codec: Codec<T>, maxFrameBytes: number): FrameChannel<T> {
  const pb = pbStream(stream, { maxDataLength: maxFrameBytes }).pb(codec)
  return {
    stream,
    async read (options) {
      try {
        return await pb.read(options)
      } catch (err: any) {
        throw classifyReadError(err, options?.signal)
      }
    },
    async write (msg, options) {
      await pb.write(msg, options)
    },
    async close () {
      await stream.close().catch(() => {})
    },
    abort (err) {
      stream.abort(err)
    }
  }
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
