// The relay side of /gini/mailbox/1 (docs/protocol.md §16.5): stores sealed blobs under tokens,
// hands them to whoever asks for those tokens, deletes on request, and enforces the bounds.
// Pure logic: it is handed FrameChannels, a MailboxStore and a clock; SQLite lives in
// relay/mailbox-store.ts and the libp2p glue in relay/mailbox-service.ts.
//
// Privacy (§16.7): tokens live in the store only; nothing here logs. Outcomes go to `onOutcome` as
// bare words that never carry a token.
import {
  RelayStreams, errorFrame, wire, systemClock, type Clock, type FrameChannel,
  type RelayStreamLimits, type GiniErrorCode
} from '../common/index.js'
import {
  MAILBOX_BLOB_TTL_MS, MAILBOX_MAX_BLOBS_PER_TOKEN, MAILBOX_MAX_BLOB_BYTES, MAILBOX_MAX_BYTES_PER_TOKEN,
  MAILBOX_MAX_DELETE_IDS, MAILBOX_MAX_FETCH_TOKENS, MAILBOX_MAX_REQUESTS_PER_STREAM, MAILBOX_MAX_TOTAL_BYTES,
  MAILBOX_TOKEN_BYTES
} from './constants.js'
import { mailboxBlobShapeOk } from './crypto.js'
import { Sealed, type MailboxMessage } from './pb/mailbox.js'

/** One stored blob as the relay hands it out. */
export interface StoredBlob { readonly id: number, readonly index: number, readonly sealed: Uint8Array }

/** The mailbox table, injected so this logic stays pure (relay/mailbox-store.ts is the SQLite one). */
export interface MailboxStore {
  /** Blobs held now. */
  readonly blobCount: number
  /** Bytes of the encoded sealed blobs held now. */
  readonly totalBytes: number
  /** Blobs and bytes under one token. */
  usage(token: Uint8Array): { blobs: number, bytes: number }
  /** Stores one blob (durably before it returns); its id. */
  put(token: Uint8Array, index: number, sealed: Uint8Array, nowMs: number): number
  /** The token's blobs in deposit order, at most `limit`, none deposited at or before `expiredAtOrBefore`. */
  list(token: Uint8Array, limit: number, expiredAtOrBefore: number): StoredBlob[]
  /** Deletes those of `ids` that are under `token`; how many. */
  delete(token: Uint8Array, ids: number[]): number
  /** Deletes blobs deposited at or before `cutoffMs`; how many. */
  sweep(cutoffMs: number): Promise<number>
}

/** Who is on the other end, for the per-address bound only (§16.5). Never logged or stored. */
export interface MailboxRemote { peer: string, ip?: string }

/** Outcomes for logs and metrics: plain words, never a token. One per refusal bound (§16.5). */
export type MailboxOutcome =
  | 'deposited' | 'fetched' | 'deleted' | 'violation' | 'first-frame-timeout' | 'swept' | 'sweep-failed' | 'store-failed'
  | 'blob-too-large' | 'token-full-blobs' | 'token-full-bytes' | 'address-quota' | 'total-full' | 'relay-stopping'

export interface MailboxRelayInit extends RelayStreamLimits {
  store: MailboxStore
  clock?: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>
  /** The per-address deposit quota (§16.5: deposits per address per hour); false → RATE_LIMITED. Default: admit all. */
  admitDeposit?: (remote: MailboxRemote) => boolean
  blobTtlMs?: number
  maxBlobBytes?: number
  maxBlobsPerToken?: number
  maxBytesPerToken?: number
  maxTotalBytes?: number
  /** How often the sweep runs (it also runs on start). */
  sweepIntervalMs: number
  onOutcome?: (outcome: MailboxOutcome) => void
  /** Called with the blobs removed by each sweep. */
  onSwept?: (count: number) => void
}

type Channel = FrameChannel<MailboxMessage>

