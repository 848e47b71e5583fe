// `npm run cluster -- --relays R --peers M [--pairs P] [--pattern random|ring|all-to-one] [--json]`
// Launches R gini-relay processes and M peers (gini CLI processes, own data dirs under a temp dir) on
// loopback, pairs them in the pattern, shows a live progress line on stderr and ends with a report:
// successes, failures by error code, time-to-pair percentiles, relay RSS/CPU. With --json the last
// stdout line is one JSON object. Ctrl-C stops everything and still prints the report.
// With R ≥ 2 the relays form one network (r0 --network, the others --bootstrap r0) and each pairing
// goes to its code's HRW top relay; the report counts the pairings per relay (relaysUsed).
// Faults: --kill-peers K (SIGKILL K peer processes mid-pairing); with R ≥ 2, --kill-relays K (SIGKILL
// K relays other than r0) and --add-relays A (start A relays bootstrapping from r0), both once
// --faults-after N pairings ended (default a third). --anchor-pairs P adds P pairings through one
// more relay on its own, spread among the others: pairing time through the network vs one relay.
import { parseArgs } from 'node:util'
import { runCluster, type ClusterOptions } from './cluster/run.js'
import { PATTERNS, type Pattern } from './cluster/pattern.js'
import { humanReport, jsonReport, progressLine } from './cluster/report.js'
import { killAll } from './lib/json-process.js'

const USAGE = `Usage: npm run cluster -- --relays R --peers M [--pairs P] [--pattern random|ring|all-to-one]
                 [--concurrency N] [--seed S] [--kill-peers K]
                 [--kill-relays K] [--add-relays A] [--faults-after N] [--anchor-pairs P]
                 [--pairing-timeout SECONDS] [--json]`

function int (name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value == null) return fallback
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) { console.error(`--${name} must be a non-negative integer\n${USAGE}`); process.exit(2) }
  return n
}

let parsed
try {
  parsed = parseArgs({
    options: {
      relays: { type: 'string', default: '1' },
      peers: { type: 'string', default: '4' },
      pairs: { type: 'string' },
      pattern: { type: 'string', default: 'random' },
      concurrency: { type: 'string', default: '4' },
      seed: { type: 'string' },
      'kill-peers': { type: 'string' },
      'kill-relays': { type: 'string' },
      'add-relays': { type: 'string' },
      'faults-after': { type: 'string' },
      'anchor-pairs': { type: 'string' },
      'pairing-timeout': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false }
    }
  }).values
} catch (err: any) {
  console.error(`${err.message}\n${USAGE}`)
  process.exit(2)
}
if (parsed.help === true) { console.log(USAGE); process.exit(0) }
if (!PATTERNS.includes(parsed.pattern as Pattern)) { console.error(`--pattern must be one of ${PATTERNS.join(', ')}\n${USAGE}`); process.exit(2) }

const abort = new AbortController()
let interrupts = 0
const onSignal = (): void => {
  interrupts++
  if (interrupts > 1) { killAll('SIGKILL'); process.exit(130) } // second Ctrl-C: leave now
  process.stderr.write('\n[cluster] interrupted: stopping every process…\n')
  abort.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
process.on('exit', () => { killAll('SIGKILL') })

const tty = process.stderr.isTTY
let lastPlain = 0
const options: ClusterOptions = {
  relays: int('relays', parsed.relays)!,
  peers: int('peers', parsed.peers)!,
  pairs: int('pairs', parsed.pairs),
  pattern: parsed.pattern as Pattern,
  concurrency: int('concurrency', parsed.concurrency),
  seed: int('seed', parsed.seed),
  killPeers: int('kill-peers', parsed['kill-peers']),
  killRelays: int('kill-relays', parsed['kill-relays']),
  addRelays: int('add-relays', parsed['add-relays']),
  faultsAfter: int('faults-after', parsed['faults-after']),
  anchorPairs: int('anchor-pairs', parsed['anchor-pairs']),
  pairingTimeoutMs: parsed['pairing-timeout'] != null ? int('pairing-timeout', parsed['pairing-timeout'])! * 1000 : undefined,
  signal: abort.signal,
  onProgress: (p) => {
    const line = progressLine(p)
    if (tty) process.stderr.write(`\r\x1b[K${line}`)
    else if (Date.now() - lastPlain > 2000 || p.phase === 'stopping') { lastPlain = Date.now(); process.stderr.write(`${line}\n`) }
  }
}

try {
  const report = await runCluster(options)
  if (tty) process.stderr.write('\n')
  if (parsed.json === true) {
    process.stderr.write(humanReport(report) + '\n')
    process.stdout.write(jsonReport(report) + '\n')
  } else {
    process.stdout.write(humanReport(report) + '\n')
  }
  const injected = new Set(['PEER_KILLED'])
  const unexplained = report.failures.filter(f => !injected.has(f.code!) && f.cause == null)
  process.exit(report.interrupted ? 130 : unexplained.length > 0 ? 1 : 0)
} catch (err: any) {
  if (tty) process.stderr.write('\n')
  console.error(`cluster: ${err?.message ?? String(err)}`)
  process.exit(err instanceof RangeError ? 2 : 1)
}
