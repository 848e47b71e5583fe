// NAT traversal through the product's own CLI, in a network-namespace lab (`npm run test:nat`,
// root): an "internet" namespace with `gini-relay` and Debian's coturn, Alice and Bob each behind
// their own NAT router (scripts/nat-lab/topology.ts). Each case runs `gini invite` in Alice's
// namespace and `gini accept` in Bob's and reads their `connected` events. Expected paths:
// endpoint-independent NATs connect on srflx candidates with STUN; symmetric NATs need TURN;
// blocked UDP stays relayed. Named *.nat.ts so that `npm test` (dist/test/**/*.test.js) never picks
// it up; CI adds its counts to the suite's (.ci/run).
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { JsonProcess, killAll } from '../../scripts/lib/json-process.js'
import { NatTopology, labAvailable, removeStaleNamespaces, type NatKind } from '../../scripts/nat-lab/topology.js'
import { gini, missingPrograms, startCoturn, startRelay, type LabRelay } from '../../scripts/nat-lab/services.js'

const PROBE = fileURLToPath(new URL('../../scripts/nat-lab/turn-probe.js', import.meta.url))
/** One pairing in the lab, both processes, including the 6 s of failed WebRTC attempts when UDP is blocked. */
const PAIRING_TIMEOUT_MS = 60_000

interface PairingRun {
  alice: JsonProcess
  bob: JsonProcess
  aliceConnected: any
  bobConnected: any
}

