// Attacks on a relay with its default limits, measured on loopback (a measurement, not a test):
// 1. a length prefix without end (3 MiB of 0xff after Created) while honest pairings run beside it;
// 2. one address (127.0.0.1) opening CONNECTION_ATTEMPTS connections, then an honest pairing from
//    another one (127.0.0.2);
// 3. a pending-table flood: CREATE_ATTEMPTS Creates from 127.0.0.1 (many identities);
// 4. IDLE_STREAMS /gini/fc/1 streams from 127.0.0.1 that never send a frame;
// 5. 2–4 at once.
// Reports the relay's RSS and CPU, the honest Join → Matched time, and for 2–5 the time of the
// relay's whole part of a legitimate pairing from 127.0.0.2 (relay-capacity.ts's onePairing)
// during the attack against the same on the idle relay. The relay runs in its own process from the
// build given as the first argument (default: this one), so an older build can be measured the
// same way. Prints one JSON line per attack. Usage: node dist/scripts/bench/relay-abuse.js [path/to/dist]
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp, type TCPSocketOptions } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLibp2p, type Libp2p } from 'libp2p'
import { frameChannel, type FrameChannel } from '../../protocols/common/framing.js'
import { FC_FRAME_MAX_BYTES, FC_PROTOCOL } from '../../protocols/fc/constants.js'
import { FcMessage } from '../../protocols/fc/pb/fc.js'
import { JsonProcess, killAll } from '../lib/json-process.js'
import { MB, ProcSampler } from '../lib/proc-stats.js'
import { onePairing } from './relay-capacity.js'

const SELF = fileURLToPath(import.meta.url)
/** `--attack <kind> <relay addr>`: this file run as the attacker's own process (see runAttack). */
const ATTACK_MODE = process.argv[2] === '--attack'
const DIST = resolve((ATTACK_MODE ? undefined : process.argv[2]) ?? join(dirname(SELF), '..', '..'))
const STEP_MS = 10_000
const FLOOD_BYTES = 3 * 1024 * 1024
const FLOOD_WATCH_MS = 25_000
const PAIRING_EVERY_MS = 250
const CONNECTION_ATTEMPTS = 500
const CONNECTION_FLOOD_MS = 60_000
const CREATE_ATTEMPTS = 10_000
/** Identities the pending-table flood spreads its Creates over (the per-peer bucket is small). */
const CREATE_IDENTITIES = 50
const CREATE_FLOOD_MS = 90_000
const IDLE_STREAMS = 1_000
const IDLE_STREAM_MS = 60_000
/** Legitimate pairings timed per condition (their median is reported). */
const LEGIT_RUNS = 5
const HONEST = '127.0.0.2'
const FC_STREAMS_PER_CONNECTION = 8
const CHILD = `const { createRelay } = await import(${JSON.stringify(join(DIST, 'relay', 'index.js'))})
const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
console.log(JSON.stringify({ event: 'listening', addrs: relay.multiaddrs.map(String) }))`

type Fc = FrameChannel<FcMessage>
const nodes: Libp2p[] = []

async function client (from?: string): Promise<Libp2p> {
  const dialOpts = from != null ? { localAddress: from } as TCPSocketOptions : undefined
  const node = await createLibp2p({ transports: [tcp({ dialOpts })], connectionEncrypters: [noise()], streamMuxers: [yamux()], services: { identify: identify() } })
  nodes.push(node)
  return node
}

async function openFc (addr: Multiaddr, from?: string): Promise<Fc> {
  const stream = await (await client(from)).dialProtocol(addr, FC_PROTOCOL, { signal: AbortSignal.timeout(STEP_MS) })
  return frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES)
}

/** Create, then Join: the time from sending Join to the joiner's Matched, in ms. */
async function honestJoinMs (addr: Multiaddr, from?: string): Promise<number> {
  const lookup = randomBytes(3)
  const a = await openFc(addr, from)
  await a.write({ create: { lookup, sid: randomBytes(16) } })
  if ((await a.read({ signal: AbortSignal.timeout(STEP_MS) })).created == null) throw new Error('Create refused')
  const b = await openFc(addr, from)
  const t0 = performance.now()
  await b.write({ join: { lookup, sid: randomBytes(16) } })
  if ((await b.read({ signal: AbortSignal.timeout(STEP_MS) })).matched == null) throw new Error('Join refused')
  const ms = performance.now() - t0
  for (const ch of [a, b]) ch.abort(new Error('measured'))
  return ms
}

function round (n: number): number { return Math.round(n * 10) / 10 }

function median (xs: number[]): number { return xs.length === 0 ? NaN : [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] }

