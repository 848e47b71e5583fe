// Bad input and faults of the daemon and the CRP, each against real daemons, real libp2p and a real
// relay node. The relay's /gini/crp/1 is the product's (honest; test/helpers/crp-wiretap.ts where a
// test must see which frame went on which token) or, where a hijacked relay is the point, a test
// double behind the same node (test/helpers/crp-relay-double.ts). Time is a fake clock.
import { expect } from 'chai'
import type { Relay } from '../../relay/index.js'
import { FileStorage, createPeerNode } from '../../peer/index.js'
import { crpChannel, CRP_PROTOCOL } from '../../protocols/crp/index.js'
import { frameChannel } from '../../protocols/common/index.js'
import { crpParkKey, crpRole, crpToken, fromHex, open, sodium, toHex } from '../../protocols/crypto/index.js'
import { FAST_CRP_SCHEDULE } from '../../peer/core/daemon/schedule.js'
import { loadOrCreateIdentity } from '../../peer/core/identity.js'
import { SESSION_FRAME_MAX_BYTES, SESSION_PROTOCOL, SessionMessage, runSessionInitiator } from '../../protocols/session/index.js'
import { PeerLeftError } from '../../protocols/common/errors.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { CrpRelayDouble } from '../helpers/crp-relay-double.js'
import { wiretapCrp } from '../helpers/crp-wiretap.js'
import { FakeClock } from '../helpers/fake-clock.js'
import {
  daemonPeer, isState, pair, pairThroughThrowawayRelay, startRelay, waitForEvent, type DaemonPeer
} from '../helpers/daemons.js'

const UNREACHABLE_AFTER_MS = 2_000
const FAST_INTERVAL_MAX_MS = FAST_CRP_SCHEDULE.bands[0].intervalMs * 1.1 + 1
const HOUR_MS = 3_600_000
/** Bounds one hand-run §5 handshake on loopback. */
const SESSION_WAIT_MS = 10_000
const opts = { unreachableAfterMs: UNREACHABLE_AFTER_MS, crpSchedule: 'fast' as const }

const crpSteps = (p: DaemonPeer, step: string): number => p.log.filter(e => e.event === 'crp' && e.step === step).length
const isCrp = (step: string) => (e: DaemonEvent): boolean => e.event === 'crp' && e.step === step

/** What "nothing stored changes" means for a failed restore: secrets, addresses, last seen. */
function stable (c: ContactRecord): unknown {
  return { sharedSecret: c.sharedSecret, addresses: c.addresses, lastSeenMs: c.lastSeenMs, lastPeerInfoAtMs: c.lastPeerInfoAtMs }
}

