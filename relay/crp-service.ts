// The CRP relay as a libp2p service (`crp(init) => (components) => new CrpService(…)`, as
// js-libp2p's services): opens RestoreConnections (relay/restore-store.ts), registers /gini/crp/1
// and hands each stream, framed, to the pure state machine in protocols/crp/relay.ts. Glue and the
// §9.2 admission limits only.
import {
  crpChannel, CRP_MAX_NEW_ROWS_PER_IP_PER_DAY, CRP_PROTOCOL, CRP_ROW_TTL_MS, CrpRelay, type CrpAdmission,
  type CrpClock, type CrpOutcome, type CrpRemote
} from '../protocols/crp/index.js'
import {
  CRP_CLOSE_GRACE_MS, CRP_FIRST_FRAME_TIMEOUT_MS, CRP_FRAME_TIMEOUT_MS, CRP_MAX_INBOUND_STREAMS, CRP_MAX_OUTBOUND_STREAMS,
  CRP_NEW_ROWS_WINDOW_MS, CRP_PARKED_MAX_BYTES, CRP_RATE_LIMIT_PER_IP_BURST, CRP_RATE_LIMIT_PER_IP_REFILL_MS,
  CRP_RATE_LIMIT_PER_PEER_BURST, CRP_RATE_LIMIT_PER_PEER_REFILL_MS, CRP_SWEEP_INTERVAL_MS, CRP_WRITE_TIMEOUT_MS,
  RATE_LIMIT_MAX_TRACKED_KEYS
} from './constants.js'
import { remoteOf, type RelayServiceComponents } from './fc-service.js'
import { RateLimiter, type RateLimitOptions } from './rate-limit.js'
import { SqliteRestoreStore } from './restore-store.js'
import type { Connection, Logger, Startable, Stream } from '@libp2p/interface'

export interface CrpServiceInit {
  /** SQLite database: a file path (`<dataDir>/restore.sqlite`) or `:memory:`. */
  dbPath: string
  /** Row life from the first registration (§9.2: 365 days; harnesses shorten it). */
  rowTtlMs?: number
  /** Bound on rows (§9.2: 1 000 000). */
  maxRows?: number
  /** Bound on new rows per IP per day (§9.2: 1 000). */
  maxNewRowsPerIpPerDay?: number
  /** Token buckets on Register (§9.2 rule 6: "as in §6.5"); `false` turns them off (benchmarks only). */
  rateLimit?: RateLimitOptions | false
  /** Default: the system clock. */
  clock?: CrpClock
  /** Each outcome as a plain word, for logs and metrics. */
  onOutcome?: (outcome: CrpOutcome) => void
  maxInboundStreams?: number
  maxOutboundStreams?: number
}

/** §9.2: at most `max` new rows per IP in each window (a day), counted from the IP's first new row. */
export class NewRowQuota {
  private readonly windows = new Map<string, { startMs: number, count: number }>()

  constructor (
    private readonly max: number,
    private readonly now: () => number,
    private readonly windowMs = CRP_NEW_ROWS_WINDOW_MS,
    private readonly maxKeys = RATE_LIMIT_MAX_TRACKED_KEYS
  ) {}

  /** Takes one new row for `ip`; false when its day is used up (or the table of IPs is full). */
  take (ip: string | undefined): boolean {
    if (ip == null) return true // not an IP transport: only the token buckets and the row bound apply
    const now = this.now()
    let w = this.windows.get(ip)
    if (w != null && now - w.startMs >= this.windowMs) { this.windows.delete(ip); w = undefined }
    if (w == null) {
      if (this.windows.size >= this.maxKeys) this.sweep(now)
      if (this.windows.size >= this.maxKeys) return false // bounded memory beats admitting strangers
      w = { startMs: now, count: 0 }
      this.windows.set(ip, w)
    }
    if (w.count >= this.max) return false
    w.count++
    return true
  }

  private sweep (now: number): void {
    for (const [ip, w] of this.windows) if (now - w.startMs >= this.windowMs) this.windows.delete(ip)
  }
}

