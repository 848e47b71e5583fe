// Attacks on a relay with its default limits, measured on loopback (a measurement, not a test):
// 1. a length prefix without end (3 MiB of 0xff after Created) while honest pairings run beside it;
// 2. one address (127.0.0.1) opening CONNECTION_ATTEMPTS connections, then an honest pairing from
//    another one (127.0.0.2);
// 3. a pending-table flood: CREATE_ATTEMPTS Creates from 127.0.0.1 (many identities);
// 4. IDLE_STREAMS /gini/fc/1 streams from 127.0.0.1 that never send a frame;
// 5. 2–4 at once.
// Every phase runs --repeat times (default 3), each on a fresh relay process, interleaved (repeat 1
// of every phase, then repeat 2, …). Each phase first times the legitimate pairing from 127.0.0.2
// (relay-capacity.ts's onePairing; for phase 1 the honest Join → Matched) on its idle fresh relay,
// then during the attack (from 1 s after every attacker process said it is under way, so the
// attackers' own start is not what is timed) and while they hold what they got, so a ratio compares samples
// taken seconds apart at the same load. A cell is the median of the per-repeat medians with their
// min–max. The relay runs from the build given as the positional argument (default: this one), so
// an older build can be measured the same way. Prints one JSON line per phase and repeat, then the
// BENCHMARKS.md block, which it writes between the bench:abuse markers unless --no-write.
// Usage: node dist/scripts/bench/relay-abuse.js [--repeat N] [--only streams,all] [--cpu-prof DIR] [--no-write] [path/to/dist]
//   --cpu-prof DIR: the relay process writes a V8 CPU profile per phase and repeat into DIR.
//   --attacker-nice N: the attacker processes run under `nice -n N`, so on a box of few cores they
//     take less CPU from the relay (an attacker on other machines takes none).
//   --attacker-cpus LIST, --relay-cpus LIST (taskset(1) CPU lists, e.g. 1 and 0): the attackers run
//     on LIST only; this process (the legitimate pairing) and the relay it starts on the other LIST,
//     so the attack's own CPU is not taken from the relay, as with an attacker on other machines.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp, type TCPSocketOptions } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
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
const ARGS = ATTACK_MODE
  ? undefined
  : parseArgs({
    allowPositionals: true,
    options: { repeat: { type: 'string', default: '3' }, 'attacker-nice': { type: 'string' }, 'attacker-cpus': { type: 'string' }, 'relay-cpus': { type: 'string' }, only: { type: 'string' }, 'cpu-prof': { type: 'string' }, 'no-write': { type: 'boolean', default: false } }
  })
