// Card updates (docs/protocol.md §19) between real daemons over a real relay: a profile change
// reaches a connected contact and is shown; an offline contact gets only the newest at its next
// session; a bad signature and a replayed seq are refused (sent with the contact's own keys on a
// real session, test/helpers/session-as.ts) and leave the card unchanged.
import { expect } from 'chai'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { ownCardUpdate } from '../../peer/core/card-update.js'
import { buildVCard, parseVCard } from '../../protocols/contact/index.js'
import { signCardUpdate } from '../../protocols/crypto/index.js'
import { isState, waitForEvent, withPairedDaemons, type DaemonPeer } from '../helpers/daemons.js'
import { sessionAs } from '../helpers/session-as.js'

const isUpdated = (e: DaemonEvent): boolean => e.event === 'contact-updated'

describe('card updates (§19) between two daemons', function () {
  this.timeout(120_000)
  let relayAddr: string
  let alice: DaemonPeer
  let bob: DaemonPeer
  const paired = withPairedDaemons()
  const cleanups = paired.cleanups
  beforeEach(() => { ({ relayAddr, alice, bob } = paired) })

  it('a profile change reaches the connected contact: new name, email and photo stored and reported; the sender marks it sent', async () => {
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    const from = alice.log.length
    const png = new Uint8Array(40_000).fill(7) // over the old 16 KiB frame limit (§3.2)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    await bob.node.setProfile({ name: 'Robert', email: 'robert@example.org', phone: '+1 555 0100', photo: { mediaType: 'image/png', data: png } })
    const e = await waitForEvent(alice.log, isUpdated, 20_000, from)
    expect(e).to.deep.equal({ event: 'contact-updated', id: bob.node.peerId.toString(), name: 'Robert' })
    const seen = await alice.contact()
    expect(seen.name).to.equal('Robert')
    const card = parseVCard(seen.vcard)
    expect(card).to.include({ fn: 'Robert', email: 'robert@example.org' })
    expect(card.photo?.mediaType).to.equal('image/png')
    expect(card.photo?.data).to.deep.equal(png)
    expect(card.phone).to.equal(undefined) // TEL is not in a CardUpdate: kept from the stored card, which had none
    expect(seen.cardSeqSeen).to.equal(1)
    expect((await alice.node.findContact('Robert'))?.id).to.equal(seen.id)
    // Bob's outbox: Alice has seq 1 now (bounded wait: the mark follows Alice's answer).
    for (let i = 0; i < 200 && (await bob.contact()).cardSeqSent !== 1; i++) await new Promise(resolve => setTimeout(resolve, 25))
    expect((await bob.contact()).cardSeqSent).to.equal(1)
  })

  it('an offline contact gets only the newest card, once, at its next session', async () => {
    await bob.node.setProfile({ name: 'Bob One' })
    await bob.node.setProfile({ name: 'Bob Two', email: 'two@example.org' })
    expect((await bob.contact()).cardSeqSent ?? 0).to.equal(0)
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    const e = await waitForEvent(alice.log, isUpdated, 30_000)
    expect(e).to.include({ name: 'Bob Two' })
    const seen = await alice.contact()
    expect(seen).to.include({ name: 'Bob Two', cardSeqSeen: 2 })
    // A second session carries nothing new: still the one update.
    const from = alice.log.length
    await bob.stopDaemon()
    await waitForEvent(alice.log, isState('offline'), 20_000, from)
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, x => x.event === 'session', 30_000, from)
    expect(alice.log.filter(isUpdated)).to.have.length(1)
    // Bob's mark follows Alice's answer: the first session's, or (if Bob stopped before it came) the
    // second's, where Alice refuses the replayed seq and no second update is shown (bounded wait).
    for (let i = 0; i < 400 && (await bob.contact()).cardSeqSent !== 2; i++) await new Promise(resolve => setTimeout(resolve, 25))
    expect((await bob.contact()).cardSeqSent).to.equal(2)
    expect(alice.log.filter(isUpdated)).to.have.length(1)
  })

  it('a bad signature and a replayed or older seq are refused with the card unchanged; a good one is accepted', async () => {
    await alice.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, e => e.event === 'listening' && e.addrs.length > 0, 30_000)
    const aliceAddr = alice.daemon!.addrs.find(a => !a.toString().includes('/webrtc'))!
    const from = alice.log.length
    const asBob = await sessionAs(bob.dir, aliceAddr, await bob.contact())
    cleanups.push(async () => { await asBob.stop() })
    await waitForEvent(alice.log, e => e.event === 'session' && e.id === bob.node.peerId.toString(), 20_000, from)
    const before = await alice.contact()

    const vcard = buildVCard({ name: 'Mallory' })
    const forged = ownCardUpdate(vcard, 5, (await generateKeyPair('Ed25519')).raw)
    expect(await asBob.sendCard(forged)).to.equal('refused')
    const tampered = ownCardUpdate(buildVCard({ name: 'Bobby' }), 5, asBob.identity.privateKey.raw)
    expect(await asBob.sendCard({ ...tampered, name: 'Mallory' })).to.equal('refused')
    expect(await alice.contact()).to.deep.equal(before)

    const good = ownCardUpdate(buildVCard({ name: 'Bobby' }), 5, asBob.identity.privateKey.raw)
    expect(await asBob.sendCard(good)).to.equal('accepted')
    const after = await alice.contact()
    expect(after).to.include({ name: 'Bobby', cardSeqSeen: 5 })

    expect(await asBob.sendCard(good)).to.equal('refused') // the same seq again
    const older = { seq: 4n, name: 'Old Bob', email: '', photo: new Uint8Array(0) }
    expect(await asBob.sendCard({ ...older, signature: new Uint8Array(signCardUpdate(asBob.identity.privateKey.raw, older)) })).to.equal('refused')
    expect(await alice.contact()).to.deep.equal(after)
    expect(alice.log.filter(isUpdated).map(e => (e as { name: string }).name)).to.deep.equal(['Bobby'])
  })
})
