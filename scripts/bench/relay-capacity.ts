// Relay capacity: how many pending pairings one relay process holds and what they cost in RSS, and
// how many complete /gini/fc/1 pairings per second it serves at concurrency 10 and 100. The relay
// runs alone in its own process (relay-process.ts: Create/Join rate limits off); this process is
// the load generator. A pending pairing is what a waiting creator holds: its own libp2p
// connection (fresh identity, Noise, Yamux), a circuit reservation, and one /gini/fc/1 stream after
// `Create`. A pairing for the throughput test is the relay's whole part of one: two fresh
// identities connect, Create/Join, Matched, both CPace shares and MFCs, sealed offer and answer,
// both Done, the relay's close (the WebRTC upgrade and contact sync do not touch the relay).
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp, type TCPSocketOptions } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { JsonProcess } from '../lib/json-process.js'
import { ProcSampler, MB } from '../lib/proc-stats.js'
import { summarize, type Summary } from '../lib/stats.js'
import type { FrameChannel } from '../../protocols/common/index.js'
import { fcChannel, FC_PROTOCOL, FcMessage, FcPeer } from '../../protocols/fc/index.js'
import { flashCodeLookup, generateFlashCode, sodium, ready } from '../../protocols/crypto/index.js'

const RELAY = fileURLToPath(new URL('./relay-process.js', import.meta.url))
/** Bound on each step (a connection, a Create, one pairing). */
const STEP_LIMIT_MS = 30_000
/** Creators started at once while filling the relay (each is a full libp2p node here). */
const FILL_CONCURRENCY = 20
/** Time for the relay's heap to settle after a fill, before its RSS is read. */
const SETTLE_MS = 2_000

export interface PendingLevel { pending: number, rssMB: number }
export interface ThroughputResult {
  concurrency: number
  pairings: number
  failed: number
  seconds: number
  perSecond: number
  /** Relay CPU over the phase, in % of one core. */
  relayCpuPercent: number
  /** Relay CPU time over the phase divided by the pairings completed, in ms. */
  relayCpuMsPerPairing: number
  pairingMs: Summary
}
export interface CapacityResult {
  baselineRssMB: number
  levels: PendingLevel[]
  /** (RSS at the top level − baseline) / pending, in KiB. */
  kibPerPending: number
  peakRssMB: number
  throughput: ThroughputResult[]
}

/**
 * A fresh identity: TCP + Noise + Yamux, and with `reserveOn` a circuit reservation there. `from`
 * is the loopback source address it dials from (127.0.0.2, …: another network to the relay).
 */
