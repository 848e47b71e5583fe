// The peer side of /gini/crp/1 (docs/protocol.md §9.4) over in-memory streams: against the
// product's CrpRelay (test/helpers/crp-clients.ts harness: fake clock, SQLite) where the relay is
// honest, and against a relay test double (support.ts) where it plays a hijacked relay.
import { expect } from 'chai'
import {
  ExpiredError, IncorrectSharedSecretError, PeerLeftError, ProtocolViolationError, RateLimitedError, decodePeerInfo, errorFrame
} from '../../../../protocols/common/index.js'
import { CRP_FRAME_MAX_BYTES, CRP_MATCHED_TTL_MS, CRP_PARKED_TTL_MS } from '../../../../protocols/crp/constants.js'
import { CrpPeer, sealParkedOffer, type CrpPeerInfo } from '../../../../protocols/crp/peer.js'
import { CrpMessage } from '../../../../protocols/crp/pb/crp.js'
import {
  crpOfferAd, crpOfferKey, crpParkKey, crpToken, fromHex, open, sodium, toHex
} from '../../../../protocols/crypto/index.js'
import { channelPair, rejection, resetAll, within } from '../contact/fixtures.js'
import independent from '../../../vectors/gini-v1-independent.json' with { type: 'json' }
import { MiniRelay, runIdentity, type Role } from './support.js'
import { Cleanup } from '../../../helpers/relay-clients.js'
import { harness, type Harness } from '../../../helpers/crp-clients.js'
import type { FrameChannel } from '../../../../protocols/common/framing.js'

const rnd = (n: number): Uint8Array => sodium.randombytes_buf(n)

/** Polls `cond` (bounded: 100 × 20 ms) — for what the relay double reads after we wrote. */
async function eventually (cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (cond()) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`not within 2 s: ${what}`)
}

/** Records every frame a peer writes: what the relay is given. */
function recorded (ch: FrameChannel<CrpMessage>, wire: CrpMessage[]): FrameChannel<CrpMessage> {
  return {
    stream: ch.stream,
    read: async (options) => await ch.read(options),
    write: async (msg, options) => { wire.push(msg); await ch.write(msg, options) },
    close: async () => { await ch.close() },
    abort: (err) => { ch.abort(err) }
  }
}

