// `node dist/scripts/bench-cli.js [--n 10]`: start-up cost of short `gini` commands, each a fresh
// process: `gini --version`, `gini contacts --json` on a data dir, and `gini send` through a running
// daemon (its control socket, peer/cli/daemon-link.ts). The anchor, in the same run: `node -e 0`.
// Each command also runs once under scripts/lib/trace-modules.ts to count the modules it loaded and
// say whether libp2p or libsodium were among them (traced on the plain modules, GINI_NO_BUNDLE=1;
// the timings are of what bin/gini.js runs, the bundle of scripts/build-cli.ts when it is current). A benchmark, not a test: nothing asserts a speed.
import { parseArgs } from 'node:util'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRelay } from '../relay/index.js'
import { releaseWebRtc } from '../peer/index.js'
import { openNamedNode, pairNodes } from './lib/paired-nodes.js'
import { JsonProcess, killAll } from './lib/json-process.js'
import { pct } from './lib/stats.js'

const { values } = parseArgs({ options: { n: { type: 'string', default: '10' }, packages: { type: 'boolean', default: false }, gini: { type: 'string' } } })
const N = Math.max(1, Math.min(200, Number(values.n)))
/** Any one command run longer than this is killed (and the run fails). */
const RUN_LIMIT_MS = 60_000

// --gini <bin/gini.js of another build>: the same measure of another version (its daemon too), e.g. before a change.
const GINI = values.gini ?? fileURLToPath(new URL('../../bin/gini.js', import.meta.url))
const TRACE = fileURLToPath(new URL('./lib/trace-modules.js', import.meta.url))

async function run (args: string[], env: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now()
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: RUN_LIMIT_MS }, (err, _stdout, stderr) => {
      if (err != null) reject(new Error(`${args.join(' ')} failed: ${err.message} ${stderr}`))
      else resolve()
    })
  })
  return performance.now() - t0
}

/** Modules one run loads: how many, and whether libp2p / libsodium are among them. */
async function trace (args: string[], dir: string): Promise<{ modules: number, libp2p: boolean, libsodium: boolean, packages: string[] }> {
  const file = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`)
  // The plain build, whose module URLs say which packages loaded (the bundle's chunks do not).
  await run(['--import', TRACE, ...args], { GINI_TRACE_MODULES: file, GINI_NO_BUNDLE: '1' })
  const urls = (await readFile(file, 'utf8')).split('\n').filter(u => u !== '')
  return {
    modules: urls.length,
    libp2p: urls.some(u => /node_modules\/(libp2p|@libp2p)\//.test(u)),
    libsodium: urls.some(u => u.includes('node_modules/libsodium')),
    packages: [...new Set(urls.map(u => /node_modules\/((@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter(p => p != null))].sort() as string[]
  }
}

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-cli-'))
const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], rateLimit: false })
try {
  const addr = relay.multiaddrs[0].toString()
  const [alice, bob] = [await openNamedNode(dir, 'alice'), await openNamedNode(dir, 'bob')]
  await pairNodes(alice, bob, addr)
  const aliceDir = join(dir, 'alice')

  const commands: Array<{ name: string, args: string[] }> = [
    { name: 'anchor: `node -e 0`', args: ['-e', '0'] },
    { name: '`gini --version`', args: [GINI, '--version'] },
    { name: '`gini contacts --json`', args: [GINI, 'contacts', '--json', '--data', aliceDir] },
    { name: '`gini send bob …` through the daemon', args: [GINI, 'send', 'bob', 'hello', '--json', '--data', aliceDir] }
  ]
  // Only alice's daemon runs: bob is offline, so `send` stores the message and returns without
  // waiting for a delivery (what is measured is the command, not the network).
  const daemon = new JsonProcess(process.execPath, [GINI, 'daemon', '--json', '--data', aliceDir, '--relay', addr])
  try {
    await daemon.waitFor(o => o.event === 'listening', 60_000)
    // Warm-up: fills Node's compile cache (bin/gini.js) so every measured run sees the same state.
    for (const c of commands) await run(c.args)
    const rows = []
    for (const c of commands) {
      const times: number[] = []
      for (let i = 0; i < N; i++) times.push(await run(c.args))
      rows.push({ name: c.name, p50: pct(times, 50), p95: pct(times, 95), ...(await trace(c.args, dir)) })
    }
    console.log(`Command: node dist/scripts/bench-cli.js --n ${N}${values.gini != null ? ` --gini ${values.gini}` : ''} · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}) · Node ${process.version}\n`)
    console.log('| command | p50 | p95 | modules loaded | libp2p | libsodium |')
    console.log('|---|---|---|---|---|---|')
    // --packages: which npm packages each command loaded (to see what a thin command still pulls in).
    if (values.packages === true) for (const r of rows) console.log(`${r.name}: ${r.packages.join(' ')}\n`)
    for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(0)} ms | ${r.p95.toFixed(0)} ms | ${r.modules} | ${r.libp2p ? 'yes' : 'no'} | ${r.libsodium ? 'yes' : 'no'} |`)
  } finally {
    daemon.kill('SIGTERM')
    await daemon.waitExit(15_000)
  }
} finally {
  killAll()
  await relay.stop()
  await releaseWebRtc().catch(() => {})
  await rm(dir, { recursive: true, force: true })
}
