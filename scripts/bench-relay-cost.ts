// What each part of a pending pairing costs the relay, and its CPU per completed pairing (a
// measurement, not a test). For each stage a fresh relay process (scripts/bench/relay-process.ts,
// run with --expose-gc so its heap is read after a collection) takes N clients that stop at that
// stage; the relay's RSS, V8 heap and off-heap buffers before and after, divided by N, are the
// stage's cost. Stages:
//   conn         TCP + Noise + Yamux, the client runs no identify (the relay's identify fails)
//   identify     + identify both ways
//   stream       + one open /gini/fc/1 stream, nothing sent
//   row          + Create → Created (a NewConnections row): a pending pairing without a reservation
//   reservation  identify + a circuit reservation, no /gini/fc/1 stream
//   full         reservation + stream + row: what a waiting creator holds today
// Then `--pairings` complete pairings at concurrency 100 (bench/relay-capacity.ts's onePairing: the
// relay's whole part of a pairing) give the relay CPU per pairing. This process is the load
// generator; the relay runs alone in its own. With `--baseline <dist>` every step runs against that
// build's relay too, in the same run (alternating), for before/after tables.
// Usage: node dist/scripts/bench-relay-cost.js [--n 2000] [--pairings 300] [--stages a,b | --parts] [--baseline dir]
// `--parts` is the per-part breakdown alone: every stage, no pairings phase (N ≤ 2000, RUN_LIMIT_MS).
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { JsonProcess, killAll } from './lib/json-process.js'
import { ProcSampler } from './lib/proc-stats.js'
import { fcChannel, FC_PROTOCOL } from '../protocols/fc/index.js'
import { ready } from '../protocols/crypto/index.js'
import { forEachLimited, onePairing } from './bench/relay-capacity.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const RELAY = join(HERE, 'bench', 'relay-process.js')
const STAGES = ['conn', 'identify', 'stream', 'row', 'reservation', 'full'] as const
type Stage = typeof STAGES[number]
/** Bound on each step (one client reaching its stage, one pairing). */
const STEP_MS = 30_000
/** Clients set up at once. */
const FILL_CONCURRENCY = 20
/** Time for the relay to settle (and collect) before a reading. */
const SETTLE_MS = 3_000
/** Idle connections must outlive the measurement (the relay's default closes them after 30 s). */
const IDLE_MS = 3_600_000
/** Bound on the whole run. */
const RUN_LIMIT_MS = 40 * 60_000
const PAIRING_CONCURRENCY = 100
const KIB = 1024

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] != null ? process.argv[i + 1] : fallback
}
const N = Math.min(2_000, Math.max(1, Number(arg('n', '2000'))))
const PARTS = process.argv.includes('--parts')
const PAIRINGS = PARTS ? 0 : Math.min(5_000, Math.max(0, Number(arg('pairings', '300'))))
const stages = arg('stages', STAGES.join(',')).split(',').filter((s): s is Stage => (STAGES as readonly string[]).includes(s))
const builds: Array<{ name: string, dist?: string }> = [{ name: 'this build' }]
if (process.argv.includes('--baseline')) builds.unshift({ name: 'baseline', dist: resolve(arg('baseline', '')) })
const deadline = Date.now() + RUN_LIMIT_MS

interface Memory { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number, connections: number, pending: number }

async function startRelay (dist?: string): Promise<{ proc: JsonProcess, addr: Multiaddr }> {
  const proc = new JsonProcess(process.execPath, ['--expose-gc', RELAY, ...(dist != null ? [dist] : []), '--idle-ms', String(IDLE_MS)])
  const addr = multiaddr((await proc.waitFor(o => o.event === 'listening', STEP_MS)).obj.addrs[0])
  return { proc, addr }
}

/** The relay's first stats line after SETTLE_MS (collections have run by then). */
async function settledMemory (proc: JsonProcess): Promise<Memory> {
  await new Promise(resolve => setTimeout(resolve, SETTLE_MS))
  const since = performance.now()
  const limit = since + STEP_MS
  let line = proc.lines.findLast(l => l.obj.event === 'stats' && l.at >= since)
  while (line == null) {
    if (performance.now() > limit || !proc.running) throw new Error('the relay stopped reporting')
    await new Promise(resolve => setTimeout(resolve, 100))
    line = proc.lines.findLast(l => l.obj.event === 'stats' && l.at >= since)
  }
  const o = line.obj
  return { rss: o.rss, heapTotal: o.heapTotal, heapUsed: o.heapUsed, external: o.external, arrayBuffers: o.arrayBuffers, connections: o.connections, pending: o.pending }
}

