// Key changes (docs/protocol.md §18.1) between real nodes over a real relay: Alice has paired with
// Bob and verified him; then Bob's peer id re-pairs with a new PPK (test/helpers/identities.ts). The
// change is kept pending and the old key stays in use; accepting switches keys and drops the
// verification, rejecting leaves everything as it was.
import { expect } from 'chai'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import { isState, pair, waitForEvent, withPairedDaemons, type DaemonPeer } from '../helpers/daemons.js'
import { sameIdNewPpk } from '../helpers/identities.js'

type KeyChangeEvent = Extract<PairingEvent, { event: 'key-change' }>

describe('key changes (§18.1): a re-pairing with a new permanent key', function () {
  this.timeout(120_000)
  let relayAddr: string
  let alice: DaemonPeer
  let bob: DaemonPeer
  let bob2: DaemonPeer
  let bobId: string
  let verifiedBefore: ContactRecord
  const paired = withPairedDaemons()

  beforeEach(async () => {
    ({ relayAddr, alice, bob } = paired)
    bobId = bob.node.peerId.toString()
    const [c] = await alice.node.contacts()
    verifiedBefore = await alice.node.markVerified(bobId, alice.node.safetyNumber(c))
    // Bob's peer id (his own libp2p key) with a new PPK, and a new name on the card.
    bob2 = await paired.peer('Bob', await sameIdNewPpk(bob.dir))
    await bob2.node.setProfile({ name: 'Bob (new phone)' })
    expect(bob2.node.peerId.equals(bob.node.peerId)).to.equal(true)
  })

  /** Alice invites, Bob's new device accepts; resolves with the key-change event Alice's pairing reported. */
  async function rePair (): Promise<KeyChangeEvent> {
    alice.events.length = 0
    await pair(alice, bob2, relayAddr)
    expect(alice.events.map(e => e.event)).to.not.include('contact-added')
    const e = alice.events.find(x => x.event === 'key-change') as KeyChangeEvent | undefined
    expect(e, 'key-change event').to.not.equal(undefined)
    return e!
  }

  it('the re-pairing completes but is kept pending: old key, secret and verification unchanged and still used for sessions; the daemon reports it', async () => {
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isState('online'), 30_000)

    const from = alice.log.length
    const e = await rePair()
    expect(e).to.include({ id: bobId, name: 'Bob', oldSafetyNumber: verifiedBefore.verified!.number })
    expect(e.newSafetyNumber).to.match(/^\d{60}$/).and.not.equal(e.oldSafetyNumber)
    const d = await waitForEvent(alice.log, x => x.event === 'key-change', 10_000, from) as Extract<DaemonEvent, { event: 'key-change' }>
    expect(d).to.deep.equal(e)

    const [stored] = await alice.node.contacts()
    expect(stored.ppk).to.equal(verifiedBefore.ppk)
    expect(stored.name).to.equal('Bob')
    expect(stored.verified).to.deep.equal(verifiedBefore.verified)
    expect(stored.keyChange).to.include({ name: 'Bob (new phone)' })
    expect(stored.keyChange!.ppk).to.not.equal(verifiedBefore.ppk)
    expect(alice.node.safetyNumber(stored)).to.equal(e.oldSafetyNumber)
    // The other side stored an ordinary contact.
    expect((await bob2.node.contacts()).map(c => c.name)).to.deep.equal(['Alice'])

    // A new session with the old Bob still runs on the old key.
    const beforeRestart = alice.log.length
    await bob.stopDaemon()
    await waitForEvent(alice.log, isState('offline'), 20_000, beforeRestart)
    const back = alice.log.length
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, x => x.event === 'session' && x.id === bobId, 30_000, back)
    expect((await alice.contact()).ppk).to.equal(verifiedBefore.ppk)
  })

  it('accept (through the running daemon) → the new key, card and secret, a new safety number, verification dropped; the new device connects', async () => {
    const e = await rePair()
    const pending = (await alice.contact()).keyChange!
    await alice.start({ relays: [relayAddr] })
    const accepted = await alice.node.acceptKeyChange(bobId)
    expect(accepted.ppk).to.equal(pending.ppk)
    expect(accepted.name).to.equal('Bob (new phone)')
    expect(accepted.sharedSecret).to.deep.equal({ current: pending.sharedSecret })
    expect(accepted.verified).to.equal(undefined)
    expect(accepted.keyChange).to.equal(undefined)
    expect(alice.node.safetyNumber(accepted)).to.equal(e.newSafetyNumber).and.not.equal(verifiedBefore.verified!.number)
    expect(await alice.contact()).to.deep.equal(accepted)

    // Bob's new device now holds a session with Alice on the new key.
    const from = alice.log.length
    await bob2.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, x => x.event === 'session' && x.id === bobId, 30_000, from)
    expect((await alice.contact()).ppk).to.equal(pending.ppk)
    // Nothing left to accept.
    const again = await alice.node.acceptKeyChange(bobId).then(() => undefined, (err: unknown) => err)
    expect(again).to.be.instanceOf(Error).with.property('name', 'UsageError')
  })

  it('reject → the pending change is discarded and the contact is exactly as before', async () => {
    const [before] = await alice.node.contacts()
    await rePair()
    expect((await alice.contact()).keyChange).to.not.equal(undefined)
    const rejected = await alice.node.rejectKeyChange(bobId)
    expect(rejected).to.deep.equal(before)
    expect(await alice.contact()).to.deep.equal(before)
    const again = await alice.node.rejectKeyChange(bobId).then(() => undefined, (err: unknown) => err)
    expect(again).to.be.instanceOf(Error).with.property('name', 'UsageError')
    expect(await alice.contact()).to.deep.equal(before)
  })
})
