// The peer side of /gini/fc/1 (protocols/fc/peer.ts, docs/protocol.md §6) against the real relay
// state machine (protocols/fc/relay.ts) over in-memory stream pairs. A man-in-the-middle layer in
// front of the relay (test/helpers/tampering-relay.ts) plays a hijacked relay; each peer has its own
// fake clock, so a peer's local deadline moves alone.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { PeerId, Stream } from '@libp2p/interface'
import { expect } from 'chai'
import {
  ExpiredError, FlashCodeInUseError, IncorrectMfcError, InvalidCardError, NoMatchingFlashCodeError,
  PeerLeftError, ProtocolViolationError
} from '../../../../protocols/common/errors.js'
import { frameChannel } from '../../../../protocols/common/framing.js'
import { FC_FRAME_MAX_BYTES, PAIRING_TTL_MS } from '../../../../protocols/fc/constants.js'
import { FcPeer, type FcStep } from '../../../../protocols/fc/peer.js'
import { FcRelay, type FcOutcome, type FcRelayInit } from '../../../../protocols/fc/relay.js'
import { FcMessage } from '../../../../protocols/fc/pb/fc.js'
import { flashCodeLookup, generateFlashCode, sodium, toHex, type PairingRole } from '../../../../protocols/crypto/index.js'
import { rejection } from '../contact/fixtures.js'
import { Cleanup, bytes, waitFor } from '../../../helpers/relay-clients.js'
import { FakeClock } from '../../../helpers/fake-clock.js'
import { tampering, type FcTamper } from '../../../helpers/tampering-relay.js'

interface Side {
  peer: FcPeer
  /** Every transition FcPeer reported, in order. */
  steps: FcStep[]
  clock: FakeClock
  stream: Stream
  /** The pairing identity this side puts in its offer/answer. */
  own: { peerId: PeerId, multiaddrs: Multiaddr[] }
}

interface OpenOptions {
  /** Default: the lookup of `fc` (a different code on the same lookup is a 24-bit collision). */
  lookup?: Uint8Array
  /** Runs after each reported step (the test acts at a given state). */
  onStep?: (step: FcStep) => void
}

const states = (side: Side): string[] => side.steps.map(s => s.state)

