// `npm run bench [-- --quick] [--no-write] [--no-install]`: GiniConnect beside Magic Wormhole in one
// run and one process tree — "code entered → end-to-end encrypted channel ready" (p50/p95 over
// ≥ 20 runs each), a 10 MiB transfer (MiB/s), and relay capacity (pending pairings and RSS,
// pairings/s at concurrency 10 and 100). Writes BENCHMARKS.md's `bench:main` section and
// docs/benchmarks.svg. Debian's wormhole packages are installed when missing (root) or reported
// missing; no number is ever made up. A benchmark, not a test: nothing here asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem, release } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { releaseWebRtc } from '../peer/index.js'
import { killAll } from './lib/json-process.js'
import { fmtMs, pct } from './lib/stats.js'
import { checkTools, debVersion } from './bench/tools.js'
import { BenchNamespace } from './bench/netns.js'
import { startWormholeServers, benchWormholeText, benchWormholeTransfer, type WormholeServers } from './bench/wormhole.js'
import { benchGiniInProcess, benchGiniCli, startupMs } from './bench/gini-pairing.js'
import { benchGiniTransfer } from './bench/transfer.js'
import { benchRelayCapacity } from './bench/relay-capacity.js'
import { markdown, chartPanels, giniMiBps, goMiBps, pythonMiBps, type BenchResults, type Maybe } from './bench/report.js'
import { barChart } from './bench/chart.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TRANSFER_BYTES = 10 * 1024 * 1024
const BEGIN = '<!-- bench:main begin -->'
const END = '<!-- bench:main end -->'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'no-install': { type: 'boolean', default: false },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help === true) {
  console.log(`Usage: npm run bench [-- --quick] [--runs N] [--no-write] [--no-install]
  --quick       about 3 minutes: 20 runs per library/wormhole row, 10 for the CLI row, 3 transfers, a small capacity test
  --runs N      pairing samples per row (at least 20; default 30)
  --no-write    print the section, leave BENCHMARKS.md and docs/benchmarks.svg alone
  --no-install  do not apt-get install missing wormhole packages (their rows then say so)
  --render F    measure nothing: rewrite the section and the chart from a saved docs/benchmarks.json`)
  process.exit(0)
}
if (values.render != null) {
  await publish(JSON.parse(await readFile(values.render, 'utf8')) as BenchResults)
  process.exit(0)
}
const quick = values.quick === true
/** ≥ 20 samples per cross-tool pairing row (library, both wormhole clients) in both modes. */
const RUNS = Math.max(20, Number(values.runs ?? (quick ? 20 : 30)))
/** The CLI row: each sample starts two Node processes (~4 s on a busy 2-core VM); --quick keeps it to 10 to stay within 3 minutes. */
const CLI_RUNS = quick && values.runs == null ? 10 : RUNS
const TRANSFER_RUNS = quick ? 3 : 7
const CAPACITY = quick
  ? { pendingLevels: [200], throughput: [{ concurrency: 10, pairings: 30 }, { concurrency: 100, pairings: 100 }] }
  : { pendingLevels: [250, 1000], throughput: [{ concurrency: 10, pairings: 150 }, { concurrency: 100, pairings: 500 }] }

process.on('exit', () => { killAll('SIGKILL') })
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll('SIGKILL'); process.exit(130) })

const t0 = performance.now()
const load0 = loadavg()[0]
const say = (line: string): void => { process.stderr.write(`[bench +${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`) }
const fail = <T> (why: string): Maybe<T> => ({ ok: false, why })
const ok = <T> (value: T): Maybe<T> => ({ ok: true, value })
async function attempt<T> (what: string, fn: () => Promise<T>): Promise<Maybe<T>> {
  try { return ok(await fn()) } catch (err: any) { say(`${what} failed: ${String(err?.message ?? err).slice(0, 300)}`); return fail(`${what} failed (${String(err?.message ?? err).split('\n')[0].slice(0, 120)})`) }
}

// 0. The comparison's tools.
const tools = checkTools(values['no-install'] !== true)
for (const n of tools.notes) say(n)
const has = tools.installed
const mailboxOk = has['python3-magic-wormhole-mailbox-server']
const whyNot = (pkg: string): string => mailboxOk ? `${pkg} not installed` : 'python3-magic-wormhole-mailbox-server not installed'