async function until (cond: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

describe('restore faults', function () {
  this.timeout(120_000)
  let clock: FakeClock
  const cleanups: Array<() => Promise<void>> = []

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

  async function relay (): Promise<Relay> {
    const r = await startRelay()
    cleanups.push(async () => { await r.stop() })
    return r
  }

  /** A relay node whose /gini/crp/1 is the hijackable test double. */
  async function hijackedRelay (): Promise<{ relay: Relay, double: CrpRelayDouble }> {
    const r = await relay()
    const double = new CrpRelayDouble()
    await r.node.unhandle(CRP_PROTOCOL)
    await r.node.handle(CRP_PROTOCOL, (stream) => { double.handle(stream) }, { maxInboundStreams: 64 })
    return { relay: r, double }
  }

  /** Paired, one daemon session (so both hold SS_cur and SS_prev), both daemons stopped. */
  async function pairedWithTwoSecrets (alice: DaemonPeer, bob: DaemonPeer): Promise<void> {
    const r = await relay()
    const addr = r.multiaddrs[0].toString()
    await pair(alice, bob, addr)
    await alice.start({ relays: [addr], ...opts })
    await bob.start({ relays: [addr], ...opts })
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    await until(async () => (await alice.contact()).sharedSecret.current === (await bob.contact()).sharedSecret.current, 'same secret')
    await alice.stopDaemon()
    await bob.stopDaemon()
    await r.stop()
    expect((await alice.contact()).sharedSecret.previous).to.be.a('string')
  }

  /**
   * §5 as I from `from`'s long-term identity to `to`'s running daemon (its plain circuit address,
   * not the WebRTC one); the connection stays up until `whileOpen` has settled.
   */
  async function sessionFrom (from: DaemonPeer, to: DaemonPeer, whileOpen = async (): Promise<void> => {}): Promise<void> {
    const { identity } = await loadOrCreateIdentity(new FileStorage(from.dir), clock)
    const record = await from.contact()
    const node = await createPeerNode({ privateKey: identity.privateKey })
    try {
      const signal = AbortSignal.timeout(SESSION_WAIT_MS)
      const addr = to.daemon!.addrs.find(a => !a.toString().includes('/webrtc'))
      if (addr == null) throw new Error('no circuit address')
      const stream = await node.dialProtocol(addr, SESSION_PROTOCOL, { runOnLimitedConnection: true, signal })
      // The listener does not know this dialer's peer id: the hello's hint names the contact (docs/protocol.md §21.3).
      await runSessionInitiator(frameChannel(stream, SessionMessage, SESSION_FRAME_MAX_BYTES), {
        ppk: identity.ppk, peerPPK: fromHex(record.ppk), multiaddrs: [], atMs: clock.now(), hintKey: fromHex(record.sharedSecret.current), signal
      })
      await whileOpen()
    } finally {
      await node.stop()
    }
  }

  async function startBoth (alice: DaemonPeer, bob: DaemonPeer, addr: string): Promise<void> {
    await alice.start({ relays: [addr], ...opts })
    await bob.start({ relays: [addr], ...opts })
    clock.advance(UNREACHABLE_AFTER_MS)
    await waitForEvent(alice.log, isState('unreachable'))
    await waitForEvent(bob.log, isState('unreachable'))
  }

  it('a hijacked relay rewrites B\'s proof → both sides "Incorrect SharedSecret", nothing stored changes; 3 runs in a row → "restore keeps failing" while the schedule goes on; an honest run then restores and resets the count', async () => {
    const [alice, bob] = await peers()
    await pairThroughThrowawayRelay(alice, bob)
    const { relay: r, double } = await hijackedRelay()
    double.dropParked = true // a hijacked relay may also keep parked offers to itself
    double.tamper = (from, msg) => from === 'B' && msg.proof != null ? { proof: { mac: new Uint8Array(32) } } : undefined
    const before = [stable(await alice.contact()), stable(await bob.contact())]
    await startBoth(alice, bob, r.multiaddrs[0].toString())

    for (let run = 1; run <= 3; run++) {
      await until(() => crpSteps(alice, 'incorrect-shared-secret') >= run && crpSteps(bob, 'incorrect-shared-secret') >= run, `run ${run}: both see Incorrect SharedSecret`)
      const [a, b] = [await alice.contact(), await bob.contact()]
      expect([stable(a), stable(b)], `run ${run}: nothing stored changes`).to.deep.equal(before)
      expect([a.state, b.state]).to.deep.equal(['unreachable', 'unreachable'])
      expect([a.crp?.incorrectInRow, b.crp?.incorrectInRow]).to.deep.equal([run, run])
      expect(double.log.some(x => x.msg.offer != null), 'no offer after a wrong proof').to.equal(false)
      if (run < 3) clock.advance(FAST_INTERVAL_MAX_MS)
    }
    await waitForEvent(alice.log, isCrp('keeps-failing'))
    await waitForEvent(bob.log, isCrp('keeps-failing'))
    const shown = await waitForEvent(alice.log, e => e.event === 'contact-state' && e.restore === 'keeps-failing')
    expect(shown).to.include({ state: 'unreachable' })

    // The schedule never stops for it (§9.4): the next run registers again, and an honest one restores.
    double.tamper = undefined
    const runs = crpSteps(alice, 'registered')
    clock.advance(FAST_INTERVAL_MAX_MS)
    await until(() => crpSteps(alice, 'registered') > runs, 'a fourth run')
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    const a = await alice.contact()
    expect(a.crp, 'a success resets the count').to.equal(undefined)
    expect(a.sharedSecret.current).to.equal((await bob.contact()).sharedSecret.current)
  })

  it('a stranger registers A\'s token (seen at a hijacked relay) → matched, but it cannot open the parked offer nor prove the secret: "Incorrect SharedSecret", nothing stored changes', async () => {
    const [alice, bob] = await peers()
    await pairThroughThrowawayRelay(alice, bob)
    const r = await relay()
    const addr = r.multiaddrs[0].toString()
    const aliceRecord = await alice.contact()
    const bobRecord = await bob.contact()
    const before = stable(aliceRecord)
    await alice.start({ relays: [addr], ...opts })
    clock.advance(UNREACHABLE_AFTER_MS)
    await waitForEvent(alice.log, isCrp('registered'))

    const aliceRole = crpRole(fromHex(bobRecord.ppk), fromHex(aliceRecord.ppk))
    const token = crpToken(fromHex(aliceRecord.sharedSecret.current))
    const strangerNode = await createPeerNode()
    cleanups.push(async () => { await strangerNode.stop() })
    const stream = await strangerNode.dialProtocol(r.multiaddrs[0], CRP_PROTOCOL)
    const ch = crpChannel(stream)
    await ch.write({ register: { token: token as Uint8Array<ArrayBuffer>, role: Uint8Array.of(aliceRole === 'A' ? 0x42 : 0x41) } })
    const registered = (await ch.read()).registered
    expect(registered?.parked, 'Alice\'s parked offer').to.not.equal(undefined)
    expect(() => open(crpParkKey(sodium.randombytes_buf(64), aliceRole), token, registered!.parked!), 'useless without the secret').to.throw()
    expect((await ch.read()).matched).to.not.equal(undefined)
    await ch.write({ challenge: { nonce: sodium.randombytes_buf(32) as Uint8Array<ArrayBuffer> } })
    expect((await ch.read()).challenge?.nonce).to.have.length(32)
    expect((await ch.read()).proof?.mac).to.have.length(32)
    await ch.write({ proof: { mac: sodium.randombytes_buf(32) as Uint8Array<ArrayBuffer> } })
    expect((await ch.read()).error?.code, 'Alice\'s verdict, relayed').to.equal('INCORRECT_SHARED_SECRET')

    await waitForEvent(alice.log, isCrp('incorrect-shared-secret'))
    const after = await alice.contact()
    expect(stable(after)).to.deep.equal(before)
    expect(after.crp?.incorrectInRow).to.equal(1)
    await waitForEvent(alice.log, e => e.event === 'contact-state' && e.restore === 'failed')
  })

  it('one side missed the last confirmation (its SharedSecret is the other\'s SS_prev) → restored through the SS_prev token', async () => {
    const [alice, bob] = await peers()
    await pairedWithTwoSecrets(alice, bob)
    const a0 = await alice.contact()
    // Bob never saw the clean close that would have made him store the newest secret.
    await new FileStorage(bob.dir).putContact({ ...(await bob.contact()), sharedSecret: { current: a0.sharedSecret.previous! } })
    const r = await relay()
    await startBoth(alice, bob, r.multiaddrs[0].toString())
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    const [a, b] = [await alice.contact(), await bob.contact()]
    expect(a.sharedSecret.current, JSON.stringify([alice.log, bob.log])).to.equal(b.sharedSecret.current)
    expect(a.sharedSecret.previous, 'Alice: the secret she held before').to.equal(a0.sharedSecret.current)
    expect(b.sharedSecret.previous, 'Bob: the secret he held before').to.equal(a0.sharedSecret.previous)
  })

  it('both tokens match in one run → A sends its one offer, on its SS_cur token, and the contact is restored', async () => {
    const [alice, bob] = await peers()
    await pairedWithTwoSecrets(alice, bob)
    const cur = (await alice.contact()).sharedSecret.current
    // The product relay (an honest one), with a wiretap that records which frame went on which token.
    const r = await relay()
    const tap = await wiretapCrp(r)
    cleanups.push(async () => { await tap.close() })
    await startBoth(alice, bob, r.multiaddrs[0].toString())
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    expect(tap.count('matched'), 'both tokens matched').to.equal(2)
    const offers = tap.log.filter(x => x.msg.offer != null)
    expect(offers).to.have.length(1)
    expect(offers[0].role, 'role A offers (§6)').to.equal('A')
    expect(offers[0].token === toHex(crpToken(fromHex(cur))), 'the offer went on the SS_cur token').to.equal(true)
    await until(() => tap.log.filter(x => x.msg.done != null).length >= 2, 'Done on the streams')
  })

  it('the relay garbles its answer on one registration stream → PROTOCOL_VIOLATION for that stream only, restored through the other token', async () => {
    const [alice, bob] = await peers()
    await pairedWithTwoSecrets(alice, bob)
    const { relay: r, double } = await hijackedRelay()
    double.dropParked = true
    double.garbleRegistered = (n) => n === 1 ? Uint8Array.of(0x81, 0x80, 0x02) : undefined // a frame over 16 KiB
    await startBoth(alice, bob, r.multiaddrs[0].toString())
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    expect(double.matches).to.equal(1)
    // The peer's verdict on the garbled stream, as the relay read it.
    await until(() => double.garbleAnswers.length > 0, 'the peer\'s answer on the garbled stream')
    expect(double.garbleAnswers.map(m => m.error?.code)).to.deep.equal(['PROTOCOL_VIOLATION'])
  })

  it('never online at the same minute: A\'s stream is closed (12 h into the CRP, 300 s hold of a 720 s interval), B picks up A\'s parked offer and dials A\'s run identity', async () => {
    const [alice, bob] = await peers()
    await pairThroughThrowawayRelay(alice, bob)
    const r = await relay()
    const addr = r.multiaddrs[0].toString()
    const a0 = await alice.contact()
    await new FileStorage(alice.dir).putContact({ ...a0, state: 'unreachable', crp: { startedAtMs: clock.now() - 13 * HOUR_MS, incorrectInRow: 0 } })
    await alice.start({ relays: [addr], ...opts })
    await waitForEvent(alice.log, isCrp('registered'))
    clock.advance(301_000) // Alice's registration stream is closed; her run identity stays until the next run
    await until(async () => r.crp.liveStreams === 0, 'Alice\'s stream closed at the relay')
    await bob.start({ relays: [addr], ...opts })
    await waitForEvent(bob.log, isCrp('parked-offer'))
    await waitForEvent(alice.log, isState('online'))
    await waitForEvent(bob.log, isState('online'))
    expect(crpSteps(alice, 'matched') + crpSteps(bob, 'matched'), 'no matched run').to.equal(0)
    // Both ran §5 on the connection the parked offer made: restored on both sides, once.
    await waitForEvent(bob.log, isCrp('restored'))
    await waitForEvent(alice.log, isCrp('restored'))
    expect([crpSteps(alice, 'restored'), crpSteps(bob, 'restored')]).to.deep.equal([1, 1])
    expect((await alice.contact()).sharedSecret.current).to.equal((await bob.contact()).sharedSecret.current)
  })

  it('clock jumps during the CRP: 8 h forward (suspend/resume) and a day back → no crash, the next run comes within one interval; past the schedule\'s end → expired, no more runs', async () => {
    const [alice, bob] = await peers()
    await pairThroughThrowawayRelay(alice, bob)
    const r = await relay()
    const addr = r.multiaddrs[0].toString()
    await alice.start({ relays: [addr], ...opts })
    clock.advance(UNREACHABLE_AFTER_MS)
    await waitForEvent(alice.log, isCrp('registered'))

    let runs = crpSteps(alice, 'registered')
    clock.jump(8 * HOUR_MS)
    clock.advance(FAST_INTERVAL_MAX_MS)
    await until(() => crpSteps(alice, 'registered') > runs, 'a run after the resume')
    runs = crpSteps(alice, 'registered')
    clock.jump(-24 * HOUR_MS)
    clock.advance(60_000 * 1.1 + 1) // the band of the age before the jump back: 60 s
    await until(() => crpSteps(alice, 'registered') > runs, 'a run after the clock was set back')
    expect((await alice.contact()).state).to.equal('unreachable')

    clock.jump(FAST_CRP_SCHEDULE.endMs + 24 * HOUR_MS) // past the end, whatever the jumps before
    clock.advance(HOUR_MS)
    await waitForEvent(alice.log, isState('expired'))
    await waitForEvent(alice.log, isCrp('expired'))
    const id = (await alice.contact()).id
    expect(alice.daemon!.nextCrpTryMs(id), 'no run scheduled after expiry').to.equal(undefined)
    runs = crpSteps(alice, 'registered')
    clock.advance(48 * HOUR_MS)
    expect(crpSteps(alice, 'registered'), 'no run after expiry').to.equal(runs)
    expect((await alice.contact()).state).to.equal('expired')

    // An expired contact gets no session: Bob (whose record of Alice is not expired) runs §5 as I
    // on Alice's daemon and is refused...
    // The jumps crossed UTC midnights: let the day's presence node take over first (docs/protocol.md §21.4).
    const today = Math.floor(clock.now() / 86_400_000)
    await waitForEvent(alice.log, e => e.event === 'presence-rotated' && e.day === today)
    const refused = await sessionFrom(bob, alice).then(() => undefined, (err: unknown) => err)
    expect(refused, 'Bob\'s session on an expired contact: the stream is reset').to.be.instanceOf(PeerLeftError)
    expect(alice.log.filter(e => e.event === 'session')).to.deep.equal([])
    expect((await alice.contact()).state).to.equal('expired')

    // ...while the same handshake on the same record, not expired (the control), makes a session.
    await alice.stopDaemon()
    await new FileStorage(alice.dir).putContact({ ...(await alice.contact()), state: 'unreachable', crp: undefined, lastSeenMs: clock.now() })
    await alice.start({ relays: [addr], ...opts })
    await waitForEvent(alice.log, e => e.event === 'listening')
    await sessionFrom(bob, alice, async () => {
      await waitForEvent(alice.log, e => e.event === 'session' && e.via === 'inbound')
      await waitForEvent(alice.log, isState('online'))
    })
  })
})
