// `/gini/contact/1` state machine (docs/protocol.md §7) over in-memory streams: A = creator, B = joiner
// (B opens the stream). Defects are injected by a middle that rewrites B's card in flight and
// re-binds it with the right key, so each test fails exactly the check it names.
import { expect } from 'chai'
import { CONTACT_FRAME_MAX_BYTES, VCARD_MAX_BYTES } from '../../../../protocols/contact/constants.js'
import { exchangeContactCards, verifyContactCard, verifyPeerIdProof } from '../../../../protocols/contact/peer.js'
import { InvalidCardError } from '../../../../protocols/common/errors.js'
import type { OwnCard } from '../../../../protocols/contact/peer.js'
import { ContactMessage, ErrorCode } from '../../../../protocols/contact/pb/contact.js'
import type { ContactCard } from '../../../../protocols/contact/pb/contact.js'
import { cardBinding, fromHex, signPeerId, sodium, type PairingRole } from '../../../../protocols/crypto/index.js'
import { channelPair, middlePair, person, rejection, resetAll, within } from './fixtures.js'
import type { Mutate, Person } from './fixtures.js'

const MAX = CONTACT_FRAME_MAX_BYTES

describe('contact/exchange (§7)', () => {
  let alice: Person
  let bob: Person
  let kContact: Uint8Array

  beforeEach(async () => {
    alice = await person('Alice')
    bob = await person('Bob')
    kContact = sodium.randombytes_buf(32)
  })
  afterEach(resetAll)

  /** What the network does between them: rewrite either side's frames, or make B vanish. */
  interface Tamper { bobsFrames?: Mutate<ContactMessage>, alicesFrames?: Mutate<ContactMessage>, bobVanishes?: boolean }

  /** Runs both sides (B opened the stream) and returns both outcomes. */
  async function run (t: Tamper = {}, keys: { a?: Uint8Array, b?: Uint8Array } = {}): Promise<[PromiseSettledResult<any>, PromiseSettledResult<any>]> {
    const [chB, chA] = await middlePair(ContactMessage, MAX, { aToB: t.bobsFrames, bToA: t.alicesFrames, resetWhenAEnds: t.bobVanishes })
    const [a, b] = await within(5_000, Promise.allSettled([
      exchangeContactCards(chA, { role: 'A', kContact: keys.a ?? kContact, own: alice.own }),
      exchangeContactCards(chB, { role: 'B', kContact: keys.b ?? kContact, own: bob.own })
    ]))
    return [a, b]
  }

  /** Middle option: rewrite B's card (B → A direction), re-bound with `key` as `role`. */
  function rewriteBobsCard (change: (c: ContactCard) => ContactCard, key?: () => Uint8Array, role: PairingRole = 'B'): Tamper {
    return {
      bobsFrames: (msg) => {
        if (msg.card == null) return msg
        const card = change({ ...msg.card })
        return bound(card, role, key?.() ?? kContact)
      }
    }
  }

  /**
   * A card frame with a binding made by `role` under `key` and its peer_id_sig made with Bob's
   * long-term key (the codec types bytes as Uint8Array<ArrayBuffer>).
   */
  function bound (card: Omit<ContactCard, 'binding' | 'peerIdSig'> | OwnCard, role: PairingRole, key: Uint8Array): ContactMessage {
    const binding = cardBinding(key, role, card)
    return { card: { ...card, binding, peerIdSig: signPeerId(bob.own.signingKey, binding) } as ContactCard }
  }

  function expectRefused (r: PromiseSettledResult<any>, name: string): void {
    expect(r.status).to.equal('rejected')
    expect((r as PromiseRejectedResult).reason).to.have.property('name', name)
  }

  it('both cards sent × both valid → each side resolves with the other\'s card', async () => {
    const [a, b] = await run()
    expect(a.status, String((a as any).reason)).to.equal('fulfilled')
    expect(b.status, String((b as any).reason)).to.equal('fulfilled')
    const atA = (a as PromiseFulfilledResult<any>).value
    const atB = (b as PromiseFulfilledResult<any>).value
    expect(atA.vcard.fn).to.equal('Bob')
    expect(atA.vcard.text).to.equal(bob.own.vcard)
    expect(atA.ppk).to.deep.equal(bob.ppk.publicKey)
    expect(atA.peerId.equals(bob.peerId)).to.equal(true)
    expect(atA.multiaddrs.map((m: any) => m.toString())).to.deep.equal([`/ip4/127.0.0.1/tcp/4001/p2p/${bob.peerId.toString()}`])
    expect(atB.vcard.fn).to.equal('Alice')
    expect(atB.peerId.equals(alice.peerId)).to.equal(true)
    expect(atB.vcard.email).to.equal('alice@example.org')
  })

  it('card read × binding made with another k_contact (both sides) → INVALID_CARD on both sides', async () => {
    const [a, b] = await run({}, { b: sodium.randombytes_buf(32) })
    expectRefused(a, 'InvalidCardError')
    expectRefused(b, 'InvalidCardError')
  })

  it('card read × only B\'s binding made with another k_contact → A refuses, B sees the refusal as InvalidCardError', async () => {
    const other = sodium.randombytes_buf(32)
    const [a, b] = await run(rewriteBobsCard(c => c, () => other))
    expectRefused(a, 'InvalidCardError')
    expectRefused(b, 'InvalidCardError')
  })

  it('card read × B\'s binding made with role A (a reflected card) → INVALID_CARD on both sides', async () => {
    const [a, b] = await run(rewriteBobsCard(c => c, undefined, 'A'))
    expectRefused(a, 'InvalidCardError')
    expectRefused(b, 'InvalidCardError')
  })

  it('card read × A\'s own card reflected back to A → INVALID_CARD', async () => {
    const [a, b] = await run({ bobsFrames: () => bound(alice.own, 'A', kContact) })
    expectRefused(a, 'InvalidCardError')
    expectRefused(b, 'InvalidCardError')
  })

  const defects: Array<[string, (c: ContactCard) => ContactCard]> = [
    ['a ppk of 31 bytes', c => ({ ...c, ppk: c.ppk.subarray(0, 31) })],
    ['a ppk of 33 bytes', c => ({ ...c, ppk: new Uint8Array(33) })],
    ['a peer id that does not decode', c => ({ ...c, peerId: c.peerId.subarray(0, 10) })],
    ['an RSA-style (sha256) peer id', c => ({ ...c, peerId: new Uint8Array([0x12, 0x20, ...new Uint8Array(32)]) })],
    ['a multiaddr that does not decode', c => ({ ...c, multiaddrs: [...c.multiaddrs, new Uint8Array([0xff, 0xff])] })],
    ['an empty multiaddr', c => ({ ...c, multiaddrs: [new Uint8Array(0)] })],
    ['a vCard without FN', c => ({ ...c, vcard: 'BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:bob@example.org\r\nEND:VCARD\r\n' })],
    ['a vCard 3.0', c => ({ ...c, vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEND:VCARD\r\n' })],
    ['a vCard over 256 KiB', c => ({ ...c, vcard: c.vcard.replace('END:VCARD', 'NOTE:' + 'x'.repeat(VCARD_MAX_BYTES) + '\r\nEND:VCARD') })]
  ]
  for (const [what, change] of defects) {
    it(`card read × ${what} (correctly bound) → A sends INVALID_CARD, both sides throw InvalidCardError`, async () => {
      const [a, b] = await run(rewriteBobsCard(change))
      expectRefused(a, 'InvalidCardError')
      expectRefused(b, 'InvalidCardError')
    })
  }

  it('card read × no peer_id_sig (correctly bound) → A refuses: PeerIdNotProvenError, B sees InvalidCardError', async () => {
    const [a, b] = await run({
      bobsFrames: (msg) => msg.card == null ? msg : { card: { ...msg.card, peerIdSig: new Uint8Array(0) } }
    })
    expectRefused(a, 'PeerIdNotProvenError')
    expect((a as PromiseRejectedResult).reason.message).to.match(/peer id is not signed/)
    expectRefused(b, 'InvalidCardError')
  })

  it('card read × claims Carol\'s peer id, signed with Bob\'s own key (correctly bound) → refused: PeerIdNotProvenError', async () => {
    const carol = await person('Carol')
    const [a, b] = await run(rewriteBobsCard(c => ({ ...c, peerId: new Uint8Array(carol.own.peerId), multiaddrs: [new Uint8Array(carol.multiaddrBytes)] })))
    expectRefused(a, 'PeerIdNotProvenError')
    expectRefused(b, 'InvalidCardError')
  })

  it('card read × Bob\'s peer_id_sig from another pairing (other k_contact) replayed → refused: PeerIdNotProvenError', async () => {
    const elsewhere = cardBinding(sodium.randombytes_buf(32), 'B', bob.own)
    const [a] = await run({
      bobsFrames: (msg) => msg.card == null ? msg : { card: { ...msg.card, peerIdSig: new Uint8Array(signPeerId(bob.own.signingKey, elsewhere)) } }
    })
    expectRefused(a, 'PeerIdNotProvenError')
  })

  it('card read × checkCard refuses it (an InvalidCardError subclass) → INVALID_CARD sent, that error thrown, B sees InvalidCardError', async () => {
    class KeyChanged extends InvalidCardError {}
    const [chB, chA] = await middlePair(ContactMessage, MAX, {})
    const [a, b] = await within(5_000, Promise.allSettled([
      exchangeContactCards(chA, { role: 'A', kContact, own: alice.own, checkCard: () => { throw new KeyChanged('key changed') } }),
      exchangeContactCards(chB, { role: 'B', kContact, own: bob.own })
    ]))
    expect(a.status).to.equal('rejected')
    expect((a as PromiseRejectedResult).reason).to.be.instanceOf(KeyChanged)
    expectRefused(b, 'InvalidCardError')
  })

  it('card sent × frame over 1 MiB → refused before reading it: PROTOCOL_VIOLATION on both sides', async () => {
    const [a, b] = await run(rewriteBobsCard(c => ({ ...c, vcard: 'x'.repeat(MAX + 1) })))
    expectRefused(a, 'ProtocolViolationError')
    expectRefused(b, 'ProtocolViolationError')
  })

  it('card sent × the other writes an Error first → refused with that code, nothing returned', async () => {
    const [peer, ch] = await channelPair(ContactMessage, MAX)
    const mine = exchangeContactCards(ch, { role: 'A', kContact, own: alice.own })
    await peer.write({ error: { code: ErrorCode.INVALID_CARD, message: 'x' } })
    await peer.close()
    expect(await within(2_000, rejection(mine))).to.have.property('name', 'InvalidCardError')
  })

  it('card sent × a message with no body → PROTOCOL_VIOLATION frame back', async () => {
    const [peer, ch] = await channelPair(ContactMessage, MAX)
    const mine = exchangeContactCards(ch, { role: 'A', kContact, own: alice.own })
    await peer.write({})
    expect((await peer.read()).card).to.not.equal(undefined)
    expect((await peer.read()).error?.code).to.equal(ErrorCode.PROTOCOL_VIOLATION)
    expect(await within(2_000, rejection(mine))).to.have.property('name', 'ProtocolViolationError')
  })

  it('card accepted × the other sends a second card instead of closing → ProtocolViolationError, stream reset', async () => {
    const [peer, ch] = await channelPair(ContactMessage, MAX)
    const mine = exchangeContactCards(ch, { role: 'A', kContact, own: alice.own })
    const bobsCard = bound(bob.own, 'B', kContact)
    await peer.write(bobsCard)
    await peer.write(bobsCard)
    expect(await within(2_000, rejection(mine))).to.have.property('name', 'ProtocolViolationError')
    expect(ch.stream.status).to.equal('aborted')
  })

  it('card accepted × the other vanishes (reset) instead of closing → PeerLeftError, promptly', async () => {
    const [a] = await run({ bobVanishes: true })
    expectRefused(a, 'PeerLeftError') // (B's outcome races the reset: not asserted)
  })

  it('card sent × the other resets before its card → PeerLeftError, promptly', async () => {
    const [peer, ch] = await channelPair(ContactMessage, MAX)
    const mine = exchangeContactCards(ch, { role: 'B', kContact, own: bob.own })
    await peer.read()
    peer.abort(new Error('gone'))
    expect(await within(2_000, rejection(mine))).to.have.property('name', 'PeerLeftError')
  })

  it('card sent × the other closes without a card → PeerLeftError', async () => {
    const [peer, ch] = await channelPair(ContactMessage, MAX)
    const mine = exchangeContactCards(ch, { role: 'B', kContact, own: bob.own })
    await peer.close()
    expect(await within(2_000, rejection(mine))).to.have.property('name', 'PeerLeftError')
  })

  it('card sent × the other stays silent and the deadline fires → rejects with the abort reason, stream reset', async () => {
    const [, ch] = await channelPair(ContactMessage, MAX)
    const deadline = new AbortController()
    const mine = exchangeContactCards(ch, { role: 'B', kContact, own: bob.own, signal: deadline.signal })
    const reason = new Error('deadline')
    deadline.abort(reason)
    expect(await within(2_000, rejection(mine))).to.equal(reason)
    expect(ch.stream.status).to.equal('aborted')
  })

  // docs/protocol.md §12: `contact_binding` from vectors/gini-v1.json (an independent
  // implementation), copied here.
  const VECTOR = {
    kContact: '356fa1adaeeb99a1097d9ed93b4c92fd9e19e310cf175cbe08f45b39d504ff7f',
    vcard: 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice\r\nEND:VCARD\r\n',
    ppk: '65aee0daf5f5dff1ca23342ee302493c65a60f229c7e047ea7147673270b0540',
    peerId: '0024080112208313e00fe402b6165e5b7e14309c66bed233750458989264364926bdd1d011f5',
    binding: 'ec60206c69421a11d5cf49a87440abf037bfa77965b9ac29559529894c8507ea'
  }
  const vectorCard = (binding: string): ContactCard => ({
    vcard: VECTOR.vcard, ppk: fromHex(VECTOR.ppk), peerId: fromHex(VECTOR.peerId), multiaddrs: [], binding: fromHex(binding), peerIdSig: new Uint8Array(0)
  }) as ContactCard

  it('card read × the §12 vector card from role A → accepted with its fields', () => {
    const card = verifyContactCard(vectorCard(VECTOR.binding), 'A', fromHex(VECTOR.kContact))
    expect(card.vcard.fn).to.equal('Alice')
    expect(card.peerId.type).to.equal('Ed25519')
    expect(card.peerId.toMultihash().bytes).to.deep.equal(fromHex(VECTOR.peerId))
  })

  it('card read × the §12 vector card taken as role B\'s, or with one binding bit flipped → InvalidCardError', () => {
    expect(() => verifyContactCard(vectorCard(VECTOR.binding), 'B', fromHex(VECTOR.kContact))).to.throw().with.property('name', 'InvalidCardError')
    const flipped = (VECTOR.binding.slice(0, 63) + (VECTOR.binding[63] === '0' ? '1' : '0'))
    expect(() => verifyContactCard(vectorCard(flipped), 'A', fromHex(VECTOR.kContact))).to.throw().with.property('name', 'InvalidCardError')
  })

  it('card read × the base-spec vector card has no peer_id_sig → verifyPeerIdProof refuses it (docs/protocol.md §7 extension)', () => {
    const card = verifyContactCard(vectorCard(VECTOR.binding), 'A', fromHex(VECTOR.kContact))
    expect(() => { verifyPeerIdProof(vectorCard(VECTOR.binding), card.peerId) }).to.throw().with.property('name', 'PeerIdNotProvenError')
  })
})
