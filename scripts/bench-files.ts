// `npm run bench:files [-- --sizes 10,100] [--runs N] [--no-write] [--no-install] [--in-process] [--only …]`: MiB/s of
// /gini/files/1 (docs/protocol.md §17) for a 10 MiB and a 100 MiB file between two daemons, over
// their direct TCP link (§17.6) and over WebRTC (the same daemons with the TCP listener off), side
// by side in one run with Magic Wormhole's two clients (wormhole-william, Python `wormhole`) through
// a local mailbox and transit relay in the bench's network namespace (scripts/bench/wormhole.ts,
// scripts/bench/netns.ts, as `npm run bench` drives them). GiniConnect's time runs from accept to
// the receiver's `done` (the pull, every chunk hash, the whole-file hash and the rename included),
// with the CPU time both daemons used meanwhile (a measure the machine's load hardly moves), and
// beside it the transport's own floor: the same bytes over the peer's TCP + Noise + Yamux between two
// processes, nothing of ours on top (scripts/bench/transport-floor.ts).
// Writes BENCHMARKS.md's `bench:files` block unless --no-write. Every wait is bounded. A
// benchmark, not a test: nothing here asserts a speed, and a contender whose tool is missing says so.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir, cpus, loadavg, totalmem, release } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRelay } from '../relay/index.js'
import { releaseWebRtc } from '../peer/index.js'
import { openNamedNode, pairNodes } from './lib/paired-nodes.js'
import { JsonProcess, killAll } from './lib/json-process.js'
import { pct } from './lib/stats.js'
import { checkTools, debVersion } from './bench/tools.js'
import { BenchNamespace } from './bench/netns.js'
import { startWormholeServers, benchWormholeTransfer } from './bench/wormhole.js'
import { benchTransportFloor } from './bench/transport-floor.js'
import type { DaemonEvent } from '../peer/core/daemon/events.js'
import type { LinkKind } from '../peer/core/dial-peer.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const GINI = join(ROOT, 'bin', 'gini.js')
const BEGIN = '<!-- bench:files begin -->'
const END = '<!-- bench:files end -->'
const MIB = 1024 * 1024

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100' },
    runs: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
    'no-install': { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    only: { type: 'string', default: 'tcp,floor,webrtc,wormhole-william,python' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help === true) {
  console.log(`Usage: npm run bench:files [-- --sizes 10,100] [--runs N] [--no-write] [--no-install] [--in-process] [--cpu-prof DIR] [--only LIST]
  --sizes       file sizes in MiB (at most 4, each at most 1024; default 10,100)
  --runs N      transfers per size and contender, the median reported (1-20; default 3)
  --no-write    print the section, leave BENCHMARKS.md alone
  --no-install  do not apt-get install missing wormhole packages (their rows then say so)
  --in-process  both GiniConnect daemons in this process (one JS thread) instead of two \`gini daemon\` processes
  --cpu-prof DIR  each \`gini daemon\` process writes a V8 CPU profile into DIR when it exits (node --cpu-prof)
  --only LIST   what to measure, of tcp,floor,webrtc,wormhole-william,python (default all; the others say "not measured");
                floor: the transport alone (scripts/bench/transport-floor.ts), the same bytes over the peer's
                TCP + Noise + Yamux between two processes, one stream, no framing, hashing or disk`)
  process.exit(0)
}
const SIZES_MIB = values.sizes.split(',').map(Number).filter(n => n > 0 && n <= 1024).slice(0, 4)
const RUNS = Math.min(20, Math.max(1, Number(values.runs)))
const IN_PROCESS = values['in-process'] === true
const ONLY = new Set(values.only.split(',').map(s => s.trim()))
const skipped = (): Record<number, Row> => Object.fromEntries(SIZES_MIB.map(mib => [mib, { ok: false, why: 'not measured (--only)' } satisfies Row]))
/** Bound on one transfer (or one wormhole step), whatever the size: 1 MiB/s at worst. */
const limitMs = (mib: number): number => 30_000 + mib * 1_000
const ONLINE_LIMIT_MS = 30_000

process.on('exit', () => { killAll('SIGKILL') })
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll('SIGKILL'); process.exit(130) })
const t0 = performance.now()
const load0 = loadavg()
const say = (line: string): void => { process.stderr.write(`[bench:files +${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`) }