/** LEGIT_RUNS legitimate pairings from 127.0.0.2, one after another: median ms and failures. */
async function legitPairings (addr: Multiaddr): Promise<{ medianMs: number, failed: number }> {
  const ms: number[] = []
  let failed = 0
  for (let i = 0; i < LEGIT_RUNS; i++) {
    const t0 = performance.now()
    try { await onePairing(addr, HONEST); ms.push(performance.now() - t0) } catch { failed++ }
  }
  return { medianMs: round(median(ms)), failed }
}

async function stopAll (list: Libp2p[]): Promise<void> {
  await Promise.all(list.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
}

/** Attack 2: as many as CONNECTION_ATTEMPTS connections from one identity at 127.0.0.1. */
async function connectionFlood (addr: Multiaddr): Promise<{ kept: number, refused: number, seconds: number }> {
  const flooder = await client()
  let open = 0
  let refused = 0
  const c0 = performance.now()
  for (let i = 0; i < CONNECTION_ATTEMPTS && performance.now() - c0 < CONNECTION_FLOOD_MS; i++) {
    try {
      await flooder.dial(addr, { force: true, signal: AbortSignal.timeout(STEP_MS) })
      open++
    } catch {
      refused++
      await new Promise(resolve => setTimeout(resolve, 10)) // libp2p's per-host rate (100/s) may be what refused
    }
  }
  return { kept: open, refused, seconds: round((performance.now() - c0) / 1000) }
}

/** Attack 3: CREATE_ATTEMPTS Creates from 127.0.0.1, spread over CREATE_IDENTITIES identities; accepted rows stay open. */
async function pendingTableFlood (addr: Multiaddr): Promise<{ created: number, refused: Record<string, number>, seconds: number }> {
  const refused: Record<string, number> = {}
  let created = 0
  let sent = 0
  const t0 = performance.now()
  const held: Fc[] = []
  await Promise.all(Array.from({ length: CREATE_IDENTITIES }, async () => {
    const node = await client().catch(() => undefined)
    if (node == null) return
    while (sent < CREATE_ATTEMPTS && performance.now() - t0 < CREATE_FLOOD_MS) {
      sent++
      try {
        const stream = await node.dialProtocol(addr, FC_PROTOCOL, { signal: AbortSignal.timeout(STEP_MS) })
        const fc = frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES)
        await fc.write({ create: { lookup: randomBytes(3), sid: randomBytes(16) } })
        const reply = await fc.read({ signal: AbortSignal.timeout(STEP_MS) })
        if (reply.created != null) { created++; held.push(fc) } else {
          const key = reply.error?.code ?? 'other'
          refused[key] = (refused[key] ?? 0) + 1
          fc.abort(new Error('refused'))
        }
      } catch (e: any) {
        const key = String(e?.name ?? 'error')
        refused[key] = (refused[key] ?? 0) + 1
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    }
  }))
  return { created, refused, seconds: round((performance.now() - t0) / 1000) }
}

/** Attack 4: IDLE_STREAMS /gini/fc/1 streams from 127.0.0.1 that never send a frame. */
async function idleStreams (addr: Multiaddr): Promise<{ opened: number, refused: number, seconds: number }> {
  let opened = 0
  let refused = 0
  let attempts = 0
  const t0 = performance.now()
  let node = await client()
  let onThis = 0
  while (attempts < IDLE_STREAMS && performance.now() - t0 < IDLE_STREAM_MS) {
    attempts++
    try {
      // A fresh connection every FC_STREAMS_PER_CONNECTION streams (the relay takes 8 per connection).
      if (onThis === FC_STREAMS_PER_CONNECTION) { node = await client(); onThis = 0 }
      onThis++
      await node.dialProtocol(addr, FC_PROTOCOL, { signal: AbortSignal.timeout(STEP_MS) })
      opened++
    } catch {
      refused++
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }
  return { opened, refused, seconds: round((performance.now() - t0) / 1000) }
}

async function main (): Promise<void> {
  const relay = new JsonProcess(process.execPath, ['--input-type=module', '-e', CHILD])
  try {
    const addr = multiaddr((await relay.waitFor(o => o.event === 'listening', STEP_MS)).obj.addrs[0])
    const sampler = new ProcSampler(relay.child.pid!, 100)
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const idle = sampler.sample()!
    const before = await honestJoinMs(addr)

    // 1. Length-prefix flood beside honest pairings.
    const attacker = await openFc(addr)
    await attacker.write({ create: { lookup: randomBytes(3), sid: randomBytes(16) } })
    await attacker.read({ signal: AbortSignal.timeout(STEP_MS) })
    const cpu0 = sampler.sample()!.cpuSeconds
    const t0 = performance.now()
    attacker.stream.send(new Uint8Array(FLOOD_BYTES).fill(0xff))
    let ended = false
    const verdict = attacker.read({ signal: AbortSignal.timeout(FLOOD_WATCH_MS) })
      .then(m => `frame ${Object.keys(m).join(',')}${m.error != null ? ` ${m.error.code}` : ''}`, (e: Error) => e.name)
      .finally(() => { ended = true })
    // Honest pairings while the flood is being read (each attempt: Create → Matched, or its failure).
    const joins: number[] = []
    const attempts: number[] = []
    let failed = 0
    // eslint-disable-next-line no-unmodified-loop-condition -- `ended` is set by the stream's close event
    while (performance.now() - t0 < FLOOD_WATCH_MS && (!ended || attempts.length < 3)) {
      const a0 = performance.now()
      try { joins.push(await honestJoinMs(addr)) } catch { failed++ }
      attempts.push(performance.now() - a0)
      await new Promise(resolve => setTimeout(resolve, PAIRING_EVERY_MS))
    }
    const flood = {
      attackerGot: await verdict,
      attackerAnsweredAfterMs: Math.round(performance.now() - t0),
      relayRssMB: { idle: round(idle.rssBytes / MB), peak: round(sampler.sample()!.peakRssBytes / MB) },
      relayCpuSeconds: round(sampler.sample()!.cpuSeconds - cpu0),
      honestJoinMs: { before: round(before), median: round(joins.sort((x, y) => x - y)[Math.floor(joins.length / 2)] ?? NaN), max: round(Math.max(...joins)), count: joins.length, failed },
      honestAttemptMs: attempts.map(round)
    }
    console.log(JSON.stringify({ attack: 'length-prefix flood', ...flood }))

    // 2–5: each attack from 127.0.0.1 while legitimate pairings run from 127.0.0.2. Attackers of one
    // phase are stopped (and the relay left to settle) before the next.
    const idleLegit = await legitPairings(addr)
    console.log(JSON.stringify({ attack: 'none (idle relay)', relayRssMB: round(sampler.sample()!.rssBytes / MB), legitPairing: idleLegit }))
    const attacks: Array<[string, string[]]> = [
      [`connection flood (${CONNECTION_ATTEMPTS} connections, one address)`, ['connections']],
      [`pending-table flood (${CREATE_ATTEMPTS} Creates, one address)`, ['creates']],
      [`idle streams (${IDLE_STREAMS} /gini/fc/1 streams without a frame, one address)`, ['streams']],
      ['all three at once', ['connections', 'creates', 'streams']]
    ]
    for (const [name, kinds] of attacks) {
      // Each attacker is its own process, so its work never slows the legitimate pairing's client.
      const procs = kinds.map(kind => new JsonProcess(process.execPath, [SELF, '--attack', kind, addr.toString()]))
      const run = async (): Promise<unknown[]> =>
        await Promise.all(procs.map(async p => (await p.waitFor(o => o.event === 'result', CREATE_FLOOD_MS + 4 * STEP_MS)).obj.result))
      const rss0 = sampler.sample()!.rssBytes
      const cpu1 = sampler.sample()!.cpuSeconds
      // The legitimate pairings start while the attack is under way and run to its end.
      const attack = run()
      attack.catch(() => {})
      await new Promise(resolve => setTimeout(resolve, 1_000))
      const during = await legitPairings(addr)
      const attacker = await attack.catch((e: Error) => `attacker failed: ${e.message}`)
      // …and while the attackers still hold what they got (connections, rows, streams).
      const after = await legitPairings(addr)
      for (const p of procs) p.kill()
      console.log(JSON.stringify({
        attack: name,
        attacker,
        relayRssMB: { before: round(rss0 / MB), after: round(sampler.sample()!.rssBytes / MB), peak: round(sampler.sample()!.peakRssBytes / MB) },
        relayCpuSeconds: round(sampler.sample()!.cpuSeconds - cpu1),
        legitPairingMs: { idle: idleLegit.medianMs, during: during.medianMs, duringFailed: during.failed, whileHeld: after.medianMs, whileHeldFailed: after.failed },
        ratio: round(Math.max(during.medianMs, after.medianMs) / idleLegit.medianMs)
      }))
      await stopAll(nodes)
      await new Promise(resolve => setTimeout(resolve, 2_000))
    }
    sampler.stop()
  } finally {
    await Promise.all(nodes.map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
    relay.kill()
    killAll()
  }
}

/** Attacker process: runs one attack against the relay, reports it, keeps what it holds until killed. */
async function runAttack (kind: string, addr: Multiaddr): Promise<void> {
  const attacks: Record<string, () => Promise<unknown>> = {
    connections: async () => await connectionFlood(addr),
    creates: async () => await pendingTableFlood(addr),
    streams: async () => await idleStreams(addr)
  }
  const result = await attacks[kind]()
  console.log(JSON.stringify({ event: 'result', result }))
  // Held until the benchmark has timed its pairings while the attack holds its gains, then killed.
  await new Promise(resolve => setTimeout(resolve, CREATE_FLOOD_MS))
}

if (ATTACK_MODE) await runAttack(process.argv[3], multiaddr(process.argv[4]))
else await main()
process.exit(0)
