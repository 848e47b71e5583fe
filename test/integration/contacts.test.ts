// Blocking between two real daemons over a real relay (docs/protocol.md §19): a blocked contact is
// hung up on, its session and chat streams are reset on open, what it sends is not stored; after
// unblocking, the next session delivers its outbox and the message is stored.
import { expect } from 'chai'
import type { Libp2p } from 'libp2p'
import type { Stream } from '@libp2p/interface'
import type { Relay } from '../../relay/index.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { createPeerNode, FileStorage } from '../../peer/index.js'
import { loadIdentity } from '../../peer/core/identity.js'
import { presenceDay, presenceKey, relayPeerIdOf } from '../../peer/core/presence.js'
import { CHAT_PROTOCOL } from '../../protocols/chat/index.js'
import { SESSION_PROTOCOL } from '../../protocols/session/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { daemonPeer, isState, pair, startRelay, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'

const isMessage = (content: string) => (e: DaemonEvent): boolean => e.event === 'message' && e.direction === 'in' && e.content === content

/** Resolves with how the stream ended, or 'open' if it is still open after `ms` (a bound, not a wait for time). */
async function ending (stream: Stream, ms: number): Promise<string> {
  return await new Promise<string>((resolve) => {
    if (stream.status !== 'open') { resolve(stream.status); return }
    const timer = setTimeout(() => { resolve('open') }, ms)
    stream.addEventListener('close', () => { clearTimeout(timer); resolve(stream.status) }, { once: true })
  })
}

describe('blocking a contact (§19) between two daemons', function () {
  this.timeout(120_000)
  let relay: Relay
  let relayAddr: string
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await startRelay()
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  afterEach(async () => { while (cleanups.length > 0) await cleanups.pop()!().catch(() => {}) })

  it('block → hung up, Bob\'s session and chat streams reset, his message not stored; unblock → his outbox arrives and is stored', async () => {
    const clock = new FakeClock(Date.now())
    const alice: DaemonPeer = await daemonPeer('Alice', clock)
    cleanups.push(alice.cleanup)
    const bob: DaemonPeer = await daemonPeer('Bob', clock)
    cleanups.push(bob.cleanup)
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    const bobId = (await alice.contact()).id
    const aliceId = (await bob.contact()).id

    const from = bob.log.length
    expect((await alice.node.setContactBlocked(bobId, true))?.blocked).to.equal(true)
    expect(alice.daemon!.isOnline(bobId)).to.equal(false)
    // Said to every subscriber of Alice's daemon (the CLI's --json, the web client's views).
    expect(alice.log.filter(e => e.event === 'contact-blocked')).to.deep.equal([{ event: 'contact-blocked', id: bobId, name: 'Bob' }])
    // Alice hung up: Bob sees her go offline.
    await waitForEvent(bob.log, isState('offline'), 20_000, from)
    // Bob writes while blocked: it waits in his outbox (he has no session with Alice).
    await bob.daemon!.chat.send(aliceId, 'MESSAGE', 'written while blocked')
    const aliceAddr = alice.daemon!.addrs.find(a => !a.toString().includes('/webrtc'))!
    await bob.stopDaemon()

    // Bob's presence identity of the day (§21.1), the peer id Alice knows him by from his addresses,
    // opens the streams himself: each is reset at once, before any frame.
    const identity = await loadIdentity(new FileStorage(bob.dir))
    const presence = presenceKey(identity!, relayPeerIdOf(relay.multiaddrs[0])!, presenceDay(clock.now()))
    const asBob: Libp2p = await createPeerNode({ privateKey: presence })
    try {
      for (const protocol of [SESSION_PROTOCOL, CHAT_PROTOCOL]) {
        const stream = await asBob.dialProtocol(aliceAddr, protocol, { signal: AbortSignal.timeout(15_000), runOnLimitedConnection: true })
        expect(await ending(stream, 10_000), protocol).to.not.equal('open')
      }
    } finally {
      await asBob.stop()
    }
    expect((await alice.daemon!.chat.conversation(bobId)).map(m => m.content)).to.deep.equal([])
    expect((await alice.contact()).blocked).to.equal(true)

    // Unblocked: the next session delivers Bob's outbox, and Alice stores it.
    expect((await alice.node.setContactBlocked(bobId, false))?.blocked).to.equal(undefined)
    expect(alice.log.filter(e => e.event === 'contact-unblocked')).to.deep.equal([{ event: 'contact-unblocked', id: bobId, name: 'Bob' }])
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isMessage('written while blocked'), 40_000)
    expect((await alice.daemon!.chat.conversation(bobId)).map(m => m.content)).to.deep.equal(['written while blocked'])
  })
})
