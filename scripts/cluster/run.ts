// The cluster harness (`npm run cluster`): R `gini-relay` processes and M peers, each peer a data
// dir used by `gini` CLI processes, paired in a pattern. Every wait is bounded, every process is
// tracked and ended, and each pairing ends as a success or a failure with the error code the CLI
// reported (or the fault the harness injected). The integration tests call runCluster() directly.
// With R ≥ 2 the relays form one network (docs/protocol.md §22.1): r0 runs with `--network`, the
// others bootstrap from it, each on its own 127.0.0.x address (one relay per network, §22.2). Each
// peer is configured with one relay (round-robin) by `gini init --relay`, which also remembers that
// relay's list (relays.json), and pairs wherever the code's HRW rank says; the pairing events
// (`flash-code`, `matched`) name the relay it was at.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JsonProcess } from '../lib/json-process.js'
import { ProcSampler, MB } from '../lib/proc-stats.js'
import { summarize, rounded, type Summary } from '../lib/stats.js'
import { ready } from '../../protocols/crypto/index.js'
import { makePairs, defaultPairs, seededRandom, shuffle, type Pattern, type PeerPair } from './pattern.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const GINI = join(ROOT, 'bin', 'gini.js')
export const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')

/** A relay or `gini init` starts in about a second; on a loaded 2-core VM allow far more. */
export const START_TIMEOUT_MS = 30_000
/**
 * `gini init --relay` goes online (it asks the relay for the list, §22.2): CLI start-up, a dial
 * (≤ 10 s) and the list (≤ 5 s), on a box where 4 run at once beside the relays.
 */
export const INIT_TIMEOUT_MS = 90_000
/**
 * `gini invite` spawned → its code shown: CLI start-up, the list (each source ≤ 10 s dial + 5 s) and
 * the Create. 30 s was too tight at load average 28 (creators still working reported NO_FLASH_CODE).
 */
export const FLASH_CODE_TIMEOUT_MS = 60_000
/** Bound on one pairing, both processes (the CLI's own steps are bounded at 30 s each). */
export const PAIRING_TIMEOUT_MS = 90_000
/** When one side failed, the other gets this long to notice and exit before it is killed. */
export const FAILURE_GRACE_MS = 10_000
/** Bound on the whole run. */
export const RUN_TIMEOUT_MS = 30 * 60_000
/** `gini init` processes at once (CPU-bound start-up). */
const INIT_CONCURRENCY = 4
/** A relay gets this long to stop on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000
/** Relay list rounds in the harness (`--list-refresh`): a killed relay is dropped after 2 missed rounds (§22.1). */
export const LIST_REFRESH_MS = 2_000
/** A relay network's lists agree within a few rounds; bounded, not a hang. */
export const LIST_CONVERGE_MS = 60_000
/** How often the harness reads every relay's /metrics while it waits for lists or runs pairings. */
const METRICS_POLL_MS = 250
const METRICS_TIMEOUT_MS = 2_000
/** A relay network stops fast at the end: pending pairings are the harness's own, already ended. */
const DRAIN_MS = 2_000
/** Each relay gets 127.0.0.<index + 1>: its own network in the list's deduplication (§22.2). */
export const MAX_RELAYS = 200

export interface ClusterOptions {
  relays: number
  peers: number
  /** Default: a perfect matching for `random`, the whole pattern otherwise. */
  pairs?: number
  pattern?: Pattern
  /** Pairings running at once (each is two processes). A peer is never in two at once. */
  concurrency?: number
  seed?: number
  /** Fault: kill this many peer processes (SIGKILL) mid-pairing, right after their pairing matched. */
  killPeers?: number
  /** Fault: SIGKILL this many relays other than r0 once `faultsAfter` pairings ended (needs R ≥ 2). */
  killRelays?: number
  /** Fault: start this many new relays bootstrapping from r0 once `faultsAfter` pairings ended (needs R ≥ 2). */
  addRelays?: number
  /** Pairings ended before the relay faults (default: a third of them). */
  faultsAfter?: number
  /** The relays' `--list-refresh` (default LIST_REFRESH_MS). */
  listRefreshMs?: number
  /**
   * The anchor (needs R ≥ 2): this many more pairings, spread among the others, through one more
   * relay on its own, so that pairing time through the network and through one relay are measured
   * under the same load. Reported apart (`anchor`), never in the counts above.
   */
  anchorPairs?: number
  pairingTimeoutMs?: number
  runTimeoutMs?: number
  signal?: AbortSignal
  onProgress?: (p: ClusterProgress) => void
}

