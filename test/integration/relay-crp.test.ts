// /gini/crp/1 on a real relay over loopback (docs/protocol.md §9.2), with raw CrpMessage clients
// that compute real tokens, proofs and sealed offers (protocols/crypto), so the test also shows the
// relay forwards every byte unchanged. Each client is a fresh libp2p identity, as a run's is (§11).
import { expect } from 'chai'
import {
  crpAnswerKey, crpOfferAd, crpOfferKey, crpParkKey, crpProof, crpToken, ctEqual, open, seal
} from '../../protocols/crypto/index.js'
import { PeerInfo, wire } from '../../protocols/common/index.js'
import type { Sealed } from '../../protocols/crp/index.js'
import { Cleanup, bytes, startRelay, waitFor } from '../helpers/relay-clients.js'
import {
  ROLE, expectEnd, expectErrorThenEnd, expectMatched, expectSilence, next, openCrp, register,
  tempDir, varint, type Crp
} from '../helpers/crp-clients.js'
import type { Relay } from '../../relay/index.js'

/** One side of a contact pair: its SharedSecret and the token both compute from it. */
function contact (): { ss: Uint8Array, token: Uint8Array<ArrayBuffer> } {
  const ss = bytes(64)
  return { ss, token: wire(crpToken(ss)) }
}

function peerInfo (): Uint8Array {
  return PeerInfo.encode({ peerId: bytes(38), multiaddrs: [bytes(60)], atMs: BigInt(Date.now()) })
}

function sealedOf (box: { nonce: Uint8Array, ciphertext: Uint8Array }): Sealed {
  return { nonce: wire(box.nonce), ciphertext: wire(box.ciphertext) }
}