describe('fc/peer (§6)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  let relayId: Uint8Array
  before(async () => {
    relayId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
  })

  function setup ({ tamper, ...init }: FcRelayInit & { tamper?: FcTamper } = {}): { relay: FcRelay, relayClock: FakeClock, outcomes: FcOutcome[], open: (role: PairingRole, fc: string, opts?: OpenOptions) => Promise<Side> } {
    const relayClock = new FakeClock()
    const outcomes: FcOutcome[] = []
    const relay = new FcRelay({ clock: relayClock, onOutcome: (o) => outcomes.push(o), ...init })
    cleanup.add(() => { relay.close() })
    let n = 0
    const open = async (role: PairingRole, fc: string, opts: OpenOptions = {}): Promise<Side> => {
      const [client, server] = await streamPair()
      cleanup.add(() => { client.abort(new Error('test over')) })
      const relayEnd = frameChannel(server, FcMessage, FC_FRAME_MAX_BYTES)
      void relay.handle(tamper != null ? tampering(relayEnd, tamper) : relayEnd, { peer: `peer-${n++}` })
      const clock = new FakeClock()
      const steps: FcStep[] = []
      const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
      const peer = new FcPeer({
        channel: frameChannel(client, FcMessage, FC_FRAME_MAX_BYTES),
        role,
        fc,
        relayId,
        lookup: opts.lookup ?? flashCodeLookup(relayId, fc),
        clock,
        randomBytes: (len) => sodium.randombytes_buf(len),
        onState: (step) => { steps.push(step); opts.onStep?.(step) }
      })
      cleanup.add(() => { peer.dispose() })
      const own = { peerId, multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p-circuit/p2p/${peerId.toString()}`)] }
      return { peer, steps, clock, stream: client, own }
    }
    return { relay, relayClock, outcomes, open }
  }

  /** A's row created and B joined: both in `matched`. */
  async function matched (open: (role: PairingRole, fc: string, opts?: OpenOptions) => Promise<Side>, optsA: OpenOptions = {}, optsB: OpenOptions = {}): Promise<[Side, Side]> {
    const fc = generateFlashCode(8)
    const a = await open('A', fc, optsA)
    await a.peer.create()
    const b = await open('B', fc, optsB)
    await Promise.all([a.peer.awaitMatched(), b.peer.join()])
    return [a, b]
  }

  it('honest creator and joiner → idle … completed, every state reported in order; same contact key; row gone, no timer left', async () => {
    const { relay, relayClock, outcomes, open } = setup()
    const [a, b] = await matched(open)
    await Promise.all([a.peer.verify(), b.peer.verify()])
    expect(toHex(a.peer.contactKey)).to.equal(toHex(b.peer.contactKey))
    const [seenByA, seenByB] = await Promise.all([a.peer.exchangePeerInfo(a.own), b.peer.exchangePeerInfo(b.own)])
    expect(seenByA.peerId.equals(b.own.peerId)).to.equal(true)
    expect(seenByB.peerId.equals(a.own.peerId)).to.equal(true)
    expect(seenByB.multiaddrs.map(String)).to.deep.equal(a.own.multiaddrs.map(String))
    expect(seenByB.atMs).to.equal(a.clock.now())

    const closedA = a.peer.awaitRelayClose()
    const closedB = b.peer.awaitRelayClose()
    await a.peer.done()
    await b.peer.done()
    await Promise.all([closedA, closedB])

    expect(a.steps).to.deep.equal([
      { state: 'awaitingMatch', role: 'A', expiresAtMs: relayClock.now() + PAIRING_TTL_MS },
      { state: 'matched' }, { state: 'keysExchanged' }, { state: 'peerVerified' },
      { state: 'peerInfoExchanged' }, { state: 'done' }, { state: 'completed' }
    ])
    expect(b.steps).to.deep.equal([
      { state: 'awaitingMatch', role: 'B' }, { state: 'matched' }, { state: 'keysExchanged' }, { state: 'peerVerified' },
      { state: 'peerInfoExchanged' }, { state: 'done' }, { state: 'completed' }
    ])
    expect([a.peer.state, b.peer.state]).to.deep.equal(['completed', 'completed'])
    expect(outcomes).to.deep.equal(['created', 'matched', 'completed'])
    expect(relay.pendingCount).to.equal(0)
    expect([a.clock.pending, b.clock.pending], 'local deadlines cleared').to.deep.equal([0, 0])
    // Terminal: dispose and a late done() change nothing and report nothing.
    a.peer.dispose()
    await a.peer.done()
    expect(a.peer.state).to.equal('completed')
    expect(a.steps).to.have.length(7)
  })

  it('idle × verify(), exchangePeerInfo(), awaitRelayClose() or done() → "step out of order", nothing sent, still idle', async () => {
    const { outcomes, open } = setup()
    const a = await open('A', generateFlashCode(8))
    for (const step of [
      async () => { await a.peer.verify() },
      async () => { await a.peer.exchangePeerInfo(a.own) },
      async () => { await a.peer.awaitRelayClose() },
      async () => { await a.peer.done() }
    ]) {
      expect((await rejection(step())).message).to.match(/step out of order: in idle/)
    }
    expect(() => a.peer.contactKey).to.throw(/only once the peer is verified/)
    expect(a.peer.state).to.equal('idle')
    expect(a.steps).to.deep.equal([])
    expect(outcomes, 'the relay got no frame').to.deep.equal([])
  })

  it('wrong role × create() or join() → refused before anything is sent', async () => {
    const { open } = setup()
    const fc = generateFlashCode(8)
    const b = await open('B', fc)
    const a = await open('A', fc)
    expect((await rejection(b.peer.create())).message).to.match(/only role A/)
    expect((await rejection(a.peer.join())).message).to.match(/only role B/)
    expect([a.peer.state, b.peer.state]).to.deep.equal(['idle', 'idle'])
  })

  it('matched × contactKey → refused: no key before the MFC check', async () => {
    const { open } = setup()
    const [a] = await matched(open)
    expect(a.peer.state).to.equal('matched')
    expect(() => a.peer.contactKey).to.throw(/in matched/)
  })

  it('joiner awaitingMatch × no row for the lookup → NoMatchingFlashCodeError, failed{NO_MATCHING_FLASH_CODE}', async () => {
    const { open } = setup()
    const b = await open('B', generateFlashCode(8))
    expect(await rejection(b.peer.join())).to.be.instanceOf(NoMatchingFlashCodeError)
    expect(b.steps).to.deep.equal([{ state: 'awaitingMatch', role: 'B' }, { state: 'failed', code: 'NO_MATCHING_FLASH_CODE' }])
  })

  it('creator idle × the lookup is live → FlashCodeInUseError, failed{FLASH_CODE_IN_USE}; the first row lives on', async () => {
    const { relay, open } = setup()
    const fc = generateFlashCode(8)
    const first = await open('A', fc)
    await first.peer.create()
    const second = await open('A', fc)
    expect(await rejection(second.peer.create())).to.be.instanceOf(FlashCodeInUseError)
    expect(second.steps).to.deep.equal([{ state: 'failed', code: 'FLASH_CODE_IN_USE' }])
    expect(first.peer.state).to.equal('awaitingMatch')
    expect(relay.pendingCount).to.equal(1)
  })

  it('matched × another code on the same lookup → both IncorrectMfcError after keysExchanged, never peerVerified', async () => {
    const { relay, open } = setup()
    const fc = generateFlashCode(8)
    const a = await open('A', fc)
    await a.peer.create()
    const b = await open('B', generateFlashCode(8), { lookup: flashCodeLookup(relayId, fc) })
    await Promise.all([a.peer.awaitMatched(), b.peer.join()])
    const [errA, errB] = await Promise.all([rejection(a.peer.verify()), rejection(b.peer.verify())])
    expect(errA).to.be.instanceOf(IncorrectMfcError)
    expect(errB).to.be.instanceOf(IncorrectMfcError)
    for (const side of [a, b]) {
      expect(states(side).slice(-2)).to.deep.equal(['keysExchanged', 'failed'])
      expect(side.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'INCORRECT_MFC' })
      expect(() => side.peer.contactKey).to.throw(/in failed/)
    }
    await waitFor(() => relay.pendingCount === 0, 'the relay to drop the row')
  })

  it('joiner leaves after keys exchanged → creator gets PEER_LEFT', async () => {
    const { outcomes, open } = setup()
    // eslint-disable-next-line prefer-const -- read by the onStep closure before it is set below
    let joiner: Side | undefined
    const [a, b] = await matched(open, {}, {
      onStep: (step) => { if (step.state === 'keysExchanged') joiner?.stream.abort(new Error('joiner vanished')) }
    })
    joiner = b
    const [errA, errB] = await Promise.all([rejection(a.peer.verify()), rejection(b.peer.verify())])
    expect(errA).to.be.instanceOf(PeerLeftError)
    expect(a.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'PEER_LEFT' })
    expect(errB).to.be.instanceOf(Error)
    expect(b.peer.state).to.equal('failed')
    expect(outcomes).to.include('peer-left')
  })

  it('creator awaitingMatch × own 180 s pass → ExpiredError, EXPIRED sent: the relay abandons the row; 1 ms earlier still waiting', async () => {
    const { relay, outcomes, open } = setup()
    const a = await open('A', generateFlashCode(8))
    await a.peer.create()
    const waiting = rejection(a.peer.awaitMatched())
    a.clock.advance(PAIRING_TTL_MS - 1)
    expect(a.peer.state).to.equal('awaitingMatch')
    expect(a.clock.pending).to.equal(1)
    a.clock.advance(1)
    expect(await waiting).to.be.instanceOf(ExpiredError)
    expect(a.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'EXPIRED' })
    await waitFor(() => outcomes.includes('abandoned'), 'the relay to abandon the row')
    expect(relay.pendingCount).to.equal(0)
  })

  it('joiner matched × own 180 s pass while waiting for the TempKey → EXPIRED, forwarded: the creator fails with it too', async () => {
    let forwarded = false
    const { open } = setup({ tamper: (from, msg) => { if (from === 'joiner' && msg.tempKey != null) forwarded = true; return msg } })
    const [a, b] = await matched(open)
    const joinerVerifying = rejection(b.peer.verify())
    await waitFor(() => forwarded, 'the relay to forward B\'s TempKey')
    b.clock.advance(PAIRING_TTL_MS)
    expect(await joinerVerifying).to.be.instanceOf(ExpiredError)
    expect(b.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'EXPIRED' })
    // A finds B's TempKey, then the forwarded EXPIRED where B's Mfc would be.
    expect(await rejection(a.peer.verify())).to.be.instanceOf(ExpiredError)
    expect(states(a).slice(-2)).to.deep.equal(['keysExchanged', 'failed'])
    expect(a.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'EXPIRED' })
  })

  it('joiner done × the creator rejects it with an Error → the joiner\'s awaitRelayClose throws that Error (it wins), failed', async () => {
    const { outcomes, open } = setup()
    const [a, b] = await matched(open)
    await Promise.all([a.peer.verify(), b.peer.verify()])
    await Promise.all([a.peer.exchangePeerInfo(a.own), b.peer.exchangePeerInfo(b.own)])
    const closedB = rejection(b.peer.awaitRelayClose())
    await b.peer.done()
    expect(await rejection(a.peer.fail(new InvalidCardError()))).to.be.instanceOf(InvalidCardError)
    expect(await closedB).to.be.instanceOf(InvalidCardError)
    expect(states(b).slice(-3)).to.deep.equal(['peerInfoExchanged', 'done', 'failed'])
    expect(b.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'INVALID_CARD' })
    expect(a.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'INVALID_CARD' })
    expect(outcomes).to.include('error-forwarded')
    // Over: a late done() has nobody to tell and reports nothing.
    await a.peer.done()
    expect(a.peer.state).to.equal('failed')
  })

  it('creator awaitingMatch × the caller\'s signal aborts → rejects with its reason, stream reset, failed without a code; row abandoned', async () => {
    const { relay, outcomes, open } = setup()
    const a = await open('A', generateFlashCode(8))
    await a.peer.create()
    const leave = new AbortController()
    const waiting = rejection(a.peer.awaitMatched(leave.signal))
    leave.abort(new Error('user pressed Ctrl-C'))
    expect((await waiting).message).to.equal('user pressed Ctrl-C')
    expect(a.steps.at(-1)).to.deep.equal({ state: 'failed' })
    expect(a.stream.status).to.not.equal('open')
    await waitFor(() => outcomes.includes('abandoned'), 'the relay to see the creator leave')
    expect(relay.pendingCount).to.equal(0)
  })

  it('matched × dispose() → failed, the local deadline cleared; a second dispose() reports nothing more', async () => {
    const { open } = setup()
    const [a] = await matched(open)
    expect(a.clock.pending).to.equal(1)
    a.peer.dispose()
    a.peer.dispose()
    expect(a.peer.state).to.equal('failed')
    expect(a.clock.pending).to.equal(0)
    expect(states(a)).to.deep.equal(['awaitingMatch', 'matched', 'failed'])
  })

  // docs/protocol.md §3.4: a malformed relayed crypto value is the failed check of its step, so a
  // tampering relay looks like a wrong code, never like broken software.
  for (const [what, tamper, victim] of [
    ['truncates the creator\'s TempKey', (from: string, msg: FcMessage): FcMessage =>
      from === 'creator' && msg.tempKey != null ? { tempKey: { share: msg.tempKey.share.slice(0, 31) } } : msg, 'B'],
    ['pads the joiner\'s TempKey', (from: string, msg: FcMessage): FcMessage =>
      from === 'joiner' && msg.tempKey != null ? { tempKey: { share: new Uint8Array([...msg.tempKey.share, 0]) } } : msg, 'A'],
    ['truncates the joiner\'s Mfc', (from: string, msg: FcMessage): FcMessage =>
      from === 'joiner' && msg.mfc != null ? { mfc: { mac: msg.mfc.mac.slice(0, 16) } } : msg, 'A']
  ] as const) {
    it(`matched × a hijacked relay ${what} → its receiver sends INCORRECT_MFC: both see Incorrect MFC, no PeerInfo sealed`, async () => {
      const { relay, open } = setup({ tamper })
      const [a, b] = await matched(open)
      // The other side may have verified the receiver's genuine Mfc: its step after that gets the Error.
      const run = async (side: Side): Promise<unknown> => { await side.peer.verify(); return await side.peer.exchangePeerInfo(side.own) }
      const [errA, errB] = await Promise.all([rejection(run(a)), rejection(run(b))])
      expect(errA, 'creator').to.be.instanceOf(IncorrectMfcError)
      expect(errB, 'joiner').to.be.instanceOf(IncorrectMfcError)
      const receiver = victim === 'A' ? a : b
      expect(receiver.steps.at(-1), 'the receiver of the bad value').to.deep.equal({ state: 'failed', code: 'INCORRECT_MFC' })
      expect(states(receiver)).to.not.include('peerVerified')
      for (const side of [a, b]) expect(states(side)).to.not.include('peerInfoExchanged')
      await waitFor(() => relay.pendingCount === 0, 'the relay to drop the row')
    })
  }

  it('joiner matched × an offer where the creator\'s TempKey belongs (relay out of order) → PROTOCOL_VIOLATION, forwarded', async () => {
    const { open } = setup({
      tamper: (from, msg) => from === 'creator' && msg.tempKey != null ? { offer: { nonce: bytes(24), ciphertext: bytes(40) } } : msg
    })
    const [a, b] = await matched(open)
    const [errA, errB] = await Promise.all([rejection(a.peer.verify()), rejection(b.peer.verify())])
    expect(errB).to.be.instanceOf(ProtocolViolationError)
    expect(b.steps.at(-1)).to.deep.equal({ state: 'failed', code: 'PROTOCOL_VIOLATION' })
    expect(errA).to.be.instanceOf(ProtocolViolationError)
  })

  it('joiner × Matched with a 15-byte sid → PROTOCOL_VIOLATION: the relay\'s own field, not a relayed crypto value', async () => {
    const { open } = setup({
      tamper: (from, msg) => from === 'creator' && msg.matched != null ? { matched: { sidA: msg.matched.sidA.slice(1), sidB: msg.matched.sidB } } : msg
    })
    const fc = generateFlashCode(8)
    const a = await open('A', fc)
    await a.peer.create()
    const b = await open('B', fc)
    const [, errB] = await Promise.all([a.peer.awaitMatched(), rejection(b.peer.join())])
    expect(errB).to.be.instanceOf(ProtocolViolationError)
    expect(states(b)).to.deep.equal(['awaitingMatch', 'failed'])
  })
})
