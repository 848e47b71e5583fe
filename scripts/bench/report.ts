// BENCHMARKS.md's `bench:main` section and the chart, from one run's numbers. Ratios first; every
// row where GiniConnect loses says so and why.
import { pct, fmtMs, summarize } from '../lib/stats.js'
import type { PairingSample, CliSample } from './gini-pairing.js'
import type { TransferSample } from './transfer.js'
import type { WormholeTransferSample } from './wormhole.js'
import type { CapacityResult } from './relay-capacity.js'
import type { Panel } from './chart.js'

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  os: string
  node: string
  /** 1-minute load average when the run started and ended (other work on the machine skews results). */
  load: [number, number]
}

/** A series, or why there is none. */
export type Maybe<T> = { ok: true, value: T } | { ok: false, why: string }

export interface BenchResults {
  command: string
  date: string
  quick: boolean
  durationS: number
  machine: Machine
  versions: Record<string, string>
  toolNotes: string[]
  pairing: {
    lib: PairingSample[]
    cli: CliSample[]
    go: Maybe<number[]>
    python: Maybe<number[]>
    start: { node: number[], giniLoaded: number[], go: Maybe<number[]>, python: Maybe<number[]> }
  }
  transfer: {
    bytes: number
    where: string
    gini: TransferSample[]
    go: Maybe<{ big: WormholeTransferSample[], small: WormholeTransferSample[] }>
    python: Maybe<WormholeTransferSample[]>
    pythonMode: string
  }
  capacity: Maybe<CapacityResult>
}

const MIB = 1024 * 1024
const median = (xs: number[]): number => pct(xs, 50)

export function giniMiBps (r: BenchResults): number {
  return median(r.transfer.gini.map(s => (s.bytes / MIB) / (s.ms / 1000)))
}

export function goMiBps (r: BenchResults): number {
  if (!r.transfer.go.ok) return NaN
  const dt = median(r.transfer.go.value.big.map(s => s.wallMs)) - median(r.transfer.go.value.small.map(s => s.wallMs))
  return dt > 0 ? (r.transfer.bytes / MIB) / (dt / 1000) : NaN
}

export function pythonMiBps (r: BenchResults): number {
  if (!r.transfer.python.ok) return NaN
  return median(r.transfer.python.value.map(s => (r.transfer.bytes / MIB) / ((s.rxMs ?? NaN) / 1000)).filter(Number.isFinite))
}

function ratio (ours: number, theirs: number, better: 'lower' | 'higher'): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return 'n/a'
  const r = ours / theirs
  const win = better === 'lower' ? r < 1 : r > 1
  return `**${r.toFixed(2)}×** (${win ? 'GiniConnect ahead' : 'GiniConnect behind'})`
}

function row (name: string, xs: number[], note: string): string {
  if (xs.length === 0) return `| ${name} | – | – | – | 0 | ${note} |`
  const s = summarize(xs)
  return `| ${name} | ${fmtMs(s.p50)} | ${fmtMs(s.p95)} | ${fmtMs(s.min)} / ${fmtMs(s.max)} | ${s.n} | ${note} |`
}

function missing (name: string, why: string): string {
  return `| ${name} | – | – | – | 0 | not measured: ${why} |`
}

