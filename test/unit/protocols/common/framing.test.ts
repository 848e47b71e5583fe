// Length-prefixed frames (docs/protocol.md §3.1, §3.2) on in-memory stream pairs: a length prefix
// longer than the frame limit needs is a violation at once, and a frame whose bytes stop coming
// after its first one resets the stream at the frame deadline (fake clock, no waiting).
import { streamPair } from '@libp2p/utils'
import { expect } from 'chai'
import { PeerLeftError, ProtocolViolationError } from '../../../../protocols/common/errors.js'
import { FRAME_MIN_BYTES_PER_SECOND, FrameTimeoutError, frameChannel, type Codec, type FrameChannel } from '../../../../protocols/common/framing.js'
import { Cleanup, WAIT_MS, waitFor } from '../../../helpers/relay-clients.js'
import { FakeClock } from '../../../helpers/fake-clock.js'
import type { Stream } from '@libp2p/interface'

/** Frames are raw bytes here: the framing is under test, not a schema. */
const RAW: Codec<Uint8Array> = {
  encode: (b) => b,
  decode: (b) => b instanceof Uint8Array ? b : b.subarray()
}

const LIMIT_BYTES = 16 * 1024
const FRAME_TIMEOUT_MS = 1_000

describe('framing: length prefix and frame deadline', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function setup (clock = new FakeClock()): Promise<{ reader: FrameChannel<Uint8Array>, writer: Stream, clock: FakeClock }> {
    const [writer, readerStream] = await streamPair()
    cleanup.add(() => { writer.abort(new Error('test over')); readerStream.abort(new Error('test over')) })
    const reader = frameChannel(readerStream, RAW, LIMIT_BYTES, { clock, ms: FRAME_TIMEOUT_MS })
    return { reader, writer, clock }
  }

  async function readError (reader: FrameChannel<Uint8Array>): Promise<unknown> {
    try {
      const got = await reader.read({ signal: AbortSignal.timeout(WAIT_MS) })
      return new Error(`expected a failed read, got a ${got.byteLength}-byte frame`)
    } catch (err) {
      return err
    }
  }

  it('16 KiB limit × 3 continuation bytes (no end in sight) → PROTOCOL_VIOLATION without a 4th byte', async () => {
    const { reader, writer } = await setup()
    writer.send(new Uint8Array([0xff, 0xff, 0xff]))
    expect(await readError(reader)).to.be.instanceOf(ProtocolViolationError)
  })

  it('16 KiB limit × 3 MiB of 0xff → PROTOCOL_VIOLATION at the 3rd byte', async () => {
    const { reader, writer } = await setup()
    writer.send(new Uint8Array(3 * 1024 * 1024).fill(0xff))
    expect(await readError(reader)).to.be.instanceOf(ProtocolViolationError)
  })

  it('16 KiB limit × a 3-byte prefix for exactly 16 KiB, then a 1-byte frame → both frames read', async () => {
    const { reader, writer } = await setup()
    const body = new Uint8Array(LIMIT_BYTES).fill(7)
    writer.send(new Uint8Array([0x80, 0x80, 0x01])) // 16 384, the longest prefix the limit needs
    writer.send(body)
    writer.send(new Uint8Array([0x81, 0x00, 0x09])) // 1, padded to 2 bytes: still within 3
    expect((await reader.read()).byteLength).to.equal(LIMIT_BYTES)
    expect(await reader.read()).to.deep.equal(new Uint8Array([0x09]))
  })

  it('frame started × its remaining bytes never come → reset at the deadline (1 ms earlier still open)', async () => {
    const { reader, writer, clock } = await setup()
    const read = readError(reader)
    writer.send(new Uint8Array([0x85])) // the first byte of a two-byte prefix
    await waitFor(() => clock.pending === 1, 'the frame deadline to start')
    clock.advance(FRAME_TIMEOUT_MS - 1)
    expect(reader.stream.status).to.equal('open')
    clock.advance(1)
    const err = await read
    expect(err).to.be.instanceOf(FrameTimeoutError)
    expect(err).to.be.instanceOf(PeerLeftError) // to protocol logic the other side is gone
    expect(reader.stream.status).to.not.equal('open')
  })

  it('body trickles in × slower than deadline + length ÷ FRAME_MIN_BYTES_PER_SECOND → reset', async () => {
    const { reader, writer, clock } = await setup()
    const read = readError(reader)
    writer.send(new Uint8Array([0x80, 0x40])) // 8 192 bytes declared
    writer.send(new Uint8Array(100))
    await waitFor(() => clock.pending === 1, 'the frame deadline to start')
    clock.advance(FRAME_TIMEOUT_MS + Math.ceil(8_192 * 1000 / FRAME_MIN_BYTES_PER_SECOND))
    expect(await read).to.be.instanceOf(FrameTimeoutError)
  })

  it('idle stream × no byte of a next frame → no deadline runs; a frame later still reads', async () => {
    const { reader, writer, clock } = await setup()
    writer.send(new Uint8Array([0x01, 0x2a]))
    expect(await reader.read()).to.deep.equal(new Uint8Array([0x2a]))
    const next = reader.read()
    clock.advance(10 * FRAME_TIMEOUT_MS)
    expect(clock.pending).to.equal(0)
    writer.send(new Uint8Array([0x01, 0x2b]))
    expect(await next).to.deep.equal(new Uint8Array([0x2b]))
    expect(clock.pending).to.equal(0) // the deadline of a finished frame is cancelled
  })
})
