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
  crpTtl?: number
  maxConnectionsPerIp?: number
  maxConnectionsPer64?: number
  reservedConnections?: number
  idleConnectionTimeout?: number
  maxPendingPerIp?: number
  maxPendingPer64?: number
  maxPendingPer56?: number
  maxPendingPer48?: number
  reservedPending?: number
  metrics?: { host: string, port: number }
  stun?: string[]
  turn?: string[]
  turnSecret?: string
  turnTtl?: number
  json?: boolean
}

function positiveInt (text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer')
  return n
}

function nonNegativeInt (text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be 0 or a positive integer')
  return n
}

/** `host:port` (or `[v6]:port`) for the metrics endpoint. */
function hostPort (text: string): { host: string, port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text)
  const port = m == null ? NaN : Number(m[3])
  if (m == null || port > 65535) throw new InvalidArgumentError('expected host:port, e.g. 127.0.0.1:9090')
  return { host: m[1] ?? m[2], port }
}

/** Repeatable URL option; a value (or an environment variable) may hold several, comma-separated. */
function urlList (text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...text.split(/[\s,]+/).filter(u => u !== '')]
}

function duration (text: string): number {
  try { return parseDurationMs(text) } catch (err: any) { throw new InvalidArgumentError(err.message) }
}

function program (): Command {
  return new Command('gini-relay')
    .description('GiniConnect relay (GSS): peers meet here to pair with a Flash Code.')
    .addOption(new Option('--listen <multiaddr...>', 'address to listen on (repeatable; default: loopback TCP and WebSocket on free ports)'))
    .addOption(new Option('--data <dir>', 'data directory (the relay identity; restore.sqlite: the CRP registrations)').default(DEFAULT_DATA_DIR))
    .addOption(new Option('--pairing-ttl <duration>', 'life of a pending pairing, e.g. 180s (tests use 2s)').argParser(duration))
    .addOption(new Option('--max-pending <n>', 'bound on pending pairings').argParser(positiveInt))
    .addOption(new Option('--max-connections-per-ip <n>', 'live connections from one IPv4 or IPv6 address (default 128)').argParser(positiveInt))
    .addOption(new Option('--max-connections-per-64 <n>', 'live connections from one IPv6 /64 (default 128)').argParser(positiveInt))
    .addOption(new Option('--reserved-connections <n>', 'last connection slots kept for networks holding fewer than 8 (default 200)').argParser(nonNegativeInt))
    .addOption(new Option('--idle-connection-timeout <duration>', 'close a connection with no gini stream and no reservation after this (default 30s)').argParser(duration))
    .addOption(new Option('--max-pending-per-ip <n>', 'pending pairings from one IPv4 or IPv6 address (default 64)').argParser(positiveInt))
    .addOption(new Option('--max-pending-per-64 <n>', 'pending pairings from one IPv6 /64 (default 64)').argParser(positiveInt))
    .addOption(new Option('--max-pending-per-56 <n>', 'pending pairings from one IPv6 /56 (default 128)').argParser(positiveInt))
    .addOption(new Option('--max-pending-per-48 <n>', 'pending pairings from one IPv6 /48 (default 256)').argParser(positiveInt))
    .addOption(new Option('--reserved-pending <n>', 'last pending-pairing rows kept for networks holding fewer than 4 (default 1000)').argParser(nonNegativeInt))
    .addOption(new Option('--crp-ttl <duration>', 'life of a restore registration from its first Register, e.g. 30s for tests (default 8760h = 365 days)').argParser(duration))
    .addOption(new Option('--metrics <host:port>', 'serve Prometheus /metrics and /healthz there (keep it private)').argParser(hostPort))
    .addOption(new Option('--stun <url...>', 'STUN URL handed to peers on /gini/ice/1, e.g. stun:turn.example.org:3478 (repeatable)').env('GINI_STUN').argParser(urlList))
    .addOption(new Option('--turn <url...>', 'TURN URL handed to peers with a short-lived credential, e.g. turn:turn.example.org:3478?transport=udp (repeatable)').env('GINI_TURN').argParser(urlList))
    .addOption(new Option('--turn-secret <secret>', "coturn's static-auth-secret (use-auth-secret); prefer the environment variable").env('GINI_TURN_SECRET'))
    .addOption(new Option('--turn-ttl <duration>', 'life of each TURN credential (default 1h)').env('GINI_TURN_TTL').argParser(duration))
    .option('--json', 'print one JSON line {"event":"listening",…} for scripts')
    .showHelpAfterError('(run with --help for usage)')
}

/** Writes and waits until the line left the process (tests read it from a pipe). */
async function writeLine (line: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(line + '\n', (err) => { err != null ? reject(err) : resolve() })
  })
}

async function announce (relay: Relay, json: boolean, ice?: { stun: string[], turn: string[] }): Promise<void> {
  const addrs = relay.multiaddrs.map(ma => ma.toString())
  if (json) {
    await writeLine(JSON.stringify({ event: 'listening', peerId: relay.peerId.toString(), addrs, ...(relay.metricsUrl != null ? { metrics: relay.metricsUrl } : {}), ...(ice != null ? { ice } : {}) }))
    return
  }
  await writeLine([
    'GiniConnect relay (GSS) is listening.',
    `Peer id: ${relay.peerId.toString()}`,
    'Addresses (pass one to `gini --relay <multiaddr>`):',
    ...addrs.map(a => `  ${a}`),
    ...(relay.metricsUrl != null ? [`Metrics: ${relay.metricsUrl}/metrics  Health: ${relay.metricsUrl}/healthz`] : []),
    ...(ice != null ? [`ICE servers for peers: ${[...ice.stun, ...ice.turn.map(u => `${u} (short-lived credentials)`)].join(', ')}`] : []),
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
      crpTtlMs: opts.crpTtl,
      maxConnectionsPerIp: opts.maxConnectionsPerIp,
      maxConnectionsPerIp6Prefix: opts.maxConnectionsPer64,
      reservedConnections: opts.reservedConnections,
      idleConnectionTimeoutMs: opts.idleConnectionTimeout,
      maxPendingPerIp: opts.maxPendingPerIp,
      maxPendingPerIp6Prefix: { 64: opts.maxPendingPer64, 56: opts.maxPendingPer56, 48: opts.maxPendingPer48 },
      reservedPendingPairings: opts.reservedPending,
      metrics: opts.metrics,
      ice: { stun: opts.stun, turn: opts.turn, turnSecret: opts.turnSecret, turnTtlMs: opts.turnTtl }
    })
  } catch (err: any) {
    const message = `could not start the relay: ${err?.message ?? String(err)}`
    if (json) await writeLine(JSON.stringify({ event: 'error', message }))
    else process.stderr.write(`Error: ${message}\n`)
    process.exit(EXIT_FAILURE)
  }
  onStopSignal(relay, json)
  const ice = (opts.stun?.length ?? 0) + (opts.turn?.length ?? 0) > 0 ? { stun: opts.stun ?? [], turn: opts.turn ?? [] } : undefined
  await announce(relay, json, ice)
}

await main(process.argv)
