// 50 pairings at once through one relay with its default limits: libp2p's own defaults
// (15 reservations, 128 KiB per relayed link) would fail this; the relay sets its limits explicitly.
import { expect } from 'chai'
import { createRelay, type Relay } from '../../relay/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'

const CONCURRENT_PAIRINGS = 50

describe('relay under concurrent pairings', function () {
  this.timeout(180_000)
  let relay: Relay
  const peers: TestPeer[] = []

  before(async () => { relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] }) })
  after(async () => {
    await relay.stop()
    await Promise.all(peers.map(async p => { await p.cleanup() }))
  })

  it(`${CONCURRENT_PAIRINGS} pairings at once → all complete, every contact stored, no row left`, async () => {
    const addr = relay.multiaddrs[0].toString()
    const pairs = await Promise.all(Array.from({ length: CONCURRENT_PAIRINGS }, async (_, i) => {
      const alice = await makePeer(`Alice ${i}`)
      const bob = await makePeer(`Bob ${i}`)
      peers.push(alice, bob)
      return { alice, bob }
    }))
    const results = await Promise.allSettled(pairs.map(async ({ alice, bob }) => {
      const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) })
      invite.catch(() => {})
      const code = await codeFrom(alice.events)
      await Promise.all([invite, bob.node.accept(code, { relay: addr })])
    }))
    const failures = results.filter(r => r.status === 'rejected').map(r => String((r as PromiseRejectedResult).reason))
    expect(failures, failures.join('\n')).to.deep.equal([])
    for (const [i, { alice, bob }] of pairs.entries()) {
      expect((await alice.node.contacts()).map(c => c.name)).to.deep.equal([`Bob ${i}`])
      expect((await bob.node.contacts()).map(c => c.name)).to.deep.equal([`Alice ${i}`])
    }
    expect(relay.fc.pendingCount).to.equal(0)
  })
})
