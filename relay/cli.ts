// `gini-relay`: run a GSS relay. Prints the relay's peer id and full multiaddrs (what peers pass
// to `gini --relay`), or with --json exactly one line `{"event":"listening",…}` once it listens.
// SIGINT/SIGTERM stop it cleanly (exit 0). Never prints a lookup, sid or payload (PROTOCOL.md §8).
import { Command, InvalidArgumentError, Option } from 'commander'
import { createRelay, type Relay } from './create-relay.js'
import { parseDurationMs } from './duration.js'

/** How long a clean stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000
const DEFAULT_DATA_DIR = './.gini/relay'

const EXIT_OK = 0
const EXIT_FAILURE = 1

interface CliOptions {
  listen?: string[]
  data: string
  pairingTtl?: number
  maxPending?: number
  metrics?: { host: string, port: number }
  json?: boolean
}

function positiveInt (text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer')
  return n
}

/** `host:port` (or `[v6]:port`) for the metrics endpoint. */
function hostPort (text: string): { host: string, port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text)
  const port = m == null ? NaN : Number(m[3])
  if (m == null || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:9090')
  return { host: m[1] ?? m[2], port }
}

function duration (text: string): number {
  try { return parseDurationMs(text) } catch (err: any) { throw new InvalidArgumentError(err.message) }
}

function program (): Command {
  return new Command('gini-relay')
    .description('GiniConnect relay (GSS): peers meet here to pair with a Flash Code.')
    .addOption(new Option('--listen <multiaddr...>', 'address to listen on (repeatable; default: loopback TCP and WebSocket on free ports)'))
    .addOption(new Option('--data <dir>', 'data directory (the relay identity)').default(DEFAULT_DATA_DIR))
    .addOption(new Option('--pairing-ttl <duration>', 'life of a pending pairing, e.g. 180s (tests use 2s)').argParser(duration))
    .addOption(new Option('--max-pending <n>', 'bound on pending pairings').argParser(positiveInt))
    .addOption(new Option('--metrics <host:port>', 'serve Prometheus /metrics and /healthz there (keep it private)').argParser(hostPort))
    .option('--json', 'print one JSON line {"event":"listening",…} for scripts')
    .showHelpAfterError('(run with --help for usage)')
}

/** Writes and waits until the line left the process (tests read it from a pipe). */
async function writeLine (line: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(line + '\n', (err) => { err != null ? reject(err) : resolve() })
  })
}

async function announce (relay: Relay, json: boolean): Promise<void> {
  const addrs = relay.multiaddrs.map(ma => ma.toString())
  if (json) {
    await writeLine(JSON.stringify({ event: 'listening', peerId: relay.peerId.toString(), addrs, ...(relay.metricsUrl != null ? { metrics: relay.metricsUrl } : {}) }))
    return
  }
  await writeLine([
    'GiniConnect relay (GSS) is listening.',
    `Peer id: ${relay.peerId.toString()}`,
    'Addresses (pass one to `gini --relay <multiaddr>`):',
    ...addrs.map(a => `  ${a}`),
    ...(relay.metricsUrl != null ? [`Metrics: ${relay.metricsUrl}/metrics  Health: ${relay.metricsUrl}/healthz`] : []),
    'Press Ctrl-C to stop.'
  ].join('\n'))
}

function onStopSignal (relay: Relay, json: boolean): void {
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    if (!json) process.stderr.write(`\n${signal}: stopping the relay…\n`)
    const force = setTimeout(() => { process.exit(EXIT_FAILURE) }, STOP_TIMEOUT_MS)
    force.unref()
    relay.stop().then(() => { process.exit(EXIT_OK) }, (err) => {
      process.stderr.write(`Error while stopping: ${err?.message ?? String(err)}\n`)
      process.exit(EXIT_FAILURE)
    })
  }
  process.once('SIGINT', () => { stop('SIGINT') })
  process.once('SIGTERM', () => { stop('SIGTERM') })
}

async function main (argv: string[]): Promise<void> {
  const opts = program().parse(argv).opts<CliOptions>()
  const json = opts.json === true
  let relay: Relay
  try {
    relay = await createRelay({
      listen: opts.listen,
      dataDir: opts.data,
      pairingTtlMs: opts.pairingTtl,
      maxPendingPairings: opts.maxPending,
      metrics: opts.metrics
    })
  } catch (err: any) {
    const message = `could not start the relay: ${err?.message ?? String(err)}`
    if (json) await writeLine(JSON.stringify({ event: 'error', message }))
    else process.stderr.write(`Error: ${message}\n`)
    process.exit(EXIT_FAILURE)
  }
  onStopSignal(relay, json)
  await announce(relay, json)
}

await main(process.argv)
