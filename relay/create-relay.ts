// Builds a GSS relay node: libp2p with TCP + WebSocket, Noise, Yamux, identify, ping, autonat, a
// circuit-relay-v2 server, the GSS service on /gini/fc/1, and the CRP service on /gini/crp/1
// (RestoreConnections in SQLite), and the mailbox on /gini/mailbox/1 (sealed blobs in SQLite), and
// the relay list on /gini/gss/list/1. A relay started with `bootstrap` relays also joins their
// private kad-dht (docs/protocol.md §22.1, relay/relay-network.ts), open to checked relays only;
// without, it runs no DHT: a public server-mode kad-dht takes records from any stranger.
// Every limit is explicit (relay/constants.ts).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { autoNAT } from '@libp2p/autonat'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2p } from 'libp2p'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { Registry } from 'prom-client'
import { createRelayMetrics, serveMetrics, type RelayMetrics } from './metrics.js'
import { loadOrCreateIdentity, withRepeatSignatures } from './identity.js'
import { relayLogger } from './quiet-logger.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { fcService, type FcService } from './fc-service.js'
import { crp, type CrpService } from './crp-service.js'
import { mailbox, type MailboxService } from './mailbox-service.js'
import { mailboxDbPath } from './mailbox-store.js'
import { iceService, validateIceConfig, type IceConfig, type IceService } from './ice-service.js'
import { restoreDbPath } from './restore-store.js'
import { RateLimiter, type RateLimitOptions } from './rate-limit.js'
import { dropReservationsOnDisconnect } from './reservations.js'
import { NetQuota } from './net-quota.js'
import { relayNoiseCrypto } from './noise-crypto.js'
import { closeIdleConnections, connectionGater } from './connection-slots.js'
import { TrustedProxies, trustForwardedFor } from './forwarded-for.js'
import { systemClock } from '../protocols/common/clock.js'
import { ready } from '../protocols/crypto/index.js'
import { RelayNetwork, relayDht, type RelayNetworkInit } from './relay-network.js'
import type { RelayListEntry } from '../protocols/gss-list/index.js'
import * as C from './constants.js'
import { GSS_MAX_PENDING_PAIRINGS } from '../protocols/fc/index.js'
import type { FcClock, FcOutcome } from '../protocols/fc/index.js'
import type { CrpOutcome } from '../protocols/crp/index.js'
import type { MailboxOutcome } from '../protocols/mailbox/index.js'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface RelayOptions {
  /** Multiaddrs to listen on. Default: loopback TCP and WebSocket on free ports. */
  listen?: string[]
  /**
   * Multiaddrs peers should dial instead of the listen addresses (a public address behind NAT, a
   * load balancer, a TLS proxy's /wss). The relay's circuit addresses are built from these too.
   */
  announce?: string[]
  /** Keeps the identity in `<dataDir>/identity.key` (mode 0600). Without it: a fresh identity each start. */
  dataDir?: string
  /** Life of a pairing from `Create` (docs/protocol.md §6.5 rule 7; default 180 s). */
  pairingTtlMs?: number
  /** Bound on live NewConnections rows (§6.5 rule 9; default GSS_MAX_PENDING_PAIRINGS). */
  maxPendingPairings?: number
  /** Token buckets on Create/Join (§6.5 rule 9); `false` turns them off (benchmarks only). */
  rateLimit?: RateLimitOptions | false
  /** Time source of the GSS and its rate limiter (default: the system clock). */
  clock?: FcClock
  /** Called with each pairing outcome (plain words, no ids): for metrics. */
  onOutcome?: (outcome: FcOutcome) => void
  /** Serve Prometheus `/metrics` and `/healthz` on this address (keep it private, e.g. 127.0.0.1). */
  metrics?: { host?: string, port: number }
  /** Circuit relay reservations held at once (default 4096). */
  maxReservations?: number
  /** Bytes per relayed link, both directions (default 8 MiB). */
  circuitDataLimitBytes?: bigint
  /** Life of a relayed link in ms (default 10 min). */
  circuitDurationLimitMs?: number
  /** Open connections at once (default 2000). */
  maxConnections?: number
  /** New inbound connections per second from one host (default 100). */
  inboundConnectionsPerHostPerSecond?: number
  /** Live inbound connections from one IPv4 or IPv6 address (default MAX_CONNECTIONS_PER_IP, 128). */
  maxConnectionsPerIp?: number
  /** …from one IPv6 /64 (default MAX_CONNECTIONS_PER_IP6_64, 128). */
  maxConnectionsPerIp6Prefix?: number
  /** The last this many of `maxConnections` go only to networks holding fewer than 8 (default 200). */
  reservedConnections?: number
  /** A connection with no /gini/* or circuit stream and no reservation is closed after this long (default 30 s). */
  idleConnectionTimeoutMs?: number
  /** Live pending pairings created from one IPv4 or IPv6 address (default MAX_PENDING_PER_IP, 64). */
  maxPendingPerIp?: number
  /** …from one IPv6 /64, /56 and /48 (defaults 64, 128, 256). */
  maxPendingPerIp6Prefix?: { 64?: number, 56?: number, 48?: number }
  /** The last this many of `maxPendingPairings` go only to networks holding fewer than 4 (default 1000). */
  reservedPendingPairings?: number
  /** CRP: life of a RestoreConnections row from its first registration (docs/protocol.md §9.2; default 365 days). Harnesses shorten it. */
  crpTtlMs?: number
  /** CRP: bound on RestoreConnections rows (§9.2; default 1 000 000); past it new tokens get RATE_LIMITED. */
  crpMaxRows?: number
  /** CRP: bound on new rows per IP per day (§9.2; default 1 000). */
  crpMaxNewRowsPerIpPerDay?: number
  /** CRP: token buckets on Register (own buckets); default on, off when `rateLimit` is false. */
  crpRateLimit?: RateLimitOptions | false
  /** Called with each CRP outcome (plain words, no tokens): for metrics. */
  onCrpOutcome?: (outcome: CrpOutcome) => void
  /** Mailbox (docs/protocol.md §16.5): life of a blob from its deposit (default 7 days). */
  mailboxTtlMs?: number
  /** Mailbox: largest sealed ciphertext in bytes (default 16 400: the 16 KiB bucket and its tag). */
  mailboxMaxBlobBytes?: number
  /** Mailbox: blobs held under one token (default 256). */
  mailboxMaxBlobsPerToken?: number
  /** Mailbox: bytes held under one token (default 1 MiB). */
  mailboxMaxBytesPerToken?: number
  /** Mailbox: deposits per IP address per hour (default 600). */
  mailboxDepositsPerIpPerHour?: number
  /** Mailbox: bytes held in all (default 1 GiB). */
  mailboxMaxTotalBytes?: number
  /** Called with each mailbox outcome (plain words, no tokens): for metrics. */
  onMailboxOutcome?: (outcome: MailboxOutcome) => void
  /** docs/protocol.md §22.1: relays to join the network through (multiaddrs with /p2p/). None: a relay on its own, no DHT. */
  bootstrap?: string[]
  /** §22.1: take part in a relay network without `bootstrap` (the network's first relay). On whenever `bootstrap` is given. */
  network?: boolean
  /** §22.1: relays checked and listed at once, this one included (default 256). */
  maxListRelays?: number
  /** §22.1: /gini/gss/list/1 streams served at once (default GSS_LIST_MAX_STREAMS, 64). */
  maxListStreams?: number
  /** §22.1: provider records the relay DHT stores (default DHT_MAX_PROVIDER_RECORDS, 1024). */
  dhtMaxProviderRecords?: number
  /** §22.1: how often the list is rebuilt (default 10 s). */
  listRefreshMs?: number
  /** §22.1: on stop, how long a relay in a network waits for its pending pairings after refusing new Creates (default 180 s). */
  drainMs?: number
  /**
   * Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For the WebSocket listener
   * believes for the per-IP limits (relay/forwarded-for.ts). Default: none, the header is ignored.
   */
  trustProxy?: string[]
  /** ICE servers handed to peers on /gini/ice/1 (docs/protocol.md §14): STUN URLs, TURN URLs + coturn secret. Default: none. */
  ice?: IceConfig
}

