// Who may claim a contact's place (docs/protocol.md §7 `peer_id_sig`, §13.3 #14, §18.1): a real relay, real
// GiniNodes over loopback. Alice has paired with Bob; then someone else pairs with Alice and claims
// Bob's long-term peer id. The attacker is a real pairing identity (runJoiner with a forged card),
// not a hook in product code.
import { expect } from 'chai'
import { generateKeyPair, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import { createRelay, type Relay } from '../../relay/index.js'
import { FileStorage, createPeerNode, type GiniNode } from '../../peer/index.js'
import { runJoiner } from '../../peer/core/pairing/pairing.js'
import { buildVCard } from '../../protocols/contact/vcard.js'
import { generateX25519, normalizeFlashCode, toHex, type X25519KeyPair } from '../../protocols/crypto/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'

describe('pairing: a contact\'s peer id cannot be taken over', function () {
  let relay: Relay
  let relayAddr: string
  let alice: TestPeer
  let bob: TestPeer
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  beforeEach(async () => {
    alice = await peer('Alice')
    bob = await peer('Bob')
    await pair(alice, bob.node)
    expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
  })
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!()
  })

  async function peer (name: string): Promise<TestPeer> {
    const p = await makePeer(name)
    cleanups.push(p.cleanup)
    return p
  }

  /** Alice invites, `joiner` accepts; both outcomes as values. */
  async function pair (creator: TestPeer, joiner: GiniNode | ((code: string) => Promise<unknown>)): Promise<[unknown, unknown]> {
    creator.events.length = 0
    const invite = creator.node.invite({ relay: relayAddr, onProgress: (e) => creator.events.push(e) }).then(c => c, (e: unknown) => e)
    const code = await codeFrom(creator.events)
    const accept = typeof joiner === 'function'
      ? joiner(code).then(c => c, (e: unknown) => e)
      : joiner.accept(code, { relay: relayAddr }).then(c => c, (e: unknown) => e)
    const outcome = await Promise.all([invite, accept])
    for (const o of outcome) if (o instanceof Error && !('code' in o)) throw o
    return outcome
  }

  /** A joiner whose card claims `claimedId` but is signed with `signingKey` and carries `ppk`. */
  function forgedJoiner (claimedId: PeerId, signingKey: Uint8Array, ppk: X25519KeyPair, name: string) {
    return async (code: string): Promise<unknown> => await runJoiner({
      createPeerNode,
      relay: multiaddr(relayAddr),
      self: {
        vcard: buildVCard({ name, email: 'bob@example.org' }),
        ppk,
        peerId: claimedId,
        signingKey,
        cardAddrs: (relayAddr) => [relayAddr.encapsulate(`/p2p-circuit/p2p/${claimedId.toString()}`)]
      }
    }, normalizeFlashCode(code))
  }

  it('an attacker claims Bob\'s peer id with a card signed by its own key → Alice refuses (PeerIdNotProvenError), Bob\'s record unchanged', async () => {
    const before = await alice.node.contacts()
    const attackerKey = await generateKeyPair('Ed25519')
    const [atAlice, atAttacker] = await pair(alice, forgedJoiner(bob.node.peerId, attackerKey.raw, generateX25519(), 'Bob'))
    expect(atAlice).to.be.instanceOf(Error).with.property('name', 'PeerIdNotProvenError')
    expect((atAlice as Error).message).to.match(/not signed/)
    expect(atAttacker).to.be.instanceOf(Error).with.property('name', 'InvalidCardError')
    expect(await alice.node.contacts()).to.deep.equal(before)
    expect(alice.events.map(e => e.event)).to.not.include('contact-added')
  })

  it('Bob\'s own peer id key with another PPK (reinstalled, or a stolen libp2p key) → kept as a pending key change (§18.1), nothing overwritten', async () => {
    const [before] = await alice.node.contacts()
    const identity = await new FileStorage(bob.dir).loadIdentity()
    const bobKey = privateKeyFromProtobuf(identity!.libp2pKey)
    expect(peerIdFromPrivateKey(bobKey).equals(bob.node.peerId)).to.equal(true)
    const newPpk = generateX25519()
    const [atAlice, atOther] = await pair(alice, forgedJoiner(bob.node.peerId, bobKey.raw, newPpk, 'Bob'))
    expect(atAlice).to.not.be.instanceOf(Error)
    expect(atOther).to.not.be.instanceOf(Error)
    expect(alice.events.map(e => e.event)).to.include('key-change').and.not.include('contact-added')
    const [after] = await alice.node.contacts()
    const { keyChange, ...rest } = after
    expect(rest).to.deep.equal(before)
    expect(keyChange?.ppk).to.equal(toHex(newPpk.publicKey))
  })

  it('Bob re-pairs with the same PPK and a new name → the card is updated, first pairing time kept, old secret kept as previous', async () => {
    const [first] = await alice.node.contacts()
    await bob.node.setProfile({ name: 'Bobby Tables' })
    const [atAlice, atBob] = await pair(alice, bob.node)
    expect(atAlice).to.not.be.instanceOf(Error)
    expect(atBob).to.not.be.instanceOf(Error)
    const [again] = await alice.node.contacts()
    expect(again.id).to.equal(first.id)
    expect(again.name).to.equal('Bobby Tables')
    expect(again.ppk).to.equal(first.ppk)
    expect(again.pairedAtMs).to.equal(first.pairedAtMs)
    expect(again.sharedSecret.previous).to.equal(first.sharedSecret.current)
    expect(again.sharedSecret.current).to.not.equal(first.sharedSecret.current)
  })
})
