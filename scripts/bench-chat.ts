// `npm run bench:chat`: /gini/chat/1 between two daemons over loopback (docs/protocol.md §15).
// Round trip = send → the contact stored it (SQLite, synchronous=FULL) and its ack came back;
// throughput = a burst of messages, all stored on both sides. The anchor, in the same run and on the
// same connection: libp2p's ping round trip (the transport's floor, nothing stored).
// A benchmark, not a test: numbers go to BENCHMARKS.md, nothing here asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import type { Ping } from '@libp2p/ping'
import { createRelay } from '../relay/index.js'
import { releaseWebRtc } from '../peer/index.js'
import { openNamedNode, pairNodes } from './lib/paired-nodes.js'
import type { DaemonEvent } from '../peer/core/daemon/events.js'
import { pct, summarize, rounded } from './lib/stats.js'

const { values } = parseArgs({ options: { rtts: { type: 'string', default: '200' }, burst: { type: 'string', default: '2000' } } })
const RTTS = Math.max(10, Math.min(5_000, Number(values.rtts)))
const BURST = Math.max(10, Math.min(50_000, Number(values.burst)))
const STEP_LIMIT_MS = 10_000
const BURST_LIMIT_MS = 300_000

/** Resolves when `pred` matches an event from now on (bounded). */
function next (listeners: Set<(e: DaemonEvent) => void>, pred: (e: DaemonEvent) => boolean, ms: number): Promise<DaemonEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { listeners.delete(l); reject(new Error(`no matching event within ${ms} ms`)) }, ms)
    const l = (e: DaemonEvent): void => { if (pred(e)) { clearTimeout(timer); listeners.delete(l); resolve(e) } }
    listeners.add(l)
  })
}

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-chat-'))
const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], rateLimit: false })
try {
  const addr = relay.multiaddrs[0].toString()
  const [alice, bob] = [await openNamedNode(dir, 'alice'), await openNamedNode(dir, 'bob')]
  await pairNodes(alice, bob, addr)

  const aliceEvents = new Set<(e: DaemonEvent) => void>()
  const bobEvents = new Set<(e: DaemonEvent) => void>()
  const aliceOnline = next(aliceEvents, e => e.event === 'contact-state' && e.state === 'online', 30_000)
  const a = await alice.startDaemon({ relays: [addr], onEvent: (e) => { for (const l of [...aliceEvents]) l(e) } })
  const b = await bob.startDaemon({ relays: [addr], onEvent: (e) => { for (const l of [...bobEvents]) l(e) } })
  await aliceOnline
  const bobId = (await alice.contacts())[0].id
  const link = a.linkOf(bobId)!
  const direct = !link.connection.remoteAddr.toString().includes('/p2p-circuit')

  // Anchor: libp2p ping on the very connection chat uses.
  const ping = (a as unknown as { node: { services: { ping: Ping } } }).node.services.ping
  const pings: number[] = []
  for (let i = 0; i < RTTS; i++) pings.push(await ping.ping(link.connection.remotePeer, { signal: AbortSignal.timeout(STEP_LIMIT_MS) }))

  const rtts: number[] = []
  for (let i = 0; i < RTTS; i++) {
    const t0 = performance.now()
    const acked = next(aliceEvents, e => e.event === 'delivered', STEP_LIMIT_MS)
    await a.chat.send(bobId, 'MESSAGE', `rtt ${i}`)
    await acked
    rtts.push(performance.now() - t0)
  }

  const t0 = performance.now()
  let delivered = 0
  const allDelivered = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`only ${delivered} of ${BURST} delivered`)) }, BURST_LIMIT_MS)
    aliceEvents.add((e) => { if (e.event === 'delivered' && ++delivered === BURST) { clearTimeout(timer); resolve() } })
  })
  for (let i = 0; i < BURST; i++) await a.chat.send(bobId, 'MESSAGE', `burst ${i}`)
  await allDelivered
  const burstMs = performance.now() - t0
  const storedOnBob = (await (await bob.messages()).list((await bob.contacts())[0].id)).length
  const storedOnAlice = (await (await alice.messages()).list(bobId)).length

  const result = {
    bench: 'chat',
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, load: loadavg().map(l => Number(l.toFixed(2))) },
    link: direct ? 'direct WebRTC' : 'relayed',
    anchorPingMs: { ...rounded(summarize(pings), 2), p99: Math.round(pct(pings, 99) * 100) / 100 },
    roundTripMs: { ...rounded(summarize(rtts), 2), p99: Math.round(pct(rtts, 99) * 100) / 100 },
    burst: { messages: BURST, ms: Math.round(burstMs), perSecond: Math.round(BURST / (burstMs / 1000)), storedOnBob, storedOnAlice }
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n')
  await a.stop()
  await b.stop()
  await alice.close()
  await bob.close()
} finally {
  await relay.stop()
  await rm(dir, { recursive: true, force: true })
  await releaseWebRtc()
}
