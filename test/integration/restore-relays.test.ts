// The CRP across a network of relays (docs/protocol.md §22.4): real relays on loopback (each on its
// own 127.0.0.x address, so each is its own network) forming one network, real daemons configured
// with different relays, only the daemons' clock fake. Each test asserts, through the relays'
// gini_crp_events_total counters, that the tokens were registered at their two HRW home relays and
// nowhere else.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'chai'
import type { Relay } from '../../relay/index.js'
import { rankRelays } from '../../protocols/gss-list/index.js'
import { crpToken, fromHex } from '../../protocols/crypto/index.js'
import { FileStorage } from '../../peer/index.js'
import { Cleanup } from '../helpers/relay-clients.js'
import { metricValue, networkRelay as sharedNetworkRelay, untilLists } from '../helpers/relay-network.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { daemonPeer, isState, pair, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'

const UNREACHABLE_AFTER_MS = 2_000
/** Departures are seen only after missed rounds: long here, so the lists stay as they are. */
const REFRESH_MS = 60_000

const networkRelay = async (cleanup: Cleanup, host: string, bootstrap: Relay[]): Promise<Relay> =>
  await sharedNetworkRelay(cleanup, host, bootstrap, { listRefreshMs: REFRESH_MS })
/** Resolves once every relay lists all of them; bounded in time and count. */
const converged = async (relays: Relay[]): Promise<void> =>
  await untilLists(relays, () => relays.every(r => r.network.relays().length === relays.length), 'the lists to converge')
/** One gini_crp_events_total counter of the relay (0 when never counted). */
const crpEvents = async (relay: Relay, outcome: string): Promise<number> => await metricValue(relay, `gini_crp_events_total{outcome="${outcome}"}`)

describe('the CRP across a network of relays (docs/protocol.md §22.4)', function () {
  this.timeout(120_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  const daemonOpts = { unreachableAfterMs: UNREACHABLE_AFTER_MS, crpSchedule: 'fast' as const }

  /**
   * Three relays in one network; Alice and Bob paired through it (so both remember the list of
   * three), then every saved address dropped. Returns the relays as [home 1, home 2, the other]
   * for token(SS_cur).
   */
  async function setUp (clock: FakeClock): Promise<{ alice: DaemonPeer, bob: DaemonPeer, homes: Relay[], other: Relay }> {
    const r1 = await networkRelay(cleanup, '127.0.0.31', [])
    const r2 = await networkRelay(cleanup, '127.0.0.32', [r1])
    const r3 = await networkRelay(cleanup, '127.0.0.33', [r1])
    const all = [r1, r2, r3]
    await converged(all)
    const alice = await daemonPeer('Alice', clock)
    cleanup.add(alice.cleanup)
    const bob = await daemonPeer('Bob', clock)
    cleanup.add(bob.cleanup)
    await pair(alice, bob, r1.multiaddrs[0].toString())
    for (const p of [alice, bob]) {
      expect(JSON.parse(await readFile(join(p.dir, 'relays.json'), 'utf8')).addrs, 'the list remembered').to.have.length(3)
      // Every saved address gone: only the CRP can join them.
      await new FileStorage(p.dir).putContact({ ...(await p.contact()), addresses: [] })
    }
    const token = crpToken(fromHex((await alice.contact()).sharedSecret.current))
    const ranked = rankRelays(all.map(r => ({ peerId: r.peerId, multiaddrs: r.multiaddrs, firstSeenMs: 0 })), token)
    const [h1, h2, h3] = ranked.map(e => all.find(r => r.peerId.equals(e.peerId))!)
    for (const r of all) expect(await crpEvents(r, 'registered'), 'nothing registered yet').to.equal(0)
    return { alice, bob, homes: [h1, h2], other: h3 }
  }

  async function restoredBoth (clock: FakeClock, alice: DaemonPeer, bob: DaemonPeer): Promise<void> {
    const paired = (await alice.contact()).sharedSecret.current
    await waitForEvent(alice.log, e => e.event === 'listening')
    await waitForEvent(bob.log, e => e.event === 'listening')
    clock.advance(UNREACHABLE_AFTER_MS)
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    for (const p of [alice, bob]) {
      await waitForEvent(p.log, e => e.event === 'crp' && e.step === 'restored')
      expect(p.log.some(e => e.event === 'session' && e.via === 'restore'), 'a restored session').to.equal(true)
    }
    const [a, b] = [await alice.contact(), await bob.contact()]
    expect(a.sharedSecret.current, 'a new SharedSecret').to.not.equal(paired)
    expect(b.sharedSecret.current, 'the same on both sides').to.equal(a.sharedSecret.current)
  }

  it('daemons on different relays, every address stale → both register at the token\'s two home relays only, and restore', async () => {
    const clock = new FakeClock(Date.now())
    const { alice, bob, homes, other } = await setUp(clock)
    // Alice's daemon is at the relay that is no home of the token, Bob's at a home.
    await alice.start({ relays: [other.multiaddrs[0].toString()], ...daemonOpts })
    await bob.start({ relays: [homes[0].multiaddrs[0].toString()], ...daemonOpts })
    await restoredBoth(clock, alice, bob)
    for (const h of homes) {
      expect(await crpEvents(h, 'registered'), 'both sides registered at each home').to.be.at.least(2)
    }
    expect(await crpEvents(other, 'registered'), 'nothing at the third relay').to.equal(0)
    expect((await crpEvents(homes[0], 'matched')) + (await crpEvents(homes[1], 'matched')), 'matched at a home').to.be.at.least(1)
  })

  it('the top home relay is down → the run registers (and holds its reservation) at the second, which suffices', async () => {
    const clock = new FakeClock(Date.now())
    const { alice, bob, homes, other } = await setUp(clock)
    const [dead, live] = homes
    await dead.node.stop() // gone as after a crash; both still remember it
    await alice.start({ relays: [live.multiaddrs[0].toString()], ...daemonOpts })
    await bob.start({ relays: [other.multiaddrs[0].toString()], ...daemonOpts })
    await restoredBoth(clock, alice, bob)
    expect(await crpEvents(live, 'registered'), 'both sides registered at the live home').to.be.at.least(2)
    expect(await crpEvents(live, 'matched'), 'matched there').to.be.at.least(1)
    expect(await crpEvents(other, 'registered'), 'nothing at the third relay').to.equal(0)
  })
})
