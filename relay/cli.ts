// `gini-relay`: run a GSS relay. Prints the relay's peer id and full multiaddrs (what peers pass
// to `gini --relay`), or with --json exactly one line `{"event":"listening",…}` once it listens.
// SIGINT/SIGTERM stop it cleanly (exit 0). Never prints a lookup, sid or payload (docs/protocol.md §11).
import { Command, InvalidArgumentError, Option } from 'commander'
import { readFileSync } from 'node:fs'
import { createRelay, type Relay, type RelayOptions } from './create-relay.js'
import { RELAY_DRAIN_MS } from './constants.js'
import { SETTINGS, SettingError, parseSetting, resolveSettings, type SettingSpec } from './settings.js'

/** How long a clean stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000
const DEFAULT_DATA_DIR = './.gini/relay'
/** The package's version for --version: package.json at the root, above dist/relay/. */

const EXIT_OK = 0
const EXIT_FAILURE = 1
/** Bad flags, environment or config file: nothing was started. */
const EXIT_USAGE = 2

function helpText (spec: SettingSpec): string {
  const parts = [spec.description]
  if (spec.defaultText != null) parts.push(`(default: ${spec.defaultText})`)
  parts.push(`[env ${spec.env}]`)
  return parts.join(' ')
}

function program (): Command {
  const cmd = new Command('gini-relay')
    .description('GiniConnect relay (GSS): peers meet here to pair with a Flash Code.\n\n' +
      'Every setting is also an environment variable and a key of the --config JSON file (the flag\n' +
      'without dashes, in camelCase). Precedence: flag, environment, config file, default.\n' +
      'Durations: 500ms, 180s, 5m, 24h, 365d. Sizes: 65536, 512KiB, 8MiB.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .addOption(new Option('--config <file>', 'JSON file of settings, e.g. {"maxPending": 50000, "pairingTtl": "180s"}').env('GINI_RELAY_CONFIG'))
  for (const spec of SETTINGS) {
    const where = spec.flag.split(' ')[0]
    const option = new Option(spec.flag, helpText(spec)).argParser((value: string, previous: unknown) => {
      try {
        // A bare on/off flag (`--network`) reaches the parser with no value: it means on.
        const parsed = spec.kind === 'flag' && value === undefined ? true : parseSetting(spec, value, where)
        return spec.kind === 'list' ? [...((previous as string[] | undefined) ?? []), ...(parsed as string[])] : parsed
      } catch (err: any) {
        throw new InvalidArgumentError(err.message)
      }
    })
    cmd.addOption(option)
  }
  return cmd
    .option('--json', 'print one JSON line {"event":"listening",…} for scripts')
    .showHelpAfterError('(run with --help for usage)')
}

function packageVersion (): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/** RelayOptions from resolved settings; what is not set keeps the relay's default. */
function relayOptions (s: Record<string, any>): RelayOptions {
  // Only the fields that were set: the services spread these over their own defaults.
  const bucket = (burst?: number, refillMs?: number): { burst?: number, refillMs?: number } => ({
    ...(burst != null ? { burst } : {}), ...(refillMs != null ? { refillMs } : {})
  })
  return {
    listen: s.listen,
    announce: s.announce,
    dataDir: s.data ?? DEFAULT_DATA_DIR,
    metrics: s.metrics,
    pairingTtlMs: s.pairingTtl,
    maxPendingPairings: s.maxPending,
    rateLimit: { perIp: bucket(s.rateIpBurst, s.rateIpRefill), perPeer: bucket(s.ratePeerBurst, s.ratePeerRefill) },
    crpTtlMs: s.crpTtl,
    crpMaxRows: s.crpMaxRows,
    crpMaxNewRowsPerIpPerDay: s.crpMaxNewRowsPerIp,
    crpRateLimit: { perIp: bucket(s.crpRateIpBurst, s.crpRateIpRefill), perPeer: bucket(s.crpRatePeerBurst, s.crpRatePeerRefill) },
    mailboxTtlMs: s.mailboxTtl,
    mailboxMaxBlobBytes: s.mailboxMaxBlobBytes,
    mailboxMaxBlobsPerToken: s.mailboxMaxBlobsPerToken,
    mailboxMaxBytesPerToken: s.mailboxMaxBytesPerToken,
    mailboxDepositsPerIpPerHour: s.mailboxDepositsPerIpPerHour,
    mailboxMaxTotalBytes: s.mailboxMaxTotalBytes,
    maxPendingPerIp: s.maxPendingPerIp,
    maxPendingPerIp6Prefix: { 64: s.maxPendingPer64, 56: s.maxPendingPer56, 48: s.maxPendingPer48 },
    reservedPendingPairings: s.reservedPending,
    maxConnections: s.maxConnections,
    trustProxy: s.trustProxy,
    maxConnectionsPerIp: s.maxConnectionsPerIp,
    maxConnectionsPerIp6Prefix: s.maxConnectionsPer64,
    reservedConnections: s.reservedConnections,
    idleConnectionTimeoutMs: s.idleConnectionTimeout,
    inboundConnectionsPerHostPerSecond: s.connectionsPerHostPerSecond,
    maxReservations: s.maxReservations,
    circuitDataLimitBytes: s.circuitDataLimit != null ? BigInt(s.circuitDataLimit) : undefined,
    circuitDurationLimitMs: s.circuitDurationLimit,
    ice: { stun: s.stun, turn: s.turn, turnSecret: s.turnSecret, turnTtlMs: s.turnTtl },
    bootstrap: s.bootstrap,
    network: s.network,
    maxListRelays: s.listMaxRelays,
    maxListStreams: s.listMaxStreams,
    listRefreshMs: s.listRefresh,
    dhtMaxProviderRecords: s.dhtMaxProviderRecords,
    drainMs: s.drainTimeout
  }
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

function onStopSignal (relay: Relay, json: boolean, drainMs: number): void {
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    if (!json) process.stderr.write(relay.network.networked ? `\n${signal}: leaving the relay list; waiting for pending pairings, then stopping…\n` : `\n${signal}: stopping the relay…\n`)
    // A relay in a network first waits for its pending pairings (docs/protocol.md §22.1).
    const force = setTimeout(() => { process.exit(EXIT_FAILURE) }, STOP_TIMEOUT_MS + (relay.network.networked ? drainMs : 0))
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
  const cmd = program().parse(argv)
  const opts = cmd.opts<Record<string, any>>()
  const json = opts.json === true
  const fail = async (message: string, code: number): Promise<never> => {
    if (json) await writeLine(JSON.stringify({ event: 'error', message }))
    else process.stderr.write(`Error: ${message}\n`)
    process.exit(code)
  }
  let settings: Record<string, any>
  try {
    settings = resolveSettings(opts, process.env, opts.config)
  } catch (err: any) {
    return await fail(err instanceof SettingError ? err.message : String(err), EXIT_USAGE)
  }
  let relay: Relay
  try {
    relay = await createRelay(relayOptions(settings))
  } catch (err: any) {
    return await fail(`could not start the relay: ${err?.message ?? String(err)}`, EXIT_FAILURE)
  }
  onStopSignal(relay, json, settings.drainTimeout ?? RELAY_DRAIN_MS)
  const ice = (settings.stun?.length ?? 0) + (settings.turn?.length ?? 0) > 0 ? { stun: settings.stun ?? [], turn: settings.turn ?? [] } : undefined
  await announce(relay, json, ice)
}

await main(process.argv)
