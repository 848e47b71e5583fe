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
    expect(liveCount(), 'no process left behind').to.equal(0)
  })

  it('relay killed during the run → the report lists each pairing it took down, with the error the CLI gave', async () => {
    // Two relays; relay 0 dies as soon as its first pairing showed a code. Pairings 0 and 2 go to r0, 1 to r1.
    const report = await runCluster({ relays: 2, peers: 6, pairs: 3, killRelay: 0, killRelayAfter: 1, seed: 7, concurrency: 1 })
    expect(report.relayStats[0].killed).to.equal(true)
    const onR0 = report.failures.filter(f => f.relay === 0)
    expect(onR0.length, JSON.stringify(report)).to.equal(2)
    for (const f of onR0) {
      expect(f.cause).to.match(/relay r0 was killed/)
      expect(f.code).to.be.a('string').and.not.equal('HARNESS_TIMEOUT')
    }
    expect(report.failures.filter(f => f.relay === 1)).to.deep.equal([])
    expect(report.succeeded).to.equal(1)
    expect(liveCount()).to.equal(0)
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