async function clientNode (reserveOn?: Multiaddr, from?: string): Promise<Libp2p> {
  if (reserveOn == null) {
    const dialOpts = from != null ? { localAddress: from } as TCPSocketOptions : undefined
    return await createLibp2p({ transports: [tcp({ dialOpts })], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  }
  return await createLibp2p({
    addresses: { listen: [reserveOn.encapsulate('/p2p-circuit').toString()] },
    transports: [tcp(), circuitRelayTransport({ reservationCompletionTimeout: STEP_LIMIT_MS })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

async function stopNode (node: Libp2p): Promise<void> {
  await Promise.resolve(node.stop()).catch(() => {})
}

export async function forEachLimited<T> (items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) await fn(queue.shift()!)
  }))
}

export async function benchRelayCapacity (opts: {
  pendingLevels: number[]
  throughput: Array<{ concurrency: number, pairings: number }>
  onProgress?: (line: string) => void
}): Promise<CapacityResult> {
  await ready()
  const relay = new JsonProcess(process.execPath, [RELAY])
  const held: Array<{ node: Libp2p, fc?: FrameChannel<FcMessage> }> = []
  try {
    const addr = multiaddr((await relay.waitFor(o => o.event === 'listening', STEP_LIMIT_MS)).obj.addrs[0])
    const sampler = new ProcSampler(relay.child.pid!, 250)
    await new Promise(resolve => setTimeout(resolve, SETTLE_MS))
    const baselineRssMB = (sampler.sample()?.rssBytes ?? 0) / MB

    // 1. Pending pairings: creators that connected, reserved and sent Create, then wait.
    const levels: PendingLevel[] = []
    let filled = 0
    for (const target of opts.pendingLevels) {
      const toAdd = Math.max(0, target - held.length)
      await forEachLimited([...Array(toAdd).keys()], FILL_CONCURRENCY, async () => {
        const node = await clientNode(addr)
        const entry: { node: Libp2p, fc?: FrameChannel<FcMessage> } = { node }
        held.push(entry)
        const conn = await node.dial(addr, { signal: AbortSignal.timeout(STEP_LIMIT_MS) })
        const stream = await conn.newStream(FC_PROTOCOL, { signal: AbortSignal.timeout(STEP_LIMIT_MS) })
        entry.fc = fcChannel(stream)
        await entry.fc.write({ create: { lookup: randomBytes(3), sid: randomBytes(16) } })
        const reply = await entry.fc.read({ signal: AbortSignal.timeout(STEP_LIMIT_MS) })
        if (reply.created == null) throw new Error(`Create refused: ${JSON.stringify(reply.error ?? reply)}`)
        if (++filled % 100 === 0) opts.onProgress?.(`relay capacity: ${filled} pending pairings`)
      })
      await new Promise(resolve => setTimeout(resolve, SETTLE_MS))
      const stats = await relay.waitFor(o => o.event === 'stats' && o.pending >= target, STEP_LIMIT_MS).catch(() => undefined)
      const rssMB = (sampler.sample()?.rssBytes ?? 0) / MB
      levels.push({ pending: stats?.obj.pending ?? held.length, rssMB: round1(rssMB) })
      opts.onProgress?.(`relay capacity: ${target} pending → relay RSS ${rssMB.toFixed(0)} MB`)
    }
    const top = levels[levels.length - 1]
    const kibPerPending = top != null && top.pending > 0 ? ((top.rssMB - baselineRssMB) * 1024) / top.pending : NaN
    await Promise.all(held.splice(0).map(async h => { await stopNode(h.node) }))
    await new Promise(resolve => setTimeout(resolve, SETTLE_MS))

    // 2. Complete pairings per second at each concurrency.
    const throughput: ThroughputResult[] = []
    for (const phase of opts.throughput) {
      const cpu0 = sampler.sample()?.cpuSeconds ?? 0
      const durations: number[] = []
      let failed = 0
      const t0 = performance.now()
      await forEachLimited([...Array(phase.pairings).keys()], phase.concurrency, async () => {
        const start = performance.now()
        try {
          await onePairing(addr)
          durations.push(performance.now() - start)
        } catch {
          failed++
        }
      })
      const seconds = (performance.now() - t0) / 1000
      const cpu = (sampler.sample()?.cpuSeconds ?? cpu0) - cpu0
      throughput.push({
        concurrency: phase.concurrency,
        pairings: durations.length,
        failed,
        seconds: round1(seconds),
        perSecond: round1(durations.length / seconds),
        relayCpuPercent: round1((100 * cpu) / seconds),
        relayCpuMsPerPairing: round1((1000 * cpu) / Math.max(1, durations.length)),
        pairingMs: summarize(durations)
      })
      opts.onProgress?.(`relay capacity: concurrency ${phase.concurrency} → ${(durations.length / seconds).toFixed(1)} pairings/s`)
    }
    sampler.stop()
    return { baselineRssMB: round1(baselineRssMB), levels, kibPerPending: round1(kibPerPending), peakRssMB: round1((sampler.last?.peakRssBytes ?? 0) / MB), throughput }
  } finally {
    await Promise.all(held.map(async h => { await stopNode(h.node) }))
    relay.kill('SIGTERM')
    await relay.waitExit(10_000)
  }
}

/** The relay's whole part of one pairing, with the product's FcPeer on both sides; both dial from `from`. */
export async function onePairing (relay: Multiaddr, from?: string): Promise<void> {
  const [a, b] = await Promise.all([clientNode(undefined, from), clientNode(undefined, from)])
  try {
    const fc = generateFlashCode(8)
    const signal = AbortSignal.timeout(STEP_LIMIT_MS)
    const open = async (node: Libp2p, role: 'A' | 'B'): Promise<FcPeer> => {
      const conn = await node.dial(relay, { signal })
      const relayId = conn.remotePeer.toMultihash().bytes
      const stream = await conn.newStream(FC_PROTOCOL, { signal })
      return new FcPeer({
        channel: fcChannel(stream),
        role,
        fc,
        relayId,
        lookup: flashCodeLookup(relayId, fc),
        randomBytes: (n) => sodium.randombytes_buf(n)
      })
    }
    const own = (node: Libp2p): { peerId: Libp2p['peerId'], multiaddrs: Multiaddr[] } =>
      ({ peerId: node.peerId, multiaddrs: [relay.encapsulate(`/p2p-circuit/p2p/${node.peerId.toString()}`)] })
    const creator = await open(a, 'A')
    await creator.create(signal)
    const joiner = await open(b, 'B')
    const side = async (peer: FcPeer, node: Libp2p, first: Promise<void>): Promise<void> => {
      try {
        await first
        await peer.verify(signal)
        await peer.exchangePeerInfo(own(node), signal)
        await peer.done()
        await peer.awaitRelayClose(signal)
      } finally {
        peer.dispose()
      }
    }
    await Promise.all([side(creator, a, creator.awaitMatched(signal)), side(joiner, b, joiner.join(signal))])
  } finally {
    await Promise.all([stopNode(a), stopNode(b)])
  }
}

function round1 (x: number): number {
  return Math.round(x * 10) / 10
}
