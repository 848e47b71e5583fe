// The daemon and the CRP end to end in one process: real relays, real GiniNodes and daemons over
// loopback sockets and real WebRTC; only time is fake (the daemons' clock), so no test waits for a
// schedule to pass.
import { expect } from 'chai'
import type { Relay } from '../../relay/index.js'
import { FAST_CRP_SCHEDULE } from '../../peer/core/daemon/schedule.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { FileStorage } from '../../peer/index.js'
import { crpRole, fromHex } from '../../protocols/crypto/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import {
  daemonPeer, isState, pair, pairThroughThrowawayRelay, startRelay, waitForEvent, type DaemonPeer
} from '../helpers/daemons.js'

const UNREACHABLE_AFTER_MS = 2_000

/** The last contact-state a peer's daemon reported is `state`. */
function isStateNow (p: DaemonPeer, state: string): boolean {
  const last = [...p.log].reverse().find(e => e.event === 'contact-state')
  return last != null && last.event === 'contact-state' && last.state === state
}

/** `wanted` appears in `seq` in this order (other items may come between). */
function inOrder (seq: string[], wanted: string[]): boolean {
  let i = 0
  for (const s of seq) if (s === wanted[i]) i++
  return i === wanted.length
}

describe('staying connected: daemons, sessions and the CRP', function () {
  this.timeout(90_000)
  let relay: Relay
  let relayAddr: string
  let clock: FakeClock
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await startRelay()
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  beforeEach(() => { clock = new FakeClock(Date.now()) })
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => {})
  })

  async function peers (): Promise<[DaemonPeer, DaemonPeer]> {
    const alice = await daemonPeer('Alice', clock)
    cleanups.push(alice.cleanup)
    const bob = await daemonPeer('Bob', clock)
    cleanups.push(bob.cleanup)
    return [alice, bob]
  }

  const daemonOpts = { unreachableAfterMs: UNREACHABLE_AFTER_MS, crpSchedule: 'fast' as const }

  it('paired, every saved address stale → unreachable after 2 s, CRP restores both online with a new SharedSecret in the first fast interval', async () => {
    const [alice, bob] = await peers()
    await pairThroughThrowawayRelay(alice, bob)
    const paired = (await alice.contact()).sharedSecret.current
    expect((await bob.contact()).sharedSecret.current).to.equal(paired)

    await alice.start({ relays: [relayAddr], ...daemonOpts })
    await bob.start({ relays: [relayAddr], ...daemonOpts })
    await waitForEvent(alice.log, e => e.event === 'listening' && e.addrs.length > 0)
    await waitForEvent(alice.log, isState('offline'))
    await waitForEvent(bob.log, isState('offline'))

    const crpStart = clock.now() + UNREACHABLE_AFTER_MS
    clock.advance(UNREACHABLE_AFTER_MS)
    await waitForEvent(alice.log, isState('unreachable'))
    await waitForEvent(bob.log, isState('unreachable'))
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    // The fake clock never moved past the CRP's start: both were restored within its first interval.
    expect(clock.now() - crpStart).to.be.below(FAST_CRP_SCHEDULE.bands[0].intervalMs * 0.9)

    const [a, b] = [await alice.contact(), await bob.contact()]
    expect(a.sharedSecret.current, 'a new SharedSecret').to.not.equal(paired)
    expect(a.sharedSecret.current, 'the same on both sides').to.equal(b.sharedSecret.current)
    expect(a.sharedSecret.previous).to.equal(paired)
    expect(b.sharedSecret.previous).to.equal(paired)
    expect([a.state, b.state]).to.deep.equal(['online', 'online'])
    expect(a.crp, 'CRP bookkeeping cleared on success').to.equal(undefined)
    // The restored session carried the presence addresses (through the new relay, docs/protocol.md §21.2).
    expect(a.addresses.some(x => x.multiaddr.startsWith(relayAddr) && x.multiaddr.endsWith(bob.daemon!.presenceId.toString()))).to.equal(true)
    for (const p of [alice, bob]) {
      await waitForEvent(p.log, e => e.event === 'crp' && e.step === 'restored')
      const steps = p.log.filter(e => e.event === 'crp').map(e => (e as any).step)
      expect(steps, p.node.peerId.toString()).to.include.members(['started', 'registered', 'restored'])
      expect(inOrder(steps, ['started', 'registered', 'restored']), `in order: ${steps.join(', ')}`).to.equal(true)
      expect(steps.filter(s => s === 'restored'), 'restored once').to.have.length(1)
      const session = p.log.find(e => e.event === 'session' && e.via === 'restore')
      expect(session, 'a restored session').to.not.equal(undefined)
    }
    // Nothing secret in any event.
    const text = JSON.stringify([...alice.log, ...bob.log])
    expect(text).to.not.include(paired)
    expect(text).to.not.include(a.sharedSecret.current)
  })

  it('both daemons restarted while the relay stays → re-dial at saved addresses, online, a new SharedSecret each session, no CRP', async () => {
    const [alice, bob] = await peers()
    await pair(alice, bob, relayAddr)
    const paired = (await alice.contact()).sharedSecret.current
    const secrets = [paired]
    for (let round = 0; round < 2; round++) {
      // One session a round: without the §17.6 TCP link, whose own §8 session would rotate the secret again.
      await alice.start({ relays: [relayAddr], ...daemonOpts, directTcp: false })
      await bob.start({ relays: [relayAddr], ...daemonOpts, directTcp: false })
      await waitForEvent(alice.log, isState('online'))
      await waitForEvent(bob.log, isState('online'))
      const [a, b] = [await alice.contact(), await bob.contact()]
      expect(a.sharedSecret.current, `round ${round}: new`).to.not.be.oneOf(secrets)
      expect(b.sharedSecret.current, `round ${round}: same both sides`).to.equal(a.sharedSecret.current)
      const sessions = [alice, bob].map(p => p.log.filter(e => e.event === 'session').length)
      expect(sessions[0], 'each session seen from both sides').to.equal(sessions[1])
      // One session: SS_prev is the round before's SS_cur. A loaded machine can bring the session
      // up relayed first and then a direct one (the daemon's upgrade retry), each with its own §8
      // run: then SS_prev is the first session's secret, new as well.
      if (sessions[0] === 1) expect(a.sharedSecret.previous, `round ${round}: SS_prev := SS_cur`).to.equal(secrets[secrets.length - 1])
      else expect(a.sharedSecret.previous, `round ${round}: ${sessions[0]} sessions, SS_prev from this round`).to.not.be.oneOf([...secrets, a.sharedSecret.current])
      secrets.push(a.sharedSecret.current)
      expect(alice.log.some(e => e.event === 'crp'), 'no CRP').to.equal(false)
      await alice.stopDaemon()
      await bob.stopDaemon()
      expect((await alice.contact()).state, 'stopped → offline').to.equal('offline')
    }
    const session = alice.log.find(e => e.event === 'session')
    expect(session).to.have.property('direct').that.is.a('boolean')
  })

  it('the side that dials second (the higher PPK) starts while its contact runs and cannot dial it → it dials, the fake clock never moving', async () => {
    const [alice, bob] = await peers()
    await pair(alice, bob, relayAddr)
    // Bob's record of Alice holds her PPK, and hers of him his: the lower PPK (CRP role A) dials first.
    const aliceFirst = crpRole(fromHex((await bob.contact()).ppk), fromHex((await alice.contact()).ppk)) === 'A'
    const [first, second] = aliceFirst ? [alice, bob] : [bob, alice]
    // The first dialer knows no address of the second: its dial fails at once, only the second's can succeed.
    await new FileStorage(first.dir).putContact({ ...(await first.contact()), addresses: [] })
    await first.start({ relays: [relayAddr], ...daemonOpts })
    await waitForEvent(first.log, e => e.event === 'listening' && e.addrs.length > 0)
    await second.start({ relays: [relayAddr], ...daemonOpts })
    const session = await waitForEvent(second.log, e => e.event === 'session', 20_000)
    expect(session).to.include({ via: 'dial' })
    await waitForEvent(first.log, e => e.event === 'session' && e.via === 'inbound', 20_000)
    expect(clock.monotonic(), 'no schedule time passed').to.equal(0)
  })

  it('the relay holding the reservation goes → it moves to the other relay, AddressUpdate (seq +1) reaches the connected contact, stored with its time', async () => {
    const [alice, bob] = await peers()
    const second = await startRelay()
    cleanups.push(async () => { await second.stop() })
    const third = await startRelay()
    cleanups.push(async () => { await third.stop() })
    await pair(alice, bob, relayAddr)
    const [r2, r3] = [second.multiaddrs[0].toString(), third.multiaddrs[0].toString()]
    await alice.start({ relays: [r2, r3], ...daemonOpts })
    await bob.start({ relays: [relayAddr], ...daemonOpts })
    // Only Bob can be reached at a saved address; if he is the side that dials second, let him dial.
    // He does not know her presence id at r2 (her card names the one at the pairing relay): the
    // hello's hint tells him who dials (docs/protocol.md §21.3).
    clock.advance(2_200)
    await waitForEvent(bob.log, isState('online'))
    await waitForEvent(alice.log, isState('online'))
    const session = await waitForEvent(bob.log, e => e.event === 'session') as any
    expect(session.direct, 'a direct WebRTC link survives the relay').to.equal(true)
    const before = alice.daemon!.addrs.map(String)
    const holder = before[0].startsWith(r2) ? second : third
    const holderAddr = holder.multiaddrs[0].toString()
    await holder.stop()
    const received = await waitForEvent(bob.log, e => e.event === 'address-update' && e.direction === 'received', 30_000) as any
    expect(received).to.include({ id: alice.node.peerId.toString() })
    expect(received.seq).to.be.at.least(1)
    expect(alice.log.some(e => e.event === 'address-update' && e.direction === 'sent' && e.seq === received.seq)).to.equal(true)
    const b = await bob.contact()
    expect(b.addressSeqSeen).to.equal(received.seq)
    // The slot moved to another relay Alice is connected to (the other of hers, or Bob's, which she dialed).
    const now = alice.daemon!.addrs.map(String)
    expect(now.some(x => x.startsWith(holderAddr)), 'the lost relay is gone from her addresses').to.equal(false)
    const learned = b.addresses.filter(x => now.includes(x.multiaddr))
    expect(learned, 'her new addresses, learned').to.have.length(now.length)
    for (const x of learned) expect(x.seenAtMs).to.equal(clock.now())
    expect(isStateNow(bob, 'online')).to.equal(true)
  })

  it('the relay restarts (same identity and port) → the daemon gets its slot back on the back-off schedule and the contacts reconnect', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dataDir = await mkdtemp(join(tmpdir(), 'gini-relay-restart-'))
    cleanups.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
    let own = await startRelay({ dataDir })
    cleanups.push(async () => { await own.stop() })
    const addr = own.multiaddrs[0].toString()
    const [alice, bob] = await peers()
    await pair(alice, bob, addr)
    await alice.start({ relays: [addr], ...daemonOpts })
    await bob.start({ relays: [addr], ...daemonOpts })
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    const direct = (alice.log.find(e => e.event === 'session') as any).direct

    await own.stop()
    await waitForEvent(alice.log, e => e.event === 'relay' && e.status === 'disconnected')
    own = await startRelay({ dataDir, listen: [addr.split('/p2p/')[0]] })
    expect(own.multiaddrs[0].toString()).to.equal(addr)
    const from = alice.log.length
    clock.advance(2_200) // the first retry of the back-off
    await waitForEvent(alice.log, e => e.event === 'relay' && e.status === 'connected', 20_000, from)
    await waitForEvent(alice.log, e => e.event === 'listening' && e.addrs.length > 0, 20_000, from)
    if (direct !== true) {
      // A relayed link died with the relay: the contacts find each other again at their saved addresses.
      clock.advance(2_200)
    }
    await waitForEvent(alice.log, isState('online'), 20_000)
    await waitForEvent(bob.log, isState('online'), 20_000)
  })

  it('the relay is down when the daemon starts → one `unreachable` however many re-dials fail, then one `connected` when it is up', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { createServer } = await import('node:net')
    const dataDir = await mkdtemp(join(tmpdir(), 'gini-relay-down-'))
    cleanups.push(async () => { await rm(dataDir, { recursive: true, force: true }) })
    // The relay's identity and port, then the relay goes down: a socket there that takes every
    // dial and drops it at once, so the test sees each re-dial arrive.
    const first = await startRelay({ dataDir })
    const addr = first.multiaddrs[0].toString()
    const listen = addr.split('/p2p/')[0]
    await first.stop()
    let dials = 0
    const down = createServer((socket) => { dials++; socket.destroy() })
    await new Promise<void>((resolve, reject) => { down.once('error', reject); down.listen(Number(listen.split('/tcp/')[1]), '127.0.0.1', resolve) })
    cleanups.push(async () => { await new Promise(resolve => down.close(resolve)) })

    const alice = await daemonPeer('Alice', clock)
    cleanups.push(alice.cleanup)
    await alice.start({ relays: [addr], ...daemonOpts })
    await waitForEvent(alice.log, e => e.event === 'relay' && e.status === 'unreachable')
    expect(dials, 'the first dial').to.equal(1)
    // Three re-dials on the back-off (one at a time: the next is only due once the last failed).
    const RETRIES = 3
    const deadline = Date.now() + 30_000
    // eslint-disable-next-line no-unmodified-loop-condition -- `dials` grows in the socket server's callback
    while (dials < 1 + RETRIES) {
      if (Date.now() > deadline) throw new Error(`only ${dials - 1} re-dials`)
      const before = dials
      clock.advance(2_200) // one back-off interval, jitter included
      const waitUntil = Date.now() + 2_000
      // eslint-disable-next-line no-unmodified-loop-condition -- likewise
      while (dials === before && Date.now() < waitUntil) await new Promise(resolve => setTimeout(resolve, 10))
    }

    await new Promise(resolve => down.close(resolve))
    const relayBack = await startRelay({ dataDir, listen: [listen] })
    cleanups.push(async () => { await relayBack.stop() })
    expect(relayBack.multiaddrs[0].toString()).to.equal(addr)
    const connected = (e: DaemonEvent): boolean => e.event === 'relay' && e.status === 'connected'
    const until = Date.now() + 30_000
    while (!alice.log.some(connected)) {
      if (Date.now() > until) throw new Error('no `connected` after the relay came back')
      clock.advance(2_200)
      await waitForEvent(alice.log, connected, 1_000).catch(() => {})
    }
    await waitForEvent(alice.log, e => e.event === 'listening' && e.addrs.length > 0)
    const statuses = alice.log.filter(e => e.event === 'relay').map(e => (e as any).status)
    expect(dials, 'the relay was re-dialed').to.be.at.least(1 + RETRIES)
    expect(statuses, 'said once, and once when it is back').to.deep.equal(['unreachable', 'connected'])
  })

  it('AddressUpdate × a seq not above the last one → ignored; × addresses of someone else → those ignored; × a higher seq → stored', async () => {
    const [alice, bob] = await peers()
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr], ...daemonOpts })
    await bob.start({ relays: [relayAddr], ...daemonOpts })
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    const { multiaddr } = await import('@multiformats/multiaddr')
    const { sendAddressUpdate, sessionChannel, SESSION_PROTOCOL } = await import('../../protocols/session/index.js')
    const aliceId = alice.node.peerId.toString()
    const link = alice.daemon!.linkOf(bob.node.peerId.toString())!
    const send = async (seq: number, addrs: string[]): Promise<void> => {
      const stream = await link.connection.newStream(SESSION_PROTOCOL, { runOnLimitedConnection: link.connection.limits != null })
      await sendAddressUpdate(sessionChannel(stream), { multiaddrs: addrs.map(a => multiaddr(a).bytes), seq: BigInt(seq) })
    }
    // WebSocket addresses: a plain TCP one is a §17.6 hint, kept in memory only (checked below).
    const mine = (port: number): string => `/ip4/10.0.0.1/tcp/${port}/ws/p2p/${aliceId}`
    const stranger = `/ip4/10.0.0.2/tcp/1/ws/p2p/${bob.node.peerId.toString()}`
    const plainTcp = `/ip4/10.0.0.1/tcp/10/p2p/${aliceId}`
    await send(7, [mine(7)])
    await waitForEvent(bob.log, e => e.event === 'address-update' && e.direction === 'received' && e.seq === 7)
    await send(7, [mine(8)])
    await send(3, [mine(3)])
    await send(9, [mine(9), stranger, plainTcp])
    await waitForEvent(bob.log, e => e.event === 'address-update' && e.direction === 'received' && e.seq === 9)
    const b = await bob.contact()
    expect(b.addressSeqSeen).to.equal(9)
    const known = b.addresses.map(x => x.multiaddr)
    expect(known).to.include.members([mine(7), mine(9)])
    expect(known).to.not.include.members([mine(8)])
    expect(known).to.not.include(mine(3))
    expect(known).to.not.include(stranger)
    expect(known, 'a plain TCP address is never stored (§17.6 item 2)').to.not.include(plainTcp)
    expect(bob.log.filter(e => e.event === 'address-update' && e.direction === 'received').map(e => (e as any).seq)).to.deep.equal([7, 9])
  })
})