const DIST = resolve(ARGS?.positionals[0] ?? join(dirname(SELF), '..', '..'))
/** At most MAX_REPEAT repeats: every loop of the benchmark is bounded. */
const MAX_REPEAT = 20
const REPEAT = Number(ARGS?.values.repeat ?? 3)
const CPU_PROF_DIR = ARGS?.values['cpu-prof'] != null ? resolve(ARGS.values['cpu-prof']) : undefined
const ATTACKER_NICE = ARGS?.values['attacker-nice'] != null ? Number(ARGS.values['attacker-nice']) : undefined
const ATTACKER_CPUS = ARGS?.values['attacker-cpus']
const RELAY_CPUS = ARGS?.values['relay-cpus']
const NO_WRITE = ARGS?.values['no-write'] === true
const COMMAND = `npm run bench:abuse${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`
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
console.log(JSON.stringify({ event: 'listening', addrs: relay.multiaddrs.map(String) }))
process.on('SIGTERM', () => process.exit(0))`

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

let saidAttacking = false
/** Attacker process: says once that its attack is under way (its node is up, the first dial goes out), so the benchmark times the attack, not the attacker's start. */
function attacking (): void {
  if (saidAttacking || !ATTACK_MODE) return
  saidAttacking = true
  console.log(JSON.stringify({ event: 'attacking' }))
}

async function stopAll (list: Libp2p[]): Promise<void> {
  await Promise.all(list.splice(0).map(async n => { await Promise.resolve(n.stop()).catch(() => {}) }))
}

/** Attack 2: as many as CONNECTION_ATTEMPTS connections from one identity at 127.0.0.1. */
async function connectionFlood (addr: Multiaddr): Promise<{ kept: number, refused: number, seconds: number }> {
  const flooder = await client()
  attacking()
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
    attacking()
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
  attacking()
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

type PhaseName = 'length-prefix' | 'connections' | 'creates' | 'streams' | 'all'
const PHASES: PhaseName[] = ['length-prefix', 'connections', 'creates', 'streams', 'all']
/** --only: a comma-separated subset of PHASES (then nothing is written to BENCHMARKS.md). */
const ONLY: PhaseName[] = ARGS?.values.only == null
  ? PHASES
  : ARGS.values.only.split(',').map(name => {
    if (!(PHASES as string[]).includes(name)) throw new Error(`--only takes ${PHASES.join(', ')}; not ${name}`)
    return name as PhaseName
  })
const PHASE_TITLE: Record<PhaseName, string> = {
  'length-prefix': 'length-prefix flood: 3 MiB of 0xff after `Created`',
  connections: `connection flood: ${CONNECTION_ATTEMPTS} connections`,
  creates: `pending-table flood: ${num(CREATE_ATTEMPTS)} Creates over ${CREATE_IDENTITIES} identities`,
  streams: `idle streams: ${num(IDLE_STREAMS)} /gini/fc/1 streams without a frame`,
  all: 'all three at once'
}
const PHASE_KINDS: Record<Exclude<PhaseName, 'length-prefix'>, string[]> = {
  connections: ['connections'],
  creates: ['creates'],
  streams: ['streams'],
  all: ['connections', 'creates', 'streams']
}

interface PhaseResult {
  phase: PhaseName
  repeat: number
  /** 1-minute load average when the phase started. */
  load: number
  relayRssMB: { before: number, after: number, peak: number }
  relayCpuSeconds: number
  /** Median ms of the legitimate pairing (or for the length-prefix flood: the honest Join → Matched) on this fresh relay before the attack. */
  idle: { medianMs: number, failed: number }
  during: { medianMs: number, failed: number }
  /** While the attackers hold what they got (not for the length-prefix flood). */
  held?: { medianMs: number, failed: number }
  attacker: unknown
  /** The relay's CPU time over the idle / during / held pairings divided by their wall time (1 = one core all the time); not for the length-prefix flood. */
  relayCoreShare?: { idle: number, during: number, held: number }
  /** max(during, held) / idle, both from this repeat. */
  ratio: number
}

function num (n: number): string { return n.toLocaleString('en-US').replace(/,/g, ' ') }

async function sleep (ms: number): Promise<void> { await new Promise(resolve => setTimeout(resolve, ms)) }

/** A fresh relay process; with --cpu-prof it writes a profile named after the phase when it ends. */
function startRelay (phase: PhaseName, repeat: number): JsonProcess {
  const prof = CPU_PROF_DIR != null ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=relay-${phase}-${repeat}.cpuprofile`] : []
  return new JsonProcess(process.execPath, [...prof, '--input-type=module', '-e', CHILD])
}

async function stopRelay (relay: JsonProcess): Promise<void> {
  relay.kill('SIGTERM') // the child exits on SIGTERM (so a --cpu-prof profile is written)
  await relay.waitExit(15_000)
}

/** Attack 1 on its own relay: honest Join → Matched before and while the relay reads the flood. */
async function lengthPrefixPhase (addr: Multiaddr, sampler: ProcSampler): Promise<Omit<PhaseResult, 'phase' | 'repeat' | 'load' | 'relayRssMB' | 'relayCpuSeconds'> & { rssBefore: number }> {
  const rssBefore = sampler.sample()!.rssBytes
  const before: number[] = []
  let beforeFailed = 0
  for (let i = 0; i < LEGIT_RUNS; i++) { try { before.push(await honestJoinMs(addr)) } catch { beforeFailed++ } }
  const attacker = await openFc(addr)
  await attacker.write({ create: { lookup: randomBytes(3), sid: randomBytes(16) } })
  await attacker.read({ signal: AbortSignal.timeout(STEP_MS) })
  const t0 = performance.now()
  attacker.stream.send(new Uint8Array(FLOOD_BYTES).fill(0xff))
  let ended = false
  let answeredAfterMs = NaN
  const verdict = attacker.read({ signal: AbortSignal.timeout(FLOOD_WATCH_MS) })
    .then(m => `frame ${Object.keys(m).join(',')}${m.error != null ? ` ${m.error.code}` : ''}`, (e: Error) => e.name)
    .finally(() => { ended = true; answeredAfterMs = Math.round(performance.now() - t0) })
  // Honest Joins while the flood is being read (at least 3, bounded by FLOOD_WATCH_MS).
  const joins: number[] = []
  let failed = 0
  // eslint-disable-next-line no-unmodified-loop-condition -- `ended` is set by the stream's close event
  while (performance.now() - t0 < FLOOD_WATCH_MS && (!ended || joins.length + failed < 3)) {
    try { joins.push(await honestJoinMs(addr)) } catch { failed++ }
    await sleep(PAIRING_EVERY_MS)
  }
  const idle = { medianMs: round(median(before)), failed: beforeFailed }
  const during = { medianMs: round(median(joins)), failed }
  return { rssBefore, idle, during, attacker: { got: await verdict, afterMs: answeredAfterMs }, ratio: round(during.medianMs / idle.medianMs) }
}

