// A session that came up through the relay's circuit, because every WebRTC dial failed (a fault),
// becomes direct once WebRTC works again, with no restart and no offline moment: the daemon with
// the smaller peer id tries again on DIRECT_UPGRADE_DELAYS_MS (peer/core/daemon/daemon.ts). The
// same when the direct link is cut later and only the relayed one is left.
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

  /** Alice and Bob paired; both daemons started while WebRTC dials fail, so online over the circuit only. */
  async function onlineRelayedOnly (fault: ReturnType<typeof webrtcFault>, opts: { directTcp?: boolean } = {}): Promise<{ logs: DaemonEvent[][], daemons: Daemon[], ids: [string, string] }> {
    const relayAddr = relay.multiaddrs[0].toString()
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
      const d = await p.node.startDaemon({ relays: [relayAddr], ...opts, onEvent: (e) => { logs[i].push(e) } })
      cleanups.push(async () => { await d.stop() })
      daemons.push(d)
    }
    for (const log of logs) await waitForEvent(log, isState('online'), 60_000)
    const firstSessions = logs.flatMap(log => log.filter(isSession))
    expect(firstSessions.length).to.be.greaterThan(0)
    expect(firstSessions.every(e => (e as any).direct === false), JSON.stringify(firstSessions)).to.equal(true)
    const [aliceId, bobId] = await Promise.all([bob.node.contacts(), alice.node.contacts()]).then(([b, a]) => [b[0].id, a[0].id])
    return { logs, daemons, ids: [bobId, aliceId] }
  }

  /** Both sides end up on a direct session after the marks, and were never offline on the way. */
  async function directAgain (logs: DaemonEvent[][], daemons: Daemon[], ids: [string, string], marks: number[]): Promise<void> {
    const upgraded = await Promise.any(logs.map(async (log, i) => await waitForEvent(log, e => isSession(e) && (e as any).direct === true, 90_000, marks[i])))
    expect(upgraded).to.include({ event: 'session', direct: true })
    for (let i = 0; i < 3000 && !(daemons[0].linkOf(ids[0])?.direct === true && daemons[1].linkOf(ids[1])?.direct === true); i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect(daemons[0].linkOf(ids[0])?.direct, 'Alice uses the direct link').to.equal(true)
    expect(daemons[1].linkOf(ids[1])?.direct, 'Bob uses the direct link').to.equal(true)
    for (const [i, log] of logs.entries()) {
      expect(log.slice(marks[i]).filter(isState('offline')), 'no offline moment on the way').to.deep.equal([])
    }
  }

  it('both daemons start while WebRTC dials fail → online over the circuit; the fault ends → a direct session on the same run, never offline', async () => {
    const fault = webrtcFault()
    const { logs, daemons, ids } = await onlineRelayedOnly(fault)
    const marks = logs.map(log => log.length)
    fault.blocked = false
    await directAgain(logs, daemons, ids, marks)
  })

  it('direct over WebRTC, then that connection is cut while the relayed one stays → a direct session again on the same run, never offline', async () => {
    const fault = webrtcFault()
    // No TCP link (§17.6): the WebRTC connection is the only direct one.
    const { logs, daemons, ids } = await onlineRelayedOnly(fault, { directTcp: false })
    const online = logs.map(log => log.length)
    fault.blocked = false
    await directAgain(logs, daemons, ids, online)
    const direct = daemons[0].linksOf(ids[0]).find(l => l.direct)!
    expect(daemons[0].linksOf(ids[0]).some(l => !l.direct), 'the relayed link is still there').to.equal(true)
    const marks = logs.map(log => log.length)
    direct.connection.abort(new Error('test fault: the direct link is cut'))
    for (let i = 0; i < 1000 && daemons[0].linksOf(ids[0]).some(l => l.connection === direct.connection); i++) await new Promise(resolve => setTimeout(resolve, 10))
    await directAgain(logs, daemons, ids, marks)
    expect(daemons[0].linkOf(ids[0])?.connection, 'a new direct connection').to.not.equal(direct.connection)
  })
})