/** One client, stopped at `stage`. */
async function client (stage: Stage, relay: Multiaddr): Promise<Libp2p> {
  const reserve = stage === 'reservation' || stage === 'full'
  const node = await createLibp2p({
    ...(reserve ? { addresses: { listen: [relay.encapsulate('/p2p-circuit').toString()] } } : {}),
    transports: reserve ? [tcp(), circuitRelayTransport({ reservationCompletionTimeout: STEP_MS })] : [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: (stage === 'conn' ? {} : { identify: identify() }) as Record<string, never>
  })
  try {
    const signal = AbortSignal.timeout(STEP_MS)
    const conn = await node.dial(relay, { signal })
    if (reserve) {
      while (!node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit'))) {
        if (signal.aborted) throw new Error('no reservation')
        await new Promise(resolve => setTimeout(resolve, 5))
      }
    }
    if (stage === 'stream' || stage === 'row' || stage === 'full') {
      const fc = fcChannel(await conn.newStream(FC_PROTOCOL, { signal }))
      if (stage !== 'stream') {
        await fc.write({ create: { lookup: randomBytes(3), sid: randomBytes(16) } })
        if ((await fc.read({ signal })).created == null) throw new Error('Create refused')
      }
    }
    return node
  } catch (err) {
    await Promise.resolve(node.stop()).catch(() => {})
    throw err
  }
}

interface StageResult {
  build: string
  stage: Stage
  clients: number
  /** Clients that did not reach the stage within STEP_MS. */
  failed: number
  /** Per client, in KiB: RSS, V8 heap reserved and in use, memory outside the heap (external, of which ArrayBuffers). */
  perClientKiB: { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }
  relay: { before: Memory, after: Memory }
  seconds: number
}

async function measureStage (build: { name: string, dist?: string }, stage: Stage): Promise<StageResult> {
  const { proc, addr } = await startRelay(build.dist)
  const nodes: Libp2p[] = []
  try {
    const before = await settledMemory(proc)
    const t0 = performance.now()
    let failed = 0
    await forEachLimited([...Array(N).keys()], FILL_CONCURRENCY, async () => {
      if (Date.now() > deadline) { failed++; return }
      // A client that did not reach its stage is counted, not held: the cost divides by those held.
      try { nodes.push(await client(stage, addr)) } catch { failed++ }
    })
    const seconds = (performance.now() - t0) / 1000
    const after = await settledMemory(proc)
    const per = (k: keyof Memory): number => Math.round((10 * (after[k] - before[k])) / nodes.length / KIB) / 10
    const result: StageResult = {
      build: build.name,
      stage,
      clients: nodes.length,
      failed,
      perClientKiB: { rss: per('rss'), heapTotal: per('heapTotal'), heapUsed: per('heapUsed'), external: per('external'), arrayBuffers: per('arrayBuffers') },
      relay: { before, after },
      seconds: Math.round(seconds * 10) / 10
    }
    return result
  } finally {
    await Promise.all(nodes.map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
    proc.kill('SIGTERM')
    await proc.waitExit(10_000)
  }
}

interface PairingResult { build: string, concurrency: number, pairings: number, failed: number, seconds: number, perSecond: number, relayCpuMsPerPairing: number }

async function measurePairings (build: { name: string, dist?: string }): Promise<PairingResult> {
  const { proc, addr } = await startRelay(build.dist)
  try {
    await settledMemory(proc)
    const sampler = new ProcSampler(proc.child.pid!, 250)
    const cpu0 = sampler.sample()!.cpuSeconds
    let ok = 0
    let failed = 0
    const t0 = performance.now()
    await forEachLimited([...Array(PAIRINGS).keys()], PAIRING_CONCURRENCY, async () => {
      if (Date.now() > deadline) { failed++; return }
      try { await onePairing(addr); ok++ } catch { failed++ }
    })
    const seconds = (performance.now() - t0) / 1000
    const cpu = sampler.sample()!.cpuSeconds - cpu0
    sampler.stop()
    return {
      build: build.name,
      concurrency: PAIRING_CONCURRENCY,
      pairings: ok,
      failed,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round((10 * ok) / seconds) / 10,
      relayCpuMsPerPairing: Math.round((10 * 1000 * cpu) / Math.max(1, ok)) / 10
    }
  } finally {
    proc.kill('SIGTERM')
    await proc.waitExit(10_000)
  }
}

async function main (): Promise<void> {
  await ready()
  const say = (line: string): void => { process.stderr.write(line + '\n') }
  const results: StageResult[] = []
  for (const stage of stages) {
    for (const build of builds) {
      const r = await measureStage(build, stage)
      say(`${build.name} ${stage}: ${r.clients} clients → ${r.perClientKiB.rss} KiB RSS, ${r.perClientKiB.heapUsed} KiB heap each (${r.seconds} s)`)
      results.push(r)
    }
  }
  const pairings: PairingResult[] = []
  if (PAIRINGS > 0) {
    for (const build of builds) {
      const r = await measurePairings(build)
      say(`${build.name} pairings: ${r.perSecond}/s, relay CPU ${r.relayCpuMsPerPairing} ms each`)
      pairings.push(r)
    }
  }
  console.log(JSON.stringify({ n: N, node: process.version, stages: results, pairings }, null, 2))
}

try {
  await main()
} finally {
  killAll()
}
process.exit(0)