export class MailboxRelay {
  private readonly init: MailboxRelayInit
  private readonly store: MailboxStore
  private readonly clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>
  private readonly streams: RelayStreams<MailboxMessage>
  private readonly channels = new Set<Channel>()
  /** Channels in the middle of a request (read, being served, answer not yet written). */
  private readonly busy = new Set<Channel>()
  /** Each served channel's handle(), which ends once the stream is answered and closed. */
  private readonly handling = new Map<Channel, Promise<void>>()
  private draining = false
  /** Idle channels drain() already refused: a request that still arrives on one is not served. */
  private readonly refused = new Set<Channel>()
  private sweeping?: Promise<number>

  constructor (init: MailboxRelayInit) {
    this.init = init
    this.store = init.store
    this.clock = init.clock ?? systemClock
    this.streams = new RelayStreams(this.clock, init, errorFrame)
  }

  get liveStreams (): number {
    return this.channels.size
  }

  private get ttlMs (): number { return this.init.blobTtlMs ?? MAILBOX_BLOB_TTL_MS }

  /** Sweeps now and then every `sweepIntervalMs`. */
  start (): void {
    const tick = (): void => { void this.sweep(); this.streams.schedule(tick, this.init.sweepIntervalMs) }
    tick()
  }

  /** §16.5: blobs older than their life are deleted. */
  async sweep (): Promise<number> {
    if (this.sweeping != null) return await this.sweeping
    this.sweeping = this.store.sweep(this.clock.now() - this.ttlMs).then((n) => {
      if (n > 0) { this.init.onSwept?.(n); this.outcome('swept') }
      return n
    }, () => { this.outcome('sweep-failed'); return 0 })
    try { return await this.sweeping } finally { this.sweeping = undefined }
  }

