// Pairing through many relays (docs/protocol.md §22.2): real relays on loopback (each on its own
// 127.0.0.x address, so each is its own network) forming one network, and real GiniNodes whose
// configured relay is one of them. The code picks the relay; each test asserts which relay saw
// the Create (its gini_gss_pairings_total counters).
import { expect } from 'chai'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import { rankRelays } from '../../protocols/gss-list/index.js'
import { generateFlashCode } from '../../protocols/crypto/index.js'
import { Cleanup } from '../helpers/relay-clients.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'
import type { GiniNodeInit } from '../../peer/core/gini-node.js'

/** Departures are seen only after missed rounds: long here, so a killed relay stays listed for the test. */
const REFRESH_MS = 60_000
/** A list converges within a few rounds (a new DHT peer starts one at once); bounded, not a hang. */
const CONVERGE_MS = 30_000
const MAX_CHANGES = 1_000
/** Codes drawn, at most, to find one that ranks the relays as a test needs (each draw: 1/6 here). */
const MAX_DRAWS = 1_000

async function networkRelay (cleanup: Cleanup, host: string, bootstrap: Relay[], opts: RelayOptions = {}): Promise<Relay> {
  const relay = await createRelay({
    listen: [`/ip4/${host}/tcp/0`],
    bootstrap: bootstrap.map(r => r.multiaddrs[0].toString()),
    network: true,
    listRefreshMs: REFRESH_MS,
    drainMs: 5_000,
    metrics: { port: 0 },
    rateLimit: false,
    ...opts
  })
  cleanup.add(async () => { await relay.stop() })
  return relay
}

function listed (relay: Relay): string[] {
  return relay.network.relays().map(e => e.peerId.toString()).sort()
}

/** Resolves once `cond` holds, looked at on every change of the relays' lists; bounded in time and count. */
async function until (relays: Relay[], cond: () => boolean, what: string): Promise<void> {
  if (cond()) return
  const unsubscribe: Array<() => void> = []
  try {
    await new Promise<void>((resolve, reject) => {
      let changes = 0
      const timer = setTimeout(() => { reject(new Error(`timed out waiting for ${what}`)) }, CONVERGE_MS)
      const look = (): void => {
        if (++changes > MAX_CHANGES) { clearTimeout(timer); reject(new Error(`${what}: still not after ${MAX_CHANGES} list changes`)); return }
        if (cond()) { clearTimeout(timer); resolve() }
      }
      for (const r of relays) unsubscribe.push(r.network.onChange(look))
    })
  } finally {
    for (const u of unsubscribe) u()
  }
}

/** One gini_gss_pairings_total counter of the relay (0 when never counted). */
async function pairings (relay: Relay, outcome: string): Promise<number> {
  const text = await (await fetch(`${relay.metricsUrl!}/metrics`)).text()
  const m = new RegExp(`gini_gss_pairings_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)
  return m == null ? 0 : Number(m[1])
}

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
})