export interface Relay {
  readonly node: Libp2p
  readonly peerId: PeerId
  /** Listening addresses, each ending in /p2p/<relay peer id>: what a peer passes to `gini --relay`. */
  readonly multiaddrs: Multiaddr[]
  readonly fc: { readonly pendingCount: number }
  /** RestoreConnections (`<dataDir>/restore.sqlite`, in memory without a data dir) and live /gini/crp/1 streams. */
  readonly crp: { readonly rowCount: number, readonly liveStreams: number }
  /** The relay mailbox (`<dataDir>/mailbox.sqlite`, in memory without a data dir): blobs and bytes held; `sweep` runs §16.5's sweep now. */
  readonly mailbox: { readonly blobCount: number, readonly totalBytes: number, sweep(): Promise<number> }
  /** /gini/ice/1 replies sent (each with a fresh TURN credential when TURN is configured). */
  readonly ice: { readonly servedCount: number }
  /**
   * docs/protocol.md §22.1: the relay list as served now (this relay first), one round of its
   * refresh, and `onChange` (called whenever the served list changes; returns the unsubscribe).
   */
  readonly network: { relays(): RelayListEntry[], readonly networked: boolean, readonly providerRecords: number, refresh(): Promise<void>, onChange(listener: () => void): () => void }
  /** Base URL of the metrics/health endpoints, when `metrics` was set. */
  readonly metricsUrl?: string
  stop(): Promise<void>
}

