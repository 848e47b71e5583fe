// A relay strangers cannot break, on real libp2p nodes over loopback: a length prefix without end,
// a hostile relay doing the same to a peer, the DHT the public relay no longer serves, pending
// pairings and connection slots per network. Each flood runs beside an honest pairing, which must
// still complete.
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
import { ErrorCode, FcMessage } from '../../protocols/fc/pb/fc.js'
import { IDLE_CONNECTION_TIMEOUT_MS, IDLE_SWEEP_INTERVAL_MS, KAD_PROTOCOL, MAX_CONNECTIONS_PER_IP } from '../../relay/constants.js'
import { Cleanup, WAIT_MS, bytes, clientNode, completePairing, create, expectEnd, expectErrorThenEnd, freshLookup, next, openFc, pair, startRelay, waitFor, type Fc } from '../helpers/relay-clients.js'
import { FakeClock } from '../helpers/fake-clock.js'
import type { Relay } from '../../relay/index.js'
import { metricValue } from '../helpers/relay-network.js'

const FLOOD_BYTES = 3 * 1024 * 1024

/**
 * docs/protocol.md §3.4: PROTOCOL_VIOLATION "if it still can", then close or reset. A flood that arrives in one
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

/** The relay's rejection counter for one limit (0 when it never fired). */
async function rejections (relay: Relay, limit: string): Promise<number> {
  return await metricValue(relay, `gini_relay_limit_rejections_total{limit="${limit}"}`)
}

const METRICS = { host: '127.0.0.1', port: 0 }
/** Loopback source addresses standing for other networks (Linux routes all of 127/8 to lo). */
const OTHER_IP = '127.0.0.2'
/** Between a flood's dials: at most ≈ 90 a second, under INBOUND_CONNECTIONS_PER_HOST_PER_SECOND (100). */
const FLOOD_GAP_MS = 11

describe('relay abuse: pending pairings per network', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('one address × more live Creates than maxPendingPerIp → RATE_LIMITED; another address creates; a row gone frees a place', async () => {
    const relay = await startRelay(cleanup, { maxPendingPerIp: 3, metrics: METRICS })
    const rows = []
    for (let i = 0; i < 3; i++) rows.push(await create(cleanup, relay))
    const c = await openFc(cleanup, relay)
    await c.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'RATE_LIMITED')
    expect(await rejections(relay, 'pending-per-ip')).to.equal(1)
    await create(cleanup, relay, freshLookup(), OTHER_IP)
    expect(relay.fc.pendingCount).to.equal(4)

    await rows[0].a.write({ error: { code: ErrorCode.EXPIRED, message: 'Expired' } }) // abandons its row
    await waitFor(() => relay.fc.pendingCount === 3, 'the abandoned row to go')
    await create(cleanup, relay)
  })

  it('table past maxPendingPairings − reserved × a network holding rows → RATE_LIMITED; a fresh network still gets a row', async () => {
    const relay = await startRelay(cleanup, { maxPendingPairings: 10, reservedPendingPairings: 5, maxPendingPerIp: 100, metrics: METRICS })
    for (let i = 0; i < 5; i++) await create(cleanup, relay)
    const c = await openFc(cleanup, relay)
    await c.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'RATE_LIMITED')
    expect(await rejections(relay, 'pending-reserved')).to.equal(1)
    await create(cleanup, relay, freshLookup(), OTHER_IP)
    expect(relay.fc.pendingCount).to.equal(6)
  })

  it('one address × Creates until refused (rate limits off) → at most the per-address cap; a pairing from elsewhere completes', async () => {
    const relay = await startRelay(cleanup, { rateLimit: false, maxPendingPerIp: 20, metrics: METRICS })
    let held = 0
    for (let i = 0; i < 30; i++) {
      const ch = await openFc(cleanup, relay)
      await ch.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
      const reply = await next(ch)
      if (reply.created == null) { expect(reply.error?.code).to.equal('RATE_LIMITED'); break }
      held++
    }
    expect(held).to.equal(20)
    await completePairing(cleanup, relay, OTHER_IP)
  })
})

describe('relay abuse: connection slots', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  /** Opens connections from one client (one address) until the relay refuses one; returns how many it kept. */
  /** `gapMs` between dials keeps a long flood under the per-host rate (100/s), so only the cap under test refuses. */
  async function connectUntilRefused (relay: Relay, node: Libp2p, max: number, gapMs = 0): Promise<number> {
    let open = 0
    for (let i = 0; i < max; i++) {
      if (gapMs > 0) await new Promise(resolve => setTimeout(resolve, gapMs))
      try {
        await node.dial(relay.multiaddrs[0], { force: true, signal: AbortSignal.timeout(WAIT_MS) })
        open++
      } catch {
        return open
      }
    }
    return open
  }

  it('one address × more connections than maxConnectionsPerIp → refused; another address pairs; a closed one frees its slot', async () => {
    const relay = await startRelay(cleanup, { maxConnectionsPerIp: 3, metrics: METRICS })
    const attacker = await clientNode(cleanup)
    expect(await connectUntilRefused(relay, attacker, 10)).to.equal(3)
    expect(await rejections(relay, 'connections-per-ip')).to.be.at.least(1)
    await completePairing(cleanup, relay, OTHER_IP)

    await attacker.getConnections()[0].close()
    await waitFor(() => relay.node.getConnections().filter(c => c.remotePeer.equals(attacker.peerId)).length === 2, 'the relay to see the close')
    expect(await connectUntilRefused(relay, attacker, 10)).to.equal(1)
  })

  it('connection flood from one address (default limits) → capped; a pairing from another address completes', async () => {
    const relay = await startRelay(cleanup, { metrics: METRICS })
    const attacker = await clientNode(cleanup)
    const kept = await connectUntilRefused(relay, attacker, MAX_CONNECTIONS_PER_IP + 10, FLOOD_GAP_MS)
    expect(kept).to.equal(MAX_CONNECTIONS_PER_IP)
    await completePairing(cleanup, relay, OTHER_IP)
  })

  it('slots past maxConnections − reserved × an address holding many → refused; a fresh address connects', async () => {
    const relay = await startRelay(cleanup, { maxConnections: 30, reservedConnections: 20, maxConnectionsPerIp: 100, metrics: METRICS })
    const attacker = await clientNode(cleanup)
    // 10 before the reserve, and then none: it already holds more than a network may in the reserve.
    expect(await connectUntilRefused(relay, attacker, 30)).to.equal(10)
    expect(await rejections(relay, 'connections-reserved')).to.be.at.least(1)
    await completePairing(cleanup, relay, OTHER_IP)
  })

  it('connection with no gini stream and no reservation × idle timeout → closed; one with a live Create stays', async () => {
    const clock = new FakeClock(Date.now())
    const relay = await startRelay(cleanup, { clock, metrics: METRICS })
    const idle = await clientNode(cleanup)
    await idle.dial(relay.multiaddrs[0], { signal: AbortSignal.timeout(WAIT_MS) })
    const { a } = await create(cleanup, relay, freshLookup(), OTHER_IP)
    await waitFor(() => relay.node.getConnections().length === 2, 'both connections at the relay')
    clock.advance(IDLE_CONNECTION_TIMEOUT_MS + IDLE_SWEEP_INTERVAL_MS)
    await waitFor(() => idle.getConnections().length === 0, 'the idle connection to be closed')
    expect(a.stream.status).to.equal('open')
    expect(relay.node.getConnections().length).to.equal(1)
    expect(await rejections(relay, 'connections-idle')).to.equal(1)
  })
})
