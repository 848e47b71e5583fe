// `node dist/scripts/bench-accept.js [--runs 20]`: `gini accept` from process start to `connected`,
// with no daemon (the command runs its own node) and with a daemon running on both sides (the
// command is a thin client of it, peer/cli/daemon-link.ts), beside wormhole-william receiving a
// text from its code against a local mailbox server, in the same run. Anchors: `node -e 0` and
// `wormhole-william --help` (process start alone). The three are interleaved round by round. A benchmark, not a test: nothing asserts a speed.
// `--baseline <dir>`: also time another build's `gini` (`<dir>/bin/gini.js`: a checkout of an older
// commit, built with `npm run build`), with and without daemons, in the same rounds, so a change is
// measured against what it replaced under the same load.
import { parseArgs } from 'node:util'
import { join, resolve } from 'node:path'
import { cpus, loadavg } from 'node:os'
import { pct, fmtMs } from './lib/stats.js'
import { startGiniCliBench, startupMs, type CliSample } from './bench/gini-pairing.js'
import { startWormholeServers, benchWormholeText } from './bench/wormhole.js'
import { checkTools } from './bench/tools.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, baseline: { type: 'string' }, help: { type: 'boolean' } } })
if (values.help === true) {
  process.stdout.write('Usage: node dist/scripts/bench-accept.js [--runs 20] [--baseline <dir>]\n' +
    '  --runs N          rounds (1-200); each round times every run below once, interleaved\n' +
    '  --baseline <dir>  also time <dir>/bin/gini.js (another build) with and without daemons\n')
  process.exit(0)
}
const RUNS = Math.max(1, Math.min(200, Number(values.runs)))
const BASELINE = values.baseline != null ? join(resolve(values.baseline), 'bin', 'gini.js') : undefined
const say = (text: string): void => { process.stderr.write(`${text}\n`) }

const tools = checkTools(process.getuid?.() === 0)
for (const note of tools.notes) say(note)
const hasWilliam = tools.installed['wormhole-william']

// Interleaved, one sample of each per round, so a change in the machine's load hits all three alike.
const alone: CliSample[] = []
const withDaemon: CliSample[] = []
const baseAlone: CliSample[] = []
const baseDaemon: CliSample[] = []
const william: number[] = []
const load0 = loadavg()
const plain = await startGiniCliBench()
const daemons = await startGiniCliBench({ daemons: true })
const basePlain = BASELINE != null ? await startGiniCliBench({ gini: BASELINE }) : undefined
const baseDaemons = BASELINE != null ? await startGiniCliBench({ daemons: true, gini: BASELINE }) : undefined
const servers = hasWilliam ? await startWormholeServers() : undefined
try {
  for (let i = 0; i < RUNS; i++) {
    alone.push(await plain.sample())
    if (basePlain != null) baseAlone.push(await basePlain.sample())
    withDaemon.push(await daemons.sample())
    if (baseDaemons != null) baseDaemon.push(await baseDaemons.sample())
    if (servers != null) william.push(...await benchWormholeText('go', servers.mailboxUrl, 1))
    process.stderr.write(`\rround ${i + 1}/${RUNS}   `)
  }
  process.stderr.write('\n')
} finally {
  await plain.stop()
  await daemons.stop()
  await basePlain?.stop()
  await baseDaemons?.stop()
  servers?.stop()
}
const load1 = loadavg()
const node = await startupMs(process.execPath, ['-e', '0'], RUNS)
const williamStart = hasWilliam ? await startupMs('wormhole-william', ['--help'], RUNS) : undefined

const p50 = (xs: number[]): number => pct(xs, 50)
const ratio = (xs: number[]): string => william.length === 0 ? 'n/a (wormhole-william missing)' : `**${(p50(xs) / p50(william)).toFixed(2)}×**`
const row = (name: string, xs: number[], vs: string): string =>
  `| ${name} | ${fmtMs(p50(xs))} | ${fmtMs(pct(xs, 95))} | ${xs.length} | ${vs} |`

const flags = `--runs ${RUNS}${BASELINE != null ? ` --baseline ${values.baseline ?? ''}` : ''}`
console.log(`Command: \`node dist/scripts/bench-accept.js ${flags}\` · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus().length} cores (load average ${load0[0].toFixed(1)} at the start, ${load1[0].toFixed(1)} at the end) · Node ${process.version}`)
console.log('')
console.log('| run | p50 ms | p95 ms | n | vs wormhole-william p50 |')
console.log('|---|---|---|---|---|')
console.log(row('`gini accept` → connected, no daemon (own node)', alone.map(s => s.channel), ratio(alone.map(s => s.channel))))
console.log(row('`gini accept` → connected, daemon running (thin client)', withDaemon.map(s => s.channel), ratio(withDaemon.map(s => s.channel))))
if (BASELINE != null) {
  console.log(row('baseline `gini accept` → connected, no daemon', baseAlone.map(s => s.channel), ratio(baseAlone.map(s => s.channel))))
  console.log(row('baseline `gini accept` → connected, daemon running', baseDaemon.map(s => s.channel), ratio(baseDaemon.map(s => s.channel))))
}
if (william.length > 0) console.log(row('wormhole-william receive → both exit', william, '1.00×'))
console.log(row('anchor: `node -e 0`', node, ''))
if (williamStart != null) console.log(row('anchor: `wormhole-william --help`', williamStart, ''))
const paths = (xs: typeof alone): string => [...new Set(xs.map(s => s.path))].join(', ')
console.log('')
console.log(`Paths: no daemon ${paths(alone)}; daemon ${paths(withDaemon)}${BASELINE != null ? `; baseline no daemon ${paths(baseAlone)}, daemon ${paths(baseDaemon)}` : ''}.`)
