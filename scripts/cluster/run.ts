// The cluster harness (`npm run cluster`): R `gini-relay` processes and M peers, each peer a data
// dir used by `gini` CLI processes, paired in a pattern. Every wait is bounded, every process is
// tracked and ended, and each pairing ends as a success or a failure with the error code the CLI
// reported (or the fault the harness injected). The integration tests call runCluster() directly.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JsonProcess } from '../lib/json-process.js'
import { ProcSampler, MB } from '../lib/proc-stats.js'
import { summarize, rounded, type Summary } from '../lib/stats.js'
import { makePairs, defaultPairs, seededRandom, shuffle, type Pattern, type PeerPair } from './pattern.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const GINI = join(ROOT, 'bin', 'gini.js')
export const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')

/** A relay or `gini init` starts in about a second; on a loaded 2-core VM allow far more. */
export const START_TIMEOUT_MS = 30_000
/** Bound on one pairing, both processes (the CLI's own steps are bounded at 30 s each). */
export const PAIRING_TIMEOUT_MS = 90_000
/** When one side failed, the other gets this long to notice and exit before it is killed. */
export const FAILURE_GRACE_MS = 10_000
/** Bound on the whole run. */
export const RUN_TIMEOUT_MS = 15 * 60_000
/** `gini init` processes at once (CPU-bound start-up). */
const INIT_CONCURRENCY = 4
/** A relay gets this long to stop on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 10_000

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
  /** Fault: kill relay #i (SIGKILL) once `killRelayAfter` of its pairings showed their code. */
  killRelay?: number
  killRelayAfter?: number
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

export interface PairingResult {
  index: number
  creator: number
  joiner: number
  relay: number
  ok: boolean
  /** The CLI's error code, or the harness's: PEER_KILLED, HARNESS_TIMEOUT, INTERRUPTED, EXIT_<n>, SIGNAL_<s>. */
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
}

export interface Fault {
  kind: 'peer-killed' | 'relay-killed'
  atMs: number
  pairing?: number
  peer?: number
  relay?: number
}

export interface ClusterReport {
  relays: number
  peers: number
  pattern: Pattern
  seed: number
  pairings: number
  succeeded: number
  failed: Record<string, number>
  pairMs: Summary
  paths: Record<string, number>
  relayStats: RelayStats[]
  failures: PairingResult[]
  faults: Fault[]
  setupMs: number
  durationMs: number
  interrupted: boolean
}

interface RelayProc {
  index: number
  proc: JsonProcess
  addr: string
  sampler: ProcSampler
  started: number
  killed: boolean
}

