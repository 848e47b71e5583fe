// ICE servers from the relay (docs/protocol.md §14) on real nodes over loopback: the relay's /gini/ice/1
// answer, its CLI flags and environment, and pairing peers that ask for and use what it hands out.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { createRelay, type IceConfig, type Relay } from '../../relay/index.js'
import { iceChannel, ICE_PROTOCOL, requestIceServers } from '../../protocols/ice/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'
import { createPeerNode } from '../../peer/index.js'
import { connectToVerifiedPeer } from '../../peer/core/dial-peer.js'
import { Cleanup, clientNode } from '../helpers/relay-clients.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'

const CLI = join(process.cwd(), 'dist', 'relay', 'cli.js')
const SECRET = 'integration-secret'

describe('ICE servers from the relay (/gini/ice/1)', function () {
  const cleanup = new Cleanup()
  let dataDir: string
  before(async () => { dataDir = await mkdtemp(join(tmpdir(), 'gini-ice-')) })
  after(async () => { await rm(dataDir, { recursive: true, force: true }) })
  afterEach(async () => { await cleanup.run() })

  async function relayWith (ice?: IceConfig): Promise<Relay> {
    const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], ...(ice != null ? { ice } : {}) })
    cleanup.add(async () => { await relay.stop() })
    return relay
  }

  async function peer (name: string): Promise<TestPeer> {
    const p = await makePeer(name)
    cleanup.add(p.cleanup)
    return p
  }

  async function pair (relayAddr: string, alice: TestPeer, bob: TestPeer): Promise<void> {
    const invite = alice.node.invite({ relay: relayAddr, onProgress: (e) => alice.events.push(e) })
    invite.catch(() => {})
    const code = await codeFrom(alice.events)
    await Promise.all([invite, bob.node.accept(code, { relay: relayAddr, onProgress: (e) => bob.events.push(e) })])
  }

  it('client × relay with STUN + TURN → the STUN URL and a coturn credential valid for the TTL', async () => {
    const relay = await relayWith({ stun: ['stun:127.0.0.1:3478'], turn: ['turn:127.0.0.1:3478?transport=udp'], turnSecret: SECRET, turnTtlMs: 120_000 })
    const node = await clientNode(cleanup)
    const stream = await node.dialProtocol(relay.multiaddrs[0], ICE_PROTOCOL)
    const before = Date.now()
    const grant = await requestIceServers(iceChannel(stream))
    expect(grant.ttlMs).to.equal(120_000)
    expect(grant.servers[0]).to.deep.equal({ urls: ['stun:127.0.0.1:3478'] })
    const turn = grant.servers[1]
    expect(turn.urls).to.deep.equal(['turn:127.0.0.1:3478?transport=udp'])
    const expiry = Number(turn.username!.split(':')[0]) * 1000
    expect(expiry).to.be.within(before + 120_000 - 1000, Date.now() + 120_000 + 1000)
    expect(turn.credential).to.equal(createHmac('sha1', SECRET).update(turn.username!).digest('base64'))
    expect(relay.ice.servedCount).to.equal(1)
  })

  it('pairing × relay with a STUN server → both identities ask, both report connected {path: direct, candidates}', async () => {
    // A STUN URL on loopback where nothing answers: gathering goes on with host candidates.
    const relay = await relayWith({ stun: ['stun:127.0.0.1:9'] })
    const [alice, bob] = [await peer('Alice'), await peer('Bob')]
    await pair(relay.multiaddrs[0].toString(), alice, bob)
    // One per identity, plus one more for each failed WebRTC attempt (a fresh credential for the retry).
    expect(relay.ice.servedCount).to.be.at.least(2)
    for (const events of [alice.events, bob.events]) {
      const connected = events.find(e => e.event === 'connected') as Extract<PairingEvent, { event: 'connected' }>
      expect(connected.direct).to.equal(true)
      expect(connected.path).to.equal('direct')
      expect(connected.candidates?.local).to.be.oneOf(['host', 'prflx', 'srflx'])
      expect(connected.candidates?.remote).to.be.oneOf(['host', 'prflx', 'srflx'])
    }
  })

  it('pairing × relay without ICE servers → empty lists, still a direct connection', async () => {
    const relay = await relayWith()
    const [alice, bob] = [await peer('Alice'), await peer('Bob')]
    await pair(relay.multiaddrs[0].toString(), alice, bob)
    // One per identity, plus one more for each failed WebRTC attempt (a fresh credential for the retry).
    expect(relay.ice.servedCount).to.be.at.least(2)
    expect(bob.events.find(e => e.event === 'connected')).to.include({ direct: true, path: 'direct' })
  })

  it('long-lived node (no provider, e.g. the daemon) × WebRTC dial → both ends ask the relay they are connected to', async () => {
    const relay = await relayWith({ stun: ['stun:127.0.0.1:9'] })
    const [a, b] = [await createPeerNode(), await createPeerNode()]
    cleanup.add(async () => { await Promise.all([a.stop(), b.stop()]) })
    for (const n of [a, b]) await n.dial(relay.multiaddrs[0])
    const deadline = Date.now() + 10_000
    let target = a.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit/webrtc'))
    while (target == null && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20))
      target = a.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit/webrtc'))
    }
    const connected = await connectToVerifiedPeer(b, { peerId: a.peerId, multiaddrs: [target!] }, { attemptTimeoutsMs: [5_000, 5_000] })
    expect(connected?.direct).to.equal(true)
    expect(relay.ice.servedCount).to.equal(2)
  })

  it('gini-relay --stun/--turn and GINI_TURN_SECRET → listening line lists the URLs, never the secret', async () => {
    const proc = spawn(process.execPath, [CLI, '--json', '--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0',
      '--stun', 'stun:127.0.0.1:3478', '--turn', 'turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GINI_TURN_SECRET: SECRET, GINI_TURN_TTL: '10m' } })
    cleanup.add(() => { if (proc.exitCode == null) proc.kill('SIGKILL') })
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error('no listening line')) }, 10_000)
      createInterface({ input: proc.stdout! }).once('line', (l) => { clearTimeout(timer); resolve(l) })
    })
    expect(line).to.not.include(SECRET)
    const listening = JSON.parse(line)
    expect(listening.ice).to.deep.equal({ stun: ['stun:127.0.0.1:3478'], turn: ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'] })
    const node = await clientNode(cleanup)
    const stream = await node.dialProtocol(multiaddr(listening.addrs[0]), ICE_PROTOCOL)
    const grant = await requestIceServers(iceChannel(stream))
    expect(grant.ttlMs).to.equal(600_000)
    expect(grant.servers[1].urls).to.have.length(2)
    proc.kill('SIGTERM')
  })

  it('gini-relay --turn without a secret → exit 1 with an error before listening', async () => {
    const proc = spawn(process.execPath, [CLI, '--json', '--data', dataDir, '--turn', 'turn:127.0.0.1:3478'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GINI_TURN_SECRET: '' } })
    cleanup.add(() => { if (proc.exitCode == null) proc.kill('SIGKILL') })
    let out = ''
    proc.stdout!.on('data', (d) => { out += String(d) })
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve))
    expect(code).to.equal(1)
    expect(JSON.parse(out.trim())).to.include({ event: 'error' }).and.to.have.property('message').that.matches(/turn-secret/)
  })
})
