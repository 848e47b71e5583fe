// Two attacks on a relay with its default limits, measured on loopback (a measurement, not a test):
// 1. a length prefix without end (3 MiB of 0xff after Created) while honest pairings run beside it;
// 2. one address opening as many connections as it can, then an honest pairing from another one.
// Reports the relay's RSS and CPU and the honest Join → Matched time. The relay runs in its own
// process from the build given as the first argument (default: this one), so an older build can be
// measured the same way. Usage: node dist/scripts/bench/relay-abuse.js [path/to/dist]
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

const DIST = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'))
const STEP_MS = 10_000
const FLOOD_BYTES = 3 * 1024 * 1024
const FLOOD_WATCH_MS = 25_000
const PAIRING_EVERY_MS = 250
const CONNECTION_ATTEMPTS = 2_300
const CONNECTION_FLOOD_MS = 60_000
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

    // 2. Connection flood from 127.0.0.1, then an honest pairing from 127.0.0.2.
    const rss0 = sampler.sample()!.rssBytes
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
    const floodMs = performance.now() - c0
    let honest: string
    try { honest = `Matched after ${round(await honestJoinMs(addr, '127.0.0.2'))} ms` } catch (e: any) { honest = `failed: ${String(e?.message ?? e)}` }
    console.log(JSON.stringify({
      attack: 'connection flood (one address)',
      connectionsKept: open,
      refused,
      floodSeconds: round(floodMs / 1000),
      relayRssMB: { before: round(rss0 / MB), after: round(sampler.sample()!.rssBytes / MB) },
      honestPairingFromOtherAddress: honest
    }))
    sampler.stop()
  } finally {
    await Promise.all(nodes.map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
    relay.kill()
    killAll()
  }
}

await main()
process.exit(0)
