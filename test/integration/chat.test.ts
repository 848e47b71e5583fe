// /gini/chat/1 between two real daemons over loopback (docs/protocol.md §15): messages both ways,
// edits, deletions and reactions, the outbox delivered at the next session, nothing lost or doubled
// across a restart, strangers refused, and bad input refused before anything is stored.
import { expect } from 'chai'
import type { Relay } from '../../relay/index.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { ChatInputError } from '../../peer/core/chat/chat-service.js'
import { CHAT_PROTOCOL, ChatType, chatChannel } from '../../protocols/chat/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { clientNode, Cleanup } from '../helpers/relay-clients.js'
import { daemonPeer, isState, pair, startRelay, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'

const isMessage = (content: string) => (e: DaemonEvent): boolean => e.event === 'message' && e.direction === 'in' && e.content === content
const isDelivered = (id: string) => (e: DaemonEvent): boolean => e.event === 'delivered' && e.id === id

describe('chat between two daemons (/gini/chat/1)', function () {
  this.timeout(90_000)
  let relay: Relay
  let relayAddr: string
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await startRelay()
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  afterEach(async () => { while (cleanups.length > 0) await cleanups.pop()!().catch(() => {}) })

  let clock: FakeClock

  async function pairedOnline (): Promise<[DaemonPeer, DaemonPeer, string, string]> {
    clock = new FakeClock(Date.now())
    const alice = await daemonPeer('Alice', clock)
    cleanups.push(alice.cleanup)
    const bob = await daemonPeer('Bob', clock)
    cleanups.push(bob.cleanup)
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    return [alice, bob, (await alice.contact()).id, (await bob.contact()).id]
  }

  it('online × messages both ways → each stored once on both sides, delivered, shown in order', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    const hi = await alice.daemon!.chat.send(bobId, 'MESSAGE', 'Hi Bob')
    await waitForEvent(bob.log, isMessage('Hi Bob'))
    await waitForEvent(alice.log, isDelivered(hi.id))
    clock.advance(1) // a later message, on the one clock both daemons share
    await bob.daemon!.chat.send(aliceId, 'MESSAGE', 'Hi Alice 👋')
    await waitForEvent(alice.log, isMessage('Hi Alice 👋'))
    clock.advance(1)
    for (let i = 0; i < 20; i++) await alice.daemon!.chat.send(bobId, 'MESSAGE', `n${i}`)
    await waitForEvent(bob.log, isMessage('n19'))
    const onBob = await bob.daemon!.chat.conversation(aliceId)
    const onAlice = await alice.daemon!.chat.conversation(bobId)
    const texts = ['Hi Bob', 'Hi Alice 👋', ...Array.from({ length: 20 }, (_, i) => `n${i}`)]
    expect(onBob.map(m => m.content)).to.deep.equal(texts)
    expect(onAlice.map(m => m.content)).to.deep.equal(texts)
    expect(onBob.map(m => m.author)).to.deep.equal(['them', 'me', ...Array(20).fill('them')])
    for (let i = 0; i < 50 && !(await alice.daemon!.chat.conversation(bobId)).every(m => m.delivered); i++) await new Promise(resolve => setTimeout(resolve, 20))
    expect((await alice.daemon!.chat.conversation(bobId)).every(m => m.delivered)).to.equal(true)
  })

  it('edit, react, delete by the author → the same view on both sides; bad input → ChatInputError, nothing stored', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    const m = await alice.daemon!.chat.send(bobId, 'MESSAGE', 'lunch at 12?')
    await waitForEvent(bob.log, isMessage('lunch at 12?'))
    await alice.daemon!.chat.send(bobId, 'EDIT', 'lunch at 1?', m.id)
    await bob.daemon!.chat.send(aliceId, 'REACT', ':thumbsup:', m.id)
    await waitForEvent(bob.log, isMessage('lunch at 1?'))
    await waitForEvent(alice.log, isMessage(':thumbsup:'))
    const [shownB] = await bob.daemon!.chat.conversation(aliceId)
    expect(shownB).to.include({ content: 'lunch at 1?', edited: true })
    expect(shownB.reactions).to.deep.equal({ me: ':thumbsup:' })
    expect((await alice.daemon!.chat.conversation(bobId))[0].reactions).to.deep.equal({ them: ':thumbsup:' })

    // Bob may not edit or delete Alice's message: refused on his side before anything is stored.
    const refused = await bob.daemon!.chat.send(aliceId, 'DELETE', '', m.id).catch(e => e)
    expect(refused).to.be.instanceOf(ChatInputError)
    expect(refused.message).to.match(/only the author/)
    expect(await alice.daemon!.chat.send(bobId, 'MESSAGE', 'x'.repeat(5000)).catch(e => e.message)).to.match(/5000 bytes; at most 4096/)
    expect(await alice.daemon!.chat.send(bobId, 'MESSAGE', '  ').catch(e => e.message)).to.match(/empty/)
    expect(await alice.daemon!.chat.send('12D3KooWNotAContact', 'MESSAGE', 'hi').catch(e => e.message)).to.match(/not a contact/)

    await alice.daemon!.chat.send(bobId, 'DELETE', '', m.id)
    for (let i = 0; i < 200 && !(await bob.daemon!.chat.conversation(aliceId))[0].deleted; i++) await new Promise(resolve => setTimeout(resolve, 20))
    expect((await bob.daemon!.chat.conversation(aliceId))[0]).to.include({ deleted: true, content: '' })
    // Of Bob's own envelopes only the reaction was stored: the refused DELETE never was.
    expect((await (await bob.node.messages()).list(aliceId)).filter(e => e.author === 'me').map(e => e.type)).to.deep.equal(['REACT'])
  })

  it('contact offline × messages queued → outbox delivered at the next session, each once, across a restart of the sender', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    await bob.stopDaemon()
    await waitForEvent(alice.log, e => e.event === 'contact-state' && e.state === 'offline')
    const queued = [await alice.daemon!.chat.send(bobId, 'MESSAGE', 'while you were away 1'), await alice.daemon!.chat.send(bobId, 'MESSAGE', 'while you were away 2')]
    expect((await alice.daemon!.chat.conversation(bobId)).filter(m => !m.delivered).map(m => m.content)).to.deep.equal(['while you were away 1', 'while you were away 2'])
    // The sender restarts too: the outbox is on disk, not in memory.
    await alice.stopDaemon()
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(bob.log, isMessage('while you were away 2'), 30_000)
    for (const q of queued) await waitForEvent(alice.log, isDelivered(q.id), 30_000)
    const onBob = await bob.daemon!.chat.conversation(aliceId)
    expect(onBob.map(m => m.content)).to.deep.equal(['while you were away 1', 'while you were away 2'])
  })

  it('a contact sends a malformed chat frame → that stream ends with PROTOCOL_VIOLATION, nothing stored, the next messages still flow', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    const link = bob.daemon!.linkOf(aliceId)!
    const stream = await link.connection.newStream(CHAT_PROTOCOL, { runOnLimitedConnection: true, signal: AbortSignal.timeout(10_000) })
    const raw = chatChannel(stream)
    await raw.write({ envelope: { id: new Uint8Array(3), type: ChatType.MESSAGE, content: 'bad id', target: new Uint8Array(0), sentAtMs: 1n, seq: 1n } })
    expect((await raw.read({ signal: AbortSignal.timeout(10_000) })).error?.code).to.equal('PROTOCOL_VIOLATION')
    expect(await alice.daemon!.chat.conversation(bobId)).to.deep.equal([])
    await bob.daemon!.chat.send(aliceId, 'MESSAGE', 'still here')
    await waitForEvent(alice.log, isMessage('still here'))
    expect(link.connection.status).to.equal('open')
  })

  it('a stranger (no contact, no session) opens /gini/chat/1 on a daemon → reset without a frame, nothing stored', async () => {
    const [alice, , bobId] = await pairedOnline()
    const cleanup = new Cleanup()
    cleanups.push(async () => { await cleanup.run() })
    const stranger = await clientNode(cleanup)
    const aliceAddr = alice.daemon!.addrs[0]
    const stream = await stranger.dialProtocol(aliceAddr, CHAT_PROTOCOL, { signal: AbortSignal.timeout(10_000), runOnLimitedConnection: true }).catch(e => e)
    if (!(stream instanceof Error)) {
      const ended = await new Promise<string>((resolve) => {
        stream.addEventListener('close', () => { resolve(stream.status) }, { once: true })
        setTimeout(() => { resolve('open') }, 5_000).unref()
      })
      expect(ended).to.not.equal('open')
    }
    expect(await alice.daemon!.chat.conversation(bobId)).to.deep.equal([])
  })
})
