// The relay list as a CLI peer keeps it (docs/protocol.md §22.2): `gini init --relay` asks the
// relay for its network's list and remembers it (relays.json), so that a peer whose configured
// relay is down at its first pairing pairs through the others. Real relays on loopback (each on its
// own 127.0.0.x, one network), real `gini` processes with their own data dirs.
import { expect } from 'chai'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Relay } from '../../relay/index.js'
import { Cleanup } from '../helpers/relay-clients.js'
import { listed, metricValue, networkRelay, untilLists } from '../helpers/relay-network.js'
import { run, runToEnd, GINI } from '../helpers/processes.js'

/** Long rounds: a killed relay stays on the others' lists for the whole test (two missed rounds drop it, §22.1). */
const REFRESH_MS = 60_000

describe('relay list of a CLI peer (docs/protocol.md §22.2)', function () {
  this.timeout(180_000)
  const cleanup = new Cleanup()
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-relay-list-cli-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
  })
  afterEach(async () => { await cleanup.run() })

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, events: any[], stderr: string }> => {
    const r = await runToEnd(GINI, ['--data', join(dir, who), ...args])
    return { code: r.code, events: r.lines.map(l => JSON.parse(l)), stderr: r.stderr }
  }

  async function threeRelays (): Promise<Relay[]> {
    const r1 = await networkRelay(cleanup, '127.0.0.21', [], { listRefreshMs: REFRESH_MS })
    const r2 = await networkRelay(cleanup, '127.0.0.22', [r1], { listRefreshMs: REFRESH_MS })
    const r3 = await networkRelay(cleanup, '127.0.0.23', [r1], { listRefreshMs: REFRESH_MS })
    const all = [r1, r2, r3]
    await untilLists(all, () => all.every(r => listed(r).length === 3), 'all three lists to hold three relays')
    return all
  }

  it('peers set up with r1 (`gini init --relay`), r1 killed before their first pairing → the pairing runs at r2 or r3, and both sides\' events name that relay', async () => {
    const [r1, r2, r3] = await threeRelays()
    const relay = r1.multiaddrs[0].toString()
    for (const who of ['alice', 'bob']) {
      const init = await gini(who, 'init', '--name', who, '--relay', relay, '--json')
      expect(init.code, init.stderr).to.equal(0)
      expect(init.events[0]).to.include({ event: 'initialized', relay, relays: 3 })
      const kept = JSON.parse(await readFile(join(dir, who, 'relays.json'), 'utf8')) as { addrs: string[] }
      expect(kept.addrs.map(a => a.split('/p2p/')[1]).sort()).to.deep.equal([r1, r2, r3].map(r => r.peerId.toString()).sort())
    }
    await r1.node.stop() // no drain: gone as after a crash, still listed by r2 and r3
    expect(listed(r2), 'r2 still lists r1').to.include(r1.peerId.toString())

    const invite = run(GINI, ['--data', join(dir, 'alice'), 'invite', '--json'])
    cleanup.add(async () => { invite.kill() })
    const shown = await invite.waitFor(o => o.event === 'flash-code' || o.event === 'error', 60_000)
    expect(shown, JSON.stringify(shown)).to.include({ event: 'flash-code' })
    const at = [r2, r3].find(r => String(shown.relay).endsWith(`/p2p/${r.peerId.toString()}`))
    expect(at, `flash-code names r2 or r3: ${String(shown.relay)}`).to.not.equal(undefined)
    const accept = await gini('bob', 'accept', shown.code, '--json')
    expect(accept.code, accept.stderr + JSON.stringify(accept.events)).to.equal(0)
    expect(await invite.exited).to.equal(0)

    const inviterEvents = invite.lines.map(l => JSON.parse(l))
    for (const events of [inviterEvents, accept.events]) {
      expect(events.map(e => e.event)).to.include('contact-added')
      expect(events.find(e => e.event === 'matched')).to.include({ relay: shown.relay })
    }
    expect(await metricValue(at!, 'gini_gss_pairings_total{outcome="completed"}'), 'completed at the relay named').to.equal(1)
    const other = at === r2 ? r3 : r2
    expect(await metricValue(other, 'gini_gss_pairings_total{outcome="created"}'), 'Creates at the other').to.equal(0)
  })

  it('`gini init --relay` with a relay that does not answer → exit 0, the relay saved, `relays: null`, no relays.json', async () => {
    const init = await gini('carol', 'init', '--name', 'Carol', '--relay', '/ip4/127.0.0.1/tcp/9', '--json')
    expect(init.code, init.stderr).to.equal(0)
    expect(init.events[0]).to.include({ event: 'initialized', relay: '/ip4/127.0.0.1/tcp/9', relays: null })
    const err = await readFile(join(dir, 'carol', 'relays.json')).catch((e: NodeJS.ErrnoException) => e.code)
    expect(err).to.equal('ENOENT')
  })
})
