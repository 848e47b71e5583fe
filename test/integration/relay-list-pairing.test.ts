// Pairing through many relays (docs/protocol.md §22.2): real relays on loopback (each on its own
// 127.0.0.x address, so each is its own network) forming one network, and real GiniNodes whose
// configured relay is one of them. The code picks the relay; each test asserts which relay saw
// the Create (its gini_gss_pairings_total counters).
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import { rankRelays } from '../../protocols/gss-list/index.js'
import { generateFlashCode } from '../../protocols/crypto/index.js'
import { RelayUnreachableError } from '../../protocols/common/index.js'
import { Cleanup } from '../helpers/relay-clients.js'
import { listed, metricValue, networkRelay as sharedNetworkRelay, untilLists as until } from '../helpers/relay-network.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'
import type { GiniNodeInit } from '../../peer/core/gini-node.js'

/** Departures are seen only after missed rounds: long here, so a killed relay stays listed for the test. */
const REFRESH_MS = 60_000

const networkRelay = async (cleanup: Cleanup, host: string, bootstrap: Relay[], opts: RelayOptions = {}): Promise<Relay> =>
  await sharedNetworkRelay(cleanup, host, bootstrap, { listRefreshMs: REFRESH_MS, ...opts })
/** One gini_gss_pairings_total counter of the relay (0 when never counted). */
const pairings = async (relay: Relay, outcome: string): Promise<number> => await metricValue(relay, `gini_gss_pairings_total{outcome="${outcome}"}`)
/** Codes drawn, at most, to find one that ranks the relays as a test needs (each draw: 1/6 here). */
const MAX_DRAWS = 1_000

/** A fresh code whose HRW order over `relays` is exactly `order` in its first places. */
function codeRanking (relays: Relay[], order: Relay[]): string {
  const entries = relays.map(r => ({ peerId: r.peerId, multiaddrs: r.multiaddrs, firstSeenMs: 0 }))
  for (let i = 0; i < MAX_DRAWS; i++) {
    const fc = generateFlashCode(8)
    const ranked = rankRelays(entries, fc)
    if (order.every((r, k) => ranked[k].peerId.equals(r.peerId))) return fc
  }
  throw new Error(`no code ranks the relays as asked in ${MAX_DRAWS} draws`)
}

