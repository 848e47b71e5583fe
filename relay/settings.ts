// Every `gini-relay` setting in one table: its flag, its environment variable, its key in a
// `--config` JSON file, its default and its parser. The CLI, `--help` and the operator guide
// (docs/operator.md) are generated from or checked against this table, so a new limit is one row.
// Precedence: flag > environment > config file > default.
import { readFileSync } from 'node:fs'
import { parseDurationMs } from '../protocols/common/duration.js'
import { parseSizeBytes } from '../protocols/common/size.js'
import * as C from './constants.js'
import { GSS_MAX_PENDING_PAIRINGS, PAIRING_TTL_MS } from '../protocols/fc/constants.js'
import { CRP_MAX_NEW_ROWS_PER_IP_PER_DAY, CRP_MAX_ROWS, CRP_ROW_TTL_MS } from '../protocols/crp/constants.js'
import * as M from '../protocols/mailbox/constants.js'
import { GSS_LIST_MAX_RELAYS, GSS_LIST_REFRESH_MS } from '../protocols/gss-list/constants.js'
import { TrustedProxies } from './forwarded-for.js'

export type SettingKind = 'string' | 'list' | 'int' | 'count' | 'duration' | 'bytes' | 'hostPort' | 'flag'

export interface SettingSpec {
  /** Key in the config file and in the parsed result (camelCase of the flag). */
  key: string
  /** Flag with its value placeholder, e.g. `--pairing-ttl <duration>`. */
  flag: string
  /** Environment variable; `envAliases` are older names still read. */
  env: string
  envAliases?: string[]
  kind: SettingKind
  description: string
  /** The default as a person reads it in `--help` (the value itself comes from the constant). */
  defaultText?: string
  /** Not in the config file (secrets belong in the environment or a file only root can read). */
  secret?: boolean
  /** Further check of the parsed value; throws with a message saying what is wrong. */
  check?: (value: any) => void
}

const d = (ms: number): string => {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}

