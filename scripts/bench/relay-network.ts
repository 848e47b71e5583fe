// Many relays, one network (docs/protocol.md §22), measured with real `bin/gini-relay.js` processes
// on loopback (a measurement, not a test):
// 1. idle cost: N relays in network mode (r0 `--network`, the others `--bootstrap r0`, each on its
//    own 127.0.0.x as §22.2 counts one relay per address) and N standalone relays (no `--network`),
//    all running at once so both sets see the same load: RSS after settling and CPU seconds per
//    minute over the same idle window (read from /proc, scripts/lib/proc-stats.ts);
// 2. list fetch: a fresh peer identity (the product's createPeerNode) dials one relay of the network
//    and fetches /gini/gss/list/1 with the product's fetchRelayList, round-robin over the relays:
//    timed dial included (a new node each time) and dial excluded (over a connection already open);
// 3. a new relay (`--bootstrap` to r0) until every relay lists it (each relay's /metrics
//    `gini_gss_list_relays`), from its spawn and from its `listening` line; the new relays stay, so
//    addition k joins a network of N + k - 1.
// Prints one JSON line per step, then the BENCHMARKS.md block, written between the bench:network
// markers unless --no-write.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { Libp2p } from 'libp2p'
import { createPeerNode } from '../../peer/adapters/peer-libp2p.js'
import { fetchRelayList } from '../../peer/core/pairing/relay-choice.js'
import { JsonProcess, killAll } from '../lib/json-process.js'
import { MB, ProcSampler } from '../lib/proc-stats.js'
import { fmtMs, pct } from '../lib/stats.js'

const HELP = `Usage: npm run bench:network -- [options]

Relays as real gini-relay processes on loopback: idle RSS and CPU with and without the DHT,
list fetch time, and the time for a new relay to be listed by every relay (docs/protocol.md §22).

  --relays N     relays in the network, and standalone relays beside them (default 10, 2–50)
  --fetches N    list fetches timed, each way (default 50, 1–1000)
  --adds N       relays added one after another (default 3, 0–10)
  --idle S       idle window in seconds (default 60, 5–600)
  --settle S     wait after the lists converged before the idle window (default 20, 0–300)
  --no-write     print the block only, do not write BENCHMARKS.md
  --help         this text

Default run: about 3 minutes.`

const ARGS = parseArgs({
  options: {
    relays: { type: 'string', default: '10' },
    fetches: { type: 'string', default: '50' },
    adds: { type: 'string', default: '3' },
    idle: { type: 'string', default: '60' },
    settle: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false }
  }
})