describe('crp/peer (§9)', () => {
  const cleanup = new Cleanup()
  /** The product relay (honest). */
  let h: Harness
  /** The hijackable double (the hijack cases only). */
  let relay: MiniRelay
  /** Every frame the peers wrote to the product relay. */
  let wire: CrpMessage[]
  let ss: Uint8Array
  let infoA: CrpPeerInfo
  let infoB: CrpPeerInfo

  beforeEach(async () => {
    h = await harness(cleanup)
    relay = new MiniRelay()
    wire = []
    ss = sodium.randombytes_buf(64)
    infoA = await runIdentity()
    infoB = await runIdentity()
  })
  afterEach(async () => { resetAll(); await cleanup.run() })

  /** A peer on the product relay, or on the double with `hijackable`. */
  async function peer (role: Role, secret = ss, hijackable = false): Promise<CrpPeer> {
    const channel = hijackable ? await relay.connect() : recorded(await h.connect(), wire)
    return new CrpPeer({ channel, ss: secret, role, randomBytes: rnd })
  }

  /** A and B registered on the same token and matched. */
  async function matched (secretA = ss, secretB = ss, hijackable = false): Promise<[CrpPeer, CrpPeer]> {
    const a = await peer('A', secretA, hijackable)
    const b = await peer('B', secretB, hijackable)
    await a.register(infoA)
    await b.register(infoB)
    await within(5_000, Promise.all([a.awaitMatched(), b.awaitMatched()]))
    return [a, b]
  }

  /** On the double, which can play a hijacked relay. */
  async function matchedHijackable (): Promise<[CrpPeer, CrpPeer]> {
    return await matched(ss, ss, true)
  }

  it('both hold the same SharedSecret → proofs pass, B opens A\'s offer, A opens B\'s answer, Done reaches the relay', async () => {
    const [a, b] = await matched()
    await within(5_000, Promise.all([a.verify(), b.verify()]))
    expect([a.state, b.state]).to.deep.equal(['verified', 'verified'])
    await a.sendOffer(infoA)
    const offer = await within(5_000, b.readOffer())
    await b.sendAnswer(infoB)
    const answer = await within(5_000, a.readAnswer())
    expect(offer.peerId.equals(infoA.peerId)).to.equal(true)
    expect(offer.multiaddrs.map(String)).to.deep.equal(infoA.multiaddrs.map(String))
    expect(answer.peerId.equals(infoB.peerId)).to.equal(true)
    await a.done()
    await b.done()
    // Done reached the relay: the row is gone (§6 "Done deletes the row").
    await eventually(() => h.store.get(crpToken(ss)) == null, 'the row deleted by Done')
    expect(h.outcomes.filter(o => o === 'completed')).to.have.length.at.least(1)
    expect(wire.filter(m => m.done != null), 'Done from both').to.have.length(2)
    // The relay saw only a token, sealed boxes and random nonces: never the secret.
    const sent = wire.map(m => toHex(CrpMessage.encode(m))).join('')
    expect(sent.includes(toHex(ss)), 'the secret on the wire').to.equal(false)
  })

  it('the later peer × Registered with the earlier one\'s parked offer → opens with the other role\'s park key', async () => {
    const a = await peer('A')
    await a.register(infoA)
    const b = await peer('B')
    const reg = await b.register(infoB)
    expect(reg.parked, 'parked offer in Registered').to.not.equal(undefined)
    const info = b.openParked(reg.parked!, { nowMs: Date.now() })
    expect(info?.peerId.equals(infoA.peerId)).to.equal(true)
  })

  it('parked offer sealed by the same role, 24 h old, or not newer than the last accepted → ignored silently', () => {
    const token = crpToken(ss)
    const b = new CrpPeer({ channel: undefined as any, ss, role: 'B', randomBytes: rnd })
    const now = Date.now()
    const byA = sealParkedOffer(ss, 'A', token, { ...infoA, atMs: now - 1_000 })
    expect(b.openParked(byA, { nowMs: now })?.peerId.equals(infoA.peerId)).to.equal(true)
    expect(b.openParked(sealParkedOffer(ss, 'B', token, infoA), { nowMs: now }), 'own role\'s key').to.equal(undefined)
    expect(b.openParked(sealParkedOffer(ss, 'A', token, { ...infoA, atMs: now - CRP_PARKED_TTL_MS - 1 }), { nowMs: now }), 'older than 24 h').to.equal(undefined)
    expect(b.openParked(byA, { nowMs: now, lastAcceptedAtMs: now - 1_000 }), 'not newer').to.equal(undefined)
    expect(b.openParked(sealParkedOffer(sodium.randombytes_buf(64), 'A', token, infoA), { nowMs: now }), 'other secret').to.equal(undefined)
    expect(b.openParked({ nonce: new Uint8Array(3), ciphertext: new Uint8Array(5) }, { nowMs: now }), 'garbage').to.equal(undefined)
  })

  it('a hijacked relay rewrites B\'s proof → A sends "Incorrect SharedSecret", relayed: both get IncorrectSharedSecretError', async () => {
    relay.tamper = (from, msg) => from === 'B' && msg.proof != null ? { proof: { mac: new Uint8Array(32).fill(7) } } : undefined
    const [a, b] = await matchedHijackable()
    const [errA, errB] = await within(5_000, Promise.all([rejection(a.verify()), rejection(b.verify().then(async () => await b.readOffer()))]))
    expect(errA).to.be.instanceOf(IncorrectSharedSecretError)
    expect(errB).to.be.instanceOf(IncorrectSharedSecretError)
    expect(errA.message).to.match(/could not prove/)
    expect(relay.seen.A.find(m => m.error != null)?.error?.code).to.equal('INCORRECT_SHARED_SECRET')
    expect(relay.seen.A.some(m => m.offer != null), 'no offer after a wrong proof').to.equal(false)
  })

  it('a proof recorded in an earlier run and replayed → fails: the challenges are fresh each run', async () => {
    const [a1, b1] = await matchedHijackable()
    await within(5_000, Promise.all([a1.verify(), b1.verify()]))
    const replayed = relay.seen.B.find(m => m.proof != null)!.proof!.mac
    await a1.leave(); await b1.leave()

    relay = new MiniRelay()
    relay.tamper = (from, msg) => from === 'B' && msg.proof != null ? { proof: { mac: replayed } } : undefined
    const [a2, b2] = await matchedHijackable()
    const bSide = rejection(b2.verify().then(async () => await b2.readOffer()))
    const errA = await within(5_000, rejection(a2.verify()))
    expect(errA).to.be.instanceOf(IncorrectSharedSecretError)
    expect(await within(5_000, bSide)).to.be.instanceOf(IncorrectSharedSecretError)
  })

  it('a stranger who registers A\'s token without the secret → matched, but its proof fails and no offer is sent', async () => {
    const a = await peer('A')
    await a.register(infoA)
    // The stranger knows the token (a hijacked relay sees it) and plays B with raw frames.
    const stranger = await h.connect()
    await stranger.write({ register: { token: crpToken(ss) as Uint8Array<ArrayBuffer>, role: Uint8Array.of(0x42) } })
    const registered = await stranger.read()
    expect(registered.registered?.parked, 'A\'s parked offer is sealed, useless to it').to.not.equal(undefined)
    expect(() => open(crpParkKey(sodium.randombytes_buf(64), 'A'), crpToken(ss), registered.registered!.parked!)).to.throw()
    await a.awaitMatched()
    expect((await stranger.read()).matched).to.not.equal(undefined)
    await stranger.write({ challenge: { nonce: rnd(32) as Uint8Array<ArrayBuffer> } })
    const verifying = rejection(a.verify())
    expect((await stranger.read()).challenge).to.not.equal(undefined)
    expect((await stranger.read()).proof).to.not.equal(undefined)
    await stranger.write({ proof: { mac: rnd(32) as Uint8Array<ArrayBuffer> } })
    expect(await within(5_000, verifying)).to.be.instanceOf(IncorrectSharedSecretError)
    expect((await stranger.read()).error?.code).to.equal('INCORRECT_SHARED_SECRET')
  })

  it('relayed values of the wrong size (31-byte challenge) or a tampered offer → INCORRECT_SHARED_SECRET, not a violation', async () => {
    relay.tamper = (from, msg) => from === 'B' && msg.challenge != null ? { challenge: { nonce: msg.challenge.nonce.subarray(1) as Uint8Array<ArrayBuffer> } } : undefined
    const [a, b] = await matchedHijackable()
    const bSide = rejection(b.verify())
    expect(await within(5_000, rejection(a.verify()))).to.be.instanceOf(IncorrectSharedSecretError)
    expect(await within(5_000, bSide)).to.be.instanceOf(IncorrectSharedSecretError)

    relay = new MiniRelay()
    relay.tamper = (from, msg) => {
      if (from !== 'A' || msg.offer == null) return undefined
      const ciphertext = new Uint8Array(msg.offer.ciphertext)
      ciphertext[0] ^= 1
      return { offer: { nonce: msg.offer.nonce, ciphertext } }
    }
    const [a2, b2] = await matchedHijackable()
    await within(5_000, Promise.all([a2.verify(), b2.verify()]))
    await a2.sendOffer(infoA)
    expect(await within(5_000, rejection(b2.readOffer()))).to.be.instanceOf(IncorrectSharedSecretError)
    expect(await within(5_000, rejection(a2.readAnswer()))).to.be.instanceOf(IncorrectSharedSecretError)
  })

  it('the relay sends an oversized frame, garbage, or Proof before Matched → PROTOCOL_VIOLATION on that stream only', async () => {
    for (const bad of ['oversized', 'garbage', 'order'] as const) {
      const [peerEnd, relayEnd] = await channelPair(CrpMessage, CRP_FRAME_MAX_BYTES, 1024 * 1024)
      const other = await h.connect() // an unrelated stream of the same peer: must stay usable
      const p = new CrpPeer({ channel: peerEnd, ss, role: 'A', randomBytes: rnd })
      const registering = rejection(p.register(infoA))
      await relayEnd.read()
      if (bad === 'oversized') relayEnd.stream.send(Uint8Array.of(0x81, 0x80, 0x02)) // varint 32 769 > 16 KiB
      if (bad === 'garbage') relayEnd.stream.send(Uint8Array.of(3, 0xff, 0xff, 0xff))
      if (bad === 'order') await relayEnd.write({ proof: { mac: rnd(32) as Uint8Array<ArrayBuffer> } })
      expect(await within(5_000, registering), bad).to.be.instanceOf(ProtocolViolationError)
      expect((await within(5_000, relayEnd.read())).error?.code, bad).to.equal('PROTOCOL_VIOLATION')
      const q = new CrpPeer({ channel: other, ss, role: 'B', randomBytes: rnd })
      expect((await within(5_000, q.register(infoB))).expiresAtMs, `${bad}: other stream`).to.be.a('number')
      await q.leave()
    }
  })

  it('the relay answers Register with RATE_LIMITED, or EXPIRED while matched → typed errors, stream closed', async () => {
    const [peerEnd, relayEnd] = await channelPair(CrpMessage, CRP_FRAME_MAX_BYTES)
    const p = new CrpPeer({ channel: peerEnd, ss, role: 'B', randomBytes: rnd })
    const registering = rejection(p.register(infoB))
    await relayEnd.read()
    await relayEnd.write(errorFrame('RATE_LIMITED'))
    expect(await within(5_000, registering)).to.be.instanceOf(RateLimitedError)

    // The product relay ends a matched run at its TTL (§6: 180 s after Matched) with EXPIRED to both.
    const [a, b] = await matched()
    h.clock.advance(CRP_MATCHED_TTL_MS)
    const [errA, errB] = await within(5_000, Promise.all([rejection(a.verify()), rejection(b.verify())]))
    expect(errB).to.be.instanceOf(ExpiredError)
    expect(errA).to.be.instanceOf(ExpiredError)
    expect(h.outcomes).to.include('expired')
  })

  it('the relay closes a waiting stream (replaced, or the other side\'s Done) → awaitMatched throws PeerLeftError', async () => {
    const [peerEnd, relayEnd] = await channelPair(CrpMessage, CRP_FRAME_MAX_BYTES)
    const p = new CrpPeer({ channel: peerEnd, ss, role: 'A', randomBytes: rnd })
    const registering = p.register(infoA)
    await relayEnd.read()
    await relayEnd.write({ registered: { expiresAtMs: 1n } })
    await registering
    const waiting = rejection(p.awaitMatched())
    await relayEnd.close()
    expect(await within(5_000, waiting)).to.be.instanceOf(PeerLeftError)
  })

  it('independent vectors (§12): Register token and role, A\'s proof for n_A/n_B, parked and offer open under the published keys', async () => {
    const v = independent.crp
    const [peerEnd, relayEnd] = await channelPair(CrpMessage, CRP_FRAME_MAX_BYTES)
    const a = new CrpPeer({ channel: peerEnd, ss: fromHex(v.SharedSecret), role: 'A', randomBytes: () => fromHex(v.n_A) })
    const registering = a.register(infoA)
    const reg = (await relayEnd.read()).register!
    expect(toHex(reg.token)).to.equal(v.token)
    expect(toHex(reg.role)).to.equal('41')
    expect(decodePeerInfo(open(fromHex(v.k_park_A), fromHex(v.token), reg.parked!))?.peerId.equals(infoA.peerId)).to.equal(true)
    await relayEnd.write({ registered: { expiresAtMs: 1n } })
    await registering
    await relayEnd.write({ matched: {} })
    await a.awaitMatched()
    const verifying = a.verify()
    expect(toHex((await relayEnd.read()).challenge!.nonce)).to.equal(v.n_A)
    await relayEnd.write({ challenge: { nonce: fromHex(v.n_B) as Uint8Array<ArrayBuffer> } })
    expect(toHex((await relayEnd.read()).proof!.mac)).to.equal(v.proof_A)
    await relayEnd.write({ proof: { mac: fromHex(v.proof_B) as Uint8Array<ArrayBuffer> } })
    await within(5_000, verifying)
    await a.sendOffer(infoA)
    const offer = (await relayEnd.read()).offer!
    const key = crpOfferKey(fromHex(v.SharedSecret), fromHex(v.token), fromHex(v.n_A), fromHex(v.n_B))
    expect(toHex(key)).to.equal(v.k_offer)
    const opened = decodePeerInfo(open(key, crpOfferAd(fromHex(v.token), fromHex(v.n_A), fromHex(v.n_B)), offer))
    expect(opened?.peerId.equals(infoA.peerId)).to.equal(true)
  })
})
