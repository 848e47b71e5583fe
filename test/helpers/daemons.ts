// Test helpers for the daemon and the CRP: two paired peers whose daemons run on a fake clock, and
// bounded waits for daemon events (every wait has a count and a time bound; nothing sleeps to let
// schedule time pass — the tests advance the fake clock).
import { createRelay, type Relay } from '../../relay/index.js'
import type { Daemon, DaemonOptions } from '../../peer/core/daemon/daemon.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import { makePeer, codeFrom, type TestPeer } from './peers.js'
import { FakeClock } from './fake-clock.js'

export interface DaemonPeer extends TestPeer {
  daemon?: Daemon
  log: DaemonEvent[]
  contact(): Promise<ContactRecord>
  start(opts: Omit<DaemonOptions, 'onEvent'>): Promise<Daemon>
  stopDaemon(): Promise<void>
}

/** `init`: more of the GiniNode's parts (a fault-injecting createPeerNode, test/helpers/direct-tcp.ts). */
export async function daemonPeer (
  name: string, clock: FakeClock, storageFor?: Parameters<typeof makePeer>[2], identity?: Parameters<typeof makePeer>[3], init: Parameters<typeof makePeer>[1] = {}
): Promise<DaemonPeer> {
  const p = await makePeer(name, { ...init, clock }, storageFor, identity)
  const dp: DaemonPeer = {
    ...p,
    log: [],
    async contact () {
      const all = await p.node.contacts()
      if (all.length !== 1) throw new Error(`${name} has ${all.length} contacts`)
      return all[0]
    },
    async start (opts) {
      dp.log.length = 0 // one log per daemon run
      dp.daemon = await p.node.startDaemon({ ...opts, onEvent: (e) => { dp.log.push(e) } })
      return dp.daemon
    },
    async stopDaemon () {
      const d = dp.daemon
      dp.daemon = undefined
      await d?.stop()
    },
    async cleanup () {
      await dp.stopDaemon().catch(() => {})
      await p.cleanup()
    }
  }
  return dp
}

/** Pairs two peers through `relayAddr` (creator `a`, joiner `b`). */
export async function pair (a: TestPeer, b: TestPeer, relayAddr: string): Promise<void> {
  const invite = a.node.invite({ relay: relayAddr, onProgress: (e) => a.events.push(e) })
  invite.catch(() => {})
  const code = await codeFrom(a.events)
  await Promise.all([invite, b.node.accept(code, { relay: relayAddr, onProgress: (e) => b.events.push(e) })])
}

/** A relay used only for the pairing, stopped right after: every address saved then is stale. */
export async function pairThroughThrowawayRelay (a: TestPeer, b: TestPeer): Promise<void> {
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  try {
    await pair(a, b, relay.multiaddrs[0].toString())
  } finally {
    await relay.stop()
  }
}

/** Resolves with the first event (from index `from` on) that matches; polls every 10 ms, bounded. */
export async function waitForEvent (log: DaemonEvent[], pred: (e: DaemonEvent) => boolean, ms = 20_000, from = 0): Promise<DaemonEvent> {
  const deadline = Date.now() + ms
  while (true) {
    const hit = log.slice(from).find(pred)
    if (hit != null) return hit
    if (Date.now() > deadline) throw new Error(`no matching event within ${ms} ms; got: ${log.slice(from).map(e => JSON.stringify(e)).join(' | ')}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

export const isState = (state: string) => (e: DaemonEvent): boolean => e.event === 'contact-state' && e.state === state

export async function startRelay (opts: Parameters<typeof createRelay>[0] = {}): Promise<Relay> {
  return await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], ...opts })
}

export interface PairedDaemons {
  relay: Relay
  relayAddr: string
  clock: FakeClock
  /** Alice invited, Bob accepted, through `relay`; neither daemon is started. */
  alice: DaemonPeer
  bob: DaemonPeer
  /** Run after each test, last first; a test pushes its own here. */
  cleanups: Array<() => Promise<void>>
  /** Another daemon peer on this test's clock, cleaned up after the test. */
  peer(name: string, identity?: Parameters<typeof daemonPeer>[3]): Promise<DaemonPeer>
}

/**
 * Registers the calling suite's hooks: one relay for the suite; before each test a new FakeClock and
 * Alice and Bob paired through the relay; after each test every cleanup. The fields are set by the
 * hooks, so read them in a hook or a test, not when the suite is declared.
 */
export function withPairedDaemons (): PairedDaemons {
  const s = { cleanups: [] } as unknown as PairedDaemons
  s.peer = async (name, identity) => {
    const p = await daemonPeer(name, s.clock, undefined, identity)
    s.cleanups.push(p.cleanup)
    return p
  }
  before(async () => {
    s.relay = await startRelay()
    s.relayAddr = s.relay.multiaddrs[0].toString()
  })
  after(async () => { await s.relay.stop() })
  beforeEach(async () => {
    s.clock = new FakeClock(Date.now())
    s.alice = await s.peer('Alice')
    s.bob = await s.peer('Bob')
    await pair(s.alice, s.bob, s.relayAddr)
  })
  afterEach(async () => { while (s.cleanups.length > 0) await s.cleanups.pop()!().catch(() => {}) })
  return s
}