// 1. Code entered → encrypted channel ready.
say(`GiniConnect library: ${RUNS} pairings`)
const lib = await benchGiniInProcess(RUNS, (i, s) => { if (i % 5 === 4) say(`  library ${i + 1}/${RUNS}: ${fmtMs(s.channel)} ms to connected`) })
await releaseWebRtc().catch(() => {})
say(`GiniConnect CLI: ${CLI_RUNS} pairings`)
const cli = await benchGiniCli(CLI_RUNS, (i, s) => { if (i % 5 === 4) say(`  CLI ${i + 1}/${CLI_RUNS}: ${fmtMs(s.channel)} ms to connected`) })

let servers: WormholeServers | undefined
if (mailboxOk) servers = await startWormholeServers().catch((err) => { say(`wormhole servers: ${String(err)}`); return undefined })
const text = async (impl: 'go' | 'python', pkg: string): Promise<Maybe<number[]>> => {
  if (!has[pkg] || servers == null) return fail(whyNot(pkg))
  say(`${pkg}: ${RUNS} text transfers`)
  return await attempt(pkg, async () => await benchWormholeText(impl, servers!.mailboxUrl, RUNS))
}
const go = await text('go', 'wormhole-william')
const python = await text('python', 'magic-wormhole')
say('start-up times')
const STARTS = quick ? 3 : 7
const start = {
  node: await startupMs(process.execPath, ['-e', '0'], STARTS),
  giniLoaded: await giniLoadedMs(STARTS),
  go: has['wormhole-william'] ? ok(await startupMs('wormhole-william', ['--help'], STARTS)) : fail<number[]>('not installed'),
  python: has['magic-wormhole'] ? ok(await startupMs('wormhole', ['--version'], STARTS)) : fail<number[]>('not installed')
}

// 2. 10 MiB transfer: all contenders in the bench namespace when we may create one.
const files = await mkdtemp(join(tmpdir(), 'gini-bench-files-'))
const big = join(files, 'payload-10MiB.bin')
const small = join(files, 'payload-1B.bin')
await writeFile(big, randomBytes(TRANSFER_BYTES))
await writeFile(small, randomBytes(1))
const isolated = BenchNamespace.available()
const ns = isolated ? new BenchNamespace() : undefined
let transfer: BenchResults['transfer']
try {
  ns?.create()
  const where = ns != null
    ? 'an isolated network namespace created for the run (loopback + a veth pair); GiniConnect, its relay and both wormhole clients all inside it'
    : 'the host\'s loopback (not root: no isolated namespace, so wormhole-william cannot run — its transit relay is hard-coded to transit.magic-wormhole.io)'
  say(`GiniConnect transfer: ${TRANSFER_RUNS} × 10 MiB`)
  const gini = await benchGiniTransfer(TRANSFER_BYTES, TRANSFER_RUNS, { netns: ns?.name })
  let goT: BenchResults['transfer']['go'] = fail('not root: wormhole-william\'s transit relay is hard-coded to transit.magic-wormhole.io, which only the isolated namespace can point at 127.0.0.1')
  let pyT: BenchResults['transfer']['python'] = fail(whyNot('magic-wormhole'))
  const nsServers = mailboxOk && has['magic-wormhole-transit-relay']
    ? await startWormholeServers({ netns: ns?.name }).catch((err) => { say(`wormhole servers: ${String(err)}`); return undefined })
    : undefined
  try {
    if (ns != null && nsServers != null && has['wormhole-william']) {
      say(`wormhole-william transfer: ${TRANSFER_RUNS} × 10 MiB and × 1 B`)
      goT = await attempt('wormhole-william transfer', async () => ({
        big: await benchWormholeTransfer({ impl: 'go', servers: nsServers, netns: ns.name, file: big, runs: TRANSFER_RUNS }),
        small: await benchWormholeTransfer({ impl: 'go', servers: nsServers, netns: ns.name, file: small, runs: TRANSFER_RUNS })
      }))
    }
    if (nsServers != null && has['magic-wormhole']) {
      say(`wormhole (Python) transfer: ${TRANSFER_RUNS} × 10 MiB`)
      pyT = await attempt('wormhole transfer', async () => await benchWormholeTransfer({ impl: 'python', servers: nsServers, netns: ns?.name, relayOnly: ns == null, file: big, runs: TRANSFER_RUNS }))
    } else if (!has['magic-wormhole-transit-relay']) {
      pyT = fail('magic-wormhole-transit-relay not installed')
    }
  } finally {
    nsServers?.stop()
  }
  transfer = {
    bytes: TRANSFER_BYTES,
    where,
    gini,
    go: goT,
    python: pyT,
    pythonMode: ns != null ? 'direct or via the local transit relay, whichever connects first' : 'through the local transit relay (--no-listen)'
  }
} finally {
  killAll('SIGKILL')
  ns?.destroy()
  await rm(files, { recursive: true, force: true })
}
servers?.stop()

