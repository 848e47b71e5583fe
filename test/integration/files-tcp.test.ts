// The direct TCP link between contacts (docs/protocol.md §17.6) between two real daemons over
// loopback: a file goes over TCP when both listen; with the announced ports closed it goes over
// WebRTC; a TCP link cut mid-pull leaves the pull to go on over the best link left; the listener (the presence
// node's) admits a contact by its §8 session, not its peer id, and closes a stranger by the deadline.
import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Relay } from '../../relay/index.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import type { LinkKind } from '../../peer/core/dial-peer.js'
import { isDirectTcpAddr } from '../../peer/core/peer-node.js'
import { FILES_CHUNK_BYTES, FILES_PROTOCOL } from '../../protocols/files/index.js'
import { SESSION_PROTOCOL, runSessionInitiator, sessionChannel } from '../../protocols/session/index.js'
import { generateX25519 } from '../../protocols/crypto/index.js'
import { TCP_ADMIT_TIMEOUT_MS } from '../../peer/core/daemon/tcp-links.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { GatedStorage } from '../helpers/gated-storage.js'
import { announcingTcpPort, closedLoopbackPort } from '../helpers/direct-tcp.js'
import { clientNode, Cleanup } from '../helpers/relay-clients.js'
import { sessionAs } from '../helpers/session-as.js'
import { daemonPeer, isState, pair, startRelay, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'

const isFile = (state: string, direction = 'in') => (e: DaemonEvent): boolean => e.event === 'file' && e.state === state && e.direction === direction
/** The links a receiver's progress events name for transfer `id`, in order (FileEvent.link). */
const pullLinks = (log: DaemonEvent[], id: string, from = 0): string[] =>
  log.slice(from).flatMap(e => e.event === 'file' && e.id === id && e.state === 'progress' && e.link != null ? [e.link] : [])

/** Polls `cond` every 10 ms, at most `ms`; says what it waited for when it gives up. */
async function until (cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (let i = 0; i < ms / 10 && !cond(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  expect(cond(), what).to.equal(true)
}

describe('files over the direct TCP link between contacts (§17.6)', function () {
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

  let gate: GatedStorage | undefined

  /**
   * Alice and Bob paired and online; `closedPorts`: both tell each other a TCP port nobody listens on;
   * `aliceTcp: false`: Alice's daemon runs as `gini daemon --no-direct-tcp`.
   */
  async function pairedOnline (closedPorts = false, aliceTcp = true): Promise<[DaemonPeer, DaemonPeer, string, string]> {
    const clock = new FakeClock(Date.now())
    const nodeFor = async (): Promise<Parameters<typeof daemonPeer>[4]> => closedPorts ? { createPeerNode: announcingTcpPort(await closedLoopbackPort()) } : {}
    const alice = await daemonPeer('Alice', clock, (dir) => { gate = new GatedStorage(dir); return gate }, undefined, await nodeFor())
    cleanups.push(alice.cleanup)
    const bob = await daemonPeer('Bob', clock, undefined, undefined, await nodeFor())
    cleanups.push(bob.cleanup)
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr], directTcp: aliceTcp })
    await bob.start({ relays: [relayAddr] })
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    return [alice, bob, (await alice.contact()).id, (await bob.contact()).id]
  }

  const hasLink = (p: DaemonPeer, id: string, kind: LinkKind): boolean => p.daemon?.linksOf(id).some(l => l.kind === kind) === true

  async function fileOf (p: DaemonPeer, name: string, bytes: number): Promise<{ path: string, sha256: string }> {
    const data = randomBytes(bytes)
    const path = join(p.dir, name)
    await writeFile(path, data)
    return { path, sha256: createHash('sha256').update(data).digest('hex') }
  }

  const sha256Of = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex')

  it('two paired daemons → a TCP link comes beside the first one; a 5 MiB file is pulled over it; the SHA-256 matches; no TCP address is stored', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    expect(alice.daemon!.tcpAddrs.length, 'Alice listens on TCP').to.be.greaterThan(0)
    await until(() => hasLink(alice, bobId, 'tcp') && hasLink(bob, aliceId, 'tcp'), 'a TCP link both ways')
    expect(alice.daemon!.linkOf(bobId)?.kind, 'TCP is the best link').to.equal('tcp')
    const session = await waitForEvent(bob.log, e => e.event === 'session' && e.link === 'tcp') as any
    expect(session.remoteAddr).to.match(/^\/ip4\/[^/]+\/tcp\/\d+/)
    // §8 ran on the TCP connection too: both sides hold the same, newest SharedSecret.
    const [a, b] = [await alice.contact(), await bob.contact()]
    expect(b.sharedSecret.current).to.equal(a.sharedSecret.current)

    const { path, sha256 } = await fileOf(alice, 'over-tcp.bin', 5 * 1024 * 1024)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    await bob.daemon!.files!.accept(sent.id)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    const links = pullLinks(bob.log, sent.id)
    expect(links.length, 'progress events name the pull\'s link').to.be.greaterThan(0)
    expect([...new Set(links)]).to.deep.equal(['tcp'])
    expect(await sha256Of(done.path)).to.equal(sha256)
    // §17.6 item 2: TCP addresses are kept in memory only, never in the contact record.
    const stored = [...(await alice.contact()).addresses, ...(await bob.contact()).addresses].map(a => a.multiaddr)
    expect(stored.filter(a => isDirectTcpAddr(a))).to.deep.equal([])
    // identify (the relay's included) never lists them either: the relay-facing addresses are circuits.
    expect(alice.daemon!.addrs.map(a => a.toString()).filter(a => isDirectTcpAddr(a))).to.deep.equal([])
  })

  it('the announced TCP ports are closed → each dial fails and says so; the file goes over WebRTC; the SHA-256 matches', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline(true)
    await waitForEvent(alice.log, e => e.event === 'tcp-failed' && e.id === bobId, 30_000)
    await waitForEvent(bob.log, e => e.event === 'tcp-failed' && e.id === aliceId, 30_000)
    expect(hasLink(alice, bobId, 'tcp') || hasLink(bob, aliceId, 'tcp'), 'no TCP link').to.equal(false)
    await until(() => alice.daemon?.linkOf(bobId)?.kind === 'webrtc' && bob.daemon?.linkOf(aliceId)?.kind === 'webrtc', 'a direct WebRTC link both ways (check `uptime` if not)')

    const { path, sha256 } = await fileOf(alice, 'over-webrtc.bin', 3 * 1024 * 1024)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    await bob.daemon!.files!.accept(sent.id)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    const links = pullLinks(bob.log, sent.id)
    expect(links.length).to.be.greaterThan(0)
    expect([...new Set(links)]).to.deep.equal(['webrtc'])
    expect(await sha256Of(done.path)).to.equal(sha256)
  })

  it('the TCP link is cut mid-pull (its connection aborted) → the pull goes on over the best link left from the recorded chunk; the SHA-256 matches', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    await until(() => hasLink(bob, aliceId, 'tcp') && hasLink(alice, bobId, 'tcp'), 'a TCP link both ways')
    // A WebRTC link beside it, or (if the first session came up relayed under load) one dialled once
    // the TCP link is cut and only the relayed one is left (peer/core/daemon/daemon.ts upgradeLater).

    // 40 chunks, held at chunk 20: one checkpoint (every 16 chunks, §17.4) before the cut, one after.
    const size = 40 * FILES_CHUNK_BYTES
    const chunks = Math.ceil(size / FILES_CHUNK_BYTES)
    const { path, sha256 } = await fileOf(alice, 'cut.bin', size)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    const hit = new Promise<void>((resolve) => { gate!.hit = resolve })
    gate!.gateAt = chunks / 2
    await bob.daemon!.files!.accept(sent.id)
    await hit
    // Chunks before the gate are verified and checkpointed; wait (bounded) until some are.
    await until(() => pullLinks(bob.log, sent.id).length > 0, 'progress on the TCP pull')
    expect([...new Set(pullLinks(bob.log, sent.id))]).to.deep.equal(['tcp'])
    const tcp = bob.daemon!.linksOf(aliceId).find(l => l.kind === 'tcp')!
    const cutAt = bob.log.length
    const beforeCut = Math.max(...bob.log.map(e => e.event === 'file' && e.id === sent.id && e.state === 'progress' ? e.received ?? 0 : 0))
    expect(beforeCut, 'chunks came over TCP before the cut').to.be.greaterThan(0)
    tcp.connection.abort(new Error('test fault: the TCP link is cut'))
    await until(() => !hasLink(bob, aliceId, 'tcp'), 'the cut TCP link is dropped', 10_000)
    gate!.open()

    const done = await waitForEvent(bob.log, isFile('done'), 60_000, cutAt) as any
    // The pull goes on over the contact's best link left: WebRTC, or a second TCP connection when
    // both sides had dialled one, or a new TCP link dialled beside a new WebRTC one (§17.6 item 3).
    const after = bob.log.slice(cutAt).filter(e => e.event === 'file' && e.id === sent.id && e.state === 'progress') as any[]
    expect(after.length, 'progress after the cut').to.be.greaterThan(0)
    expect(Math.min(...after.map(e => e.received)), 'resumed from the recorded chunk, not from 0').to.be.greaterThan(beforeCut)
    expect(bob.log.slice(cutAt).some(isFile('failed'))).to.equal(false)
    expect(await sha256Of(done.path)).to.equal(sha256)
  })

  it('Alice\'s daemon with the TCP listener off (--no-direct-tcp) → she listens on no TCP address; the file goes over WebRTC', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline(false, false)
    expect(alice.daemon!.tcpAddrs).to.deep.equal([])
    expect(bob.daemon!.tcpAddrs.length, 'Bob still listens').to.be.greaterThan(0)
    await until(() => alice.daemon?.linkOf(bobId)?.kind === 'webrtc' && bob.daemon?.linkOf(aliceId)?.kind === 'webrtc', 'a direct WebRTC link both ways (check `uptime` if not)')
    const { path, sha256 } = await fileOf(alice, 'no-tcp.bin', 3 * 1024 * 1024)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    await bob.daemon!.files!.accept(sent.id)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    expect([...new Set(pullLinks(bob.log, sent.id))]).to.deep.equal(['webrtc'])
    expect(bob.log.concat(alice.log).some(e => e.event === 'session' && e.link === 'tcp')).to.equal(false)
    expect(await sha256Of(done.path)).to.equal(sha256)
  })

  it('the TCP listener is the presence node\'s: a contact from an identity Alice never saw is admitted by its §8 session (the hint); a stranger\'s streams are reset and its connection closed by the admission deadline; the contact\'s stays', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const cleanup = new Cleanup()
    cleanups.push(async () => { await cleanup.run() })
    const target = alice.daemon!.tcpAddrs.find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
    expect(target, 'Alice listens on loopback').to.not.equal(undefined)
    // §17.6 item 2, §21.2: the address names the day's presence id, never the long-term one.
    expect(target!.toString()).to.match(new RegExp(`/p2p/${alice.daemon!.presenceId.toString()}$`))
    expect(target!.toString()).to.not.include(alice.daemon!.peerId.toString())

    // Bob's keys on a fresh libp2p identity (a presence id Alice has not learned): §8 with the hint binds it.
    const aliceAtBob = await bob.contact()
    const asBob = await sessionAs(bob.dir, target!, aliceAtBob)
    cleanup.add(async () => { await asBob.stop() })
    await waitForEvent(alice.log, e => e.event === 'session' && e.id === bobId && e.link === 'tcp' && e.via === 'inbound', 15_000)

    const stranger = await clientNode(cleanup)
    const connection = await stranger.dial(target!, { signal: AbortSignal.timeout(10_000) })
    expect(connection.remotePeer.equals(alice.daemon!.presenceId), 'Noise under the presence key').to.equal(true)
    // A hello under keys Alice does not know: no contact's hint, no known address → reset, nothing stored.
    const stranger8 = await runSessionInitiator(sessionChannel(await connection.newStream(SESSION_PROTOCOL, { signal: AbortSignal.timeout(10_000) })), {
      ppk: generateX25519(),
      peerPPK: generateX25519().publicKey,
      multiaddrs: [],
      atMs: Date.now(),
      hintKey: randomBytes(64),
      signal: AbortSignal.timeout(15_000)
    }).then(() => 'a session', (e: Error) => e.name)
    expect(stranger8, 'the stranger\'s §8').to.not.equal('a session')
    // A files stream without a session is reset (§21.3), unless the connection is gone already.
    const files = await connection.newStream(FILES_PROTOCOL, { signal: AbortSignal.timeout(10_000) }).catch((e: Error) => e)
    if (!(files instanceof Error)) {
      await until(() => files.status !== 'open', 'the stranger\'s files stream is reset', TCP_ADMIT_TIMEOUT_MS + 10_000)
    }
    // §17.6 item 4: no contact's session on it by the deadline → Alice closes it.
    await until(() => connection.status !== 'open', 'Alice closed the stranger\'s TCP connection', TCP_ADMIT_TIMEOUT_MS + 10_000)
    // The contact's TCP connection opened before the stranger's, so its deadline passed too: it stays.
    expect(asBob.connection.status, 'the contact\'s TCP connection').to.equal('open')
    expect(alice.log.some(e => e.event === 'session' && e.id === stranger.peerId.toString())).to.equal(false)
    expect(await alice.daemon!.files!.list()).to.deep.equal([])
  })
})