/** `cpuSeconds`: per sample, CPU time both GiniConnect daemons used during the transfer (user + system). */
type Row = { ok: true, mibPerSecond: number[], cpuSeconds?: number[], note?: string } | { ok: false, why: string }
const median = (xs: number[]): number => pct(xs, 50)

/** CPU seconds (user + system, every thread) a process has used so far, from /proc; NaN where there is none. */
function cpuSecondsOf (pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN
  }
}

async function waitFor (log: DaemonEvent[], pred: (e: DaemonEvent) => boolean, ms: number, what: string): Promise<DaemonEvent> {
  const deadline = Date.now() + ms
  for (;;) {
    const hit = log.find(pred)
    if (hit != null) return hit
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

async function until (cond: () => boolean, ms: number, what: string): Promise<void> {
  for (let i = 0; i < ms / 10 && !cond(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  if (!cond()) throw new Error(`no ${what} within ${ms} ms`)
}

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-files-'))
const payload = new Map<number, string>()
for (const mib of SIZES_MIB) {
  payload.set(mib, join(dir, `payload-${mib}MiB.bin`))
  await writeFile(payload.get(mib)!, randomBytes(mib * MIB))
}
const small = join(dir, 'payload-1B.bin')
await writeFile(small, randomBytes(1))

/**
 * Two daemons in this process paired through a local relay; `link`: 'tcp' (the default daemon)
 * or 'webrtc' (`directTcp: false`, as `gini daemon --no-direct-tcp`). Each sample checks that
 * every progress event of the pull named that link.
 */
async function benchGini (link: LinkKind): Promise<Record<number, Row>> {
  const out: Record<number, Row> = {}
  const home = await mkdtemp(join(dir, `gini-${link}-`))
  const [alice, bob] = [await openNamedNode(home, 'alice'), await openNamedNode(home, 'bob')]
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = relay.multiaddrs[0].toString()
  try {
    await pairNodes(alice, bob, addr)
    const aLog: DaemonEvent[] = []
    const bLog: DaemonEvent[] = []
    const directTcp = link === 'tcp'
    const a = await alice.startDaemon({ relays: [addr], directTcp, onEvent: e => aLog.push(e) })
    const b = await bob.startDaemon({ relays: [addr], directTcp, onEvent: e => bLog.push(e) })
    await waitFor(aLog, e => e.event === 'contact-state' && e.state === 'online', ONLINE_LIMIT_MS, 'session')
    await waitFor(bLog, e => e.event === 'contact-state' && e.state === 'online', ONLINE_LIMIT_MS, 'session')
    const bobId = (await alice.contacts())[0].id
    const aliceId = (await bob.contacts())[0].id
    await until(() => a.linkOf(bobId)?.kind === link && b.linkOf(aliceId)?.kind === link, ONLINE_LIMIT_MS, `${link} link both ways`)
    for (const mib of SIZES_MIB) {
      const rates: number[] = []
      const cpus: number[] = []
      try {
        for (let i = 0; i < RUNS; i++) {
          const offer = await a.files!.offer(bobId, payload.get(mib)!)
          await waitFor(bLog, e => e.event === 'file' && e.id === offer.id && e.state === 'offered', ONLINE_LIMIT_MS, 'offer')
          const start = performance.now()
          const cpu0 = process.cpuUsage()
          await b.files!.accept(offer.id)
          const end = await waitFor(bLog, e => e.event === 'file' && e.id === offer.id && (e.state === 'done' || e.state === 'failed'), limitMs(mib), `${mib} MiB over ${link}`)
          const seconds = (performance.now() - start) / 1000
          if (end.event !== 'file' || end.state !== 'done') throw new Error(`transfer failed: ${end.event === 'file' ? end.error ?? '' : ''}`)
          const used = new Set(bLog.flatMap(e => e.event === 'file' && e.id === offer.id && e.link != null ? [e.link] : []))
          if (used.size !== 1 || !used.has(link)) throw new Error(`the pull ran over ${[...used].join(', ') || 'no named link'}, not only ${link}`)
          const cpu = process.cpuUsage(cpu0)
          rates.push(mib / seconds)
          cpus.push((cpu.user + cpu.system) / 1e6)
          say(`  gini ${link} ${mib} MiB #${i + 1}: ${(mib / seconds).toFixed(1)} MiB/s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (both daemons)`)
          if (end.path != null) await rm(end.path, { force: true })
        }
        out[mib] = { ok: true, mibPerSecond: rates, cpuSeconds: cpus }
      } catch (err: any) {
        say(`gini ${link} ${mib} MiB: ${String(err?.message ?? err)}`)
        out[mib] = { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) }
      }
    }
  } finally {
    await alice.close()
    await bob.close()
    await relay.stop()
  }
  return out
}

/**
 * The product as people run it: two `gini daemon --json` processes (`--no-direct-tcp` for the WebRTC
 * column) on data dirs paired in this process beforehand, a local relay, `gini send-file` through the
 * sender's control socket, and the receiver's `--accept-files-up-to` taking the offer at once. The
 * time runs from the receiver's `offered` line to its `done` line (both stamped on arrival).
 */
async function benchGiniProcesses (link: LinkKind): Promise<Record<number, Row>> {
  const out: Record<number, Row> = {}
  const home = await mkdtemp(join(dir, `gini-${link}-`))
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = relay.multiaddrs[0].toString()
  const procs: JsonProcess[] = []
  try {
    const [alice, bob] = [await openNamedNode(home, 'alice'), await openNamedNode(home, 'bob')]
    let bobId: string
    try {
      await pairNodes(alice, bob, addr)
      bobId = (await alice.contacts())[0].id
    } finally {
      await alice.close()
      await bob.close()
    }
    const flags = ['--json', '--relay', addr, 'daemon', '--accept-files-up-to', '2GiB', ...(link === 'tcp' ? [] : ['--no-direct-tcp'])]
    const prof = (name: string): string[] => values['cpu-prof'] != null ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof'], '--cpu-prof-name', `${link}-${name}.cpuprofile`] : []
    const a = new JsonProcess(process.execPath, [...prof('sender'), GINI, '--data', join(home, 'alice'), ...flags])
    const b = new JsonProcess(process.execPath, [...prof('receiver'), GINI, '--data', join(home, 'bob'), ...flags])
    procs.push(a, b)
    for (const p of [a, b]) await p.waitFor(o => o.event === 'contact-state' && o.state === 'online', ONLINE_LIMIT_MS)
    for (const p of [a, b]) await p.waitFor(o => o.event === 'session' && o.link === link, ONLINE_LIMIT_MS)
    for (const mib of SIZES_MIB) {
      const rates: number[] = []
      const cpus: number[] = []
      try {
        for (let i = 0; i < RUNS; i++) {
          const from = b.lines.length
          const send = new JsonProcess(process.execPath, [GINI, '--data', join(home, 'alice'), '--json', 'send-file', bobId, payload.get(mib)!])
          procs.push(send)
          const offered = await b.waitFor(o => o.event === 'file' && o.direction === 'in' && o.state === 'offered' && b.lines.findIndex(l => l.obj === o) >= from, ONLINE_LIMIT_MS)
          const cpu0 = [cpuSecondsOf(a.child.pid), cpuSecondsOf(b.child.pid)]
          const id: string = offered.obj.id
          const done = await b.waitFor(o => o.event === 'file' && o.id === id && (o.state === 'done' || o.state === 'failed'), limitMs(mib))
          const cpu = [cpuSecondsOf(a.child.pid) - cpu0[0], cpuSecondsOf(b.child.pid) - cpu0[1]]
          if (done.obj.state !== 'done') throw new Error(`transfer failed: ${String(done.obj.error ?? '')}`)
          const seconds = (done.at - offered.at) / 1000
          const used = new Set(b.lines.flatMap(l => l.obj.event === 'file' && l.obj.id === id && l.obj.link != null ? [l.obj.link as string] : []))
          if (used.size !== 1 || !used.has(link)) throw new Error(`the pull ran over ${[...used].join(', ') || 'no named link'}, not only ${link}`)
          rates.push(mib / seconds)
          cpus.push(cpu[0] + cpu[1])
          say(`  gini ${link} ${mib} MiB #${i + 1}: ${(mib / seconds).toFixed(1)} MiB/s, CPU sender ${cpu[0].toFixed(2)} s, receiver ${cpu[1].toFixed(2)} s`)
          await send.waitExit(limitMs(mib))
          if (done.obj.path != null) await rm(done.obj.path, { force: true })
        }
        out[mib] = { ok: true, mibPerSecond: rates, cpuSeconds: cpus.filter(Number.isFinite) }
      } catch (err: any) {
        say(`gini ${link} ${mib} MiB: ${String(err?.message ?? err)}`)
        out[mib] = { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) }
      }
    }
  } finally {
    for (const p of procs) p.kill('SIGTERM')
    await Promise.all(procs.map(async p => await p.waitExit(15_000).catch(() => null)))
    await relay.stop()
  }
  return out
}

/** A set-up that failed (no session, no link of that kind) fails every size of its column, in words. */
const orFailed = async (link: LinkKind): Promise<Record<number, Row>> => await (IN_PROCESS ? benchGini(link) : benchGiniProcesses(link)).catch((err: any) => {
  say(`gini ${link}: ${String(err?.message ?? err)}`)
  return Object.fromEntries(SIZES_MIB.map(mib => [mib, { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) } satisfies Row]))
})
say(`GiniConnect over TCP: ${RUNS} × ${SIZES_MIB.join(', ')} MiB`)
const tcp = ONLY.has('tcp') ? await orFailed('tcp') : skipped()
say(`Transport floor (TCP + Noise + Yamux, one stream): ${RUNS} × ${SIZES_MIB.join(', ')} MiB`)
const floor: Record<number, Row> = ONLY.has('floor') ? {} : skipped()
if (ONLY.has('floor')) {
  for (const mib of SIZES_MIB) {
    try {
      const samples = await benchTransportFloor(mib, RUNS, limitMs(mib))
      for (const [i, s] of samples.entries()) say(`  floor ${mib} MiB #${i + 1}: ${s.mibPerSecond.toFixed(1)} MiB/s, CPU ${s.cpuSeconds.toFixed(2)} s (both processes)`)
      floor[mib] = { ok: true, mibPerSecond: samples.map(s => s.mibPerSecond), cpuSeconds: samples.map(s => s.cpuSeconds) }
    } catch (err: any) {
      say(`floor ${mib} MiB: ${String(err?.message ?? err)}`)
      floor[mib] = { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) }
    }
  }
}
say(`GiniConnect over WebRTC: ${RUNS} × ${SIZES_MIB.join(', ')} MiB`)
const webrtc = ONLY.has('webrtc') ? await orFailed('webrtc') : skipped()
await releaseWebRtc().catch(() => {})