/** Attacks 2–5 on their own relay: the legitimate pairing idle, during the attack, and while the attackers hold their gains. */
async function attackPhase (phase: Exclude<PhaseName, 'length-prefix'>, addr: Multiaddr, sampler: ProcSampler): Promise<Omit<PhaseResult, 'phase' | 'repeat' | 'load' | 'relayRssMB' | 'relayCpuSeconds'> & { rssBefore: number }> {
  // The relay's CPU time over a window divided by its length: 1 = one core busy all the time.
  const share = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const c0 = sampler.sample()!.cpuSeconds
    const w0 = performance.now()
    const r = await fn()
    return [r, Math.round(100 * (sampler.sample()!.cpuSeconds - c0) / ((performance.now() - w0) / 1000)) / 100]
  }
  const [idle, idleShare] = await share(async () => await legitPairings(addr))
  const rssBefore = sampler.sample()!.rssBytes
  // Each attacker is its own process, so its work never slows the legitimate pairing's client.
  const argv = [SELF, '--attack', '', addr.toString()]
  const procs = PHASE_KINDS[phase].map(kind => {
    argv[2] = kind
    // --attacker-nice: the attackers yield the shared cores to the relay and the pairing (as an attacker on other machines would).
    // --attacker-cpus: and on cores of their own.
    const command = [...(ATTACKER_CPUS != null ? ['taskset', '-c', ATTACKER_CPUS] : []), ...(ATTACKER_NICE != null ? ['nice', '-n', String(ATTACKER_NICE)] : []), process.execPath, ...argv]
    return new JsonProcess(command[0], command.slice(1))
  })
  try {
    const attack = Promise.all(procs.map(async p => (await p.waitFor(o => o.event === 'result', CREATE_FLOOD_MS + 4 * STEP_MS)).obj.result))
    attack.catch(() => {})
    // The legitimate pairings start once every attacker is under way (not while its process starts)…
    await Promise.all(procs.map(async p => await p.waitFor(o => o.event === 'attacking' || o.event === 'result', 3 * STEP_MS)))
    await sleep(1_000)
    const [during, duringShare] = await share(async () => await legitPairings(addr))
    const attacker = await attack.catch((e: Error) => `attacker failed: ${e.message}`)
    // …and run again while the attackers still hold what they got (connections, rows, streams).
    const [held, heldShare] = await share(async () => await legitPairings(addr))
    return { rssBefore, idle, during, held, attacker, relayCoreShare: { idle: idleShare, during: duringShare, held: heldShare }, ratio: round(Math.max(during.medianMs, held.medianMs) / idle.medianMs) }
  } finally {
    for (const p of procs) p.kill()
    await Promise.all(procs.map(async p => await p.exited))
  }
}

async function runPhase (phase: PhaseName, repeat: number): Promise<PhaseResult> {
  const relay = startRelay(phase, repeat)
  try {
    const addr = multiaddr((await relay.waitFor(o => o.event === 'listening', STEP_MS)).obj.addrs[0])
    const sampler = new ProcSampler(relay.child.pid!, 100)
    try {
      await sleep(1_000)
      const load = round(loadavg()[0])
      const cpu0 = sampler.sample()!.cpuSeconds
      const r = phase === 'length-prefix' ? await lengthPrefixPhase(addr, sampler) : await attackPhase(phase, addr, sampler)
      const now = sampler.sample()!
      const { rssBefore, ...rest } = r
      return { phase, repeat, load, relayRssMB: { before: round(rssBefore / MB), after: round(now.rssBytes / MB), peak: round(now.peakRssBytes / MB) }, relayCpuSeconds: round(now.cpuSeconds - cpu0), ...rest }
    } finally {
      sampler.stop()
    }
  } finally {
    await stopAll(nodes)
    await stopRelay(relay)
  }
}