export interface ClusterProgress {
  phase: 'relays' | 'peers' | 'pairing' | 'stopping'
  done: number
  total: number
  succeeded: number
  failed: number
  running: number
  relaysUp: number
  relayRssMB: number
}

export type ConnectionPath = 'direct' | 'turn' | 'relayed'

/**
 * Why a pairing ended as it did: `ok`, a fault the harness injected, or `other` (see `code`).
 * `pairing-relay-killed`: the relay its events named was killed before it ended (it loses its own
 * pairings, §22.1); `configured-relay-killed`: a peer's configured relay was killed while the pairing
 * ran (before, it is no excuse: the peer knows the other relays from `gini init --relay`).
 */
export type PairingCause = 'ok' | 'peer-killed' | 'pairing-relay-killed' | 'configured-relay-killed' | 'interrupted' | 'other'

export interface PairingResult {
  index: number
  creator: number
  joiner: number
  /**
   * The relay the pairing was at, as the creator's `flash-code` event names it (the code's top relay
   * by HRW, §22.2): its index, -1 when unknown (no code shown) or the anchor.
   */
  relay: number
  /** The peers (creator, joiner) whose configured relay was killed before the pairing started. */
  configuredDown?: number[]
  /** The relay the joiner's `matched` event names, when it differs from `relay` (it should not). */
  joinerRelay?: number
  /** The relays the creator and the joiner were configured with (`--relay`). */
  configured: [creator: number, joiner: number]
  causeKind?: PairingCause
  ok: boolean
  /** The CLI's error code, or the harness's: PEER_KILLED, HARNESS_TIMEOUT, NO_FLASH_CODE, INTERRUPTED, EXIT_<n>, SIGNAL_<s>. */
  code?: string
  /** Which process reported `code` first. */
  side?: 'creator' | 'joiner' | 'harness'
  message?: string
  /** The fault behind it, in words, when the harness injected one. */
  cause?: string
  /** `gini accept` spawned → both sides printed `contact-added`. */
  pairMs?: number
  path?: ConnectionPath
}

export interface RelayStats {
  index: number
  addr: string
  pid: number
  rssMB: number
  peakRssMB: number
  cpuSeconds: number
  /** CPU time over the run's wall time, in % of one core. */
  cpuPercent: number
  killed: boolean
  /** Added mid-run (`--add-relays`). */
  added: boolean
  /** Its gini_gss_pairings_total over the run (the last reading before it was killed, if it was). */
  pairings: { created: number, completed: number }
}

export interface Fault {
  kind: 'peer-killed' | 'relay-killed' | 'relay-added'
  atMs: number
  pairing?: number
  peer?: number
  relay?: number
  /** relay-killed: spawn → every live relay lists one fewer; relay-added: spawn → every live relay lists it. Null: not within LIST_CONVERGE_MS. */
  listedEverywhereMs?: number | null
  /** relay-added: the relay did not start. */
  error?: string
}

export interface RelaysUsed {
  /** Relays where at least one pairing completed (their gini_gss_pairings_total{outcome="completed"}). */
  distinct: number
  /** Completed pairings per relay, from the relays' own counters: `r<i>` → count. */
  perRelay: Record<string, number>
  /** Successful pairings per relay as the peers' own events name it (`matched` {relay}). */
  reported: Record<string, number>
}

export interface ClusterReport {
  relays: number
  peers: number
  pattern: Pattern
  seed: number
  pairings: number
  succeeded: number
  failed: Record<string, number>
  /** Pairings started with a peer whose configured relay was already killed, and how many of them succeeded. */
  configuredRelayDown: { pairings: number, succeeded: number }
  /** Every pairing by why it ended (PairingCause). */
  byCause: Record<string, number>
  relaysUsed: RelaysUsed
  /** Relays started → every relay lists all R (0 for one relay). */
  listConvergedMs: number
  /** `anchorPairs`: the pairings through one relay on its own, and network p50 / anchor p50. */
  anchor?: { pairings: number, succeeded: number, failed: Record<string, number>, pairMs: Summary, p50Ratio: number }
  pairMs: Summary
  paths: Record<string, number>
  relayStats: RelayStats[]
  failures: PairingResult[]
  faults: Fault[]
  setupMs: number
  /** Peers by how many relays `gini init --relay` remembered for them (`null`: their relay did not answer). */
  initLists: Record<string, number>
  /** Each `gini init --relay` process, spawned → exited. */
  initMs: Summary
  durationMs: number
  interrupted: boolean
}