// Magic Wormhole, in the namespace `npm run bench` uses (wormhole-william's transit relay is
// hard-coded; inside the namespace it resolves to our local one).
const tools = checkTools(values['no-install'] !== true)
for (const n of tools.notes) say(n)
const has = tools.installed
const go: Record<number, Row> = {}
const python: Record<number, Row> = {}
const missing = (pkg: string): Row => ({ ok: false, why: `${pkg} not installed` })
const servicesOk = has['python3-magic-wormhole-mailbox-server'] && has['magic-wormhole-transit-relay']
const wantWormhole = ONLY.has('wormhole-william') || ONLY.has('python')
const ns = wantWormhole && BenchNamespace.available() ? new BenchNamespace() : undefined
try {
  ns?.create()
  const servers = ns != null && servicesOk ? await startWormholeServers({ netns: ns.name }).catch((err) => { say(`wormhole servers: ${String(err)}`); return undefined }) : undefined
  try {
    for (const mib of SIZES_MIB) {
      const file = payload.get(mib)!
      const stepTimeoutMs = limitMs(mib)
      if (!wantWormhole) {
        go[mib] = skipped()[mib]
        python[mib] = skipped()[mib]
        continue
      }
      if (servers == null || ns == null) {
        const why = ns == null ? 'no network namespace (run as root)' : 'mailbox server or transit relay not installed or not starting'
        go[mib] = { ok: false, why }
        python[mib] = { ok: false, why }
        continue
      }
      if (!ONLY.has('wormhole-william')) go[mib] = skipped()[mib]
      else if (!has['wormhole-william']) go[mib] = missing('wormhole-william')
      else {
        try {
          say(`wormhole-william: ${RUNS} × ${mib} MiB and × 1 B`)
          const big = await benchWormholeTransfer({ impl: 'go', servers, netns: ns.name, file, runs: RUNS, stepTimeoutMs })
          const one = await benchWormholeTransfer({ impl: 'go', servers, netns: ns.name, file: small, runs: RUNS })
          // No timing output: the bytes' time is the difference of the medians (start-up, PAKE and transit set-up cancel out).
          const dt = median(big.map(s => s.wallMs)) - median(one.map(s => s.wallMs))
          go[mib] = dt > 0
            ? { ok: true, mibPerSecond: [mib / (dt / 1000)], note: `median ${mib} MiB run ${(median(big.map(s => s.wallMs)) / 1000).toFixed(2)} s − median 1 B run ${(median(one.map(s => s.wallMs)) / 1000).toFixed(2)} s` }
            : { ok: false, why: 'the 1 B runs took longer than the large ones' }
        } catch (err: any) { go[mib] = { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) } }
      }
      if (!ONLY.has('python')) python[mib] = skipped()[mib]
      else if (!has['magic-wormhole']) python[mib] = missing('magic-wormhole')
      else {
        try {
          say(`wormhole (Python): ${RUNS} × ${mib} MiB`)
          const runs = await benchWormholeTransfer({ impl: 'python', servers, netns: ns.name, file, runs: RUNS, stepTimeoutMs })
          const rates = runs.map(s => mib / ((s.rxMs ?? NaN) / 1000)).filter(Number.isFinite)
          python[mib] = rates.length > 0 ? { ok: true, mibPerSecond: rates, note: 'its own `rx file` span (--dump-timing)' } : { ok: false, why: 'no `rx file` timing' }
        } catch (err: any) { python[mib] = { ok: false, why: String(err?.message ?? err).split('\n')[0].slice(0, 120) } }
      }
    }
  } finally {
    servers?.stop()
  }
} finally {
  killAll('SIGKILL')
  ns?.destroy()
  await rm(dir, { recursive: true, force: true })
}