export function markdown (r: BenchResults): string {
  const libChannel = r.pairing.lib.map(s => s.channel)
  const cliChannel = r.pairing.cli.map(s => s.channel)
  const go = r.pairing.go.ok ? r.pairing.go.value : []
  const py = r.pairing.python.ok ? r.pairing.python.value : []
  const nodeStart = median(r.pairing.start.node)
  const giniLoaded = median(r.pairing.start.giniLoaded)
  const goStart = r.pairing.start.go.ok ? median(r.pairing.start.go.value) : NaN
  const pyStart = r.pairing.start.python.ok ? median(r.pairing.start.python.value) : NaN
  const gMiB = giniMiBps(r)
  const goMiB = goMiBps(r)
  const pyMiB = pythonMiBps(r)
  const m = r.machine
  const cap = r.capacity
  const lines: string[] = []

  lines.push(
    `Command: \`${r.command}\` · ${r.date} · ${r.durationS.toFixed(0)} s · ${m.cores} × ${m.cpu}, ${m.ramGiB} GiB RAM · ${m.os} · Node ${m.node}` +
    ` · load average ${m.load[0].toFixed(1)} at start, ${m.load[1].toFixed(1)} at end (other jobs shared these ${m.cores} cores: read the numbers as relative)`,
    '',
    `Versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(' · ')}`,
    ...(r.toolNotes.length > 0 ? ['', `Tools: ${r.toolNotes.join('; ')}`] : []),
    '',
    '### Ratios first',
    '',
    '| comparison (same machine, same run) | GiniConnect | Magic Wormhole | ratio |',
    '|---|---|---|---|',
    `| code entered → encrypted channel ready, p50, **CLI vs CLI** (process start included on both sides) | ${fmtMs(median(cliChannel))} ms (\`gini accept\`) | ${fmtMs(median(go))} ms (wormhole-william) | ${ratio(median(cliChannel), median(go), 'lower')} |`,
    `| same, vs the Python client | ${fmtMs(median(cliChannel))} ms | ${fmtMs(median(py))} ms (\`wormhole\`) | ${ratio(median(cliChannel), median(py), 'lower')} |`,
    `| same, **library** (GiniConnect in a running process) vs wormhole-william CLI | ${fmtMs(median(libChannel))} ms | ${fmtMs(median(go))} ms | ${ratio(median(libChannel), median(go), 'lower')} |`,
    `| same, library vs wormhole-william minus its process start (${fmtMs(goStart)} ms) | ${fmtMs(median(libChannel))} ms | ${fmtMs(median(go) - goStart)} ms | ${ratio(median(libChannel), median(go) - goStart, 'lower')} |`,
    `| 10 MiB transfer, MiB/s (median) | ${gMiB.toFixed(1)} (direct WebRTC) | ${goMiB.toFixed(1)} (wormhole-william transit) | ${ratio(gMiB, goMiB, 'higher')} |`,
    `| same, vs the Python client | ${gMiB.toFixed(1)} | ${pyMiB.toFixed(1)} (\`wormhole\` transit, ${r.transfer.pythonMode}) | ${ratio(gMiB, pyMiB, 'higher')} |`,
    '',
    '![GiniConnect vs Magic Wormhole, relay capacity](docs/benchmarks.svg)',
    '',
    '### Code entered → end-to-end encrypted channel ready',
    '',
    'GiniConnect: from `accept(code)` (library) or spawning `gini accept <code>` (CLI) to the joiner\'s `connected` event — the verified',
    'peer is on a direct WebRTC (DTLS) connection. "→ both contact-added" adds the vCard exchange and the first 3-DH session.',
    'Magic Wormhole: from spawning the receiver with the code to both processes exiting after the encrypted text arrived',
    '(bench-pair.ts\'s measurement), against a local `twist3 wormhole-mailbox` on 127.0.0.1.',
    '',
    '| run (ms) | p50 | p95 | min / max | n | what it includes |',
    '|---|---|---|---|---|---|',
    row('**GiniConnect CLI** `gini accept` → `connected`', cliChannel, `Node start + loading libp2p (\`gini contacts\` alone: ${fmtMs(giniLoaded)} ms) + fresh identity, relay dial, reservation, CPace, WebRTC upgrade; paths: ${paths(r.pairing.cli.map(s => s.path))}`),
    row('· GiniConnect CLI → both `contact-added`', r.pairing.cli.map(s => s.total), 'plus contact cards and the first session'),
    row('**GiniConnect library** `accept()` → `connected`', libChannel, `no process start; paths: ${paths(r.pairing.lib.map(s => s.path))}`),
    row('· library → both `contact-added`', r.pairing.lib.map(s => s.total), ''),
    row('· · relay: dial + reservation + Join → Matched', r.pairing.lib.map(s => s.relay), ''),
    row('· · CPace: TempKey + MFC round trips', r.pairing.lib.map(s => s.cpace), ''),
    row('· · WebRTC: sealed offer/answer + upgrade', r.pairing.lib.map(s => s.webrtc), ''),
    r.pairing.go.ok ? row('wormhole-william (Go) recv → both exit', go, `process start ≈ ${fmtMs(goStart)} ms (\`wormhole-william --help\`)`) : missing('wormhole-william (Go)', r.pairing.go.why),
    r.pairing.python.ok ? row('wormhole (Python) receive → both exit', py, `process start ≈ ${fmtMs(pyStart)} ms (\`wormhole --version\`)`) : missing('wormhole (Python)', r.pairing.python.why),
    row('reference: `node -e 0`', r.pairing.start.node, 'bare Node 24 start on this machine'),
    '',
    `### ${r.transfer.bytes / MIB} MiB transfer`,
    '',
    `Where: ${r.transfer.where}. GiniConnect: two peer processes with the product's Node stack connect the way a pairing does`,
    '(`connectToVerifiedPeer`: the `/p2p-circuit/webrtc` upgrade through a `gini-relay`), then send the payload over a **bench-only stream',
    'protocol** (`/gini-bench/transfer/1`, in scripts/bench/transfer-peer.ts, not part of the product) on that direct WebRTC connection; timed from the',
    'first byte sent to the receiver\'s 1-byte acknowledgement. wormhole-william: receiver wall time for the file minus that for a',
    '1-byte file (medians), as it prints no timings. Python `wormhole`: its own `rx file` span from `--dump-timing`.',
    '',
    '| transfer | MiB/s (median) | samples | how |',
    '|---|---|---|---|',
    `| **GiniConnect** direct WebRTC (SCTP/DTLS, node-datachannel) | ${gMiB.toFixed(1)} | ${r.transfer.gini.map(s => ((s.bytes / MIB) / (s.ms / 1000)).toFixed(1)).join(', ')} | CPU per side per MiB: sender ${(median(r.transfer.gini.map(s => s.senderCpuMs)) / (r.transfer.bytes / MIB)).toFixed(0)} ms, receiver ${(median(r.transfer.gini.map(s => s.receiverCpuMs)) / (r.transfer.bytes / MIB)).toFixed(0)} ms; paths: ${paths(r.transfer.gini.map(s => s.path))} |`,
    r.transfer.go.ok
      ? `| wormhole-william (Go) transit | ${goMiB.toFixed(1)} | 10 MiB: ${r.transfer.go.value.big.map(s => s.wallMs.toFixed(0)).join(', ')} ms; 1 B: ${r.transfer.go.value.small.map(s => s.wallMs.toFixed(0)).join(', ')} ms | difference of medians |`
      : `| wormhole-william (Go) transit | – | – | not measured: ${r.transfer.go.why} |`,
    r.transfer.python.ok
      ? `| wormhole (Python) transit, ${r.transfer.pythonMode} | ${pyMiB.toFixed(1)} | ${r.transfer.python.value.map(s => ((r.transfer.bytes / MIB) / ((s.rxMs ?? NaN) / 1000)).toFixed(1)).join(', ')} | \`rx file\` span |`
      : `| wormhole (Python) transit | – | – | not measured: ${r.transfer.python.why} |`,
    '',
    '### Relay capacity (one `gini-relay`, rate limits off)',
    ''
  )
  if (cap.ok) {
    const c = cap.value
    lines.push(
      'Pending pairing = a waiting creator: its own connection (fresh identity, Noise, Yamux), a circuit reservation and one',
      '`/gini/fc/1` stream after `Create`. Pairings/s = the relay\'s whole part of complete pairings (two fresh identities connect,',
      'Create/Join, CPace shares, MFCs, sealed offer/answer, both Done, the relay\'s close), with the product\'s `FcPeer` on both',
      'sides. The relay runs alone in its own process; this process generates the load on the same cores.',
      '',
      '| measure | value |',
      '|---|---|',
      `| relay RSS idle | ${c.baselineRssMB} MB |`,
      ...c.levels.map(l => `| RSS with ${l.pending} pending pairings | ${l.rssMB} MB |`),
      `| RSS per pending pairing | ${c.kibPerPending} KiB (connection + reservation + stream; the GSS row itself is a few hundred bytes) |`,
      `| peak RSS over the whole test | ${c.peakRssMB} MB |`,
      ...c.throughput.map(t => `| pairings/s at concurrency ${t.concurrency} | **${t.perSecond}** (${t.pairings} in ${t.seconds} s, ${t.failed} failed; one pairing p50 ${fmtMs(t.pairingMs.p50)} ms, p95 ${fmtMs(t.pairingMs.p95)} ms; relay CPU ${t.relayCpuPercent}% of one core → ≈ ${perCore(t)} pairings/s per relay core) |`)
    )
  } else {
    lines.push(`Not measured: ${cap.why}`)
  }
  lines.push('', '### Where GiniConnect loses, and why', '')
  const losses: string[] = []
  if (median(cliChannel) > median(go)) {
    losses.push(`- **CLI time to a ready channel vs wormhole-william** (${fmtMs(median(cliChannel))} vs ${fmtMs(median(go))} ms): \`gini\` is a Node program — ` +
      `a bare \`node -e 0\` takes ${fmtMs(nodeStart)} ms here and loading the libp2p stack and libsodium makes \`gini contacts\` take ${fmtMs(giniLoaded)} ms before any ` +
      `packet; wormhole-william is one static Go binary (${fmtMs(goStart)} ms to start). After start-up GiniConnect also does more: a fresh identity, a Noise ` +
      'handshake with the relay, a circuit reservation, CPace with key confirmation, and a WebRTC upgrade (ICE + DTLS + SCTP) to a *direct* connection, while ' +
      `wormhole's text goes through its mailbox. As a library (no process start) the same work takes ${fmtMs(median(libChannel))} ms.`)
  }
  if (median(libChannel) > median(go) - goStart) {
    losses.push(`- **Library vs wormhole-william without its process start** (${fmtMs(median(libChannel))} vs ${fmtMs(median(go) - goStart)} ms): the WebRTC upgrade ` +
      `(${fmtMs(median(r.pairing.lib.map(s => s.webrtc)))} ms p50) is the largest step; wormhole never builds a direct connection for a text.`)
  }
  if (median(cliChannel) > median(py)) {
    losses.push(`- **CLI vs Python wormhole** (${fmtMs(median(cliChannel))} vs ${fmtMs(median(py))} ms): start-up again — loading the JS libp2p stack costs more than Python's.`)
  }
  if (gMiB < goMiB || gMiB < pyMiB) {
    losses.push(`- **Transfer rate** (${gMiB.toFixed(1)} MiB/s vs ${goMiB.toFixed(1)} Go / ${pyMiB.toFixed(1)} Python): GiniConnect's bytes go through SCTP in user space ` +
      '(usrsctp in libdatachannel) over DTLS over UDP, cut into libp2p\'s 16 KiB WebRTC messages (the libp2p WebRTC spec\'s limit), one JS → native call ' +
      'per message, and @libp2p/webrtc refills its send buffer only when it drained to zero. Wormhole\'s transit is kernel TCP with NaCl secretbox records. ' +
      `Our sender used ${busy(r, 'senderCpuMs')}% and our receiver ${busy(r, 'receiverCpuMs')}% of one core during the transfer (CPU time over wall time), ` +
      'on a machine whose two cores other jobs shared. ' +
      'Chat and vCards need a few KiB; bulk transfer is not what the direct channel is tuned for.')
  }
  if (losses.length === 0) losses.push('- Nowhere in this run.')
  lines.push(...losses)
  return lines.join('\n')
}