describe('relay /gini/crp/1 over loopback', function () {
  const suite = new Cleanup()
  const cleanup = new Cleanup()
  let relay: Relay

  before(async () => { relay = await startRelay(suite, { dataDir: await tempDir(suite, 'gini-relay-crp-') }) })
  after(async () => { await suite.run() })
  afterEach(async () => { await cleanup.run() })

  /** The honest run of §9.4 between A and B, checking proofs and opening sealed frames. */
  async function honestRun (a: Crp, b: Crp, ss: Uint8Array, token: Uint8Array): Promise<void> {
    const [nA, nB] = [bytes(32), bytes(32)]
    await a.write({ challenge: { nonce: nA } })
    await b.write({ challenge: { nonce: nB } })
    expect((await next(b)).challenge?.nonce).to.deep.equal(nA)
    expect((await next(a)).challenge?.nonce).to.deep.equal(nB)
    await a.write({ proof: { mac: wire(crpProof(ss, 'A', token, nA, nB)) } })
    await b.write({ proof: { mac: wire(crpProof(ss, 'B', token, nA, nB)) } })
    expect(ctEqual((await next(b)).proof!.mac, crpProof(ss, 'A', token, nA, nB))).to.equal(true)
    expect(ctEqual((await next(a)).proof!.mac, crpProof(ss, 'B', token, nA, nB))).to.equal(true)
    const infoA = peerInfo()
    await a.write({ offer: sealedOf(seal(crpOfferKey(ss, token, nA, nB), crpOfferAd(token, nA, nB), infoA)) })
    const offer = (await next(b)).offer!
    expect(open(crpOfferKey(ss, token, nA, nB), crpOfferAd(token, nA, nB), offer)).to.deep.equal(infoA)
    const infoB = peerInfo()
    await b.write({ answer: sealedOf(seal(crpAnswerKey(ss, token, nA, nB), crpOfferAd(token, nA, nB), infoB)) })
    expect(open(crpAnswerKey(ss, token, nA, nB), crpOfferAd(token, nA, nB), (await next(a)).answer!)).to.deep.equal(infoB)
  }

  it('A and B register one token → Matched to both; challenge, proof, offer, answer relayed intact; Done deletes the row', async () => {
    const { ss, token } = contact()
    const rowsBefore = relay.crp.rowCount
    const a = await openCrp(cleanup, relay)
    const registered = await register(a, token, 'A')
    expect(Number(registered.expiresAtMs) - Date.now()).to.be.within(365 * 86_400_000 - 60_000, 365 * 86_400_000)
    expect(relay.crp.rowCount).to.equal(rowsBefore + 1)
    const b = await openCrp(cleanup, relay)
    await register(b, token, 'B')
    await expectMatched(b, a)
    await honestRun(a, b, ss, token)
    await a.write({ done: {} })
    await b.write({ done: {} })
    await expectEnd(a)
    await expectEnd(b)
    expect(relay.crp.rowCount, 'Done deletes the row').to.equal(rowsBefore)
  })

  it('A parks an offer and leaves → B, registering later, gets it in Registered and opens it with A\'s park key', async () => {
    const { ss, token } = contact()
    const info = peerInfo()
    const a = await openCrp(cleanup, relay)
    await register(a, token, 'A', sealedOf(seal(crpParkKey(ss, 'A'), token, info)))
    await a.close()
    await waitFor(() => relay.crp.liveStreams === 0, 'A\'s stream to end')
    const b = await openCrp(cleanup, relay)
    const { parked } = await register(b, token, 'B')
    expect(parked, 'the parked offer').to.not.equal(undefined)
    expect(open(crpParkKey(ss, 'A'), token, parked!)).to.deep.equal(info)
  })

  it('a stranger\'s token matches nothing: no Matched, no parked offer, on either side', async () => {
    const { ss, token } = contact()
    const a = await openCrp(cleanup, relay)
    await register(a, token, 'A', sealedOf(seal(crpParkKey(ss, 'A'), token, peerInfo())))
    const stranger = await openCrp(cleanup, relay)
    const { parked } = await register(stranger, contact().token, 'B')
    expect(parked).to.equal(undefined)
    await expectSilence(a, 300)
    await expectSilence(stranger, 50)
  })

  it('malformed and oversized frames → PROTOCOL_VIOLATION for that stream only, while another run completes', async () => {
    const run = contact()
    const a = await openCrp(cleanup, relay)
    await register(a, run.token, 'A')
    const b = await openCrp(cleanup, relay)
    await register(b, run.token, 'B')
    await expectMatched(b, a)

    // A malformed Register (31-byte token) on its own stream.
    const bad = await openCrp(cleanup, relay)
    await bad.write({ register: { token: bytes(31), role: ROLE.A.slice() } })
    await expectErrorThenEnd(bad, 'PROTOCOL_VIOLATION')
    // An oversized frame (declares 20 KiB > 16 KiB) inside a second matched run: its partner is left.
    const other = contact()
    const x = await openCrp(cleanup, relay)
    await register(x, other.token, 'A')
    const y = await openCrp(cleanup, relay)
    await register(y, other.token, 'B')
    await expectMatched(y, x)
    x.stream.send(varint(20 * 1024))
    x.stream.send(bytes(100))
    await expectErrorThenEnd(x, 'PROTOCOL_VIOLATION')
    await expectErrorThenEnd(y, 'PEER_LEFT')
    // Undecodable bytes on a waiting stream.
    const garbage = await openCrp(cleanup, relay)
    await register(garbage, contact().token, 'B')
    garbage.stream.send(varint(6))
    garbage.stream.send(bytes(6, 0xff))
    await expectErrorThenEnd(garbage, 'PROTOCOL_VIOLATION')

    await honestRun(a, b, run.ss, run.token)
    await a.write({ done: {} })
    await expectEnd(a)
  })
})

describe('relay /gini/crp/1: restart with the same --data', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('rows, first-registration times and parked offers survive a clean restart', async () => {
    const dir = await tempDir(cleanup, 'gini-relay-crp-restart-')
    const { ss, token } = contact()
    const info = peerInfo()
    const first = await startRelay(cleanup, { dataDir: dir })
    const a = await openCrp(cleanup, first)
    const { expiresAtMs } = await register(a, token, 'A', sealedOf(seal(crpParkKey(ss, 'A'), token, info)))
    await first.stop()

    const second = await startRelay(cleanup, { dataDir: dir })
    expect(second.peerId.equals(first.peerId)).to.equal(true)
    expect(second.crp.rowCount).to.equal(1)
    const b = await openCrp(cleanup, second)
    const registered = await register(b, token, 'B')
    expect(registered.expiresAtMs, 'the first registration is kept').to.equal(expiresAtMs)
    expect(open(crpParkKey(ss, 'A'), token, registered.parked!)).to.deep.equal(info)
    expect(second.crp.rowCount).to.equal(1)
  })

  it('a relay without --data keeps RestoreConnections in memory: a restart starts empty', async () => {
    const first = await startRelay(cleanup)
    const a = await openCrp(cleanup, first)
    await register(a, contact().token, 'A')
    expect(first.crp.rowCount).to.equal(1)
    await first.stop()
    const second = await startRelay(cleanup)
    expect(second.crp.rowCount).to.equal(0)
  })
})