interface Spread { median: number, min: number, max: number }
function spread (xs: number[]): Spread {
  const ok = xs.filter(Number.isFinite)
  return { median: round(median(ok)), min: round(Math.min(...ok)), max: round(Math.max(...ok)) }
}
function fmt (s: Spread, unit = ''): string {
  if (!Number.isFinite(s.median)) return '–'
  const v = (x: number): string => x >= 100 ? String(Math.round(x)) : String(x)
  return s.min === s.max ? `${v(s.median)}${unit}` : `${v(s.median)}${unit} (${v(s.min)}–${v(s.max)})`
}

function attackerText (phase: PhaseName, a: any): string {
  if (typeof a === 'string') return a
  if (phase === 'length-prefix') return `${String(a.got)} after ${num(a.afterMs)} ms`
  const one = (kind: string, x: any): string => {
    if (kind === 'connections') return `${x.kept} conns kept, ${x.refused} refused`
    if (kind === 'creates') {
      const refused = Object.entries(x.refused as Record<string, number>).map(([k, n]) => `${num(n)} ${k}`).join(', ')
      return `${x.created} rows, ${refused !== '' ? refused : 'none refused'} (${x.seconds} s)`
    }
    return `${x.opened} streams, ${x.refused} refused`
  }
  return PHASE_KINDS[phase].map((kind, i) => one(kind, a[i])).join('; ')
}

function report (results: PhaseResult[], phases: PhaseName[], repeats: number, loads: [string, string], started: Date): string {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim().split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB`
  const lines = [
    `Command: \`${COMMAND}\` · ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${machine} · Node ${process.version} · \`uptime\` load average before: ${loads[0]}, after: ${loads[1]}`,
    '',
    `Each attack phase ran ${repeats} time${repeats === 1 ? '' : 's'}, each on a fresh relay process with its default limits; phases were interleaved (repeat 1 of every phase, then repeat 2, …). ` +
      `Each attacker is its own process dialing from 127.0.0.1; the legitimate pairing (the relay's whole part of one: two fresh identities, Create/Join, CPace shares, MFCs, sealed offer/answer, Done, the relay's close) runs from 127.0.0.2 in the benchmark's process, ${LEGIT_RUNS} times on the fresh relay just before the attack (idle), ${LEGIT_RUNS} times during it (from 1 s after every attacker process is under way: its own start is not timed) and ${LEGIT_RUNS} times while the attackers still hold what they got. ` +
      `A cell is the median of the ${repeats} per-repeat medians, with their min–max; a ratio is max(during, held) / idle within one repeat (samples seconds apart at the same load), then the median (min–max) over repeats. Relay CPU in those windows is the relay process's CPU time over each window divided by its length (1 = one core busy all the time; well under 1 while the pairing is slow means the relay was waiting for a CPU, not working). All processes share the machine's cores.`,
    '',
    '| attack (from 127.0.0.1) | what the attacker got (per repeat) | relay RSS before → after (MB) | relay CPU (s) | legitimate pairing p50: idle / during / while held (ms) | relay CPU in those windows (cores) | ratio vs idle | 2× target |',
    '|---|---|---|---|---|---|---|---|'
  ]
  for (const phase of phases) {
    const rs = results.filter(r => r.phase === phase)
    if (rs.length === 0) continue
    const ratios = rs.map(r => r.ratio)
    const over = ratios.filter(x => !(x <= 2)).length
    const target = over === 0 ? `met in ${rs.length} of ${rs.length}` : over === rs.length ? `**not met** (${over} of ${rs.length} over)` : `**${over} of ${rs.length} over**`
    const got = rs.map(r => attackerText(phase, r.attacker)).join(' · ')
    const rss = `${fmt(spread(rs.map(r => r.relayRssMB.before)))} → ${fmt(spread(rs.map(r => r.relayRssMB.after)))}`
    const failed = rs.reduce((n, r) => n + r.idle.failed + r.during.failed + (r.held?.failed ?? 0), 0)
    const timing = phase === 'length-prefix'
      ? `honest Join → Matched: ${fmt(spread(rs.map(r => r.idle.medianMs)))} / ${fmt(spread(rs.map(r => r.during.medianMs)))} / –`
      : `${fmt(spread(rs.map(r => r.idle.medianMs)))} / ${fmt(spread(rs.map(r => r.during.medianMs)))} / ${fmt(spread(rs.map(r => r.held?.medianMs ?? NaN)))}`
    const cores = phase === 'length-prefix' ? '–' : (['idle', 'during', 'held'] as const).map(w => fmt(spread(rs.map(r => r.relayCoreShare?.[w] ?? NaN)))).join(' / ')
    lines.push(`| ${PHASE_TITLE[phase]} | ${got} | ${rss} | ${fmt(spread(rs.map(r => r.relayCpuSeconds)))} | ${timing}${failed > 0 ? ` (${failed} failed)` : ''} | ${cores} | ${fmt(spread(ratios), '×')} | ${target} |`)
  }
  lines.push('| DHT record flood | — the relay runs no DHT (relay/create-relay.ts) | — | — | — | — | — | — |')
  const failedAll = results.reduce((n, r) => n + r.idle.failed + r.during.failed + (r.held?.failed ?? 0), 0)
  lines.push('', `${failedAll === 0 ? 'No legitimate pairing failed in any phase.' : `${failedAll} legitimate pairings failed (counted in their row).`} Load average (1 min) at the start of the phases: ${fmt(spread(results.map(r => r.load)))}.`)
  return lines.join('\n')
}

