// `node dist/scripts/bench-accept.js [--runs 20]`: `gini accept` from process start to `connected`,
// with no daemon (the command runs its own node) and with a daemon running on both sides (the
// command is a thin client of it, peer/cli/daemon-link.ts), beside wormhole-william receiving a
// text from its code against a local mailbox server, in the same run. Anchors: `node -e 0` and
// `wormhole-william --help` (process start alone). The three are interleaved round by round. A benchmark, not a test: nothing asserts a speed.
import { parseArgs } from 'node:util'
import { cpus, loadavg } from 'node:os'
import { pct, fmtMs } from './lib/stats.js'
import { startGiniCliBench, startupMs, type CliSample } from './bench/gini-pairing.js'
import { startWormholeServers, benchWormholeText } from './bench/wormhole.js'
import { checkTools } from './bench/tools.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } })
const RUNS = Math.max(1, Math.min(200, Number(values.runs)))
const say = (text: string): void => { process.stderr.write(`${text}\n`) }

const tools = checkTools(process.getuid?.() === 0)
for (const note of tools.notes) say(note)
const hasWilliam = tools.installed['wormhole-william']

// Interleaved, one sample of each per round, so a change in the machine's load hits all three alike.
const alone: CliSample[] = []
const withDaemon: CliSample[] = []
const william: number[] = []
const plain = await startGiniCliBench()
const daemons = await startGiniCliBench({ daemons: true })
const servers = hasWilliam ? await startWormholeServers() : undefined
try {
  for (let i = 0; i < RUNS; i++) {
    alone.push(await plain.sample())
    withDaemon.push(await daemons.sample())
    if (servers != null) william.push(...await benchWormholeText('go', servers.mailboxUrl, 1))
    process.stderr.write(`\rround ${i + 1}/${RUNS}   `)
  }
  process.stderr.write('\n')
} finally {
  await plain.stop()
  await daemons.stop()
  servers?.stop()
}
const node = await startupMs(process.execPath, ['-e', '0'], RUNS)
const williamStart = hasWilliam ? await startupMs('wormhole-william', ['--help'], RUNS) : undefined

const p50 = (xs: number[]): number => pct(xs, 50)
const ratio = (xs: number[]): string => william.length === 0 ? 'n/a (wormhole-william missing)' : `**${(p50(xs) / p50(william)).toFixed(2)}×**`
const row = (name: string, xs: number[], vs: string): string =>
  `| ${name} | ${fmtMs(p50(xs))} | ${fmtMs(pct(xs, 95))} | ${xs.length} | ${vs} |`

console.log(`Command: \`node dist/scripts/bench-accept.js --runs ${RUNS}\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} cores (load ${loadavg()[0].toFixed(1)}) · Node ${process.version}`)
console.log('')
console.log('| run | p50 ms | p95 ms | n | vs wormhole-william p50 |')
console.log('|---|---|---|---|---|')
console.log(row('`gini accept` → connected, no daemon (own node)', alone.map(s => s.channel), ratio(alone.map(s => s.channel))))
console.log(row('`gini accept` → connected, daemon running (thin client)', withDaemon.map(s => s.channel), ratio(withDaemon.map(s => s.channel))))
if (william.length > 0) console.log(row('wormhole-william receive → both exit', william, '1.00×'))
console.log(row('anchor: `node -e 0`', node, ''))
if (williamStart != null) console.log(row('anchor: `wormhole-william --help`', williamStart, ''))
const paths = (xs: typeof alone): string => [...new Set(xs.map(s => s.path))].join(', ')
console.log('')
console.log(`Paths: no daemon ${paths(alone)}; daemon ${paths(withDaemon)}.`)
