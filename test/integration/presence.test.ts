// Presence identities (docs/protocol.md §21) end to end: two real daemons and a real relay over
// loopback; only time is fake (one clock both daemons share), so a test crosses a UTC midnight by
// advancing it. What the relay saw is read from the relay node itself: every connection it accepted,
// its circuit reservations and every peer id its peer store learned.
import { expect } from 'chai'
import type { Connection } from '@libp2p/interface'
import type { Relay } from '../../relay/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { daemonPeer, isState, pair, startRelay, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'

const MINUTE_MS = 60_000
/** One minute before a UTC midnight, so a test crosses it by advancing the clock. */
const BEFORE_MIDNIGHT = Date.UTC(2026, 5, 1) - MINUTE_MS

/** Every peer id the relay knows of: connections it accepted, reservations, its peer store. */
interface RelayView { connected: Set<string>, reservations: () => string[], known: () => Promise<string[]> }

function watchRelay (relay: Relay): RelayView {
  const connected = new Set<string>()
  relay.node.addEventListener('connection:open', (evt) => { connected.add((evt.detail as Connection).remotePeer.toString()) })
  const server = (relay.node.services as any).relay
  return {
    connected,
    reservations: () => [...server.reservations.keys()].map((p: any) => p.toString()),
    known: async () => (await relay.node.peerStore.all()).map(p => p.id.toString())
  }
}

const sessions = (p: DaemonPeer): DaemonEvent[] => p.log.filter(e => e.event === 'session')

