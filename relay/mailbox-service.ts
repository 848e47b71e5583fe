// The relay mailbox as a libp2p service (`mailbox(init) => (components) => new MailboxService(…)`,
// as relay/crp-service.ts): opens the SQLite store (relay/mailbox-store.ts), registers
// /gini/mailbox/1 and hands each stream, framed, to the pure state machine in
// protocols/mailbox/relay.ts. Glue and the per-address quota only.
import {
  mailboxChannel, MAILBOX_MAX_DEPOSITS_PER_IP_PER_HOUR, MAILBOX_PROTOCOL, MailboxRelay, type MailboxOutcome
} from '../protocols/mailbox/index.js'
import type { Clock } from '../protocols/common/index.js'
import {
  MAILBOX_CLOSE_GRACE_MS, MAILBOX_DEPOSIT_WINDOW_MS, MAILBOX_FIRST_FRAME_TIMEOUT_MS, MAILBOX_FRAME_TIMEOUT_MS,
  MAILBOX_MAX_INBOUND_STREAMS, MAILBOX_MAX_OUTBOUND_STREAMS, MAILBOX_SWEEP_INTERVAL_MS, MAILBOX_WRITE_TIMEOUT_MS
} from './constants.js'
import { NewRowQuota } from './crp-service.js'
import { remoteOf, type RelayServiceComponents } from './fc-service.js'
import { SqliteMailboxStore } from './mailbox-store.js'
import type { Connection, Logger, Startable, Stream } from '@libp2p/interface'

export interface MailboxServiceInit {
  /** SQLite database: a file path (`<dataDir>/mailbox.sqlite`) or `:memory:`. */
  dbPath: string
  /** Life of a blob from its deposit (§16.5: 7 days). */
  blobTtlMs?: number
  /** Largest sealed ciphertext accepted, in bytes (§16.5). */
  maxBlobBytes?: number
  maxBlobsPerToken?: number
  maxBytesPerToken?: number
  /** Deposits per IP address (per peer id without one) per hour. */
  maxDepositsPerIpPerHour?: number
  maxTotalBytes?: number
  clock?: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>
  onOutcome?: (outcome: MailboxOutcome) => void
}

export class MailboxService implements Startable {
  readonly [Symbol.toStringTag] = 'gini:mailbox'
  private readonly components: RelayServiceComponents
  private readonly init: MailboxServiceInit
  private readonly log: Logger
  private store?: SqliteMailboxStore
  private relay?: MailboxRelay

  constructor (components: RelayServiceComponents, init: MailboxServiceInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('gini:relay:mailbox')
  }

  get blobCount (): number { return this.store?.blobCount ?? 0 }
  get totalBytes (): number { return this.store?.totalBytes ?? 0 }

  /** Runs the §16.5 sweep now (harnesses and tests; it also runs hourly). */
  async sweep (): Promise<number> {
    return await (this.relay?.sweep() ?? Promise.resolve(0))
  }

  async start (): Promise<void> {
    const clock = this.init.clock
    const now = clock != null ? () => clock.now() : Date.now
    const store = SqliteMailboxStore.open(this.init.dbPath)
    this.store = store
    // Per IP (per peer id without one): run identities are fresh, so the peer id alone bounds nothing.
    const quota = new NewRowQuota(this.init.maxDepositsPerIpPerHour ?? MAILBOX_MAX_DEPOSITS_PER_IP_PER_HOUR, now, MAILBOX_DEPOSIT_WINDOW_MS)
    const relay = new MailboxRelay({
      store,
      clock,
      admitDeposit: (remote) => quota.take(remote.ip ?? `peer:${remote.peer}`),
      blobTtlMs: this.init.blobTtlMs,
      maxBlobBytes: this.init.maxBlobBytes,
      maxBlobsPerToken: this.init.maxBlobsPerToken,
      maxBytesPerToken: this.init.maxBytesPerToken,
      maxTotalBytes: this.init.maxTotalBytes,
      sweepIntervalMs: MAILBOX_SWEEP_INTERVAL_MS,
      firstFrameTimeoutMs: MAILBOX_FIRST_FRAME_TIMEOUT_MS,
      frameTimeoutMs: MAILBOX_FRAME_TIMEOUT_MS,
      writeTimeoutMs: MAILBOX_WRITE_TIMEOUT_MS,
      closeGraceMs: MAILBOX_CLOSE_GRACE_MS,
      // Outcomes only: a token never reaches a log line (§16.7).
      onOutcome: (o) => { this.log('mailbox %s', o); this.init.onOutcome?.(o) }
    })
    this.relay = relay
    relay.start()
    await this.components.registrar.handle(MAILBOX_PROTOCOL, (stream: Stream, connection: Connection) => {
      void relay.handle(mailboxChannel(stream), remoteOf(connection))
    }, {
      maxInboundStreams: MAILBOX_MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAILBOX_MAX_OUTBOUND_STREAMS
    })
  }

  /** Answers the requests being served, then ends every stream with RELAY_SHUTTING_DOWN, within `ms` (docs/protocol.md §10). */
  async drain (ms: number): Promise<void> {
    await this.relay?.drain(ms)
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(MAILBOX_PROTOCOL)
    await this.relay?.close()
    this.store?.close()
  }
}

export function mailbox (init: MailboxServiceInit): (components: RelayServiceComponents) => MailboxService {
  return (components) => new MailboxService(components, init)
}
