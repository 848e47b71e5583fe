// Operator endpoints: /metrics carries outcome-labelled GSS counters and libp2p's own metrics, and
// never a lookup, sid or peer id of a client; /healthz answers JSON.
import { expect } from 'chai'
import { createRelay, type Relay } from '../../relay/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'

describe('relay metrics and health endpoints', function () {
  let relay: Relay
  const peers: TestPeer[] = []
  before(async () => {
    relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], metrics: { host: '127.0.0.1', port: 0 } })
  })
  after(async () => {
    await relay.stop()
    for (const p of peers) await p.cleanup()
  })

  it('after one pairing and one wrong code → counters by outcome, no client identifiers', async () => {
    const addr = relay.multiaddrs[0].toString()
    const alice = await makePeer('Alice')
    const bob = await makePeer('Bob')
    peers.push(alice, bob)
    const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) })
    await Promise.all([invite, bob.node.accept(await codeFrom(alice.events), { relay: addr })])
    await bob.node.accept('0000-0000', { relay: addr }).catch(() => {})

    const text = await (await fetch(`${relay.metricsUrl!}/metrics`)).text()
    expect(text).to.match(/gini_gss_pairings_total\{outcome="completed"\} 1/)
    expect(text).to.match(/gini_gss_pairings_total\{outcome="no-match"\} 1/)
    expect(text).to.match(/gini_gss_pending_pairings 0/)
    expect(text).to.match(/gini_crp_rows 0/)
    expect(text).to.include('libp2p_')
    for (const id of [alice.node.peerId.toString(), bob.node.peerId.toString()]) expect(text).to.not.include(id)

    const health = await (await fetch(`${relay.metricsUrl!}/healthz`)).json()
    expect(health).to.include({ status: 'ok', peerId: relay.peerId.toString(), pendingPairings: 0 })
  })

  it('unknown path → 404 with a hint', async () => {
    const res = await fetch(`${relay.metricsUrl!}/nope`)
    expect(res.status).to.equal(404)
  })
})