interface RelayProc {
  index: number
  proc: JsonProcess
  /** Its first address, ending in /p2p/<peer id>. */
  addr: string
  peerId: string
  metricsUrl?: string
  sampler: ProcSampler
  killed: boolean
  /** When it was killed (performance.now()). */
  killedAt?: number
  added: boolean
  /** In the harness's view of the list: from the start, or once every live relay lists it. */
  listed: boolean
  /** Last /metrics reading and the one at the start of pairing. */
  last: RelayMetricsReading
  base: RelayMetricsReading
}

interface RelayMetricsReading { listRelays: number, created: number, completed: number }

export async function runCluster (opts: ClusterOptions): Promise<ClusterReport> {
  const pattern = opts.pattern ?? 'random'
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31)
  const random = seededRandom(seed)
  if (!Number.isSafeInteger(opts.relays) || opts.relays < 1) throw new RangeError('--relays must be at least 1')
  if (!Number.isSafeInteger(opts.peers) || opts.peers < 2) throw new RangeError('--peers must be at least 2')
  const mainCount = opts.pairs ?? defaultPairs(pattern, opts.peers)
  const anchorCount = opts.anchorPairs ?? 0
  if (anchorCount > 0 && opts.relays < 2) throw new RangeError('--anchor-pairs needs --relays 2 or more (it compares a relay network with one relay)')
  const drawn = makePairs(pattern, opts.peers, mainCount + anchorCount, random)
  const pairs = drawn.slice(0, mainCount)
  const anchorPairs = drawn.slice(mainCount)
  const killRelays = opts.killRelays ?? 0
  const addRelays = opts.addRelays ?? 0
  if ((killRelays > 0 || addRelays > 0) && opts.relays < 2) throw new RangeError('--kill-relays and --add-relays need --relays 2 or more (a relay network)')
  if (killRelays > opts.relays - 1) throw new RangeError(`--kill-relays must be at most ${opts.relays - 1} (r0 stays up: the others bootstrap from it)`)
  if (opts.relays + addRelays > MAX_RELAYS) throw new RangeError(`--relays plus --add-relays must be at most ${MAX_RELAYS} (one 127.0.0.x address each)`)
  const faultsAfter = opts.faultsAfter ?? Math.floor(pairs.length / 3)
  if (faultsAfter > pairs.length) throw new RangeError(`--faults-after must be at most the number of pairings (${pairs.length})`)
  const networked = opts.relays >= 2
  const listRefreshMs = opts.listRefreshMs ?? LIST_REFRESH_MS
  const concurrency = Math.max(1, opts.concurrency ?? 4)
  const pairingTimeoutMs = opts.pairingTimeoutMs ?? PAIRING_TIMEOUT_MS
  const victims = pickVictims(pairs.length, opts.killPeers ?? 0, random)
  const relayVictims = shuffle(Array.from({ length: opts.relays - 1 }, (_, i) => i + 1), random).slice(0, killRelays)
  await ready()

  const t0 = performance.now()
  const runDeadline = AbortSignal.timeout(opts.runTimeoutMs ?? RUN_TIMEOUT_MS)
  const stop = opts.signal != null ? AbortSignal.any([opts.signal, runDeadline]) : runDeadline
  const dir = await mkdtemp(join(tmpdir(), 'gini-cluster-'))
  const relays: RelayProc[] = []
  const results: PairingResult[] = []
  const anchorResults: PairingResult[] = []
  let anchor: RelayProc | undefined
  const faults: Fault[] = []
  const live = new Set<JsonProcess>()
  let running = 0
  let setupMs = 0
  const initLists: Record<string, number> = {}
  const initTimes: number[] = []
  let listConvergedMs = 0
  let faultTask: Promise<void> | undefined

  const progress = (phase: ClusterProgress['phase'], done: number, total: number): void => {
    opts.onProgress?.({
      phase,
      done,
      total,
      succeeded: results.filter(r => r.ok).length,
      failed: results.filter(r => !r.ok).length,
      running,
      relaysUp: relays.filter(r => r?.proc.running).length,
      relayRssMB: relays.reduce((sum, r) => sum + (r?.sampler.last?.rssBytes ?? 0), 0) / MB
    })
  }
  const spawn = (args: string[], env: Record<string, string> = {}): JsonProcess => {
    const p = new JsonProcess(process.execPath, args, { env: { GINI_DATA: undefined, GINI_RELAY: undefined, GINI_RELAY_NETWORK: undefined, ...env } })
    live.add(p)
    void p.exited.then(() => live.delete(p))
    return p
  }
  const ticker = setInterval(() => { progress('pairing', results.length, pairs.length) }, 500)
  ticker.unref()
  // The relays' counters, read on and off so that a killed relay's last reading is recent.
  const poller = setInterval(() => { void readAll() }, METRICS_POLL_MS * 8)
  poller.unref()

  try {
    // 1. Relays: one on its own, or a network that every relay lists in full before pairing starts.
    progress('relays', 0, opts.relays)
    relays[0] = await startRelay(0, false)
    await Promise.all(Array.from({ length: opts.relays - 1 }, async (_, i) => { relays[i + 1] = await startRelay(i + 1, false) }))
    if (networked) {
      const converged = await untilLists(() => relays, opts.relays)
      if (converged == null) throw new Error(`the ${opts.relays} relays did not all list each other within ${LIST_CONVERGE_MS} ms (lists: ${relays.map(r => r.last.listRelays).join(', ')})`)
      listConvergedMs = converged
    }

    // 2. Peers: one data dir each, initialised by the CLI itself.
    let initialised = 0
    await forEachLimited([...Array(opts.peers).keys()], INIT_CONCURRENCY, async (i) => {
      if (stop.aborted) return
      const init = spawn([GINI, '--data', peerDir(dir, i), 'init', '--name', `Peer ${i}`, '--relay', relays[configuredRelay(i)].addr, '--json'])
      const started = performance.now()
      const code = await init.waitExit(INIT_TIMEOUT_MS)
      initTimes.push(performance.now() - started)
      if (code !== 0) throw new Error(`gini init for peer ${i} failed (${code ?? init.signal}): ${init.tail()}`)
      // How many relays its relay listed (`relays`, null: it did not answer): the peer remembers them.
      const listedAtInit = init.lines.find(l => l.obj.event === 'initialized')?.obj.relays
      initLists[String(listedAtInit ?? null)] = (initLists[String(listedAtInit ?? null)] ?? 0) + 1
      progress('peers', ++initialised, opts.peers)
    })
    setupMs = performance.now() - t0
    if (anchorCount > 0) anchor = await startRelay(-1, false)
    await readAll()
    for (const r of relays) r.base = { ...r.last }

    // 3. Pairings: at most `concurrency` at once, a peer in at most one.
    const busy = new Set<number>()
    const queue = pairs.map((pair, index) => ({ pair, index, anchored: false }))
    // Anchor pairings spread evenly through the queue, so both kinds run under the same load.
    for (const [k, pair] of anchorPairs.entries()) {
      queue.splice(Math.min(queue.length, Math.round((k + 0.5) * mainCount / anchorCount) + k), 0, { pair, index: k, anchored: true })
    }
    const inFlight = new Set<Promise<void>>()
    if (faultsAfter === 0 && (killRelays > 0 || addRelays > 0)) faultTask = faultsCaught()
    while ((queue.length > 0 || inFlight.size > 0)) {
      if (stop.aborted) break
      while (inFlight.size < concurrency) {
        const next = queue.findIndex(q => !busy.has(q.pair[0]) && !busy.has(q.pair[1]))
        if (next < 0) break
        const { pair, index, anchored } = queue.splice(next, 1)[0]
        busy.add(pair[0]).add(pair[1])
        running++
        const task = runPairing(index, pair, anchored).then((r) => {
          if (anchored) { anchorResults.push(r); return }
          results.push(r)
          if (faultTask == null && results.length >= faultsAfter && (killRelays > 0 || addRelays > 0)) faultTask = faultsCaught()
        }).finally(() => {
          busy.delete(pair[0]); busy.delete(pair[1]); running--
          inFlight.delete(task)
          progress('pairing', results.length, pairs.length)
        })
        inFlight.add(task)
      }
      if (inFlight.size === 0) break
      await Promise.race([...inFlight, abortPromise(stop)])
    }
    if (inFlight.size > 0) {
      // Interrupted or out of time: end what runs, and let each pairing record how it ended.
      for (const p of live) if (!relays.some(r => r?.proc === p) && anchor?.proc !== p) p.kill('SIGKILL')
      await Promise.allSettled([...inFlight])
    }
    // Interrupted or out of time: whatever did not finish.
    for (const q of queue) {
      (q.anchored ? anchorResults : results).push({ index: q.index, creator: q.pair[0], joiner: q.pair[1], relay: -1, configured: [configuredRelay(q.pair[0]), configuredRelay(q.pair[1])], ok: false, code: 'INTERRUPTED', causeKind: 'interrupted', side: 'harness', message: 'not started' })
    }
    // The added relays' listing is measured to its end (bounded by LIST_CONVERGE_MS).
    if (faultTask != null && !stop.aborted) await faultTask
    await readAll()
  } finally {
    clearInterval(ticker)
    clearInterval(poller)
    progress('stopping', results.length, pairs.length)
    for (const p of live) if (!relays.some(r => r?.proc === p) && anchor?.proc !== p) p.kill('SIGKILL')
    await Promise.all([...relays.filter(r => r != null), ...(anchor != null ? [anchor] : [])].map(async (r) => {
      r.sampler.sample()
      r.proc.kill('SIGTERM')
      await r.proc.waitExit(STOP_GRACE_MS)
      r.sampler.stop()
    }))
    for (const p of live) p.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true }).catch(() => {})
  }
  const durationMs = performance.now() - t0
  return buildReport()

  /** Relay `index` (127.0.0.<index + 1> in a network); -1 is the anchor, a relay on its own at 127.0.0.254. */
  async function startRelay (index: number, added: boolean): Promise<RelayProc> {
    const host = index < 0 ? '127.0.0.254' : `127.0.0.${networked ? index + 1 : 1}`
    const args = [GINI_RELAY, '--json', '--data', join(dir, 'relays', index < 0 ? 'anchor' : `r${index}`), '--listen', `/ip4/${host}/tcp/0`, '--metrics', '127.0.0.1:0']
    if (networked && index >= 0) {
      args.push('--list-refresh', `${listRefreshMs}ms`, '--drain-timeout', `${DRAIN_MS}ms`)
      if (index > 0) args.push('--bootstrap', relays[0].addr)
    }
    // r0 starts the network: the others join it through --bootstrap.
    if (networked && index === 0) args.push('--network')
    const proc = spawn(args)
    const listening = (await proc.waitFor(o => o.event === 'listening', START_TIMEOUT_MS)).obj
    const first = String(listening.addrs[0])
    const addr = first.includes('/p2p/') ? first : `${first}/p2p/${String(listening.peerId)}`
    const zero = { listRelays: 0, created: 0, completed: 0 }
    return { index, proc, addr, peerId: listening.peerId, metricsUrl: listening.metrics, sampler: new ProcSampler(proc.child.pid!), killed: false, added, listed: !added, last: zero, base: { ...zero } }
  }

  /** Reads every live relay's /metrics into `last` (a relay that does not answer keeps its last reading). */
  async function readAll (): Promise<void> {
    await Promise.all(relays.filter(r => r != null && !r.killed).map(async (r) => {
      const m = await readMetrics(r.metricsUrl)
      if (m != null && !r.killed) r.last = m
    }))
  }

  /** Polls until every live relay lists `count()` relays; the ms it took from now, or null after LIST_CONVERGE_MS. */
  async function untilLists (which: () => RelayProc[], count: number): Promise<number | null> {
    const start = performance.now()
    for (let round = 0; round < LIST_CONVERGE_MS / METRICS_POLL_MS && !stop.aborted; round++) {
      await readAll()
      const up = which().filter(r => !r.killed)
      if (up.every(r => r.last.listRelays === count)) return Math.round(performance.now() - start)
      await sleep(METRICS_POLL_MS)
    }
    return null
  }

  /** A relay that fails to start mid-run is a fault of the run, named in the report; pairings go on. */
  async function faultsCaught (): Promise<void> {
    await relayFaults().catch((err: any) => { faults.push({ kind: 'relay-added', atMs: Math.round(performance.now() - t0), error: String(err?.message ?? err) }) })
  }

  /** `--kill-relays` then `--add-relays`, each measured until every live relay's list shows it. */
  async function relayFaults (): Promise<void> {
    const liveCount = (): number => relays.filter(r => !r.killed).length
    if (relayVictims.length > 0) {
      await readAll()
      const killedAt = performance.now()
      const killed: Fault[] = []
      for (const i of relayVictims) {
        const r = relays[i]
        r.sampler.sample()
        r.killed = true
        r.killedAt = performance.now()
        r.proc.killedOnPurpose = true
        r.proc.kill('SIGKILL')
        const f: Fault = { kind: 'relay-killed', relay: i, atMs: Math.round(r.killedAt - t0) }
        faults.push(f)
        killed.push(f)
      }
      const dropped = await untilLists(() => relays, liveCount())
      for (const f of killed) f.listedEverywhereMs = dropped == null ? null : Math.round(performance.now() - killedAt)
    }
    if (addRelays > 0 && !stop.aborted) {
      const spawnedAt = performance.now()
      const fresh = await Promise.all(Array.from({ length: addRelays }, async (_, j) => {
        const index = opts.relays + j
        const r = await startRelay(index, true)
        relays[index] = r
        faults.push({ kind: 'relay-added', relay: index, atMs: Math.round(performance.now() - t0) })
        return r
      }))
      const listed = await untilLists(() => relays, liveCount())
      for (const r of fresh) r.listed = listed != null
      for (const f of faults) if (f.kind === 'relay-added') f.listedEverywhereMs = listed == null ? null : Math.round(performance.now() - spawnedAt)
    }
  }

  function configuredRelay (peer: number): number {
    return peer % opts.relays
  }

  /** The relay a pairing event names (`relay`: an address ending in /p2p/<id>): its index, -1 for the anchor or none. */
  function relayNamed (addr: unknown): number {
    if (typeof addr !== 'string') return -1
    const id = addr.split('/p2p/').pop()
    return relays.find(r => r != null && r.peerId === id)?.index ?? -1
  }

  async function runPairing (index: number, [a, b]: PeerPair, anchored = false): Promise<PairingResult> {
    const configured: [number, number] = [configuredRelay(a), configuredRelay(b)]
    const startedAt = performance.now()
    // Peers whose configured relay was killed before this pairing: they must pair through the
    // relays they remembered at `gini init --relay` (§22.2).
    const configuredDown = anchored ? [] : [a, b].filter(p => relays[configuredRelay(p)].killed)
    const base = { index, creator: a, joiner: b, configured, relay: -1, ...(configuredDown.length > 0 ? { configuredDown } : {}) }
    const relayOf = (k: 0 | 1): string => anchored ? anchor!.addr : relays[configured[k]].addr
    const creator = spawn([GINI, '--data', peerDir(dir, a), '--relay', relayOf(0), 'invite', '--json'])
    let joiner: JsonProcess | undefined
    const deadline = setTimeout(() => { creator.kill(); joiner?.kill() }, pairingTimeoutMs)
    try {
      try {
        await creator.waitFor(o => o.event === 'flash-code', Math.min(FLASH_CODE_TIMEOUT_MS, pairingTimeoutMs))
      } catch {
        const stalled = creator.running
        creator.kill()
        await creator.exited
        const f = failure(base, startedAt, creator, undefined, 'creator', anchored)
        // Still running without a code: say so, with the last thing it printed (not a pairing timeout).
        if (stalled && f.code === 'HARNESS_TIMEOUT') return { ...base, ...f, code: 'NO_FLASH_CODE', message: `gini invite showed no code within ${Math.min(FLASH_CODE_TIMEOUT_MS, pairingTimeoutMs)} ms; ${creator.tail()}` }
        return { ...base, ...f }
      }
      const code: string = creator.lines.find(l => l.obj.event === 'flash-code')!.obj.code
      base.relay = relayNamed(creator.lines.find(l => l.obj.event === 'flash-code')!.obj.relay)
      joiner = spawn([GINI, '--data', peerDir(dir, b), '--relay', relayOf(1), 'accept', code, '--json'])
      const victim = victims.get(index)
      if (victim != null) {
        const target = victim === 'creator' ? creator : joiner
        void joiner.waitFor(o => o.event === 'matched', pairingTimeoutMs).then(() => {
          target.killedOnPurpose = true
          target.kill('SIGKILL')
          faults.push({ kind: 'peer-killed', pairing: index, peer: victim === 'creator' ? a : b, atMs: Math.round(performance.now() - t0) })
        }, () => {})
      }
      await settleBoth(creator, joiner)
      const joinerAt = relayNamed(joiner.lines.find(l => l.obj.event === 'matched')?.obj.relay)
      if (joinerAt >= 0 && joinerAt !== base.relay) Object.assign(base, { joinerRelay: joinerAt })
      if (creator.exitCode === 0 && joiner.exitCode === 0) {
        const added = [creator, joiner].map(p => p.lines.find(l => l.obj.event === 'contact-added')?.at)
        const connected = joiner.lines.find(l => l.obj.event === 'connected')?.obj
        if (added.every(t => t != null)) {
          return { ...base, ok: true, causeKind: 'ok', pairMs: Math.max(...added as number[]) - joiner.startedAt, path: connected?.path }
        }
      }
      return { ...base, ...failure(base, startedAt, creator, joiner, undefined, anchored) }
    } finally {
      clearTimeout(deadline)
      creator.kill()
      joiner?.kill()
    }
  }

  /** Waits until both exited; once one failed, the other gets FAILURE_GRACE_MS. */
  async function settleBoth (x: JsonProcess, y: JsonProcess): Promise<void> {
    const graceAfterFailure = async (p: JsonProcess, other: JsonProcess): Promise<void> => {
      const code = await p.exited
      if (code !== 0) setTimeout(() => { other.kill() }, FAILURE_GRACE_MS).unref()
    }
    void graceAfterFailure(x, y)
    void graceAfterFailure(y, x)
    await Promise.all([x.exited, y.exited])
  }

  /** The relay fault behind a failed pairing, if any: its pairing relay, else a configured one, killed before it ended. */
  function relayFault (base: { relay: number, configured: [number, number], creator: number, joiner: number }, startedAt: number, anchored: boolean): { cause: string, causeKind: PairingCause } | undefined {
    if (anchored) return undefined
    const pairingAt = relays[base.relay]
    if (pairingAt?.killed === true) return { cause: `pairing relay r${pairingAt.index} was killed by the harness`, causeKind: 'pairing-relay-killed' }
    for (const [k, peer] of [base.creator, base.joiner].entries()) {
      const c = relays[base.configured[k]]
      // Killed before the pairing started is no excuse: the peer remembered the others at init.
      if (c.killed && c.killedAt! > startedAt) {
        return { cause: `configured relay r${c.index} of p${peer} was killed by the harness during the pairing`, causeKind: 'configured-relay-killed' }
      }
    }
    return undefined
  }

  function failure (base: { index: number, relay: number, configured: [number, number], creator: number, joiner: number }, startedAt: number, creator: JsonProcess, joiner: JsonProcess | undefined, only?: 'creator', anchored = false): Omit<PairingResult, 'index' | 'creator' | 'joiner' | 'relay' | 'configured'> {
    const sides: Array<['creator' | 'joiner', JsonProcess]> = [['creator', creator]]
    if (joiner != null && only == null) sides.push(['joiner', joiner])
    const fault = relayFault(base, startedAt, anchored)
    const because = fault ?? { causeKind: 'other' as const }
    if (stop.aborted) return { ok: false, code: 'INTERRUPTED', causeKind: 'interrupted', side: 'harness', message: opts.signal?.aborted === true ? 'interrupted' : 'run timeout' }
    const killed = sides.find(([, p]) => p.killedOnPurpose)
    if (killed != null) {
      return { ok: false, code: 'PEER_KILLED', causeKind: 'peer-killed', side: killed[0], message: `the ${killed[0]} process was killed mid-pairing`, cause: `peer ${killed[0] === 'creator' ? 'p' + String(base.creator) : 'p' + String(base.joiner)} killed by the harness after matched` }
    }
    // The first error event by arrival time names the failure.
    const errors = sides
      .map(([side, p]) => ({ side, line: [...p.lines].find(l => l.obj.event === 'error') }))
      .filter(e => e.line != null)
      .sort((x, y) => x.line!.at - y.line!.at)
    if (errors.length > 0) {
      const e = errors[0]
      return { ok: false, code: e.line!.obj.code ?? 'FAILED', side: e.side, message: e.line!.obj.message, ...because }
    }
    const bad = sides.find(([, p]) => p.exitCode !== 0)
    if (bad != null) {
      const [side, p] = bad
      const timedOut = p.signal === 'SIGKILL'
      return {
        ok: false,
        code: timedOut ? 'HARNESS_TIMEOUT' : p.signal != null ? `SIGNAL_${p.signal}` : `EXIT_${String(p.exitCode)}`,
        side: timedOut ? 'harness' : side,
        message: timedOut ? `no result within ${pairingTimeoutMs} ms` : p.tail(),
        ...because
      }
    }
    return { ok: false, code: 'NO_CONTACT_ADDED', side: 'harness', message: 'both exited 0 without contact-added', ...because }
  }

  function anchorSummary (networkOk: PairingResult[]): NonNullable<ClusterReport['anchor']> {
    const ok = anchorResults.filter(r => r.ok)
    const failed: Record<string, number> = {}
    for (const r of anchorResults) if (!r.ok) failed[r.code!] = (failed[r.code!] ?? 0) + 1
    const pairMs = rounded(summarize(ok.map(r => r.pairMs!)))
    const net = summarize(networkOk.map(r => r.pairMs!))
    return { pairings: anchorCount, succeeded: ok.length, failed, pairMs, p50Ratio: Math.round(100 * net.p50 / pairMs.p50) / 100 }
  }

  function buildReport (): ClusterReport {
    results.sort((x, y) => x.index - y.index)
    const ok = results.filter(r => r.ok)
    const failed: Record<string, number> = {}
    for (const r of results) if (!r.ok) failed[r.code!] = (failed[r.code!] ?? 0) + 1
    const byCause: Record<string, number> = {}
    for (const r of results) byCause[r.causeKind ?? 'other'] = (byCause[r.causeKind ?? 'other'] ?? 0) + 1
    const paths: Record<string, number> = {}
    for (const r of ok) paths[r.path ?? 'unknown'] = (paths[r.path ?? 'unknown'] ?? 0) + 1
    const all = relays.filter(r => r != null)
    const perRelay: Record<string, number> = {}
    for (const r of all) {
      const n = r.last.completed - r.base.completed
      if (n > 0) perRelay[`r${r.index}`] = n
    }
    const reported: Record<string, number> = {}
    for (const r of ok) reported[`r${r.relay}`] = (reported[`r${r.relay}`] ?? 0) + 1
    return {
      relays: opts.relays,
      peers: opts.peers,
      pattern,
      seed,
      pairings: pairs.length,
      succeeded: ok.length,
      failed,
      byCause,
      configuredRelayDown: { pairings: results.filter(r => r.configuredDown != null).length, succeeded: ok.filter(r => r.configuredDown != null).length },
      relaysUsed: { distinct: Object.keys(perRelay).length, perRelay, reported },
      listConvergedMs,
      pairMs: rounded(summarize(ok.map(r => r.pairMs!))),
      paths,
      relayStats: all.map(r => ({
        index: r.index,
        addr: r.addr,
        pid: r.sampler.pid,
        rssMB: round1((r.sampler.last?.rssBytes ?? 0) / MB),
        peakRssMB: round1((r.sampler.last?.peakRssBytes ?? 0) / MB),
        cpuSeconds: round1(r.sampler.last?.cpuSeconds ?? 0),
        cpuPercent: round1(100 * (r.sampler.last?.cpuSeconds ?? 0) / (durationMs / 1000)),
        killed: r.killed,
        added: r.added,
        pairings: { created: r.last.created - r.base.created, completed: r.last.completed - r.base.completed }
      })),
      failures: results.filter(r => !r.ok),
      faults,
      setupMs: Math.round(setupMs),
      initLists,
      initMs: rounded(summarize(initTimes)),
      durationMs: Math.round(durationMs),
      interrupted: opts.signal?.aborted === true || runDeadline.aborted,
      ...(anchorCount > 0 ? { anchor: anchorSummary(ok) } : {})
    }
  }
}