export async function createRelay (options: RelayOptions = {}): Promise<Relay> {
  if (options.ice != null) validateIceConfig(options.ice) // before anything listens: a bad flag is a start-up error
  await ready() // libsodium: the relay network's service key (docs/protocol.md §22.1)
  const privateKey = withRepeatSignatures(options.dataDir != null ? await loadOrCreateIdentity(options.dataDir) : await generateKeyPair('Ed25519'))
  const now = options.clock != null ? () => options.clock!.now() : Date.now
  // One registry per relay (several relays may share a process in tests and harnesses).
  const registry = options.metrics != null ? new Registry() : undefined
  let metrics: RelayMetrics | undefined
  const onRefused = (limit: string): void => { metrics?.limitRejected(limit) }
  // Before anything listens: a bad entry is a start-up error.
  const trusted = options.trustProxy != null && options.trustProxy.length > 0 ? new TrustedProxies(options.trustProxy) : undefined
  const ws = trusted != null ? trustForwardedFor(webSockets(), trusted, () => { metrics?.forwardedForInvalid() }) : webSockets()
  const maxConnections = options.maxConnections ?? C.MAX_CONNECTIONS
  const connectionQuota = new NetQuota('connections', {
    total: maxConnections,
    perNet: { ip: options.maxConnectionsPerIp ?? C.MAX_CONNECTIONS_PER_IP, 'ip6-64': options.maxConnectionsPerIp6Prefix ?? C.MAX_CONNECTIONS_PER_IP6_64 },
    reserved: options.reservedConnections ?? C.RESERVED_CONNECTIONS,
    reserveMaxPerNet: C.RESERVE_MAX_PER_NET_CONNECTIONS
  }, onRefused)
  const v6 = options.maxPendingPerIp6Prefix ?? {}
  const pendingQuota = new NetQuota('pending', {
    total: options.maxPendingPairings ?? GSS_MAX_PENDING_PAIRINGS,
    perNet: {
      ip: options.maxPendingPerIp ?? C.MAX_PENDING_PER_IP,
      'ip6-64': v6[64] ?? C.MAX_PENDING_PER_IP6_64,
      'ip6-56': v6[56] ?? C.MAX_PENDING_PER_IP6_56,
      'ip6-48': v6[48] ?? C.MAX_PENDING_PER_IP6_48
    },
    reserved: options.reservedPendingPairings ?? C.RESERVED_PENDING_PAIRINGS,
    reserveMaxPerNet: C.RESERVE_MAX_PER_NET_PENDING
  }, onRefused)
  let stopping = false
  let stopped: Promise<void> | undefined
  // The relay network is built on the node; kad's gate asks it once both exist.
  const late: { network?: RelayNetwork } = {}
  const networked = options.network === true || (options.bootstrap ?? []).length > 0
  const networkInit: RelayNetworkInit = {
    networked,
    bootstrap: options.bootstrap,
    maxRelays: options.maxListRelays,
    maxListStreams: options.maxListStreams,
    maxProviderRecords: options.dhtMaxProviderRecords,
    refreshMs: options.listRefreshMs,
    now,
    onRefused
  }
  const dhtStats = { providerRecords: 0 }
  const dht = networked
    ? { dht: relayDht(networkInit, { allowed: (p) => late.network?.allowed(p) ?? false, admit: async (c) => await (late.network?.admit(c) ?? false) }, dhtStats) }
    : {}
  const node = await createLibp2p({
    privateKey,
    logger: relayLogger(), // relay/quiet-logger.ts: no logger objects for namespaces DEBUG leaves off
    ...(registry != null ? { metrics: prometheusMetrics({ registry, collectDefaultMetrics: true }) } : {}),
    addresses: { listen: options.listen ?? C.DEFAULT_LISTEN_ADDRS, ...(options.announce != null ? { announce: options.announce } : {}) },
    // @libp2p/websockets 10 listens on /ws and /wss alike; only the browser build's gater denies /ws.
    transports: [tcp(), ws],
    // Noise with node:crypto KeyObjects (relay/noise-crypto.ts): the default's DER round trips cost most of a handshake.
    connectionEncrypters: [noise({ crypto: relayNoiseCrypto })],
    streamMuxers: [yamux({
      enableKeepAlive: true,
      keepAliveInterval: C.YAMUX_KEEPALIVE_INTERVAL_MS,
      maxInboundStreams: C.YAMUX_MAX_INBOUND_STREAMS,
      maxOutboundStreams: C.YAMUX_MAX_OUTBOUND_STREAMS,
      streamOptions: {
        maxStreamWindowSize: C.YAMUX_MAX_STREAM_WINDOW_BYTES,
        maxReadBufferLength: C.YAMUX_MAX_READ_BUFFER_BYTES
      }
    })],
    connectionManager: {
      maxConnections,
      maxIncomingPendingConnections: C.MAX_INCOMING_PENDING_CONNECTIONS,
      inboundConnectionThreshold: options.inboundConnectionsPerHostPerSecond ?? C.INBOUND_CONNECTIONS_PER_HOST_PER_SECOND
    },
    // Per-network shares of those slots (relay/connection-slots.ts).
    connectionGater: connectionGater(connectionQuota, () => stopping),
    services: {
      // Answers a peer's identify but asks none itself: the relay needs no peer's protocols or
      // addresses (it reaches a reserved peer over the peer's own connection), and the request
      // and the peer-store record it fills cost every connection (BENCHMARKS.md, relay cost).
      identify: identify({ runOnConnectionOpen: false }),
      ping: ping(),
      autonat: autoNAT(),
      relay: circuitRelayServer({
        hopTimeout: C.CIRCUIT_HOP_TIMEOUT_MS,
        maxInboundHopStreams: C.CIRCUIT_MAX_INBOUND_HOP_STREAMS,
        maxOutboundHopStreams: C.CIRCUIT_MAX_OUTBOUND_HOP_STREAMS,
        maxOutboundStopStreams: C.CIRCUIT_MAX_OUTBOUND_STOP_STREAMS,
        reservations: {
          maxReservations: options.maxReservations ?? C.CIRCUIT_MAX_RESERVATIONS,
          reservationTtl: C.CIRCUIT_RESERVATION_TTL_MS,
          reservationClearInterval: C.CIRCUIT_RESERVATION_CLEAR_INTERVAL_MS,
          applyDefaultLimit: true,
          defaultDataLimit: options.circuitDataLimitBytes ?? C.CIRCUIT_DATA_LIMIT_BYTES,
          defaultDurationLimit: options.circuitDurationLimitMs ?? C.CIRCUIT_DURATION_LIMIT_MS
        }
      }),
      fc: fcService({
        pairingTtlMs: options.pairingTtlMs,
        maxPendingPairings: options.maxPendingPairings,
        clock: options.clock,
        onOutcome: (outcome) => { metrics?.pairingOutcome(outcome); options.onOutcome?.(outcome) },
        admission: options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? {}, now),
        rowQuota: pendingQuota
      }),
      // /gini/crp/1 (docs/protocol.md §9.2): RestoreConnections in SQLite under the data dir.
      crp: crp({
        dbPath: restoreDbPath(options.dataDir),
        rowTtlMs: options.crpTtlMs,
        maxRows: options.crpMaxRows,
        maxNewRowsPerIpPerDay: options.crpMaxNewRowsPerIpPerDay,
        rateLimit: options.crpRateLimit ?? (options.rateLimit === false ? false : {}),
        clock: options.clock,
        onOutcome: (outcome) => { metrics?.restoreOutcome(outcome); options.onCrpOutcome?.(outcome) }
      }),
      // /gini/mailbox/1 (docs/protocol.md §16.5): sealed blobs in SQLite under the data dir.
      mailbox: mailbox({
        dbPath: mailboxDbPath(options.dataDir),
        blobTtlMs: options.mailboxTtlMs,
        maxBlobBytes: options.mailboxMaxBlobBytes,
        maxBlobsPerToken: options.mailboxMaxBlobsPerToken,
        maxBytesPerToken: options.mailboxMaxBytesPerToken,
        maxDepositsPerIpPerHour: options.mailboxDepositsPerIpPerHour,
        maxTotalBytes: options.mailboxMaxTotalBytes,
        clock: options.clock,
        onOutcome: (outcome) => { metrics?.mailboxOutcome(outcome); options.onMailboxOutcome?.(outcome) }
      }),
      // /gini/ice/1 (docs/protocol.md §14): STUN URLs and short-lived TURN credentials; none unless
      // configured.
      ice: iceService(options.ice ?? {}),
      ...dht
    }
  })
  const network = new RelayNetwork(node, networkInit)
  late.network = network
  await network.start()
  const crpService: CrpService = node.services.crp
  const mailboxService: MailboxService = node.services.mailbox
  const iceSvc: IceService = node.services.ice
  const service: FcService = node.services.fc
  const unsubscribe = dropReservationsOnDisconnect(node, node.services.relay)
  const stopIdleSweep = closeIdleConnections(node, node.services.relay, {
    clock: options.clock ?? systemClock,
    idleTimeoutMs: options.idleConnectionTimeoutMs ?? C.IDLE_CONNECTION_TIMEOUT_MS,
    intervalMs: C.IDLE_SWEEP_INTERVAL_MS,
    onIdleClose: () => { onRefused('connections-idle') }
  })
  let endpoint: Awaited<ReturnType<typeof serveMetrics>> | undefined
  if (registry != null && options.metrics != null) {
    metrics = createRelayMetrics(registry, { listRelays: () => network.relayCount, pendingPairings: () => service.pendingCount, restoreRows: () => crpService.rowCount, mailboxBlobs: () => mailboxService.blobCount, mailboxBytes: () => mailboxService.totalBytes })
    endpoint = await serveMetrics(registry, () => ({
      peerId: node.peerId.toString(),
      pendingPairings: service.pendingCount,
      connections: node.getConnections().length
    }), options.metrics.host ?? '127.0.0.1', options.metrics.port)
  }
  return {
    node,
    peerId: node.peerId,
    get multiaddrs () { return node.getMultiaddrs() },
    fc: { get pendingCount () { return service.pendingCount } },
    crp: { get rowCount () { return crpService.rowCount }, get liveStreams () { return crpService.liveStreams } },
    mailbox: { get blobCount () { return mailboxService.blobCount }, get totalBytes () { return mailboxService.totalBytes }, sweep: async () => await mailboxService.sweep() },
    ice: { get servedCount () { return iceSvc.servedCount } },
    network: { relays: () => network.relays(), networked: network.networked, get providerRecords () { return dhtStats.providerRecords }, refresh: async () => { await network.refresh() }, onChange: (listener) => { network.addEventListener('change', listener); return () => { network.removeEventListener('change', listener) } } },
    metricsUrl: endpoint?.url,
    async stop () {
      stopped ??= (async () => {
        // No new connections or streams; live pairings, restores and mailbox streams hear why they end
        // (RELAY_SHUTTING_DOWN, docs/protocol.md §10) instead of a bare reset.
        // A relay in a network first leaves the list and lets its pending pairings finish
        // (docs/protocol.md §22.1); a relay on its own stops at once, as before.
        if (network.networked) {
          network.leave()
          await service.stopCreates(options.drainMs ?? C.RELAY_DRAIN_MS)
        }
        stopping = true
        await network.stop()
        await Promise.all([service.drain(C.SHUTDOWN_DRAIN_MS), crpService.drain(C.SHUTDOWN_DRAIN_MS), mailboxService.drain(C.SHUTDOWN_DRAIN_MS)])
        unsubscribe()
        stopIdleSweep()
        endpoint?.server.close()
        await node.stop()
      })()
      await stopped
    }
  }
}