export const SETTINGS: SettingSpec[] = [
  { key: 'listen', flag: '--listen <multiaddr...>', env: 'GINI_RELAY_LISTEN', kind: 'list', description: 'address to listen on (repeatable)', defaultText: 'loopback TCP and WebSocket on free ports' },
  { key: 'announce', flag: '--announce <multiaddr...>', env: 'GINI_RELAY_ANNOUNCE', kind: 'list', description: 'address peers should dial instead of the listen addresses: a public address behind NAT, a load balancer or a TLS proxy (/dns4/relay.example.org/tcp/443/wss); repeatable', defaultText: 'the listen addresses' },
  { key: 'data', flag: '--data <dir>', env: 'GINI_RELAY_DATA', kind: 'string', description: 'data directory (identity.key, restore.sqlite, mailbox.sqlite)', defaultText: './.gini/relay' },
  { key: 'metrics', flag: '--metrics <host:port>', env: 'GINI_RELAY_METRICS', kind: 'hostPort', description: 'serve Prometheus /metrics and /healthz there (keep it private)', defaultText: 'off' },
  { key: 'pairingTtl', flag: '--pairing-ttl <duration>', env: 'GINI_RELAY_PAIRING_TTL', kind: 'duration', description: 'life of a pending pairing (docs/protocol.md §6.5)', defaultText: d(PAIRING_TTL_MS) },
  { key: 'maxPending', flag: '--max-pending <n>', env: 'GINI_RELAY_MAX_PENDING', kind: 'int', description: 'pending pairings held at once', defaultText: String(GSS_MAX_PENDING_PAIRINGS) },
  { key: 'maxPendingPerIp', flag: '--max-pending-per-ip <n>', env: 'GINI_RELAY_MAX_PENDING_PER_IP', kind: 'int', description: 'live pending pairings from one IPv4 or IPv6 address; over it → RATE_LIMITED', defaultText: String(C.MAX_PENDING_PER_IP) },
  { key: 'maxPendingPer64', flag: '--max-pending-per-64 <n>', env: 'GINI_RELAY_MAX_PENDING_PER_64', kind: 'int', description: '…from one IPv6 /64', defaultText: String(C.MAX_PENDING_PER_IP6_64) },
  { key: 'maxPendingPer56', flag: '--max-pending-per-56 <n>', env: 'GINI_RELAY_MAX_PENDING_PER_56', kind: 'int', description: '…from one IPv6 /56', defaultText: String(C.MAX_PENDING_PER_IP6_56) },
  { key: 'maxPendingPer48', flag: '--max-pending-per-48 <n>', env: 'GINI_RELAY_MAX_PENDING_PER_48', kind: 'int', description: '…from one IPv6 /48', defaultText: String(C.MAX_PENDING_PER_IP6_48) },
  { key: 'reservedPending', flag: '--reserved-pending <n>', env: 'GINI_RELAY_RESERVED_PENDING', kind: 'count', description: `the last rows of the pending table go only to networks holding fewer than ${C.RESERVE_MAX_PER_NET_PENDING}`, defaultText: String(C.RESERVED_PENDING_PAIRINGS) },
  { key: 'rateIpBurst', flag: '--rate-ip-burst <n>', env: 'GINI_RELAY_RATE_IP_BURST', kind: 'int', description: 'Create/Join one IP may send at once (docs/protocol.md §6.5 rule 9)', defaultText: String(C.RATE_LIMIT_PER_IP_BURST) },
  { key: 'rateIpRefill', flag: '--rate-ip-refill <duration>', env: 'GINI_RELAY_RATE_IP_REFILL', kind: 'duration', description: '…and one more every', defaultText: d(C.RATE_LIMIT_PER_IP_REFILL_MS) },
  { key: 'ratePeerBurst', flag: '--rate-peer-burst <n>', env: 'GINI_RELAY_RATE_PEER_BURST', kind: 'int', description: 'Create/Join one peer id may send at once', defaultText: String(C.RATE_LIMIT_PER_PEER_BURST) },
  { key: 'ratePeerRefill', flag: '--rate-peer-refill <duration>', env: 'GINI_RELAY_RATE_PEER_REFILL', kind: 'duration', description: '…and one more every', defaultText: d(C.RATE_LIMIT_PER_PEER_REFILL_MS) },
  { key: 'crpTtl', flag: '--crp-ttl <duration>', env: 'GINI_RELAY_CRP_TTL', kind: 'duration', description: 'life of a restore registration from its first Register (docs/protocol.md §9.2)', defaultText: d(CRP_ROW_TTL_MS) },
  { key: 'crpMaxRows', flag: '--crp-max-rows <n>', env: 'GINI_RELAY_CRP_MAX_ROWS', kind: 'int', description: 'restore registrations stored at once', defaultText: String(CRP_MAX_ROWS) },
  { key: 'crpMaxNewRowsPerIp', flag: '--crp-max-new-rows-per-ip <n>', env: 'GINI_RELAY_CRP_MAX_NEW_ROWS_PER_IP', kind: 'int', description: 'new restore registrations per IP per day', defaultText: String(CRP_MAX_NEW_ROWS_PER_IP_PER_DAY) },
  { key: 'crpRateIpBurst', flag: '--crp-rate-ip-burst <n>', env: 'GINI_RELAY_CRP_RATE_IP_BURST', kind: 'int', description: 'Register one IP may send at once', defaultText: String(C.CRP_RATE_LIMIT_PER_IP_BURST) },
  { key: 'crpRateIpRefill', flag: '--crp-rate-ip-refill <duration>', env: 'GINI_RELAY_CRP_RATE_IP_REFILL', kind: 'duration', description: '…and one more every', defaultText: d(C.CRP_RATE_LIMIT_PER_IP_REFILL_MS) },
  { key: 'crpRatePeerBurst', flag: '--crp-rate-peer-burst <n>', env: 'GINI_RELAY_CRP_RATE_PEER_BURST', kind: 'int', description: 'Register one peer id may send at once', defaultText: String(C.CRP_RATE_LIMIT_PER_PEER_BURST) },
  { key: 'crpRatePeerRefill', flag: '--crp-rate-peer-refill <duration>', env: 'GINI_RELAY_CRP_RATE_PEER_REFILL', kind: 'duration', description: '…and one more every', defaultText: d(C.CRP_RATE_LIMIT_PER_PEER_REFILL_MS) },
  { key: 'mailboxTtl', flag: '--mailbox-ttl <duration>', env: 'GINI_RELAY_MAILBOX_TTL', kind: 'duration', description: 'life of a mailbox blob from its deposit (docs/protocol.md §16.5)', defaultText: d(M.MAILBOX_BLOB_TTL_MS) },
  { key: 'mailboxMaxBlobBytes', flag: '--mailbox-max-blob-bytes <size>', env: 'GINI_RELAY_MAILBOX_MAX_BLOB_BYTES', kind: 'bytes', description: 'largest sealed mailbox blob (ciphertext); over it → RATE_LIMITED', defaultText: String(M.MAILBOX_MAX_BLOB_BYTES) },
  { key: 'mailboxMaxBlobsPerToken', flag: '--mailbox-max-blobs-per-token <n>', env: 'GINI_RELAY_MAILBOX_MAX_BLOBS_PER_TOKEN', kind: 'int', description: 'mailbox blobs held under one token (one direction of one pair, one day)', defaultText: String(M.MAILBOX_MAX_BLOBS_PER_TOKEN) },
  { key: 'mailboxMaxBytesPerToken', flag: '--mailbox-max-bytes-per-token <size>', env: 'GINI_RELAY_MAILBOX_MAX_BYTES_PER_TOKEN', kind: 'bytes', description: 'mailbox bytes held under one token', defaultText: `${M.MAILBOX_MAX_BYTES_PER_TOKEN / 1024 / 1024}MiB` },
  { key: 'mailboxDepositsPerIpPerHour', flag: '--mailbox-deposits-per-ip-per-hour <n>', env: 'GINI_RELAY_MAILBOX_DEPOSITS_PER_IP_PER_HOUR', kind: 'int', description: 'mailbox deposits from one IP address per hour', defaultText: String(M.MAILBOX_MAX_DEPOSITS_PER_IP_PER_HOUR) },
  { key: 'mailboxMaxTotalBytes', flag: '--mailbox-max-total-bytes <size>', env: 'GINI_RELAY_MAILBOX_MAX_TOTAL_BYTES', kind: 'bytes', description: 'mailbox bytes held in all', defaultText: `${M.MAILBOX_MAX_TOTAL_BYTES / 1024 / 1024 / 1024}GiB` },
  { key: 'trustProxy', flag: '--trust-proxy <addr...>', env: 'GINI_RELAY_TRUST_PROXY', kind: 'list', description: 'reverse proxy address or CIDR block (e.g. 127.0.0.1, 10.0.0.0/8) whose X-Forwarded-For gives the client address on the WebSocket listener, for every per-IP limit; the right-most address not listed is the client (repeatable)', defaultText: 'none: X-Forwarded-For is ignored', check: (v: string[]) => { void new TrustedProxies(v) } },
  { key: 'maxConnections', flag: '--max-connections <n>', env: 'GINI_RELAY_MAX_CONNECTIONS', kind: 'int', description: 'open connections at once', defaultText: String(C.MAX_CONNECTIONS) },
  { key: 'connectionsPerHostPerSecond', flag: '--connections-per-host-per-second <n>', env: 'GINI_RELAY_CONNECTIONS_PER_HOST_PER_SECOND', kind: 'int', description: 'new inbound connections per second from one host', defaultText: String(C.INBOUND_CONNECTIONS_PER_HOST_PER_SECOND) },
  { key: 'maxConnectionsPerIp', flag: '--max-connections-per-ip <n>', env: 'GINI_RELAY_MAX_CONNECTIONS_PER_IP', kind: 'int', description: 'live connections from one IPv4 or IPv6 address (behind a reverse proxy: raise it, every client shares the proxy\'s address)', defaultText: String(C.MAX_CONNECTIONS_PER_IP) },
  { key: 'maxConnectionsPer64', flag: '--max-connections-per-64 <n>', env: 'GINI_RELAY_MAX_CONNECTIONS_PER_64', kind: 'int', description: 'live connections from one IPv6 /64', defaultText: String(C.MAX_CONNECTIONS_PER_IP6_64) },
  { key: 'reservedConnections', flag: '--reserved-connections <n>', env: 'GINI_RELAY_RESERVED_CONNECTIONS', kind: 'count', description: `the last connection slots go only to networks holding fewer than ${C.RESERVE_MAX_PER_NET_CONNECTIONS}`, defaultText: String(C.RESERVED_CONNECTIONS) },
  { key: 'idleConnectionTimeout', flag: '--idle-connection-timeout <duration>', env: 'GINI_RELAY_IDLE_CONNECTION_TIMEOUT', kind: 'duration', description: 'a connection with no /gini/* or circuit stream and no reservation is closed after this', defaultText: d(C.IDLE_CONNECTION_TIMEOUT_MS) },
  { key: 'maxReservations', flag: '--max-reservations <n>', env: 'GINI_RELAY_MAX_RESERVATIONS', kind: 'int', description: 'circuit relay reservations held at once', defaultText: String(C.CIRCUIT_MAX_RESERVATIONS) },
  { key: 'circuitDataLimit', flag: '--circuit-data-limit <size>', env: 'GINI_RELAY_CIRCUIT_DATA_LIMIT', kind: 'bytes', description: 'bytes per relayed link, both directions (e.g. 8MiB)', defaultText: `${Number(C.CIRCUIT_DATA_LIMIT_BYTES) / 1024 / 1024}MiB` },
  { key: 'circuitDurationLimit', flag: '--circuit-duration-limit <duration>', env: 'GINI_RELAY_CIRCUIT_DURATION_LIMIT', kind: 'duration', description: 'life of a relayed link', defaultText: d(C.CIRCUIT_DURATION_LIMIT_MS) },
  { key: 'bootstrap', flag: '--bootstrap <multiaddr...>', env: 'GINI_RELAY_BOOTSTRAP', kind: 'list', description: 'another relay of the network to join (its multiaddr with /p2p/<peer id>; repeatable): runs the relays\' private DHT and lists them to peers (docs/protocol.md §22.1)', defaultText: 'none: a relay on its own, no DHT' },
  { key: 'network', flag: '--network', env: 'GINI_RELAY_NETWORK', kind: 'flag', description: 'take part in a relay network without --bootstrap: the first relay of a network, which the others bootstrap from', defaultText: 'on with --bootstrap, else off' },
  { key: 'listMaxRelays', flag: '--list-max-relays <n>', env: 'GINI_RELAY_LIST_MAX_RELAYS', kind: 'int', description: 'relays checked and listed at once, this one included (one per IPv4 address or IPv6 /64)', defaultText: String(GSS_LIST_MAX_RELAYS) },
  { key: 'listMaxStreams', flag: '--list-max-streams <n>', env: 'GINI_RELAY_LIST_MAX_STREAMS', kind: 'int', description: '/gini/gss/list/1 requests served at once; more are reset', defaultText: String(C.GSS_LIST_MAX_STREAMS) },
  { key: 'listRefresh', flag: '--list-refresh <duration>', env: 'GINI_RELAY_LIST_REFRESH', kind: 'duration', description: 'how often the relay list is rebuilt from the DHT', defaultText: d(GSS_LIST_REFRESH_MS) },
  { key: 'dhtMaxProviderRecords', flag: '--dht-max-provider-records <n>', env: 'GINI_RELAY_DHT_MAX_PROVIDER_RECORDS', kind: 'int', description: 'provider records the relays\' DHT stores here (only the GSS service key is accepted)', defaultText: String(C.DHT_MAX_PROVIDER_RECORDS) },
  { key: 'drainTimeout', flag: '--drain-timeout <duration>', env: 'GINI_RELAY_DRAIN_TIMEOUT', kind: 'duration', description: 'on SIGTERM a relay with --bootstrap leaves the list, refuses new pairings and waits this long at most for the pending ones', defaultText: d(C.RELAY_DRAIN_MS) },
  { key: 'stun', flag: '--stun <url...>', env: 'GINI_RELAY_STUN', envAliases: ['GINI_STUN'], kind: 'list', description: 'STUN URL handed to peers on /gini/ice/1, e.g. stun:turn.example.org:3478 (repeatable)', defaultText: 'none' },
  { key: 'turn', flag: '--turn <url...>', env: 'GINI_RELAY_TURN', envAliases: ['GINI_TURN'], kind: 'list', description: 'TURN URL handed to peers with a short-lived credential, e.g. turn:turn.example.org:3478?transport=udp (repeatable)', defaultText: 'none' },
  { key: 'turnSecret', flag: '--turn-secret <secret>', env: 'GINI_RELAY_TURN_SECRET', envAliases: ['GINI_TURN_SECRET'], kind: 'string', secret: true, description: "coturn's static-auth-secret (use-auth-secret); prefer the environment variable" },
  { key: 'turnTtl', flag: '--turn-ttl <duration>', env: 'GINI_RELAY_TURN_TTL', envAliases: ['GINI_TURN_TTL'], kind: 'duration', description: 'life of each TURN credential', defaultText: '1h' }
]