/** Token buckets (relay/rate-limit.ts, own buckets apart from /gini/fc/1's) plus the new-row quota. */
export function crpAdmission (rateLimit: RateLimitOptions | false, maxNewRowsPerIpPerDay: number, now: () => number): CrpAdmission {
  const limiter = rateLimit === false
    ? undefined
    : new RateLimiter({
      perPeer: { burst: CRP_RATE_LIMIT_PER_PEER_BURST, refillMs: CRP_RATE_LIMIT_PER_PEER_REFILL_MS, ...rateLimit.perPeer },
      perIp: { burst: CRP_RATE_LIMIT_PER_IP_BURST, refillMs: CRP_RATE_LIMIT_PER_IP_REFILL_MS, ...rateLimit.perIp },
      maxTrackedKeys: rateLimit.maxTrackedKeys
    }, now)
  const quota = new NewRowQuota(maxNewRowsPerIpPerDay, now)
  return {
    // RateLimiter's kind only labels the call; these buckets serve Register alone.
    admit: (remote: CrpRemote) => limiter?.admit(remote, 'join') ?? true,
    admitNewRow: (remote: CrpRemote) => quota.take(remote.ip)
  }
}

export class CrpService implements Startable {
  readonly [Symbol.toStringTag] = 'gini:crp'
  private readonly components: RelayServiceComponents
  private readonly init: CrpServiceInit
  private readonly log: Logger
  private store?: SqliteRestoreStore
  private relay?: CrpRelay

  constructor (components: RelayServiceComponents, init: CrpServiceInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('gini:relay:crp')
  }

  /** RestoreConnections rows held now. */
  get rowCount (): number {
    return this.store?.size ?? 0
  }

  /** /gini/crp/1 streams being served (waiting or in a run). */
  get liveStreams (): number {
    return this.relay?.liveStreams ?? 0
  }

  async start (): Promise<void> {
    const clock = this.init.clock
    const now = clock != null ? () => clock.now() : Date.now
    const rowTtlMs = this.init.rowTtlMs ?? CRP_ROW_TTL_MS
    const store = SqliteRestoreStore.open(this.init.dbPath)
    this.store = store
    // Outcomes only: a token never reaches a log line (docs/protocol.md §11).
    const relay = new CrpRelay({
      store,
      clock,
      rowTtlMs,
      maxRows: this.init.maxRows,
      admission: crpAdmission(this.init.rateLimit ?? {}, this.init.maxNewRowsPerIpPerDay ?? CRP_MAX_NEW_ROWS_PER_IP_PER_DAY, now),
      sweepIntervalMs: Math.max(1_000, Math.min(CRP_SWEEP_INTERVAL_MS, rowTtlMs)),
      firstFrameTimeoutMs: CRP_FIRST_FRAME_TIMEOUT_MS,
      frameTimeoutMs: CRP_FRAME_TIMEOUT_MS,
      writeTimeoutMs: CRP_WRITE_TIMEOUT_MS,
      closeGraceMs: CRP_CLOSE_GRACE_MS,
      maxParkedBytes: CRP_PARKED_MAX_BYTES,
      onOutcome: (o) => { this.log('restore %s', o); this.init.onOutcome?.(o) }
    })
    this.relay = relay
    relay.start()
    await this.components.registrar.handle(CRP_PROTOCOL, (stream: Stream, connection: Connection) => {
      void relay.handle(crpChannel(stream), remoteOf(connection))
    }, {
      maxInboundStreams: this.init.maxInboundStreams ?? CRP_MAX_INBOUND_STREAMS,
      maxOutboundStreams: this.init.maxOutboundStreams ?? CRP_MAX_OUTBOUND_STREAMS
      // runOnLimitedConnection stays false: /gini/crp/1 runs on the peer's direct link to the relay.
    })
  }

  /** Stops taking new streams and ends the live ones with RELAY_SHUTTING_DOWN, within `ms` (docs/protocol.md §10). */
  async drain (ms: number): Promise<void> {
    await this.components.registrar.unhandle(CRP_PROTOCOL)
    await this.relay?.drain(ms)
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(CRP_PROTOCOL)
    await this.relay?.close()
    this.store?.close()
  }
}

export function crp (init: CrpServiceInit): (components: RelayServiceComponents) => CrpService {
  return (components) => new CrpService(components, init)
}
