// The cluster report for people (a few lines) and for scripts (one JSON object).
import { fmtMs } from '../lib/stats.js'
import type { ClusterProgress, ClusterReport, Fault } from './run.js'

export function progressLine (p: ClusterProgress): string {
  if (p.phase === 'relays') return '[cluster] starting relays…'
  if (p.phase === 'peers') return `[cluster] initialising peers ${p.done}/${p.total}`
  if (p.phase === 'stopping') return '[cluster] stopping…'
  return `[cluster] pairings ${p.done}/${p.total} · ok ${p.succeeded} · failed ${p.failed} · running ${p.running} · relays up ${p.relaysUp} · relay RSS ${p.relayRssMB.toFixed(0)} MB`
}

export function humanReport (r: ClusterReport): string {
  const lines = [
    `GiniConnect cluster: ${r.relays} relay${r.relays === 1 ? '' : 's'}, ${r.peers} peers, ${r.pairings} pairings (${r.pattern}, seed ${r.seed}) in ${(r.durationMs / 1000).toFixed(1)} s` +
      ` (set-up ${(r.setupMs / 1000).toFixed(1)} s)${r.interrupted ? ' — INTERRUPTED' : ''}`,
    `  succeeded ${r.succeeded}/${r.pairings}, failed ${r.pairings - r.succeeded}` +
      (Object.keys(r.failed).length > 0 ? ` (${Object.entries(r.failed).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''),
    `  relays remembered at set-up (gini init --relay), peers by count: ${Object.entries(r.initLists).map(([k, n]) => `${k} → ${n}`).join(', ') || '–'}; ` +
      `each init p50 ${fmtMs(r.initMs.p50)} ms, p95 ${fmtMs(r.initMs.p95)} ms`,
    `  pairings with a peer whose configured relay was already killed: ${r.configuredRelayDown.succeeded}/${r.configuredRelayDown.pairings} succeeded`,
    `  by cause: ${Object.entries(r.byCause).map(([c, n]) => `${c} ${n}`).join(', ') || '–'}`,
    `  relays used: ${r.relaysUsed.distinct} (completed per relay, its counters: ${Object.entries(r.relaysUsed.perRelay).map(([k, n]) => `${k} ${n}`).join(', ') || '–'}; ` +
      `as the peers' events name it: ${Object.entries(r.relaysUsed.reported).sort().map(([k, n]) => `${k} ${n}`).join(', ') || '–'})` +
      (r.relays > 1 ? `; relay lists agreed ${(r.listConvergedMs / 1000).toFixed(1)} s after start` : ''),
    `  time to pair (gini accept spawned → both contact-added): p50 ${fmtMs(r.pairMs.p50)} ms, p95 ${fmtMs(r.pairMs.p95)} ms, min ${fmtMs(r.pairMs.min)} / max ${fmtMs(r.pairMs.max)} ms`,
    ...(r.anchor != null
      ? [`  anchor, one relay on its own, same run: ${r.anchor.succeeded}/${r.anchor.pairings} succeeded, p50 ${fmtMs(r.anchor.pairMs.p50)} ms, p95 ${fmtMs(r.anchor.pairMs.p95)} ms; network p50 / anchor p50 = ${r.anchor.p50Ratio}×`]
      : []),
    `  connection paths: ${Object.entries(r.paths).map(([p, n]) => `${p} ${n}`).join(', ') || '–'}`,
    ...r.relayStats.map(s => `  relay r${s.index}: RSS ${s.rssMB} MB (peak ${s.peakRssMB} MB), CPU ${s.cpuSeconds} s = ${s.cpuPercent}% of one core, ` +
      `${s.pairings.completed} completed / ${s.pairings.created} created${s.added ? ' — added mid-run' : ''}${s.killed ? ' — killed by the harness' : ''}`),
    ...r.faults.map(faultLine),
    ...(r.failures.length > 0 ? ['  failed pairings:'] : []),
    ...r.failures.map(f => `    #${f.index} p${f.creator} (r${f.configured[0]}) → p${f.joiner} (r${f.configured[1]}) at ${f.relay >= 0 ? `r${f.relay}` : '?'}${f.joinerRelay != null ? ` (joiner at r${f.joinerRelay})` : ''}: ${f.code ?? '?'} (${f.side ?? '?'})` +
      `${f.cause != null ? ` — ${f.cause}` : ''}${f.message != null && f.code !== 'PEER_KILLED' ? `: ${oneLine(f.message)}` : ''}`)
  ]
  return lines.join('\n')
}

function faultLine (f: Fault): string {
  const at = `+${(f.atMs / 1000).toFixed(1)} s`
  const after = (what: string): string => f.listedEverywhereMs === undefined ? '' : f.listedEverywhereMs === null ? `, not ${what} within the bound` : `, ${what} ${(f.listedEverywhereMs / 1000).toFixed(1)} s later`
  if (f.kind === 'relay-killed') return `  fault: relay r${String(f.relay)} killed at ${at}${after('dropped from every live relay\'s list')}`
  if (f.kind === 'relay-added') return f.error != null ? `  fault: adding a relay failed at ${at}: ${f.error}` : `  fault: relay r${String(f.relay)} added at ${at}${after('listed by every live relay')}`
  return `  fault: peer p${String(f.peer)} (pairing #${String(f.pairing)}) killed at ${at}`
}

/** The --json line: stable keys first (`succeeded`, `failed`, `pairMs`), details after. */
export function jsonReport (r: ClusterReport): string {
  return JSON.stringify({
    succeeded: r.succeeded,
    failed: r.failed,
    pairMs: r.pairMs,
    byCause: r.byCause,
    configuredRelayDown: r.configuredRelayDown,
    relaysUsed: r.relaysUsed,
    listConvergedMs: r.listConvergedMs,
    anchor: r.anchor,
    pairings: r.pairings,
    relays: r.relays,
    peers: r.peers,
    pattern: r.pattern,
    seed: r.seed,
    paths: r.paths,
    relayStats: r.relayStats,
    faults: r.faults,
    failures: r.failures.map(f => ({ ...f, message: f.message != null ? oneLine(f.message).slice(0, 300) : undefined })),
    setupMs: r.setupMs,
    initLists: r.initLists,
    initMs: r.initMs,
    durationMs: r.durationMs,
    interrupted: r.interrupted
  })
}

function oneLine (s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}