const results = {
  bench: 'files',
  command: `npm run bench:files${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  runs: RUNS,
  machine: { cpu: cpus()[0]?.model.trim() ?? 'cpu', cores: cpus().length, ramGiB: Math.round(totalmem() / 2 ** 30), os: `Linux ${release()}`, node: process.version, load: [load0, loadavg()].map(l => l.map(n => Number(n.toFixed(2)))) },
  versions: { 'wormhole-william': debVersion('wormhole-william'), 'magic-wormhole': debVersion('magic-wormhole'), 'transit-relay': debVersion('magic-wormhole-transit-relay') },
  sizes: SIZES_MIB,
  tcp,
  floor,
  webrtc,
  go,
  python
}
console.log(JSON.stringify(results))
const section = markdown()
console.log(section)
if (values['no-write'] !== true) {
  const file = join(ROOT, 'BENCHMARKS.md')
  const md = await readFile(file, 'utf8')
  if (!md.includes(BEGIN)) throw new Error(`BENCHMARKS.md has no ${BEGIN} block to write into`)
  await writeFile(file, md.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), () => `${BEGIN}\n${section}\n${END}`))
  say('written to BENCHMARKS.md')
}
process.exit(0)

function markdown (): string {
  const rate = (r: Row | undefined): number => r?.ok === true ? median(r.mibPerSecond) : NaN
  const cell = (r: Row | undefined): string => {
    if (r == null) return '–'
    if (!r.ok) return `– (${r.why})`
    const xs = r.mibPerSecond
    return xs.length > 1
      ? `**${median(xs).toFixed(1)}** (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`
      : `**${xs[0].toFixed(1)}**`
  }
  const ratio = (ours: Row | undefined, theirs: Row | undefined): string => {
    const [a, b] = [rate(ours), rate(theirs)]
    return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a'
  }
  const lines = [
    `Command: \`${results.command}\` · ${results.date} · ${results.machine.cores} × ${results.machine.cpu}, ${results.machine.ramGiB} GiB, ${results.machine.os}, Node ${results.machine.node} · load average at start ${results.machine.load[0].join(' / ')}, at end ${results.machine.load[1].join(' / ')} (1/5/15 min) · median of ${RUNS} per cell (min–max), MiB/s`,
    '',
    '| file | GiniConnect, TCP link (§17.6) | GiniConnect, WebRTC | wormhole-william | Python `wormhole` | TCP ÷ wormhole-william | TCP ÷ Python | WebRTC ÷ wormhole-william | WebRTC ÷ Python |',
    '|---|---|---|---|---|---|---|---|---|',
    ...SIZES_MIB.map(mib => `| ${mib} MiB | ${cell(tcp[mib])} | ${cell(webrtc[mib])} | ${cell(go[mib])} | ${cell(python[mib])} | ${ratio(tcp[mib], go[mib])} | ${ratio(tcp[mib], python[mib])} | ${ratio(webrtc[mib], go[mib])} | ${ratio(webrtc[mib], python[mib])} |`),
    '',
    (IN_PROCESS
      ? 'GiniConnect: two daemons in one Node process (sender and receiver share one JS thread), paired through a local relay; accept → the receiver\'s `done` (pull, SHA-256 of every chunk and of the whole file, fsync checkpoints, rename). '
      : 'GiniConnect: two `gini daemon --json` processes (`--no-direct-tcp` for the WebRTC column) on host loopback with a local relay, `gini send-file` through the control socket, the receiver\'s `--accept-files-up-to` accepting at once; its `offered` line → its `done` line (pull, SHA-256 of every chunk and of the whole file, fsync checkpoints, rename). ') +
      'wormhole-william: the difference of the median receiver wall time for the file and for a 1-byte file (it prints no timing). ' +
      'Python `wormhole`: its own `rx file` span. Both wormhole clients in the bench namespace with a local mailbox and transit relay, direct transit between the namespace\'s veth addresses. ' +
      `Versions: wormhole-william ${results.versions['wormhole-william']}, magic-wormhole ${results.versions['magic-wormhole']}.`
  ]
  const cpuOf = (r: Row | undefined): string => r?.ok === true && r.cpuSeconds != null && r.cpuSeconds.length > 0 ? `${median(r.cpuSeconds).toFixed(2)} s` : '–'
  lines.push('', 'CPU time both GiniConnect daemons used per transfer (user + system, every thread; median): ' +
    SIZES_MIB.map(mib => `${mib} MiB: TCP ${cpuOf(tcp[mib])}, WebRTC ${cpuOf(webrtc[mib])}`).join('; ') +
    '. It moves less with the machine\'s load than the rates do.')
  lines.push('', 'Transport floor (scripts/bench/transport-floor.ts, same run): the same bytes over the peer\'s own libp2p node (TCP, Noise, Yamux) between two processes, ' +
    'one stream of 512 KiB pieces, no framing, hashing or disk; MiB/s (median, min–max) and CPU of both processes: ' +
    SIZES_MIB.map(mib => `${mib} MiB: ${cell(floor[mib])}, ${cpuOf(floor[mib])}`).join('; ') + '.')
  const notes = [...SIZES_MIB.flatMap(mib => [go[mib], python[mib]].flatMap(r => r?.ok === true && r.note != null && r === go[mib] ? [`wormhole-william ${mib} MiB: ${r.note}`] : []))]
  if (notes.length > 0) lines.push('', notes.join('; ') + '.')
  return lines.join('\n')
}