function intOption (name: string, min: number, max: number): number {
  const v = Number(ARGS.values[name as 'relays'])
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`)
  return v
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')
const COMMAND = `npm run bench:network${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`
const START_TIMEOUT_MS = 30_000
/** Lists converge within a few rounds (10 s each once stable); bounded so a broken network ends the run. */
const CONVERGE_TIMEOUT_MS = 120_000
const METRICS_POLL_MS = 100
const METRICS_TIMEOUT_MS = 2_000
const FETCH_TIMEOUT_MS = 20_000
const STOP_GRACE_MS = 10_000
/** RSS traced this often during the idle window. */
const TRACE_MS = 10_000

interface RelayProc {
  name: string
  proc: JsonProcess
  addr: string
  metricsUrl: string
  sampler: ProcSampler
  spawnedAt: number
  listeningAt: number
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const log = (obj: Record<string, unknown>): void => { console.log(JSON.stringify(obj)) }

async function startRelay (dir: string, name: string, host: string, mode: 'first' | 'join' | 'standalone', bootstrap?: string): Promise<RelayProc> {
  const args = [GINI_RELAY, '--json', '--data', join(dir, name), '--listen', `/ip4/${host}/tcp/0`, '--metrics', '127.0.0.1:0']
  if (mode === 'first') args.push('--network')
  if (mode === 'join') args.push('--bootstrap', bootstrap!)
  const spawnedAt = performance.now()
  const proc = new JsonProcess(process.execPath, args)
  const line = await proc.waitFor(o => o.event === 'listening', START_TIMEOUT_MS)
  const first = String(line.obj.addrs[0])
  const addr = first.includes('/p2p/') ? first : `${first}/p2p/${String(line.obj.peerId)}`
  return { name, proc, addr, metricsUrl: String(line.obj.metrics), sampler: new ProcSampler(proc.child.pid!, 1_000), spawnedAt, listeningAt: line.at }
}

/** `gini_gss_list_relays` of one relay, undefined when it does not answer. */
async function listedCount (r: RelayProc): Promise<number | undefined> {
  try {
    const text = await (await fetch(`${r.metricsUrl}/metrics`, { signal: AbortSignal.timeout(METRICS_TIMEOUT_MS) })).text()
    const m = /^gini_gss_list_relays (\d+)/m.exec(text)
    return m == null ? undefined : Number(m[1])
  } catch {
    return undefined
  }
}

/**
 * Polls until every relay of `relays` lists `count`; performance.now() when it did, and when each
 * relay first listed `count` (a relay may list it, drop it a round, and list it again). Throws
 * after CONVERGE_TIMEOUT_MS.
 */
async function untilListed (relays: RelayProc[], count: number, firstAt = new Map<RelayProc, number>()): Promise<number> {
  const start = performance.now()
  for (let round = 0; round < CONVERGE_TIMEOUT_MS / METRICS_POLL_MS; round++) {
    const counts = await Promise.all(relays.map(listedCount))
    const now = performance.now()
    relays.forEach((r, i) => { if (counts[i] === count && !firstAt.has(r)) firstAt.set(r, now) })
    if (counts.every(c => c === count)) return now
    if (performance.now() - start > CONVERGE_TIMEOUT_MS) break
    await sleep(METRICS_POLL_MS)
  }
  throw new Error(`not every relay listed ${count} within ${CONVERGE_TIMEOUT_MS} ms`)
}

async function stopNode (node: Libp2p): Promise<void> {
  for (const c of node.getConnections()) c.abort(new Error('measured'))
  await Promise.resolve(node.stop()).catch(() => {})
}

/** One fetch from a new identity: ms from the dial to the list, and ms of the list request alone (on a second node whose connection was opened first). */
async function fetchOnce (addr: Multiaddr, n: number): Promise<{ withDialMs: number, listOnlyMs: number }> {
  const a = await createPeerNode()
  let withDialMs: number
  try {
    const t0 = performance.now()
    const list = await fetchRelayList(a, [addr], AbortSignal.timeout(FETCH_TIMEOUT_MS))
    withDialMs = performance.now() - t0
    if (list.entries.length !== n) throw new Error(`list of ${list.entries.length}, expected ${n}`)
  } finally { await stopNode(a) }
  const b = await createPeerNode()
  try {
    await b.dial(addr, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) })
    const t0 = performance.now()
    const list = await fetchRelayList(b, [addr], AbortSignal.timeout(FETCH_TIMEOUT_MS))
    const listOnlyMs = performance.now() - t0
    if (list.entries.length !== n) throw new Error(`list of ${list.entries.length}, expected ${n}`)
    return { withDialMs, listOnlyMs }
  } finally { await stopNode(b) }
}

interface IdleFigures {
  rssMB: number[]
  cpuSPerMin: number[]
}

function idleOf (relays: RelayProc[], before: Map<RelayProc, number>, windowS: number, rssSamples: number[]): IdleFigures {
  return {
    rssMB: rssSamples.length > 0 ? rssSamples : relays.map(r => (r.sampler.last?.rssBytes ?? NaN) / MB),
    cpuSPerMin: relays.map(r => ((r.sampler.last?.cpuSeconds ?? NaN) - before.get(r)!) * 60 / windowS)
  }
}

function uptimeLoad (): string {
  try { return execFileSync('uptime').toString().trim().replace(/^.*load average:\s*/, '') } catch { return loadavg().map(x => x.toFixed(2)).join(', ') }
}

const f1 = (x: number): string => Number.isNaN(x) ? '–' : x.toFixed(x < 10 ? 2 : 1)
const spread = (xs: number[], digits = 0): string => `${pct(xs, 50).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`
const spread2 = (xs: number[]): string => `${f1(pct(xs, 50))} (${f1(Math.min(...xs))}–${f1(Math.max(...xs))})`

async function main (): Promise<void> {
  const N = intOption('relays', 2, 50)
  const FETCHES = intOption('fetches', 1, 1000)
  const ADDS = intOption('adds', 0, 10)
  const IDLE_S = intOption('idle', 5, 600)
  const SETTLE_S = intOption('settle', 0, 300)
  const date = new Date()
  const loadBefore = uptimeLoad()
  log({ event: 'start', relays: N, fetches: FETCHES, adds: ADDS, idleS: IDLE_S, settleS: SETTLE_S, load: loadBefore })
  const dir = await mkdtemp(join(tmpdir(), 'gini-bench-network-'))
  const all: RelayProc[] = []
  try {
    // 1. Both sets up; the network's lists converge; both settle; one idle window for all.
    const network: RelayProc[] = []
    network.push(await startRelay(dir, 'n0', '127.0.0.1', 'first'))
    network.push(...await Promise.all(Array.from({ length: N - 1 }, async (_, i) => await startRelay(dir, `n${i + 1}`, `127.0.0.${i + 2}`, 'join', network[0].addr))))
    const standalone = await Promise.all(Array.from({ length: N }, async (_, i) => await startRelay(dir, `s${i}`, `127.0.1.${i + 1}`, 'standalone')))
    all.push(...network, ...standalone)
    const lastListening = Math.max(...network.map(r => r.listeningAt))
    const convergedAt = await untilListed(network, N)
    const convergeMs = convergedAt - lastListening
    log({ event: 'converged', relays: N, msAfterLastListening: Math.round(convergeMs) })
    await sleep(SETTLE_S * 1000)
    for (const r of all) r.sampler.sample()
    const before = new Map(all.map(r => [r, r.sampler.last?.cpuSeconds ?? NaN]))
    const idleStart = performance.now()
    // RSS every TRACE_MS through the window: a climb while idle is growth, not a settled size.
    // (V8 grows its heap with the garbage of the DHT rounds and gives it back at a major GC: RSS
    // saw-tooths, so every sample of every relay counts, not one reading at the end.)
    const rssNet: number[] = []
    const rssSolo: number[] = []
    const rssOf = (rs: RelayProc[]): number[] => rs.map(r => (r.sampler.last?.rssBytes ?? NaN) / MB)
    const traceMs = Math.min(TRACE_MS, IDLE_S * 1000)
    for (let t = traceMs; t <= IDLE_S * 1000; t += traceMs) {
      await sleep(Math.max(0, idleStart + t - performance.now()))
      for (const r of all) r.sampler.sample()
      rssNet.push(...rssOf(network))
      rssSolo.push(...rssOf(standalone))
      log({ event: 'idle-rss', s: Math.round(t / 1000), networkMB: rssOf(network).map(Math.round), standaloneMB: rssOf(standalone).map(Math.round) })
    }
    await sleep(Math.max(0, idleStart + IDLE_S * 1000 - performance.now()))
    for (const r of all) r.sampler.sample()
    const windowS = (performance.now() - idleStart) / 1000
    const idleNet = idleOf(network, before, windowS, rssNet)
    const idleSolo = idleOf(standalone, before, windowS, rssSolo)
    if ((await Promise.all(network.map(listedCount))).some(c => c !== N)) throw new Error('a network relay lost a relay from its list while idle')
    log({ event: 'idle', windowS: Math.round(windowS), network: idleNet, standalone: idleSolo })

    // Standalone relays are done: stopped so they do not take CPU from what follows.
    await Promise.all(standalone.map(async r => { r.proc.kill('SIGTERM'); await r.proc.waitExit(STOP_GRACE_MS) }))

    // 2. List fetches, round-robin over the network's relays.
    const withDial: number[] = []
    const listOnly: number[] = []
    for (let i = 0; i < FETCHES; i++) {
      const r = await fetchOnce(multiaddr(network[i % N].addr), N)
      withDial.push(r.withDialMs)
      listOnly.push(r.listOnlyMs)
    }
    log({ event: 'fetches', n: FETCHES, withDialP50: Math.round(pct(withDial, 50)), withDialP95: Math.round(pct(withDial, 95)), listOnlyP50: pct(listOnly, 50), listOnlyP95: pct(listOnly, 95) })

    // 3. Relays added one at a time, each until every relay lists it.
    const adds: Array<{ size: number, fromSpawnMs: number, fromListeningMs: number, eachMs: number[], ownMs: number }> = []
    for (let k = 0; k < ADDS; k++) {
      const r = await startRelay(dir, `a${k}`, `127.0.0.${N + k + 2}`, 'join', network[0].addr)
      network.push(r)
      all.push(r)
      const firstAt = new Map<RelayProc, number>()
      const at = await untilListed(network, network.length, firstAt)
      // Each other relay's first listing of it, from its `listening` line, ascending: one straggler or all late.
      const each = network.filter(x => x !== r).map(x => Math.round((firstAt.get(x) ?? at) - r.listeningAt)).sort((a, b) => a - b)
      const add = { size: network.length, fromSpawnMs: at - r.spawnedAt, fromListeningMs: at - r.listeningAt, eachMs: each, ownMs: Math.round((firstAt.get(r) ?? at) - r.listeningAt) }
      adds.push(add)
      log({ event: 'added', ...add })
    }

    const loadAfter = uptimeLoad()
    const section = report({ N, FETCHES, ADDS, date, loads: [loadBefore, loadAfter], convergeMs, windowS, settleS: SETTLE_S, idleNet, idleSolo, withDial, listOnly, adds })
    console.log('\n' + section)
    if (ARGS.values['no-write'] !== true) {
      const bench = join(ROOT, 'BENCHMARKS.md')
      const begin = '<!-- bench:network begin -->'
      const end = '<!-- bench:network end -->'
      const text = await readFile(bench, 'utf8')
      if (!text.includes(begin)) throw new Error(`${bench} has no ${begin} marker`)
      await writeFile(bench, text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), () => `${begin}\n${section}\n${end}`))
      console.log(`\nwritten to ${bench}`)
    }
  } finally {
    await Promise.all(all.map(async r => { r.proc.kill('SIGTERM'); await r.proc.waitExit(STOP_GRACE_MS) }))
    killAll()
    await rm(dir, { recursive: true, force: true }).catch(() => {})
  }
}

interface ReportInput {
  N: number
  FETCHES: number
  ADDS: number
  date: Date
  loads: [string, string]
  convergeMs: number
  windowS: number
  settleS: number
  idleNet: IdleFigures
  idleSolo: IdleFigures
  withDial: number[]
  listOnly: number[]
  adds: Array<{ size: number, fromSpawnMs: number, fromListeningMs: number, eachMs: number[], ownMs: number }>
}

function report (r: ReportInput): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  const when = r.date.toISOString().slice(0, 16).replace('T', ' ')
  const rows = [
    `Command: \`${COMMAND}\` · ${when} UTC · ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version} · load average before: ${r.loads[0]}, after: ${r.loads[1]}`,
    '',
    '| measure | value |',
    '|---|---|',
    `| list fetch, new identity: dial + \`/gini/gss/list/1\` (\`fetchRelayList\`), ${r.N} relays listed, ${r.FETCHES} fetches | p50 **${fmtMs(pct(r.withDial, 50))} ms**, p95 ${fmtMs(pct(r.withDial, 95))} ms |`,
    `| list fetch over a connection already open (dial excluded) | p50 **${fmtMs(pct(r.listOnly, 50))} ms**, p95 ${fmtMs(pct(r.listOnly, 95))} ms |`,
    r.adds.length > 0
      ? `| new relay (\`--bootstrap\` r0) listed by every relay, ${r.adds.length} additions (network of ${r.adds.map(a => a.size).join(', ')}) | from \`listening\`: median **${(pct(r.adds.map(a => a.fromListeningMs), 50) / 1000).toFixed(2)} s** (${r.adds.map(a => (a.fromListeningMs / 1000).toFixed(2)).join(', ')}); from spawn: median ${(pct(r.adds.map(a => a.fromSpawnMs), 50) / 1000).toFixed(2)} s |`
      : '| new relay listed by every relay | not measured (`--adds 0`) |',
    ...(r.adds.length > 0 ? [`| …from \`listening\` to the first listing: by the other relays, median / slowest; by the new relay, of all the others | ${r.adds.map(a => `${(pct(a.eachMs, 50) / 1000).toFixed(1)} / ${(Math.max(...a.eachMs) / 1000).toFixed(1)} s; ${(a.ownMs / 1000).toFixed(1)} s`).join(' · ')} |`] : []),
    `| ${r.N} relays started at once: last \`listening\` → every relay lists ${r.N} | ${(r.convergeMs / 1000).toFixed(2)} s |`,
    `| relay RSS idle (${r.N} relays sampled every ${Math.min(TRACE_MS / 1000, Math.round(r.windowS))} s over ${Math.round(r.windowS)} s, after ${r.settleS} s settling), median (min–max): network / standalone | **${spread(r.idleNet.rssMB)} MB** / **${spread(r.idleSolo.rssMB)} MB** |`,
    `| relay CPU idle, s per minute, median (min–max) of ${r.N}: network / standalone | **${spread2(r.idleNet.cpuSPerMin)}** / **${spread2(r.idleSolo.cpuSPerMin)}** (${(pct(r.idleNet.cpuSPerMin, 50) / 60 * 100).toFixed(1)} % / ${(pct(r.idleSolo.cpuSPerMin, 50) / 60 * 100).toFixed(1)} % of one core) |`
  ]
  return rows.join('\n')
}

if (ARGS.values.help === true) {
  console.log(HELP)
} else {
  const onSignal = (): void => { killAll(); process.exit(130) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await main()
  } catch (err) {
    console.error(`bench:network failed: ${(err as Error).message}`)
    killAll()
    process.exit(1)
  }
}
process.exit(0)
