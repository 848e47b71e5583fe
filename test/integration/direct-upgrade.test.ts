// A session that came up through the relay's circuit, because every WebRTC dial failed (a fault),
// becomes direct once WebRTC works again, with no restart and no offline moment: the daemon with
// the smaller peer id tries again on DIRECT_UPGRADE_DELAYS_MS (peer/core/daemon/daemon.ts).
import { expect } from 'chai'
import { createPeerNode } from '../../peer/index.js'
import type { CreatePeerNode } from '../../peer/core/peer-node.js'
import type { Daemon } from '../../peer/core/daemon/daemon.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import type { Relay } from '../../relay/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { makePeer, type TestPeer } from '../helpers/peers.js'
import { isState, pair, startRelay, waitForEvent } from '../helpers/daemons.js'

/** Every node these peers make refuses to dial a WebRTC address while `blocked` (the fault). */
function webrtcFault (): { blocked: boolean, createPeerNode: CreatePeerNode } {
  const fault = {
    blocked: false,
    createPeerNode: (async (opts) => {
      const node = await createPeerNode(opts)
      const dial = node.dial.bind(node)
      node.dial = (async (addr, options) => {
        if (fault.blocked && String(addr).includes('/webrtc')) throw new Error('WebRTC dial blocked (test fault)')
        return await dial(addr, options)
      }) as typeof node.dial
      return node
    }) satisfies CreatePeerNode
  }
  return fault
}

const isSession = (e: DaemonEvent): boolean => e.event === 'session'

describe('direct upgrade: a relayed session becomes direct when WebRTC works again', function () {
  this.timeout(120_000)
  let relay: Relay
  const cleanups: Array<() => Promise<void>> = []
  before(async () => { relay = await startRelay() })
  after(async () => {
    while (cleanups.length > 0) await cleanups.pop()!().catch(() => {})
    await relay.stop()
  })

  it('both daemons start while WebRTC dials fail → online over the circuit; the fault ends → a direct session on the same run, never offline', async () => {
    const relayAddr = relay.multiaddrs[0].toString()
    const fault = webrtcFault()
    const clock = new FakeClock(Date.now())
    const peers: TestPeer[] = []
    for (const name of ['Alice', 'Bob']) {
      const p = await makePeer(name, { clock, createPeerNode: fault.createPeerNode })
      cleanups.push(p.cleanup)
      peers.push(p)
    }
    const [alice, bob] = peers
    await pair(alice, bob, relayAddr)

    fault.blocked = true
    const logs: DaemonEvent[][] = [[], []]
    const daemons: Daemon[] = []
    for (const [i, p] of peers.entries()) {
      const d = await p.node.startDaemon({ relays: [relayAddr], onEvent: (e) => { logs[i].push(e) } })
      cleanups.push(async () => { await d.stop() })
      daemons.push(d)
    }
    for (const log of logs) await waitForEvent(log, isState('online'), 60_000)
    const firstSessions = logs.flatMap(log => log.filter(isSession))
    expect(firstSessions.length).to.be.greaterThan(0)
    expect(firstSessions.every(e => (e as any).direct === false), JSON.stringify(firstSessions)).to.equal(true)

    const marks = logs.map(log => log.length)
    fault.blocked = false
    const upgraded = await Promise.any(logs.map(async (log, i) => await waitForEvent(log, e => isSession(e) && (e as any).direct === true, 90_000, marks[i])))
    expect(upgraded).to.include({ event: 'session', direct: true })
    const [aliceId, bobId] = await Promise.all([bob.node.contacts(), alice.node.contacts()]).then(([b, a]) => [b[0].id, a[0].id])
    expect(daemons[0].linkOf(bobId)?.direct, 'Alice uses the direct link').to.equal(true)
    expect(daemons[1].linkOf(aliceId)?.direct, 'Bob uses the direct link').to.equal(true)
    for (const [i, log] of logs.entries()) {
      expect(log.slice(marks[i]).filter(isState('offline')), 'no offline moment on the way').to.deep.equal([])
    }
  })
})