/** A relay's list size and pairing counters from its /metrics; undefined when it does not answer. */
export async function readMetrics (url: string | undefined): Promise<RelayMetricsReading | undefined> {
  if (url == null) return undefined
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(METRICS_TIMEOUT_MS) })
    const text = await res.text()
    const value = (re: RegExp): number => { const m = re.exec(text); return m == null ? 0 : Number(m[1]) }
    return {
      listRelays: value(/^gini_gss_list_relays (\d+)/m),
      created: value(/^gini_gss_pairings_total\{outcome="created"\} (\d+)/m),
      completed: value(/^gini_gss_pairings_total\{outcome="completed"\} (\d+)/m)
    }
  } catch {
    return undefined
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

function peerDir (dir: string, i: number): string {
  return join(dir, 'peers', `p${i}`)
}

/** Which pairings lose a process, and which side: spread over the run, alternating sides. */
function pickVictims (pairings: number, count: number, random: () => number): Map<number, 'creator' | 'joiner'> {
  const picked = new Map<number, 'creator' | 'joiner'>()
  const indices = shuffle([...Array(pairings).keys()], random)
  for (const [n, index] of indices.slice(0, Math.min(count, pairings)).entries()) picked.set(index, n % 2 === 0 ? 'joiner' : 'creator')
  return picked
}

async function forEachLimited<T> (items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) await fn(queue.shift()!)
  }))
}

function abortPromise (signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => { resolve() }, { once: true })
  })
}

function round1 (x: number): number {
  return Math.round(x * 10) / 10
}
