// A relay strangers cannot break, on real libp2p nodes over loopback: a length prefix without end,
// a hostile relay doing the same to a peer, and the DHT the public relay no longer serves. Each
// attack runs beside an honest pairing, which must still complete.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { expect } from 'chai'
import { createLibp2p, type Libp2p } from 'libp2p'
import { PeerLeftError, ProtocolViolationError } from '../../protocols/common/errors.js'
import { frameChannel } from '../../protocols/common/framing.js'
import { FC_FRAME_MAX_BYTES, FC_PROTOCOL } from '../../protocols/fc/constants.js'
import { FcPeer } from '../../protocols/fc/peer.js'
import { FcMessage } from '../../protocols/fc/pb/fc.js'
import { KAD_PROTOCOL } from '../../relay/constants.js'
import {
  Cleanup, WAIT_MS, bytes, clientNode, completePairing, create, expectEnd, expectErrorThenEnd, next, pair,
  startRelay, waitFor, type Fc
} from '../helpers/relay-clients.js'
import type { Relay } from '../../relay/index.js'

const FLOOD_BYTES = 3 * 1024 * 1024

/**
 * §3.4: PROTOCOL_VIOLATION "if it still can", then close or reset. A flood that arrives in one
 * large chunk overflows the stream's read buffer first, and then the reset is the answer.
 */
async function expectViolationOrReset (ch: Fc): Promise<void> {
  let msg: FcMessage
  try {
    msg = await next(ch)
  } catch (err) {
    expect(err, 'expected Error{PROTOCOL_VIOLATION} or a reset').to.be.instanceOf(PeerLeftError)
    return
  }
  expect(msg.error?.code).to.equal('PROTOCOL_VIOLATION')
  await expectEnd(ch)
}

describe('relay abuse: length-prefix flood', function () {
  const suite = new Cleanup()
  const cleanup = new Cleanup()
  let relay: Relay

  before(async () => { relay = await startRelay(suite) })
  after(async () => { await suite.run() })
  afterEach(async () => { await cleanup.run() })

  it('creator after Created × 3 MiB of 0xff → PROTOCOL_VIOLATION; a pairing beside it completes', async () => {
    const before = relay.fc.pendingCount
    const { a } = await create(cleanup, relay)
    a.stream.send(new Uint8Array(FLOOD_BYTES).fill(0xff))
    await Promise.all([expectViolationOrReset(a), completePairing(cleanup, relay)])
    await waitFor(() => relay.fc.pendingCount === before, 'the flooding row to be deleted')
  })

  it('matched joiner × 4 continuation bytes, then silence → PROTOCOL_VIOLATION, creator PEER_LEFT', async () => {
    const p = await pair(cleanup, relay)
    p.b.stream.send(new Uint8Array([0x80, 0x80, 0x80, 0x80]))
    await expectErrorThenEnd(p.b, 'PROTOCOL_VIOLATION')
    await expectErrorThenEnd(p.a, 'PEER_LEFT')
  })
})

/** A relay that answers `Create` with `Created` and then floods 0xff: what a hijacked relay could send. */
async function floodingRelay (cleanup: Cleanup): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  cleanup.add(async () => { await node.stop() })
  await node.handle(FC_PROTOCOL, (stream) => {
    void (async () => {
      const ch = frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES)
      await ch.read()
      await ch.write({ created: { expiresAtMs: BigInt(Date.now() + 180_000) } })
      stream.send(new Uint8Array(FLOOD_BYTES).fill(0xff))
    })().catch(() => { stream.abort(new Error('double failed')) })
  })
  return node
}

describe('relay abuse: a hostile relay floods a peer', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('creator waiting for Matched × 3 MiB of 0xff from the relay → ProtocolViolationError', async () => {
    const hostile = await floodingRelay(cleanup)
    const peer = await clientNode(cleanup)
    const stream = await peer.dialProtocol(hostile.getMultiaddrs()[0], FC_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    cleanup.add(() => { stream.abort(new Error('test over')) })
    const fc = new FcPeer({
      channel: frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES),
      role: 'A',
      fc: 'ABCDEFG',
      relayId: hostile.peerId.toMultihash().bytes,
      lookup: bytes(3),
      randomBytes: (n) => bytes(n)
    })
    await fc.create(AbortSignal.timeout(WAIT_MS))
    let err: unknown
    try {
      await fc.awaitMatched(AbortSignal.timeout(WAIT_MS))
    } catch (e) {
      err = e
    }
    expect(err).to.be.instanceOf(ProtocolViolationError)
  })
})

describe('relay abuse: no DHT on the public relay', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('client × kad-dht stream (private or public id) to the relay → protocol not supported', async () => {
    const relay = await startRelay(cleanup)
    expect(relay.node.getProtocols()).to.not.include(KAD_PROTOCOL)
    const client = await clientNode(cleanup)
    for (const protocol of [KAD_PROTOCOL, '/ipfs/kad/1.0.0']) {
      let err: any
      try {
        const s = await client.dialProtocol(relay.multiaddrs[0], protocol, { signal: AbortSignal.timeout(WAIT_MS) })
        s.abort(new Error('unexpected'))
      } catch (e) {
        err = e
      }
      expect(err?.name, `${protocol}: ${String(err)}`).to.equal('UnsupportedProtocolError')
    }
  })
})