export class SettingError extends Error {
  constructor (where: string, message: string) {
    super(`${where}: ${message}`)
    this.name = 'SettingError'
  }
}

/** Parses one value of a setting from text (a flag, an environment variable) or JSON (a config file). */
export function parseSetting (spec: SettingSpec, value: unknown, where: string): unknown {
  const parsed = parseKind(spec, value, where)
  try { spec.check?.(parsed) } catch (err: any) { throw new SettingError(where, err.message) }
  return parsed
}

function parseKind (spec: SettingSpec, value: unknown, where: string): unknown {
  const text = typeof value === 'number' ? String(value) : value
  switch (spec.kind) {
    case 'list': {
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : null
      if (items == null || items.some(v => typeof v !== 'string')) throw new SettingError(where, 'expected a list of strings')
      return (items as string[]).filter(v => v !== '')
    }
    case 'string':
      if (typeof text !== 'string' || text === '') throw new SettingError(where, 'expected a non-empty string')
      return text
    case 'int': {
      const n = typeof text === 'string' && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN
      if (!Number.isSafeInteger(n) || n <= 0) throw new SettingError(where, `expected a positive whole number, got ${JSON.stringify(value)}`)
      return n
    }
    case 'count': {
      const n = typeof text === 'string' && /^\s*\d+\s*$/.test(text) ? Number(text) : NaN
      if (!Number.isSafeInteger(n)) throw new SettingError(where, `expected 0 or a positive whole number, got ${JSON.stringify(value)}`)
      return n
    }
    case 'duration':
      if (typeof text !== 'string') throw new SettingError(where, `expected a duration such as 180s, 5m, 24h, got ${JSON.stringify(value)}`)
      try { return parseDurationMs(text) } catch (err: any) { throw new SettingError(where, err.message) }
    case 'bytes':
      try {
        if (typeof text !== 'string') throw new RangeError('not text')
        return parseSizeBytes(text)
      } catch {
        throw new SettingError(where, `expected a size such as 8MiB, 512KiB or 65536, got ${JSON.stringify(value)}`)
      }
    case 'hostPort': {
      const m = typeof text === 'string' ? /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text) : null
      const port = m == null ? NaN : Number(m[3])
      if (m == null || port > 65535) throw new SettingError(where, 'expected host:port, e.g. 127.0.0.1:9090')
      return { host: m[1] ?? m[2], port }
    }
    case 'flag':
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === '1') return true
      if (value === 'false' || value === '0') return false
      throw new SettingError(where, 'expected true or false')
  }
}

