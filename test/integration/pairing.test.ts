// Pairing end to end (docs/protocol.md §6–§8): a real relay and real GiniNodes over loopback sockets and
// real WebRTC (node-datachannel). No mocks; faults are forced through real settings.
import { expect } from 'chai'
import { createRelay, type Relay } from '../../relay/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'
import { InvalidFlashCodeError, NoMatchingFlashCodeError } from '../../protocols/common/index.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'

describe('pairing through a relay', function () {
  let relay: Relay
  let relayAddr: string
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!()
  })

  async function peer (name: string, init = {}): Promise<TestPeer> {
    const p = await makePeer(name, init)
    cleanups.push(p.cleanup)
    return p
  }

  async function pair (alice: TestPeer, bob: TestPeer): Promise<void> {
    const invite = alice.node.invite({ relay: relayAddr, onProgress: (e) => alice.events.push(e) })
    invite.catch(() => {})
    const code = await codeFrom(alice.events)
    await Promise.all([invite, bob.node.accept(code, { relay: relayAddr, onProgress: (e) => bob.events.push(e) })])
  }

  it('creator and joiner with the right code → both store each other, same SharedSecret, relay row gone', async () => {
    const alice = await peer('Alice')
    const bob = await peer('Bob')
    await pair(alice, bob)

    const [aliceContacts, bobContacts] = [await alice.node.contacts(), await bob.node.contacts()]
    expect(aliceContacts.map(c => c.name)).to.deep.equal(['Bob'])
    expect(bobContacts.map(c => c.name)).to.deep.equal(['Alice'])
    expect(aliceContacts[0].id).to.equal(bob.node.peerId.toString())
    expect(bobContacts[0].id).to.equal(alice.node.peerId.toString())
    expect(aliceContacts[0].sharedSecret.current).to.have.length(128)
    expect(aliceContacts[0].sharedSecret.current).to.equal(bobContacts[0].sharedSecret.current)
    expect(bobContacts[0].vcard).to.include('FN:Alice')
    expect(relay.fc.pendingCount).to.equal(0)

    const steps = (events: PairingEvent[]): string[] => events.map(e => e.event)
    expect(steps(alice.events)).to.include.members(['flash-code', 'waiting', 'matched', 'verified', 'connected', 'contact-added'])
    expect(steps(bob.events)).to.include.members(['matched', 'verified', 'connected', 'contact-added'])
    // The exact stream users see (CLI words, --json lines, web UI), in order.
    const shown = (events: PairingEvent[]): string[] => events.map(e => e.event === 'waiting' ? `waiting:${e.for}` : e.event)
    expect(shown(alice.events)).to.deep.equal(['flash-code', 'waiting:peer', 'matched', 'verified', 'waiting:connection', 'connected', 'syncing', 'contact-added'])
    expect(shown(bob.events)).to.deep.equal(['waiting:match', 'matched', 'verified', 'waiting:connection', 'connected', 'syncing', 'contact-added'])
    const flashCode = alice.events[0]
    expect(flashCode.event === 'flash-code' && Object.keys(flashCode).sort()).to.deep.equal(['code', 'event', 'expiresAt', 'relay'])
    const connected = bob.events.find(e => e.event === 'connected')
    expect(connected).to.have.property('direct', true)
    expect(connected).to.have.property('remoteAddr').that.includes('/webrtc')
  })

  it('joiner with a code nobody created → NO_MATCHING_FLASH_CODE, nothing stored, relay unaffected', async () => {
    const bob = await peer('Bob')
    const err = await bob.node.accept('ZZZZ-ZZZZ', { relay: relayAddr }).catch(e => e)
    expect(err).to.be.instanceOf(NoMatchingFlashCodeError)
    expect(await bob.node.contacts()).to.deep.equal([])
    expect(relay.fc.pendingCount).to.equal(0)
  })

  it('joiner types a malformed code → InvalidFlashCodeError before the relay is dialed', async () => {
    const bob = await peer('Bob')
    let dialed = false
    for (const bad of ['5H7M-8G', '5H7M-8GQU', '5H7M8GQ2X']) {
      const err = await bob.node.accept(bad, { relay: '/ip4/127.0.0.1/tcp/1', onProgress: () => { dialed = true } }).catch(e => e)
      expect(err, bad).to.be.instanceOf(InvalidFlashCodeError)
      expect(err.message).to.not.include(bad)
    }
    expect(dialed).to.equal(false)
  })

  it('WebRTC cannot connect (no ICE path) → pairing completes over the relayed connection, direct false', async () => {
    // iceTransportPolicy 'relay' without TURN servers leaves ICE no candidate at all: a real failed upgrade.
    const noIce = { webrtc: { iceServers: [], iceTransportPolicy: 'relay' as const }, webrtcAttemptTimeoutsMs: [300, 300] }
    const alice = await peer('Alice', noIce)
    const bob = await peer('Bob', noIce)
    await pair(alice, bob)
    const connected = bob.events.find(e => e.event === 'connected')
    expect(connected).to.have.property('direct', false)
    expect(connected).to.have.property('path', 'relayed')
    expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
    expect((await bob.node.contacts()).map(c => c.name)).to.deep.equal(['Alice'])
    expect(relay.fc.pendingCount).to.equal(0)
  })
})