describe('presence identities (§21): the relay never sees a long-term id; rotation keeps live sessions', function () {
  this.timeout(90_000)
  let relay: Relay
  let relayAddr: string
  let view: RelayView
  let clock: FakeClock
  const cleanups: Array<() => Promise<void>> = []

  beforeEach(async () => {
    relay = await startRelay()
    relayAddr = relay.multiaddrs[0].toString()
    view = watchRelay(relay)
    clock = new FakeClock(BEFORE_MIDNIGHT)
  })
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => {})
    await relay.stop()
  })

  async function onlinePair (): Promise<[DaemonPeer, DaemonPeer]> {
    const alice = await daemonPeer('Alice', clock)
    cleanups.push(alice.cleanup)
    const bob = await daemonPeer('Bob', clock)
    cleanups.push(bob.cleanup)
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr], crpSchedule: 'fast' })
    await bob.start({ relays: [relayAddr], crpSchedule: 'fast' })
    clock.advance(2_200) // the side that dials second dials after one back-off interval
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    return [alice, bob]
  }

  /** Neither long-term id in anything the relay saw; the presence ids are there (the view is not empty). */
  async function expectRelayBlind (peers: DaemonPeer[]): Promise<void> {
    const known = await view.known()
    const everything = [...view.connected, ...view.reservations(), ...known]
    for (const p of peers) {
      const longTerm = p.node.peerId.toString()
      expect(everything, `${longTerm} (long-term) reached the relay`).to.not.include(longTerm)
      expect(view.reservations(), 'the presence id holds the reservation').to.include(p.daemon!.presenceId.toString())
      expect(view.connected).to.include(p.daemon!.presenceId.toString())
    }
  }

  it('two daemons online and chatting: the relay\'s connections, reservations and peer store hold presence ids only; cards and sessions carry presence addresses', async () => {
    const [alice, bob] = await onlinePair()
    const [aliceId, bobId] = [alice.node.peerId.toString(), bob.node.peerId.toString()]
    expect(alice.daemon!.presenceId.toString()).to.not.equal(aliceId)
    // The contact is the long-term id §7 proved; the addresses name the presence id (§21.2).
    const b = await bob.contact()
    expect(b.id).to.equal(aliceId)
    expect(b.addresses.length).to.be.above(0)
    for (const a of b.addresses) expect(a.multiaddr.endsWith(`/p2p/${alice.daemon!.presenceId.toString()}`), a.multiaddr).to.equal(true)
    // Chat streams on a presence connection belong to the contact §8 proved there (§21.3).
    const hi = await alice.daemon!.chat.send(bobId, 'MESSAGE', 'Hi Bob')
    await waitForEvent(bob.log, e => e.event === 'message' && e.contact === aliceId)
    await waitForEvent(alice.log, e => e.event === 'delivered' && e.id === hi.id)
    await expectRelayBlind([alice, bob])
  })

  it('UTC midnight with a live session → a new presence id each, AddressUpdate both ways, the same connection (the §17.6 TCP link) and no new session', async () => {
    const [alice, bob] = await onlinePair()
    const [aliceId, bobId] = [alice.node.peerId.toString(), bob.node.peerId.toString()]
    // The best link settles first: the direct TCP link between the presence nodes (§17.6) comes beside the first one.
    await waitForEvent(alice.log, e => e.event === 'session' && e.link === 'tcp', 30_000)
    await waitForEvent(bob.log, e => e.event === 'session' && e.link === 'tcp', 30_000)
    const before = { alice: alice.daemon!.presenceId.toString(), bob: bob.daemon!.presenceId.toString() }
    const links = { alice: alice.daemon!.linkOf(bobId)!.connection, bob: bob.daemon!.linkOf(aliceId)!.connection }
    const sessionCount = sessions(alice).length + sessions(bob).length
    const from = { alice: alice.log.length, bob: bob.log.length }

    clock.advance(MINUTE_MS + 1_000)
    await waitForEvent(alice.log, e => e.event === 'presence-rotated', 20_000, from.alice)
    await waitForEvent(bob.log, e => e.event === 'presence-rotated', 20_000, from.bob)
    await waitForEvent(bob.log, e => e.event === 'address-update' && e.direction === 'received', 20_000, from.bob)
    await waitForEvent(alice.log, e => e.event === 'address-update' && e.direction === 'received', 20_000, from.alice)

    const after = { alice: alice.daemon!.presenceId.toString(), bob: bob.daemon!.presenceId.toString() }
    expect(after.alice).to.not.equal(before.alice)
    expect(after.bob).to.not.equal(before.bob)
    // No reconnect: the very same connections carry the session, and no new §8 ran.
    expect(alice.daemon!.linkOf(bobId)!.connection).to.equal(links.alice)
    expect(bob.daemon!.linkOf(aliceId)!.connection).to.equal(links.bob)
    expect(links.alice.status).to.equal('open')
    expect(alice.daemon!.linkOf(bobId)!.kind, 'the session stays on the previous day\'s TCP link').to.equal('tcp')
    // The new day's node listens on TCP too, under its own presence id (§17.6 item 1, §21.2).
    expect(alice.daemon!.tcpAddrs.length).to.be.above(0)
    for (const a of alice.daemon!.tcpAddrs) expect(a.toString().endsWith(`/p2p/${after.alice}`), a.toString()).to.equal(true)
    expect(sessions(alice).length + sessions(bob).length, 'no new session').to.equal(sessionCount)
    expect(alice.daemon!.isOnline(bobId) && bob.daemon!.isOnline(aliceId)).to.equal(true)
    // Bob learned her new addresses, at the time of the update.
    const b = await bob.contact()
    const fresh = b.addresses.filter(a => a.multiaddr.endsWith(`/p2p/${after.alice}`))
    expect(fresh.length).to.be.above(0)
    for (const a of fresh) expect(a.seenAtMs).to.be.at.least(Date.UTC(2026, 5, 1))
    // The new day's presence ids hold the reservations; the long-term ids never reached the relay.
    await expectRelayBlind([alice, bob])
    // The same chat link still works after the rotation.
    const hi = await alice.daemon!.chat.send(bobId, 'MESSAGE', 'after midnight')
    await waitForEvent(alice.log, e => e.event === 'delivered' && e.id === hi.id)
  })

  it('Bob offline across midnight → both hold only dead presence ids; the CRP starts at once (not after 3 days) and brings them back under the new ids', async () => {
    const [alice, bob] = await onlinePair()
    const aliceId = alice.node.peerId.toString()
    await bob.stopDaemon()
    await waitForEvent(alice.log, isState('offline'))
    const from = alice.log.length
    clock.advance(MINUTE_MS + 1_000)
    await waitForEvent(alice.log, e => e.event === 'presence-rotated', 20_000, from)
    const pairedDayEnd = Date.UTC(2026, 5, 1)

    await bob.start({ relays: [relayAddr], crpSchedule: 'fast' })
    // Re-dials fail (every known presence id is gone), then the CRP meets them; bounded in count and time.
    const deadline = Date.now() + 60_000
    for (let i = 0; i < 30 && !(bob.daemon!.isOnline(aliceId)); i++) {
      if (Date.now() > deadline) break
      clock.advance(2_200)
      await waitForEvent(bob.log, isState('online'), 1_500).catch(() => {})
    }
    await waitForEvent(bob.log, isState('online'), 20_000)
    await waitForEvent(alice.log, isState('online'), 20_000)
    const crp = bob.log.find(e => e.event === 'crp' && e.step === 'started')
    expect(crp, 'the CRP started').to.not.equal(undefined)
    expect(clock.now() - pairedDayEnd, 'long before §9.1\'s 3 days').to.be.below(3_600_000)
    expect(bob.log.some(e => e.event === 'session' && e.via === 'restore')).to.equal(true)
    // The restored session carried the new presence addresses.
    const b = await bob.contact()
    expect(b.addresses.some(a => a.multiaddr.endsWith(`/p2p/${alice.daemon!.presenceId.toString()}`))).to.equal(true)
    await expectRelayBlind([alice, bob])
  })
})
