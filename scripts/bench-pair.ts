// `npm run bench:pair`: pairs N times on loopback and reports the time from `accept` to both sides'
// `contact-added`, split by phase, beside Magic Wormhole (Go wormhole-william and Python wormhole)
// doing "code entered → both sides done" against a local mailbox server, in the same run.
// A benchmark, not a test: numbers go to BENCHMARKS.md, nothing here asserts a speed.
// The pieces are shared with `npm run bench` (scripts/bench/): the in-process pairing and the
// wormhole text runs are measured the same way in both.
import { parseArgs } from 'node:util'
import { readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { spawnSync } from 'node:child_process'
import { releaseWebRtc } from '../peer/index.js'
import { pct, fmtMs } from './lib/stats.js'
import { benchGiniInProcess } from './bench/gini-pairing.js'
import { startWormholeServers, benchWormholeText, WORMHOLE_BIN, type WormholeImpl } from './bench/wormhole.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    'skip-wormhole': { type: 'boolean', default: false }
  }
})
const RUNS = Math.max(1, Math.min(200, Number(values.runs)))

interface Sample { total: number, relay: number, cpace: number, webrtc: number, sync: number, direct: boolean }

const fmt = fmtMs

async function benchGini (): Promise<Sample[]> {
  const samples = await benchGiniInProcess(RUNS, (i, s) => {
    process.stderr.write(`\rgini pairing ${i + 1}/${RUNS}: ${fmt(s.total)} ms${s.path === 'relayed' ? ' (relayed)' : ''}   `)
  })
  process.stderr.write('\n')
  return samples.map(s => ({ total: s.total, relay: s.relay, cpace: s.cpace, webrtc: s.webrtc, sync: s.sync, direct: s.path !== 'relayed' }))
}

/** "code entered → both sides done" for one wormhole implementation; undefined if not installed. */
async function benchWormhole (name: string, impl: WormholeImpl): Promise<number[] | undefined> {
  if (spawnSync('which', [WORMHOLE_BIN[impl]]).status !== 0) return undefined
  const servers = await startWormholeServers()
  try {
    return await benchWormholeText(impl, servers.mailboxUrl, RUNS, (i, ms) => { process.stderr.write(`\r${name} ${i + 1}/${RUNS}: ${fmt(ms)} ms   `) })
  } finally {
    process.stderr.write('\n')
    servers.stop()
  }
}

function row (name: string, xs: number[], note = ''): string {
  return `| ${name} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(Math.min(...xs))} / ${fmt(Math.max(...xs))} | ${note} |`
}

const gini = await benchGini()
await releaseWebRtc().catch(() => {})
const william = values['skip-wormhole'] === true ? undefined : await benchWormhole('wormhole-william', 'go')
const python = values['skip-wormhole'] === true ? undefined : await benchWormhole('wormhole (Python)', 'python')

const totals = gini.map(s => s.total)
const directCount = gini.filter(s => s.direct).length
const p50 = pct(totals, 50)
const lines = [
  `Command: \`npm run bench:pair -- --runs ${RUNS}\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version}`,
  '',
  '| run (ms) | p50 | p95 | min / max | note |',
  '|---|---|---|---|---|',
  row('**GiniConnect** accept → both `contact-added`', totals, `${directCount}/${gini.length} direct WebRTC; in-process, no process start`),
  row('· relay: dial relay + Join → Matched', gini.map(s => s.relay)),
  row('· CPace: TempKey + MFC round trips', gini.map(s => s.cpace)),
  row('· WebRTC: sealed offer/answer + upgrade', gini.map(s => s.webrtc)),
  row('· contact sync + first session + Done', gini.map(s => s.sync)),
  ...(william != null ? [row('wormhole-william (Go) recv → both exit', william, 'includes its process start')] : ['| wormhole-william | – | – | – | not installed |']),
  ...(python != null ? [row('wormhole (Python) receive → both exit', python, 'includes its process start')] : ['| wormhole (Python) | – | – | – | not installed |']),
  '',
  `Ratios (p50): GiniConnect / wormhole-william = ${william != null ? (p50 / pct(william, 50)).toFixed(2) : 'n/a'}, ` +
  `GiniConnect / Python wormhole = ${python != null ? (p50 / pct(python, 50)).toFixed(2) : 'n/a'}. ` +
  'GiniConnect does more in that time (a PAKE, a direct WebRTC connection, two vCards, a 3-DH session); ' +
  'wormhole moves one short text through its mailbox.'
]
const section = lines.join('\n')
console.log(section)

if (values['no-write'] !== true) {
  const file = 'BENCHMARKS.md'
  const begin = '<!-- bench:pair begin -->'
  const end = '<!-- bench:pair end -->'
  let text = ''
  try { text = await readFile(file, 'utf8') } catch {}
  const block = `${begin}\n${section}\n${end}`
  text = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block)
    : `${text.trimEnd()}\n\n## Pairing time (\`npm run bench:pair\`)\n\n${block}\n`
  await writeFile(file, text)
  console.log(`\nwritten to ${file}`)
}
process.exit(0)