export async function runCluster (opts: ClusterOptions): Promise<ClusterReport> {
  const pattern = opts.pattern ?? 'random'
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31)
  const random = seededRandom(seed)
  if (!Number.isSafeInteger(opts.relays) || opts.relays < 1) throw new RangeError('--relays must be at least 1')
  if (!Number.isSafeInteger(opts.peers) || opts.peers < 2) throw new RangeError('--peers must be at least 2')
  const pairs = makePairs(pattern, opts.peers, opts.pairs ?? defaultPairs(pattern, opts.peers), random)
  if (opts.killRelay != null && (opts.killRelay < 0 || opts.killRelay >= opts.relays)) throw new RangeError('--kill-relay must name a relay index (0-based)')
  const concurrency = Math.max(1, opts.concurrency ?? 4)
  const pairingTimeoutMs = opts.pairingTimeoutMs ?? PAIRING_TIMEOUT_MS
  const victims = pickVictims(pairs.length, opts.killPeers ?? 0, random)

  const t0 = performance.now()
  const runDeadline = AbortSignal.timeout(opts.runTimeoutMs ?? RUN_TIMEOUT_MS)
  const stop = opts.signal != null ? AbortSignal.any([opts.signal, runDeadline]) : runDeadline
  const dir = await mkdtemp(join(tmpdir(), 'gini-cluster-'))
  const relays: RelayProc[] = []
  const results: PairingResult[] = []
  const faults: Fault[] = []
  const live = new Set<JsonProcess>()
  let running = 0
  let setupMs = 0

  const progress = (phase: ClusterProgress['phase'], done: number, total: number): void => {
    opts.onProgress?.({
      phase,
      done,
      total,
      succeeded: results.filter(r => r.ok).length,
      failed: results.filter(r => !r.ok).length,
      running,
      relaysUp: relays.filter(r => r.proc.running).length,
      relayRssMB: relays.reduce((sum, r) => sum + (r.sampler.last?.rssBytes ?? 0), 0) / MB
    })
  }
  const spawn = (args: string[]): JsonProcess => {
    const p = new JsonProcess(process.execPath, args, { env: { GINI_DATA: undefined, GINI_RELAY: undefined } })
    live.add(p)
    void p.exited.then(() => live.delete(p))
    return p
  }
  const ticker = setInterval(() => { progress('pairing', results.length, pairs.length) }, 500)
  ticker.unref()

  try {
    // 1. Relays.
    progress('relays', 0, opts.relays)
    await Promise.all(Array.from({ length: opts.relays }, async (_, index) => {
      const proc = spawn([GINI_RELAY, '--json', '--data', join(dir, 'relays', `r${index}`), '--listen', '/ip4/127.0.0.1/tcp/0'])
      const listening = await proc.waitFor(o => o.event === 'listening', START_TIMEOUT_MS)
      relays[index] = { index, proc, addr: listening.obj.addrs[0], sampler: new ProcSampler(proc.child.pid!), started: 0, killed: false }
    }))

    // 2. Peers: one data dir each, initialised by the CLI itself.
    let initialised = 0
    await forEachLimited([...Array(opts.peers).keys()], INIT_CONCURRENCY, async (i) => {
      if (stop.aborted) return
      const init = spawn([GINI, '--data', peerDir(dir, i), 'init', '--name', `Peer ${i}`, '--json'])
      const code = await init.waitExit(START_TIMEOUT_MS)
      if (code !== 0) throw new Error(`gini init for peer ${i} failed (${code ?? init.signal}): ${init.tail()}`)
      progress('peers', ++initialised, opts.peers)
    })
    setupMs = performance.now() - t0

    // 3. Pairings: at most `concurrency` at once, a peer in at most one.
    const busy = new Set<number>()
    const queue = pairs.map((pair, index) => ({ pair, index }))
    const inFlight = new Set<Promise<void>>()
    while ((queue.length > 0 || inFlight.size > 0)) {
      if (stop.aborted) break
      while (inFlight.size < concurrency) {
        const next = queue.findIndex(q => !busy.has(q.pair[0]) && !busy.has(q.pair[1]))
        if (next < 0) break
        const { pair, index } = queue.splice(next, 1)[0]
        busy.add(pair[0]).add(pair[1])
        running++
        const task = runPairing(index, pair).then((r) => { results.push(r) }).finally(() => {
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
      for (const p of live) if (!relays.some(r => r?.proc === p)) p.kill('SIGKILL')
      await Promise.allSettled([...inFlight])
    }
    // Interrupted or out of time: whatever did not finish.
    for (const q of queue) results.push({ index: q.index, creator: q.pair[0], joiner: q.pair[1], relay: q.index % opts.relays, ok: false, code: 'INTERRUPTED', side: 'harness', message: 'not started' })
  } finally {
    clearInterval(ticker)
    progress('stopping', results.length, pairs.length)
    for (const p of live) p.kill('SIGKILL')
    await Promise.all(relays.filter(r => r != null).map(async (r) => {
      r.sampler.sample()
      r.proc.kill('SIGTERM')
      await r.proc.waitExit(STOP_GRACE_MS)
      r.sampler.stop()
    }))
    await rm(dir, { recursive: true, force: true }).catch(() => {})
  }
  const durationMs = performance.now() - t0
  return buildReport()

  async function runPairing (index: number, [a, b]: PeerPair): Promise<PairingResult> {
    const relay = relays[index % relays.length]
    const base = { index, creator: a, joiner: b, relay: relay.index }
    const creator = spawn([GINI, '--data', peerDir(dir, a), '--relay', relay.addr, 'invite', '--json'])
    let joiner: JsonProcess | undefined
    const deadline = setTimeout(() => { creator.kill(); joiner?.kill() }, pairingTimeoutMs)
    try {
      try {
        await creator.waitFor(o => o.event === 'flash-code', Math.min(START_TIMEOUT_MS, pairingTimeoutMs))
      } catch {
        creator.kill()
        await creator.exited
        return { ...base, ...failure(creator, undefined, index, 'creator') }
      }
      relay.started++
      if (opts.killRelay === relay.index && !relay.killed && relay.started >= (opts.killRelayAfter ?? 1)) {
        relay.killed = true
        relay.sampler.sample()
        relay.proc.killedOnPurpose = true
        relay.proc.kill('SIGKILL')
        faults.push({ kind: 'relay-killed', relay: relay.index, atMs: Math.round(performance.now() - t0) })
      }
      const code: string = creator.lines.find(l => l.obj.event === 'flash-code')!.obj.code
      joiner = spawn([GINI, '--data', peerDir(dir, b), '--relay', relay.addr, 'accept', code, '--json'])
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
      if (creator.exitCode === 0 && joiner.exitCode === 0) {
        const added = [creator, joiner].map(p => p.lines.find(l => l.obj.event === 'contact-added')?.at)
        const connected = joiner.lines.find(l => l.obj.event === 'connected')?.obj
        if (added.every(t => t != null)) {
          return { ...base, ok: true, pairMs: Math.max(...added as number[]) - joiner.startedAt, path: connected?.path }
        }
      }
      return { ...base, ...failure(creator, joiner, index, undefined) }
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

  function failure (creator: JsonProcess, joiner: JsonProcess | undefined, index: number, only?: 'creator'): Omit<PairingResult, 'index' | 'creator' | 'joiner' | 'relay'> {
    const sides: Array<['creator' | 'joiner', JsonProcess]> = [['creator', creator]]
    if (joiner != null && only == null) sides.push(['joiner', joiner])
    const relay = relays[index % relays.length]
    const relayCause = relay.killed ? `relay r${relay.index} was killed by the harness` : undefined
    if (stop.aborted) return { ok: false, code: 'INTERRUPTED', side: 'harness', message: opts.signal?.aborted === true ? 'interrupted' : 'run timeout' }
    const killed = sides.find(([, p]) => p.killedOnPurpose)
    if (killed != null) {
      return { ok: false, code: 'PEER_KILLED', side: killed[0], message: `the ${killed[0]} process was killed mid-pairing`, cause: `peer ${killed[0] === 'creator' ? 'p' + String(pairs[index][0]) : 'p' + String(pairs[index][1])} killed by the harness after matched` }
    }
    // The first error event by arrival time names the failure.
    const errors = sides
      .map(([side, p]) => ({ side, line: [...p.lines].find(l => l.obj.event === 'error') }))
      .filter(e => e.line != null)
      .sort((x, y) => x.line!.at - y.line!.at)
    if (errors.length > 0) {
      const e = errors[0]
      return { ok: false, code: e.line!.obj.code ?? 'FAILED', side: e.side, message: e.line!.obj.message, ...(relayCause != null ? { cause: relayCause } : {}) }
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
        ...(relayCause != null ? { cause: relayCause } : {})
      }
    }
    return { ok: false, code: 'NO_CONTACT_ADDED', side: 'harness', message: 'both exited 0 without contact-added' }
  }

  function buildReport (): ClusterReport {
    results.sort((x, y) => x.index - y.index)
    const ok = results.filter(r => r.ok)
    const failed: Record<string, number> = {}
    for (const r of results) if (!r.ok) failed[r.code!] = (failed[r.code!] ?? 0) + 1
    const paths: Record<string, number> = {}
    for (const r of ok) paths[r.path ?? 'unknown'] = (paths[r.path ?? 'unknown'] ?? 0) + 1
    return {
      relays: opts.relays,
      peers: opts.peers,
      pattern,
      seed,
      pairings: pairs.length,
      succeeded: ok.length,
      failed,
      pairMs: rounded(summarize(ok.map(r => r.pairMs!))),
      paths,
      relayStats: relays.filter(r => r != null).map(r => ({
        index: r.index,
        addr: r.addr,
        pid: r.sampler.pid,
        rssMB: round1((r.sampler.last?.rssBytes ?? 0) / MB),
        peakRssMB: round1((r.sampler.last?.peakRssBytes ?? 0) / MB),
        cpuSeconds: round1(r.sampler.last?.cpuSeconds ?? 0),
        cpuPercent: round1(100 * (r.sampler.last?.cpuSeconds ?? 0) / (durationMs / 1000)),
        killed: r.killed
      })),
      failures: results.filter(r => !r.ok),
      faults,
      setupMs: Math.round(setupMs),
      durationMs: Math.round(durationMs),
      interrupted: opts.signal?.aborted === true || runDeadline.aborted
    }
  }
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