describe('NAT lab: gini through NAT routers (network namespaces)', function () {
  this.timeout(120_000)
  const lab = new NatTopology()
  let dir: string
  let turn: JsonProcess
  let relay: LabRelay
  let shortTtlRelay: LabRelay
  const secret = randomBytes(16).toString('hex')

  before(async function () {
    this.timeout(90_000)
    const available = labAvailable()
    if (!available.ok) throw new Error(`the NAT lab ${available.why}; run it as root: npm run test:nat`)
    const missing = missingPrograms()
    if (missing.length > 0) throw new Error(`missing programs: ${missing.join(', ')} (npm run test:nat installs them with apt-get)`)
    removeStaleNamespaces()
    dir = await mkdtemp(join(tmpdir(), 'gini-nat-'))
    lab.create()
    turn = await startCoturn(lab, dir, secret)
    relay = await startRelay(lab, join(dir, 'relay'), { port: 4001, turnSecret: secret })
    // A second relay whose TURN credentials live 2 s: the expiry case.
    shortTtlRelay = await startRelay(lab, join(dir, 'relay-short'), { port: 4002, turnSecret: secret, turnTtl: '2s' })
    for (const [who, ns] of [['Alice', lab.ns.alice], ['Bob', lab.ns.bob]] as const) {
      const init = gini(lab, ns, join(dir, who), ['init', '--name', who, '--relay', relay.addr])
      expect(await init.waitExit(30_000), init.tail()).to.equal(0)
    }
  })

  after(async () => {
    killAll('SIGKILL')
    lab.destroy()
    if (dir != null) await rm(dir, { recursive: true, force: true })
  })

  /** Alice invites behind NAT a, Bob accepts behind NAT b; `delayMs` between her code and his accept. */
  async function pairThrough (kindA: NatKind, kindB: NatKind, opts: { relayAddr?: string, delayMs?: number, env?: Record<string, string> } = {}): Promise<PairingRun> {
    lab.setNat(kindA, kindB)
    const relayArgs = opts.relayAddr != null ? ['--relay', opts.relayAddr] : []
    const alice = gini(lab, lab.ns.alice, join(dir, 'Alice'), ['invite', ...relayArgs], opts.env)
    try {
      const code = (await alice.waitFor(o => o.event === 'flash-code', 30_000)).obj.code
      if (opts.delayMs != null) await new Promise(resolve => setTimeout(resolve, opts.delayMs))
      const bob = gini(lab, lab.ns.bob, join(dir, 'Bob'), ['accept', code, ...relayArgs], opts.env)
      const [bobExit, aliceExit] = await Promise.all([bob.waitExit(PAIRING_TIMEOUT_MS), alice.waitExit(PAIRING_TIMEOUT_MS)])
      expect(bobExit, `bob: ${bob.tail()}`).to.equal(0)
      expect(aliceExit, `alice: ${alice.tail()}`).to.equal(0)
      const connected = (p: JsonProcess): any => p.lines.find(l => l.obj.event === 'connected')?.obj
      return { alice, bob, aliceConnected: connected(alice), bobConnected: connected(bob) }
    } finally {
      alice.kill()
    }
  }

  it('both behind endpoint-independent NATs → direct WebRTC over STUN (srflx) candidates', async () => {
    const run = await pairThrough('eim', 'eim')
    for (const c of [run.aliceConnected, run.bobConnected]) {
      expect(c, JSON.stringify(c)).to.include({ direct: true, path: 'direct' })
      // Behind NAT, only server-reflexive (or peer-reflexive) candidates can meet; never TURN's.
      expect([c.candidates.local, c.candidates.remote]).to.not.include('relay')
      expect([c.candidates.local, c.candidates.remote].some((t: string) => t === 'srflx' || t === 'prflx'), JSON.stringify(c)).to.equal(true)
    }
    expect(run.bobConnected.candidates.remote === 'srflx' || run.aliceConnected.candidates.remote === 'srflx').to.equal(true)
  })

  it('symmetric NAT on both sides → connected through TURN, `connected` says path: turn', async () => {
    const run = await pairThrough('sym', 'sym')
    for (const c of [run.aliceConnected, run.bobConnected]) {
      expect(c, JSON.stringify(c)).to.include({ direct: true, path: 'turn' })
      expect([c.candidates.local, c.candidates.remote]).to.include('relay')
    }
  })

  it('UDP blocked on both routers → the pairing still completes over the circuit relay (path: relayed)', async () => {
    const run = await pairThrough('udp-blocked', 'udp-blocked')
    for (const c of [run.aliceConnected, run.bobConnected]) {
      expect(c, JSON.stringify(c)).to.include({ direct: false, path: 'relayed' })
      expect(c.remoteAddr).to.include('/p2p-circuit')
    }
    expect(run.bob.lines.map(l => l.obj.event)).to.include('contact-added')
  })

  it('TURN credential past its expiry → coturn refuses it (401)', async () => {
    lab.setNat('sym', 'sym')
    const probe = new JsonProcess(process.execPath, [PROBE, shortTtlRelay.addr, '1500'], { netns: lab.ns.alice })
    expect(await probe.waitExit(30_000), probe.tail()).to.equal(0)
    const result = probe.lines.find(l => l.obj.fresh != null)?.obj
    expect(result, probe.tail()).to.include({ ttlMs: 2000 })
    expect(result.fresh, 'a fresh credential allocates on coturn').to.be.greaterThan(0)
    expect(result.expired, 'the same credential after its expiry').to.equal(0)
    const log = turn.lines.map(l => l.obj.text ?? '').join('\n')
    expect(log).to.include(`user <${result.username as string}>: incoming packet message processed, error 401`)
  })

  it('expired credential held by the waiting creator → she asks the relay again and connects through TURN', async () => {
    // Alice asks for ICE servers when her code is made; Bob comes 3 s later, after her 2 s credential
    // expired: her listener must fetch a new one for the incoming WebRTC connection.
    const run = await pairThrough('sym', 'sym', { relayAddr: shortTtlRelay.addr, delayMs: 3_000, env: { DEBUG: 'gini:ice' } })
    const asked = run.alice.stderr.join('').split('\n').filter(l => l.includes('asking the relay for ICE servers')).length
    expect(asked, run.alice.stderr.join('')).to.be.at.least(2)
    expect(run.aliceConnected).to.include({ path: 'turn' })
    expect(run.bobConnected).to.include({ path: 'turn' })
  })

  it('afterwards: every lab namespace is removed', async () => {
    const names = Object.values(lab.ns)
    killAll('SIGKILL')
    lab.destroy()
    const { execFileSync } = await import('node:child_process')
    const left = execFileSync('ip', ['netns', 'list']).toString()
    for (const name of names) expect(left).to.not.include(name)
  })
})
