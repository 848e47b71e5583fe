// The cluster harness (scripts/cluster) on loopback with small numbers: real gini-relay and gini
// processes, one injected fault each. Every wait in the harness is bounded; these tests check that
// a fault shows up in the report as what it was, never as a hang.
import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { runCluster } from '../../scripts/cluster/run.js'
import { liveCount } from '../../scripts/lib/json-process.js'

const CLUSTER = join(process.cwd(), 'dist', 'scripts', 'cluster.js')

describe('cluster harness (npm run cluster)', function () {
  this.timeout(300_000)

  it('1 relay, 6 peers, 3 pairs, one peer killed mid-pairing → 2 succeed, 1 PEER_KILLED, relay stats from /proc', async () => {
    const report = await runCluster({ relays: 1, peers: 6, pairs: 3, killPeers: 1, seed: 42, concurrency: 3 })
    expect(report.pairings).to.equal(3)
    expect(report.succeeded, JSON.stringify(report.failures)).to.equal(2)
    expect(report.failed).to.deep.equal({ PEER_KILLED: 1 })
    expect(report.failures[0]).to.include({ code: 'PEER_KILLED' })
    expect(report.faults).to.have.length(1)
    expect(report.pairMs.n).to.equal(2)
    expect(report.pairMs.p50).to.be.greaterThan(0)
    expect(report.relayStats[0].peakRssMB).to.be.greaterThan(10)
    expect(report.relayStats[0].cpuSeconds).to.be.greaterThan(0)
    expect(report.relaysUsed).to.deep.include({ distinct: 1, perRelay: { r0: 2 } })
    expect(report.byCause).to.deep.equal({ ok: 2, 'peer-killed': 1 })
    expect(report.initLists, 'a relay on its own lists itself').to.deep.equal({ 1: 6 })
    expect(liveCount(), 'no process left behind').to.equal(0)
  })

  it('3 relays as one network, one killed and one added mid-run, one anchor pairing → pairings spread by HRW, counted per relay, every failure named by its relay fault', async () => {
    const report = await runCluster({ relays: 3, peers: 8, pairs: 4, killRelays: 1, addRelays: 1, faultsAfter: 1, anchorPairs: 1, seed: 7, concurrency: 2 })
    const killed = report.faults.filter(f => f.kind === 'relay-killed')
    const added = report.faults.filter(f => f.kind === 'relay-added')
    expect(killed, JSON.stringify(report.faults)).to.have.length(1)
    expect(killed[0].relay).to.be.oneOf([1, 2])
    expect(killed[0].listedEverywhereMs, 'every live relay dropped the killed one').to.be.a('number')
    expect(added, JSON.stringify(report.faults)).to.have.length(1)
    expect(added[0]).to.include({ relay: 3 })
    expect(added[0].listedEverywhereMs, 'every live relay lists the added one').to.be.a('number')
    expect(report.relayStats.map(s => s.added)).to.deep.equal([false, false, false, true])
    expect(report.relayStats[killed[0].relay!].killed).to.equal(true)
    // The relays' own counters account for every success, and agree with the relay the peers' events name.
    const counted = Object.values(report.relaysUsed.perRelay).reduce((x, y) => x + y, 0)
    expect(counted, JSON.stringify(report.relaysUsed)).to.equal(report.succeeded)
    expect(report.relaysUsed.perRelay).to.deep.equal(report.relaysUsed.reported)
    expect(report.relaysUsed.distinct).to.equal(Object.keys(report.relaysUsed.perRelay).length)
    // Every peer remembered the whole network when it was set up (gini init --relay, §22.2).
    expect(report.initLists).to.deep.equal({ 3: 8 })
    // …so a pairing started after its peer's configured relay was killed goes through the others.
    expect(report.configuredRelayDown.pairings, 'pairings after the kill with a peer of the killed relay').to.be.greaterThan(0)
    expect(report.configuredRelayDown.succeeded, JSON.stringify(report.failures)).to.equal(report.configuredRelayDown.pairings)
    expect(Object.values(report.byCause).reduce((x, y) => x + y, 0)).to.equal(4)
    for (const f of report.failures) expect(f.causeKind, JSON.stringify(f)).to.be.oneOf(['pairing-relay-killed', 'configured-relay-killed'])
    expect(report.succeeded).to.be.greaterThan(0)
    // The anchor pairing went through the relay on its own, outside the network's counts.
    expect(report.anchor, JSON.stringify(report.anchor)).to.deep.include({ pairings: 1, succeeded: 1, failed: {} })
    expect(report.anchor!.p50Ratio).to.be.greaterThan(0)
    expect(liveCount()).to.equal(0)
  })

  it('--kill-relays with one relay → RangeError before anything starts', async () => {
    let error: unknown
    try { await runCluster({ relays: 1, peers: 2, killRelays: 1 }) } catch (err) { error = err }
    expect(error).to.be.instanceOf(RangeError)
    expect(String(error)).to.match(/need --relays 2 or more/)
  })

  it('CLI --json → the last stdout line is one JSON object with succeeded, failed and pairMs {p50, p95}', async () => {
    const child = spawn(process.execPath, [CLUSTER, '--relays', '1', '--peers', '2', '--pairs', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => { out += String(d) })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    const last = JSON.parse(out.trim().split('\n').pop()!)
    expect(code).to.equal(0)
    expect(last).to.include({ succeeded: 1 })
    expect(last.failed).to.deep.equal({})
    expect(last.pairMs).to.have.all.keys('n', 'p50', 'p95', 'min', 'max', 'mean')
  })

  it('CLI bad usage (--pairs over what the pattern allows) → exit 2 before anything starts', async () => {
    const child = spawn(process.execPath, [CLUSTER, '--peers', '3', '--pairs', '9'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d) => { err += String(d) })
    expect(await new Promise((resolve) => child.once('exit', resolve))).to.equal(2)
    expect(err).to.match(/--pairs must be between 1 and 3/)
  })
})