  /**
   * Stops taking requests (docs/protocol.md §10): a request being served is answered first, then its
   * stream and every idle one end with Error{RELAY_SHUTTING_DOWN}, so a deposit the relay took is
   * never lost to the stop and the peer knows to come back; within `ms`, then close() resets the rest.
   */
  async drain (ms: number): Promise<void> {
    this.draining = true
    const ends: Array<Promise<unknown>> = []
    for (const ch of this.channels) {
      // A busy stream's handle() loop refuses it after the answer; an idle one waits in readFirst.
      if (this.busy.has(ch)) ends.push(this.handling.get(ch) ?? Promise.resolve())
      else { this.refused.add(ch); this.outcome('relay-stopping'); ends.push(this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN')) }
    }
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms)
      void Promise.allSettled(ends).then(() => { this.clock.clearTimeout(timer); resolve() })
    })
  }

  async close (): Promise<void> {
    this.streams.close()
    for (const ch of this.channels) ch.abort(new Error('relay stopping'))
    this.channels.clear()
    await this.sweeping?.catch(() => {})
  }

  /** Serves one stream: up to MAILBOX_MAX_REQUESTS_PER_STREAM requests, each answered in turn. */
  async handle (ch: Channel, remote: MailboxRemote): Promise<void> {
    this.channels.add(ch)
    const handled = this.serveStream(ch, remote)
    this.handling.set(ch, handled)
    try {
      await handled
    } finally {
      this.channels.delete(ch)
      this.refused.delete(ch)
      this.handling.delete(ch)
    }
  }

  private async serveStream (ch: Channel, remote: MailboxRemote): Promise<void> {
    for (let n = 0; n < MAILBOX_MAX_REQUESTS_PER_STREAM; n++) {
      if (this.draining) { this.outcome('relay-stopping'); await this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN'); return }
      // Each request has the first-frame deadline, so an idle stream cannot hold the relay.
      const msg = await this.streams.readFirst(ch, (o) => { this.outcome(o) })
      if (msg == null || this.refused.has(ch)) return // answered or closed by readFirst, or refused by drain()
      this.busy.add(ch)
      const refusal = await this.serve(ch, msg, remote).finally(() => { this.busy.delete(ch) })
      if (refusal != null) { await this.streams.refuse(ch, refusal); return }
    }
    await this.streams.end(ch)
  }

  /** Answers one request; an error code ends the stream with that error. */
  private async serve (ch: Channel, msg: MailboxMessage, remote: MailboxRemote): Promise<GiniErrorCode | undefined> {
    try {
      if (msg.deposit != null) return await this.deposit(ch, msg.deposit, remote)
      if (msg.fetch != null) return await this.fetch(ch, msg.fetch.tokens)
      if (msg.delete != null) return await this.delete(ch, msg.delete.token, msg.delete.ids)
    } catch {
      this.outcome('store-failed')
      return 'UNSPECIFIED'
    }
    this.outcome('violation')
    return 'PROTOCOL_VIOLATION'
  }

  private async deposit (ch: Channel, d: NonNullable<MailboxMessage['deposit']>, remote: MailboxRemote): Promise<GiniErrorCode | undefined> {
    if (d.token.length !== MAILBOX_TOKEN_BYTES || d.sealed == null || !mailboxBlobShapeOk(d.sealed)) {
      this.outcome('violation')
      return 'PROTOCOL_VIOLATION'
    }
    const sealed = Sealed.encode(d.sealed)
    const refused = this.refusal(d.token, d.sealed.ciphertext.length, sealed.length, remote)
    if (refused != null) { this.outcome(refused); return 'RATE_LIMITED' }
    const now = this.clock.now()
    const id = this.store.put(d.token, d.index, sealed, now)
    this.outcome('deposited')
    await this.streams.write(ch, { deposited: { id: BigInt(id), expiresAtMs: BigInt(now + this.ttlMs) } })
    return undefined
  }

  /** The first bound a deposit would break (§16.5), checked before the per-address quota is charged. */
  private refusal (token: Uint8Array, ciphertextBytes: number, bytes: number, remote: MailboxRemote): MailboxOutcome | undefined {
    if (ciphertextBytes > (this.init.maxBlobBytes ?? MAILBOX_MAX_BLOB_BYTES)) return 'blob-too-large'
    const use = this.store.usage(token)
    if (use.blobs + 1 > (this.init.maxBlobsPerToken ?? MAILBOX_MAX_BLOBS_PER_TOKEN)) return 'token-full-blobs'
    if (use.bytes + bytes > (this.init.maxBytesPerToken ?? MAILBOX_MAX_BYTES_PER_TOKEN)) return 'token-full-bytes'
    if (this.store.totalBytes + bytes > (this.init.maxTotalBytes ?? MAILBOX_MAX_TOTAL_BYTES)) return 'total-full'
    if (this.init.admitDeposit?.(remote) === false) return 'address-quota'
    return undefined
  }

  private async fetch (ch: Channel, tokens: Uint8Array[]): Promise<GiniErrorCode | undefined> {
    if (tokens.length > MAILBOX_MAX_FETCH_TOKENS || tokens.some(t => t.length !== MAILBOX_TOKEN_BYTES)) {
      this.outcome('violation')
      return 'PROTOCOL_VIOLATION'
    }
    const cutoff = this.clock.now() - this.ttlMs
    const limit = this.init.maxBlobsPerToken ?? MAILBOX_MAX_BLOBS_PER_TOKEN
    for (const token of tokens) {
      for (const b of this.store.list(token, limit, cutoff)) {
        await this.streams.write(ch, { blob: { token: wire(token), id: BigInt(b.id), index: b.index, sealed: Sealed.decode(b.sealed) } })
      }
    }
    this.outcome('fetched')
    await this.streams.write(ch, { end: {} })
    return undefined
  }

  private async delete (ch: Channel, token: Uint8Array, ids: bigint[]): Promise<GiniErrorCode | undefined> {
    if (token.length !== MAILBOX_TOKEN_BYTES || ids.length > MAILBOX_MAX_DELETE_IDS || ids.some(i => i > BigInt(Number.MAX_SAFE_INTEGER))) {
      this.outcome('violation')
      return 'PROTOCOL_VIOLATION'
    }
    const count = this.store.delete(token, ids.map(Number))
    this.outcome('deleted')
    await this.streams.write(ch, { deleted: { count } })
    return undefined
  }

  private outcome (o: MailboxOutcome): void {
    this.init.onOutcome?.(o)
  }
}