async function main (): Promise<void> {
  const started = new Date()
  const uptime = (): string => { try { return execFileSync('uptime').toString().trim().replace(/^.*load average:\s*/, '') } catch { return loadavg().map(x => x.toFixed(2)).join(', ') } }
  const loadBefore = uptime()
  console.log(JSON.stringify({ event: 'start', repeat: REPEAT, phases: ONLY, uptime: loadBefore }))
  const results: PhaseResult[] = []
  try {
    for (let repeat = 1; repeat <= REPEAT; repeat++) {
      for (const phase of ONLY) {
        const r = await runPhase(phase, repeat)
        results.push(r)
        console.log(JSON.stringify(r))
        await sleep(2_000) // the previous relay's and attackers' exits settle
      }
    }
  } finally {
    await stopAll(nodes)
    killAll()
  }
  const loadAfter = uptime()
  const section = report(results, ONLY, REPEAT, [loadBefore, loadAfter], started)
  console.log('\n' + section)
  if (!NO_WRITE && ONLY.length === PHASES.length) {
    const bench = 'BENCHMARKS.md'
    const begin = '<!-- bench:abuse begin -->'
    const end = '<!-- bench:abuse end -->'
    const text = await readFile(bench, 'utf8')
    if (!text.includes(begin)) throw new Error(`${bench} has no ${begin} marker`)
    await writeFile(bench, text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), () => `${begin}\n${section}\n${end}`))
    console.log(`\nwritten to ${bench}`)
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
else {
  if (!Number.isInteger(REPEAT) || REPEAT < 1 || REPEAT > MAX_REPEAT) throw new Error(`--repeat must be a whole number from 1 to ${MAX_REPEAT}`)
  if (ATTACKER_NICE != null && (!Number.isInteger(ATTACKER_NICE) || ATTACKER_NICE < 0 || ATTACKER_NICE > 19)) throw new Error('--attacker-nice must be a whole number from 0 to 19')
  for (const [flag, list] of [['--attacker-cpus', ATTACKER_CPUS], ['--relay-cpus', RELAY_CPUS]]) {
    if (list != null && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) throw new Error(`${flag} takes a CPU list such as 0 or 1-3 (taskset -c)`)
  }
  // --relay-cpus: every thread of this process, and so the relay processes it starts, on those CPUs.
  if (RELAY_CPUS != null) execFileSync('taskset', ['-a', '-p', '-c', RELAY_CPUS, String(process.pid)], { stdio: 'ignore' })
  if (CPU_PROF_DIR != null) mkdirSync(CPU_PROF_DIR, { recursive: true })
  await main()
}
process.exit(0)