// 3. Relay capacity.
say('relay capacity')
const capacity = await attempt('relay capacity', async () => await benchRelayCapacity({ ...CAPACITY, onProgress: say }))

const pkgVersion = (name: string): string => {
  try { return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version } catch { return '?' }
}
const results: BenchResults = {
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
  date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  quick,
  durationS: (performance.now() - t0) / 1000,
  machine: {
    cpu: cpus()[0]?.model.trim() ?? 'cpu',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    load: [load0, loadavg()[0]]
  },
  versions: {
    libp2p: pkgVersion('libp2p'),
    '@libp2p/webrtc': pkgVersion('@libp2p/webrtc'),
    'node-datachannel': pkgVersion('node-datachannel'),
    'magic-wormhole': debVersion('magic-wormhole'),
    'wormhole-william': debVersion('wormhole-william'),
    'mailbox-server': debVersion('python3-magic-wormhole-mailbox-server'),
    'transit-relay': debVersion('magic-wormhole-transit-relay')
  },
  toolNotes: tools.notes,
  pairing: { lib, cli, go, python, start },
  transfer,
  capacity
}

say(`done in ${results.durationS.toFixed(0)} s: channel ready p50 CLI ${fmtMs(pct(cli.map(s => s.channel), 50))} ms, library ${fmtMs(pct(lib.map(s => s.channel), 50))} ms; ` +
  `transfer ${giniMiBps(results).toFixed(1)} MiB/s vs ${goMiBps(results).toFixed(1)} (Go) / ${pythonMiBps(results).toFixed(1)} (Python)`)
await publish(results)
process.exit(0)

/** Prints the section; unless --no-write, writes it into BENCHMARKS.md, the chart, and the raw numbers. */
async function publish (results: BenchResults): Promise<void> {
  const section = markdown(results)
  const svg = barChart('GiniConnect vs Magic Wormhole', `${results.command} · ${results.date} · ${results.machine.cores} × ${results.machine.cpu} · Node ${results.machine.node}`, chartPanels(results))
  console.log(section)
  if (values['no-write'] === true) return
  await mkdir(join(ROOT, 'docs'), { recursive: true })
  await writeFile(join(ROOT, 'docs', 'benchmarks.svg'), svg)
  if (values.render == null) await writeFile(join(ROOT, 'docs', 'benchmarks.json'), JSON.stringify(results, null, 1) + '\n')
  const file = join(ROOT, 'BENCHMARKS.md')
  let md = ''
  try { md = await readFile(file, 'utf8') } catch {}
  if (md === '') md = '# Benchmarks\n\nMeasured numbers, each section written by the script named in it. Re-run the command to refresh a section.\n'
  const block = `${BEGIN}\n${section}\n${END}`
  md = md.includes(BEGIN)
    ? md.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), () => block)
    : `${md.trimEnd()}\n\n## GiniConnect vs Magic Wormhole, relay capacity (\`npm run bench\`)\n\n${block}\n`
  await writeFile(file, md)
  process.stderr.write(`bench: written to BENCHMARKS.md, docs/benchmarks.svg${values.render == null ? ' and docs/benchmarks.json (the numbers behind both)' : ''}\n`)
}

/** `gini contacts --json` on a fresh data dir (an identity, no contacts): Node start plus loading the whole peer stack. */
async function giniLoadedMs (runs: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gini-bench-start-'))
  const gini = join(ROOT, 'bin', 'gini.js')
  try {
    // `contacts` never creates the identity: `init` does, and is not a start-up sample.
    await startupMs(process.execPath, [gini, '--data', dir, 'init', '--json'], 1)
    return await startupMs(process.execPath, [gini, '--data', dir, 'contacts', '--json'], runs)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