describe('pairing through a network of relays (docs/protocol.md §22.2)', function () {
  this.timeout(120_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function peer (name: string, init: Partial<GiniNodeInit> = {}): Promise<TestPeer> {
    const p = await makePeer(name, init)
    cleanup.add(p.cleanup)
    return p
  }

  async function threeRelays (): Promise<Relay[]> {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    const r2 = await networkRelay(cleanup, '127.0.0.12', [r1])
    const r3 = await networkRelay(cleanup, '127.0.0.13', [r1])
    const all = [r1, r2, r3]
    await until(all, () => all.every(r => listed(r).length === 3), 'all three lists to hold three relays')
    return all
  }

  it('three relays, configured relay r1, a code whose top relay is r3 → the Create and the Join land on r3 only; both store each other', async () => {
    const [r1, r2, r3] = await threeRelays()
    const fc = codeRanking([r1, r2, r3], [r3])
    const alice = await peer('Alice', { newFlashCode: () => fc })
    const bob = await peer('Bob')
    const relay = r1.multiaddrs[0].toString()
    const invite = alice.node.invite({ relay, onProgress: (e) => alice.events.push(e) })
    invite.catch(() => {})
    const code = await codeFrom(alice.events)
    await Promise.all([invite, bob.node.accept(code, { relay, onProgress: (e) => bob.events.push(e) })])

    expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
    expect((await bob.node.contacts()).map(c => c.name)).to.deep.equal(['Alice'])
    expect(await pairings(r3, 'created'), 'Creates at r3').to.equal(1)
    expect(await pairings(r3, 'completed'), 'completed at r3').to.equal(1)
    for (const r of [r1, r2]) {
      expect(await pairings(r, 'created'), 'Creates elsewhere').to.equal(0)
      expect(await pairings(r, 'no-match'), 'Joins elsewhere').to.equal(0)
    }
  })

  async function pair (alice: TestPeer, bob: TestPeer, relay: Relay): Promise<void> {
    const addr = relay.multiaddrs[0].toString()
    const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) })
    invite.catch(() => {})
    const code = await codeFrom(alice.events)
    await Promise.all([invite, bob.node.accept(code, { relay: addr, onProgress: (e) => bob.events.push(e) })])
  }

  /**
   * r3 joins the network after the creator's Create (so the creator ranked a list of two and the
   * joiner ranks three, r3 on top): `killed` takes it down again before the joiner asks.
   */
  async function lateTopRelay (killed: boolean): Promise<void> {
    // r3's identity is made first, so the code can rank it before it is part of the network.
    const dir = await mkdtemp(join(tmpdir(), 'gini-relay-r3-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
    const first = await createRelay({ listen: ['/ip4/127.0.0.13/tcp/0'], dataDir: dir })
    const r3Id = first.peerId
    const r3Addrs = first.multiaddrs
    await first.stop()
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    const r2 = await networkRelay(cleanup, '127.0.0.12', [r1])
    await until([r1, r2], () => [r1, r2].every(r => listed(r).length === 2), 'both lists to hold two relays')
    const entries = [r1, r2].map(r => ({ peerId: r.peerId, multiaddrs: r.multiaddrs, firstSeenMs: 0 }))
    entries.push({ peerId: r3Id, multiaddrs: r3Addrs, firstSeenMs: 0 })
    let fc = ''
    for (let i = 0; i < MAX_DRAWS && fc === ''; i++) {
      const drawn = generateFlashCode(8)
      if (rankRelays(entries, drawn)[0].peerId.equals(r3Id)) fc = drawn
    }
    expect(fc, 'a code whose top relay is r3').to.not.equal('')
    const second = rankRelays(entries, fc)[1].peerId.equals(r1.peerId) ? r1 : r2
    const other = second === r1 ? r2 : r1

    const alice = await peer('Alice', { newFlashCode: () => fc })
    const bob = await peer('Bob')
    const invite = alice.node.invite({ relay: r1.multiaddrs[0].toString(), onProgress: (e) => alice.events.push(e) })
    invite.catch(() => {})
    const code = await codeFrom(alice.events)
    // The creator ranked a list of two: its Create is at the second relay of the joiner's list.
    expect(await pairings(second, 'created')).to.equal(1)

    const r3 = await networkRelay(cleanup, '127.0.0.13', [r1], { dataDir: dir })
    expect(r3.peerId.equals(r3Id)).to.equal(true)
    await until([r1], () => listed(r1).includes(r3Id.toString()), 'r1 to list r3')
    // The rounds r3's arrival started run now, while it answers: the next is REFRESH_MS / 8 away,
    // so a killed r3 stays listed (a departure takes two missed rounds) while the joiner asks.
    for (let i = 0; i < 2; i++) await r1.network.refresh()
    if (killed) await r3.node.stop() // no drain: gone as after a crash, still on r1's list until a round misses it
    expect(listed(r1), 'r1 still lists r3').to.include(r3Id.toString())

    await Promise.all([invite, bob.node.accept(code, { relay: r1.multiaddrs[0].toString(), onProgress: (e) => bob.events.push(e) })])
    expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
    expect((await bob.node.contacts()).map(c => c.name)).to.deep.equal(['Alice'])
    expect(await pairings(second, 'completed')).to.equal(1)
    expect(await pairings(other, 'created')).to.equal(0)
    expect(await pairings(other, 'no-match'), 'no Join at the third relay').to.equal(0)
    if (!killed) expect(await pairings(r3, 'no-match'), 'the Join at r3 found no code').to.equal(1)
    // The joiner's list held r3 (it keeps the list it fetched): its top relay was r3.
    const kept = JSON.parse(await readFile(join(bob.dir, 'relays.json'), 'utf8')) as { addrs: string[] }
    expect(kept.addrs.some(a => a.endsWith(`/p2p/${r3Id.toString()}`)), 'r3 on the joiner\'s list').to.equal(true)
  }

  it('the joiner\'s top relay is down (joined the network after the Create, then killed) → one fallback to the second, where the creator is; pairing completes', async () => {
    await lateTopRelay(true)
  })

  it('the joiner\'s top relay has no such code (joined the network after the Create) → one fallback to the second; pairing completes', async () => {
    await lateTopRelay(false)
  })

  it('the creator\'s first code has a dead top relay → a new code, whose top relay gets the Create; the joiner goes there at once', async () => {
    const [r1, r2, r3] = await threeRelays()
    const dead = codeRanking([r1, r2, r3], [r3])
    const live = codeRanking([r1, r2, r3], [r2])
    await r3.node.stop()
    expect(listed(r1), 'r1 still lists r3').to.include(r3.peerId.toString())
    const codes = [dead, live]
    let drawn = 0
    const alice = await peer('Alice', { newFlashCode: () => codes[Math.min(drawn++, codes.length - 1)] })
    const bob = await peer('Bob')
    await pair(alice, bob, r1)
    expect(drawn, 'codes drawn').to.equal(2)
    expect(await pairings(r2, 'created')).to.equal(1)
    expect(await pairings(r2, 'completed')).to.equal(1)
    expect(await pairings(r1, 'created')).to.equal(0)
    expect(await pairings(r1, 'no-match')).to.equal(0)
  })

  it('the creator\'s first code has a top relay that dies right after the dial (before it answers the Create) → a new code, at a live relay; no code shown for the first', async () => {
    const [r1, r2, r3] = await threeRelays()
    const dying = codeRanking([r1, r2, r3], [r3])
    const live = codeRanking([r1, r2, r3], [r2])
    const relays = new Set([r1, r2].map(r => r.peerId.toString()))
    let killed: Promise<void> | undefined
    r3.node.addEventListener('connection:open', (evt) => {
      // The pairing identity's connection (not a relay's round): gone as after a crash, before any frame.
      if (relays.has(evt.detail.remotePeer.toString()) || killed != null) return
      killed = Promise.resolve(r3.node.stop())
    })
    const codes = [dying, live]
    let drawn = 0
    const alice = await peer('Alice', { newFlashCode: () => codes[Math.min(drawn++, codes.length - 1)] })
    const bob = await peer('Bob')
    await pair(alice, bob, r1)
    expect(killed, 'r3 was dialed, then killed').to.not.equal(undefined)
    await killed
    expect(drawn, 'codes drawn').to.equal(2)
    const shown = alice.events.filter(e => e.event === 'flash-code')
    expect(shown, 'one code shown').to.have.length(1)
    expect(shown[0].event === 'flash-code' && shown[0].relay, 'the code is at r2').to.match(new RegExp(`/p2p/${r2.peerId.toString()}$`))
    expect(await pairings(r2, 'completed')).to.equal(1)
    expect(await pairings(r1, 'created')).to.equal(0)
  })

  it('peers that learned the list (learnRelays), their configured relay dies right after their dial, before it answers the list → each asks the next relay it remembers; pairing completes there', async () => {
    const [r1, r2, r3] = await threeRelays()
    const alice = await peer('Alice')
    const bob = await peer('Bob')
    for (const p of [alice, bob]) expect(await p.node.learnRelays(r1.multiaddrs[0]), 'relays listed').to.equal(3)
    const relays = new Set([r2, r3].map(r => r.peerId.toString()))
    let killed: Promise<void> | undefined
    r1.node.addEventListener('connection:open', (evt) => {
      // The creator's pairing identity (not a relay's round): r1 goes as after a crash, before the list.
      if (relays.has(evt.detail.remotePeer.toString()) || killed != null) return
      killed = Promise.resolve(r1.node.stop())
    })
    await pair(alice, bob, r1)
    expect(killed, 'r1 was dialed, then killed').to.not.equal(undefined)
    expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
    const at = alice.events.find(e => e.event === 'flash-code')
    const atRelay = [r2, r3].find(r => at?.event === 'flash-code' && at.relay.endsWith(`/p2p/${r.peerId.toString()}`))
    expect(atRelay, 'the code is at r2 or r3').to.not.equal(undefined)
    expect(await pairings(atRelay!, 'completed')).to.equal(1)
  })

  it('the code\'s top two relays are down → the joiner tries those two and stops (RelayUnreachableError); the third relay sees no Join', async () => {
    const [r1, r2, r3] = await threeRelays()
    const fc = codeRanking([r1, r2, r3], [r2, r3])
    await r2.node.stop()
    await r3.node.stop()
    expect(listed(r1)).to.have.length(3)
    const bob = await peer('Bob')
    const err = await bob.node.accept(fc, { relay: r1.multiaddrs[0].toString() }).catch((e: unknown) => e)
    expect(err).to.be.instanceOf(RelayUnreachableError)
    expect(await pairings(r1, 'no-match'), 'Joins at r1').to.equal(0)
    expect(await bob.node.contacts()).to.deep.equal([])
  })
})