/** CPU time over wall time of one side of our transfer, in % of one core (medians). */
function busy (r: BenchResults, side: 'senderCpuMs' | 'receiverCpuMs'): string {
  return (100 * median(r.transfer.gini.map(s => s[side] / s.ms))).toFixed(0)
}

function perCore (t: { perSecond: number, relayCpuPercent: number }): string {
  return t.relayCpuPercent > 0 ? ((t.perSecond * 100) / t.relayCpuPercent).toFixed(0) : '–'
}

function paths (ps: string[]): string {
  const counts = new Map<string, number>()
  for (const p of ps) counts.set(p, (counts.get(p) ?? 0) + 1)
  return [...counts].map(([p, n]) => `${p} ${n}`).join(', ') || '–'
}

export function chartPanels (r: BenchResults): Panel[] {
  const go = r.pairing.go.ok ? r.pairing.go.value : []
  const py = r.pairing.python.ok ? r.pairing.python.value : []
  const note = (xs: number[]): string => `p95 ${fmtMs(pct(xs, 95))}`
  const panels: Panel[] = [
    {
      title: 'Code entered → encrypted channel ready, p50',
      unit: 'ms',
      better: 'lower',
      bars: [
        { label: 'GiniConnect CLI (gini accept)', value: median(r.pairing.cli.map(s => s.channel)), ours: true, note: note(r.pairing.cli.map(s => s.channel)) },
        { label: 'GiniConnect library', value: median(r.pairing.lib.map(s => s.channel)), ours: true, note: note(r.pairing.lib.map(s => s.channel)) },
        { label: 'wormhole-william (Go) CLI', value: median(go), ours: false, note: note(go) },
        { label: 'wormhole (Python) CLI', value: median(py), ours: false, note: note(py) }
      ]
    },
    {
      title: `${r.transfer.bytes / MIB} MiB transfer`,
      unit: 'MiB/s',
      better: 'higher',
      bars: [
        { label: 'GiniConnect direct WebRTC', value: giniMiBps(r), ours: true },
        { label: 'wormhole-william transit', value: goMiBps(r), ours: false },
        { label: 'wormhole (Python) transit', value: pythonMiBps(r), ours: false }
      ]
    }
  ]
  if (r.capacity.ok) {
    panels.push({
      title: 'Relay: complete pairings per second',
      unit: 'pairings/s',
      better: 'higher',
      bars: r.capacity.value.throughput.map(t => ({ label: `gini-relay, concurrency ${t.concurrency}`, value: t.perSecond, ours: true, note: `relay CPU ${t.relayCpuPercent}%` }))
    })
  }
  return panels
}