/** Reads a `--config` JSON file: an object whose keys are the table's keys. Unknown keys are errors. */
export function readConfigFile (path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err: any) {
    throw new SettingError(path, `cannot read the config file (${err.code ?? err.message})`)
  }
  let obj: unknown
  try {
    obj = JSON.parse(text)
  } catch (err: any) {
    throw new SettingError(path, `not valid JSON (${err.message})`)
  }
  if (obj == null || typeof obj !== 'object' || Array.isArray(obj)) throw new SettingError(path, 'expected a JSON object of settings')
  const known = new Map(SETTINGS.map(s => [s.key, s]))
  for (const key of Object.keys(obj)) {
    const spec = known.get(key)
    if (spec == null) throw new SettingError(path, `unknown setting "${key}" (known: ${[...known.keys()].join(', ')})`)
    if (spec.secret === true) throw new SettingError(path, `"${key}" is a secret: set it in the environment (${spec.env}), not in the config file`)
  }
  return obj as Record<string, unknown>
}

/**
 * Resolves every setting: a value from the command line wins, then the environment, then the
 * config file; a setting found nowhere is left out (the relay applies its default).
 */
export function resolveSettings (fromCli: Record<string, unknown>, env: NodeJS.ProcessEnv, configPath?: string): Record<string, unknown> {
  const file = configPath != null ? readConfigFile(configPath) : {}
  const out: Record<string, unknown> = {}
  for (const spec of SETTINGS) {
    if (fromCli[spec.key] !== undefined) {
      out[spec.key] = fromCli[spec.key]
      continue
    }
    const envName = [spec.env, ...(spec.envAliases ?? [])].find(name => env[name] != null && env[name] !== '')
    if (envName != null) {
      out[spec.key] = parseSetting(spec, env[envName], envName)
    } else if (file[spec.key] !== undefined) {
      out[spec.key] = parseSetting(spec, file[spec.key], `${configPath ?? ''}: ${spec.key}`)
    }
  }
  return out
}
