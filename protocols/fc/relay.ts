// The relay side of /gini/fc/1 (docs/protocol.md §6.5): the NewConnections table and the
// rules that match a creator with a joiner and forward their messages. Pure logic: it is handed
// FrameChannels and a clock; the libp2p glue lives in relay/fc-service.ts.
//
// Privacy (§11): lookups and sids live only in this in-memory table. Nothing here logs; outcomes are
// reported through `onOutcome` as bare words that never carry an id.
import {
  RelayStreams, systemClock, type Clock, ProtocolViolationError, errorFrame, type GiniErrorCode,
  type FrameChannel, FrameTimeoutError
} from '../common/index.js'
import {
  GSS_CLOSE_GRACE_MS, GSS_FIRST_FRAME_TIMEOUT_MS, GSS_FRAME_TIMEOUT_MS, GSS_MAX_PENDING_PAIRINGS,
  GSS_WRITE_TIMEOUT_MS, MFC_BYTES, PAIRING_TTL_MS, SHARE_BYTES, SID_BYTES
} from './constants.js'
import { lookupBitsOf, LookupIndex } from './lookup-index.js'
import type { FcMessage } from './pb/fc.js'

export type FcSide = 'creator' | 'joiner'

/** Injected time source; all deadlines of the GSS run on it (tests drive a fake one). */
export type FcClock = Clock

/** Who is on the other end of a stream, as far as rate limiting cares (§6.5 rule 9). Never logged. */
export interface FcRemote {
  peer: string
  /** The per-IP bucket key (an IPv4 address or an IPv6 /64). */
  ip?: string
  /** The remote IP address itself, for the per-network row quota. */
  host?: string
}

/** Decides whether a `Create`/`Join` may proceed (§6.5 rule 9 token buckets); false → `RATE_LIMITED`. */
export interface FcAdmission {
  admit(remote: FcRemote, kind: 'create' | 'join'): boolean
}

/**
 * Bounds the rows one network may hold (docs/protocol.md §6.5, item 9): `take` before a row is
 * inserted returns the refusing limit's name (→ `RATE_LIMITED`), or undefined; `release` when it goes.
 */
export interface FcRowQuota {
  take(remote: FcRemote): string | undefined
  release(remote: FcRemote): void
}

/** Outcomes for logs and metrics: plain words, never an id (§11). */
export type FcOutcome =
  | 'created' | 'matched' | 'completed' | 'expired' | 'peer-left' | 'abandoned' | 'violation'
  | 'error-forwarded' | 'no-match' | 'in-use' | 'rate-limited' | 'table-full' | 'first-frame-timeout'
  | 'frame-timeout' | 'network-full' | 'relay-stopping'

export interface FcRelayInit {
  /** Life of a row from `Create` (§6.5 rule 7: 180 s). */
  pairingTtlMs?: number
  /** Bound on rows; past it a new `Create` gets `RATE_LIMITED` (§6.5 rule 9). */
  maxPendingPairings?: number
  /** A new stream must deliver `Create`/`Join` within this time, else it is reset. */
  firstFrameTimeoutMs?: number
  /** A frame whose first byte arrived must be complete within this time, else its stream is reset. */
  frameTimeoutMs?: number
  /** A side that does not take a forwarded frame within this time is reset (counts as leaving). */
  writeTimeoutMs?: number
  /** After the relay's last frame and close, the peer must close its side within this time. */
  closeGraceMs?: number
  /** Default: the system clock. */
  clock?: FcClock
  /** Rate limits on Create/Join (§6.5 rule 9). Default: admit all (the relay passes its token buckets). */
  admission?: FcAdmission
  /** Live rows per network (docs/protocol.md §6.5, item 9). Default: none (the relay passes its NetQuota). */
  rowQuota?: FcRowQuota
  /** Each outcome as a plain word, for logs and metrics. */
  onOutcome?: (outcome: FcOutcome) => void
}

type Channel = FrameChannel<FcMessage>

interface Side {
  readonly role: FcSide
  readonly ch: Channel
  tempKey?: Uint8Array
  mfc?: Uint8Array
  sealed?: FcMessage['offer']
  done: boolean
  /** The relay has finished with this stream (final frame queued, close under way). */
  ended: boolean
}

/** One NewConnections row, with the fields of §6.5's table: lookup, sessions, TempKeys, MFC, Offer, Answer, Timestamp. */
interface Row {
  readonly key: string
  /** The Create's 3-byte lookup and how many of its bits count (docs/protocol.md §22.3; 24 in v1). */
  readonly lookup: Uint8Array
  readonly bits: number
  /** Who created it: its place in the row quota goes back when the row goes. */
  readonly remote: FcRemote
  readonly createdAtMs: number
  readonly creator: Side
  joiner?: Side
  readonly sidA: Uint8Array<ArrayBuffer>
  sidB?: Uint8Array<ArrayBuffer>
  cancelExpiry: () => void
}

export class FcRelay {
  private readonly rows = new Map<string, Row>()
  /** The rows by their 16-bit prefix, for §22.3's match on the shorter of two lookups. */
  private readonly index = new LookupIndex<Row>()
  private creating = true
  private readonly idleWaiters: Array<() => void> = []
  private readonly channels = new Set<Channel>()
  private readonly ttlMs: number
  private readonly maxPending: number
  private readonly streams: RelayStreams<FcMessage>
  private readonly clock: FcClock
  private readonly init: FcRelayInit
  private draining = false

  constructor (init: FcRelayInit = {}) {
    this.init = init
    this.ttlMs = init.pairingTtlMs ?? PAIRING_TTL_MS
    this.maxPending = init.maxPendingPairings ?? GSS_MAX_PENDING_PAIRINGS
    this.clock = init.clock ?? systemClock
    this.streams = new RelayStreams(this.clock, {
      firstFrameTimeoutMs: init.firstFrameTimeoutMs ?? GSS_FIRST_FRAME_TIMEOUT_MS,
      frameTimeoutMs: init.frameTimeoutMs ?? GSS_FRAME_TIMEOUT_MS,
      writeTimeoutMs: init.writeTimeoutMs ?? GSS_WRITE_TIMEOUT_MS,
      closeGraceMs: init.closeGraceMs ?? GSS_CLOSE_GRACE_MS
    }, errorFrame)
  }

  /** Live NewConnections rows (matched or not). */
  get pendingCount (): number {
    return this.rows.size
  }

  /** Serves one /gini/fc/1 stream until the relay is done with it. Never throws. */
  async handle (ch: Channel, remote: FcRemote): Promise<void> {
    if (this.streams.closed) { ch.abort(new Error('relay stopping')); return }
    if (this.draining) { void this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN'); return }
    this.channels.add(ch)
    try {
      const first = await this.streams.readFirst(ch, (o) => { this.outcome(o) })
      if (first == null || this.draining) return // drain() answered it already
      if (first.create != null) await this.onCreate(ch, remote, first.create)
      else if (first.join != null) await this.onJoin(ch, remote, first.join)
      else this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation') // a Join-path stream must open with Join, etc.
    } catch {
      ch.abort(new Error('gss failure'))
    } finally {
      this.channels.delete(ch)
    }
  }

  /**
   * Shutdown (docs/protocol.md §10, RELAY_SHUTTING_DOWN): every stream gets that Error as its last
   * frame and our side closes; new streams get the same. Resolves when all went out or after `ms`,
   * whichever is first; close() then resets what is left.
   */
  async drain (ms: number): Promise<void> {
    this.draining = true
    const ends: Array<Promise<void>> = []
    const inRows = new Set<Channel>()
    for (const row of [...this.rows.values()]) {
      for (const side of [row.creator, row.joiner]) if (side != null) inRows.add(side.ch)
      this.outcome('relay-stopping')
      ends.push(...this.finish(row, [row.creator, row.joiner].flatMap(s => s != null ? [[s, errorFrame('RELAY_SHUTTING_DOWN')] as [Side, FcMessage]] : [])))
    }
    // Streams still before their first frame.
    for (const ch of this.channels) if (!inRows.has(ch)) ends.push(this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN'))
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms)
      void Promise.allSettled(ends).then(() => { this.clock.clearTimeout(timer); resolve() })
    })
  }

  /**
   * The first step of a drain (docs/protocol.md §22.1): new `Create`s get RELAY_SHUTTING_DOWN,
   * joins and live pairings go on. Resolves once no row is left, or after `ms`.
   */
  async stopCreates (ms: number): Promise<void> {
    this.creating = false
    if (this.rows.size === 0) return
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms)
      this.idleWaiters.push(() => { this.clock.clearTimeout(timer); resolve() })
    })
  }

  /** Stops every timer and resets every stream; the table is dropped (it never reaches disk). */
  close (): void {
    this.streams.close()
    for (const row of this.rows.values()) this.init.rowQuota?.release(row.remote)
    this.rows.clear()
    this.index.clear()
    for (const ch of this.channels) ch.abort(new Error('relay stopping'))
    this.channels.clear()
  }

  // ---- opening frame: Create or Join (§6.5 rules 1–2) -------------------------------------------

  private async onCreate (ch: Channel, remote: FcRemote, create: NonNullable<FcMessage['create']>): Promise<void> {
    const bits = lookupBitsOf(create)
    if (bits == null || create.sid.byteLength !== SID_BYTES) {
      this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation'); return
    }
    if (!this.creating) { this.refuse(ch, 'RELAY_SHUTTING_DOWN', 'relay-stopping'); return }
    if (!this.admit(remote, 'create')) { this.refuse(ch, 'RATE_LIMITED', 'rate-limited'); return }
    const key = lookupKey(create.lookup)
    // §22.3: a live row that agrees on the shorter of the two prefixes is the same lookup.
    if (this.index.find(create.lookup, bits) != null) { this.refuse(ch, 'FLASH_CODE_IN_USE', 'in-use'); return }
    // §6.5 rule 9: under pressure refuse new rows; live ones are never evicted.
    if (this.rows.size >= this.maxPending) { this.refuse(ch, 'RATE_LIMITED', 'table-full'); return }
    // …and no network may take the table for everyone (its limit name goes to the quota's metric).
    if (this.init.rowQuota?.take(remote) != null) { this.refuse(ch, 'RATE_LIMITED', 'network-full'); return }

    const creator = newSide('creator', ch)
    const row: Row = { key, lookup: create.lookup, bits, remote, createdAtMs: this.clock.now(), creator, sidA: create.sid, cancelExpiry: () => {} }
    row.cancelExpiry = this.streams.schedule(() => { this.expire(row) }, this.ttlMs)
    this.rows.set(key, row)
    this.index.add(row)
    this.outcome('created')
    void this.send(creator, { created: { expiresAtMs: BigInt(row.createdAtMs + this.ttlMs) } })
    await this.pump(row, creator)
  }

  private async onJoin (ch: Channel, remote: FcRemote, join: NonNullable<FcMessage['join']>): Promise<void> {
    const bits = lookupBitsOf(join)
    if (bits == null || join.sid.byteLength !== SID_BYTES) {
      this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation'); return
    }
    if (!this.admit(remote, 'join')) { this.refuse(ch, 'RATE_LIMITED', 'rate-limited'); return }
    // §22.3: the oldest unmatched row agreeing on the shorter prefix (with 24 bits each: the row of that lookup).
    const row = this.index.find(join.lookup, bits, r => r.joiner == null)
    // §6.5 rule 2: one answer, one code path, for unknown, expired, abandoned (rows are deleted at once)
    // and already joined codes, so a prober learns nothing from either the reply or its timing.
    if (row == null || row.joiner != null) {
      this.refuse(ch, 'NO_MATCHING_FLASH_CODE', 'no-match'); return
    }
    const joiner = newSide('joiner', ch)
    row.joiner = joiner
    row.sidB = join.sid
    this.outcome('matched')
    // Each side gets its own copy: a write never shares a buffer with the other side's.
    const matched = (): FcMessage => ({ matched: { sidA: row.sidA.slice(), sidB: join.sid.slice() } })
    void this.send(row.creator, matched())
    void this.send(joiner, matched())
    await this.pump(row, joiner)
  }

  // ---- the matched exchange (§6.5 rules 3–8) -----------------------------------------------------

  /** Reads one side until it ends; after the relay is done with the side, drains until its close. */
  private async pump (row: Row, side: Side): Promise<void> {
    while (true) {
      let msg: FcMessage
      try {
        msg = await this.streams.read(side.ch)
      } catch (err) {
        if (side.ended) return
        // Oversized or undecodable frames are violations (§3.4); a close or reset is a departure,
        // and so is a frame that stopped half way (its stream is reset already).
        if (err instanceof ProtocolViolationError) this.violation(row, side)
        else this.departure(row, side, err instanceof FrameTimeoutError ? 'frame-timeout' : 'peer-left')
        return
      }
      if (side.ended) continue // the row is over: drain what is left until the peer closes
      await this.onMessage(row, side, msg)
    }
  }

  private async onMessage (row: Row, side: Side, msg: FcMessage): Promise<void> {
    const other = side.role === 'creator' ? row.joiner : row.creator
    if (msg.error != null) {
      // §6.5 rule 4. An Error from a creator still waiting for its match just abandons the row.
      if (other == null) { this.outcome('abandoned'); this.finish(row, []); return }
      this.outcome('error-forwarded')
      this.finish(row, [[other, { error: msg.error }]])
      return
    }
    // §6.5 rule 8: any message from the creator before Matched, and anything after the side's own Done.
    if (other == null || side.done || !this.accept(side, other, msg)) { this.violation(row, side); return }
    if (msg.done != null) {
      side.done = true
      // §6.5 rule 5: both Done → the row goes at once and both streams close.
      if (other.done) { this.outcome('completed'); this.finish(row, []) }
      return
    }
    await this.send(other, msg)
  }

  /**
   * The order an honest peer follows (§6.4): TempKey; Mfc once both TempKeys are through; Offer
   * (creator) or Answer (joiner) once both MFCs are through; Done once both sealed messages are.
   * Each at most once per side. Records the value in the row on success.
   */
  private accept (side: Side, other: Side, msg: FcMessage): boolean {
    if (msg.tempKey != null) {
      if (side.tempKey != null || msg.tempKey.share.byteLength !== SHARE_BYTES) return false
      side.tempKey = msg.tempKey.share
      return true
    }
    if (msg.mfc != null) {
      if (side.tempKey == null || other.tempKey == null || side.mfc != null || msg.mfc.mac.byteLength !== MFC_BYTES) return false
      side.mfc = msg.mfc.mac
      return true
    }
    const sealed = side.role === 'creator' ? msg.offer : msg.answer
    if (sealed != null) {
      if (side.mfc == null || other.mfc == null || side.sealed != null) return false
      side.sealed = sealed
      return true
    }
    if (msg.done != null) return side.sealed != null && other.sealed != null
    return false // Create, Join, Created, Matched, an Offer from the joiner, an Answer from the creator, or an empty body
  }

  private violation (row: Row, side: Side): void {
    this.outcome('violation')
    const other = side.role === 'creator' ? row.joiner : row.creator
    const frames: Array<[Side, FcMessage]> = [[side, errorFrame('PROTOCOL_VIOLATION')]]
    if (other != null) frames.push([other, errorFrame('PEER_LEFT')])
    this.finish(row, frames)
  }

  /** The side's stream ended. Before its Done that is a departure (§6.5 rule 6); after it, nothing. */
  private departure (row: Row, side: Side, outcome: 'peer-left' | 'frame-timeout' = 'peer-left'): void {
    if (side.done) return
    const other = side.role === 'creator' ? row.joiner : row.creator
    if (other == null) { this.outcome(outcome === 'peer-left' ? 'abandoned' : outcome); this.finish(row, []); return }
    this.outcome(outcome)
    this.finish(row, [[other, errorFrame('PEER_LEFT')]])
  }

  private expire (row: Row): void {
    if (this.rows.get(row.key) !== row) return
    this.outcome('expired')
    const frames: Array<[Side, FcMessage]> = [[row.creator, errorFrame('EXPIRED')]]
    if (row.joiner != null) frames.push([row.joiner, errorFrame('EXPIRED')])
    this.finish(row, frames)
  }

  /** Deletes the row at once, sends each listed side its last frame, and ends both streams. */
  private finish (row: Row, frames: Array<[Side, FcMessage]>): Array<Promise<void>> {
    if (this.streams.closed) return [] // close() already reset every stream
    if (this.rows.get(row.key) === row) {
      this.rows.delete(row.key)
      this.index.delete(row)
      this.init.rowQuota?.release(row.remote)
      if (this.rows.size === 0) for (const wake of this.idleWaiters.splice(0)) wake()
    }
    row.cancelExpiry()
    const ends: Array<Promise<void>> = []
    for (const side of [row.creator, row.joiner]) {
      if (side == null || side.ended) continue
      side.ended = true
      ends.push(this.streams.end(side.ch, frames.find(([s]) => s === side)?.[1]))
    }
    return ends
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Writes with a deadline; a side that cannot take a frame is reset, so its reader sees it leave. */
  private async send (side: Side, msg: FcMessage): Promise<void> {
    await this.streams.write(side.ch, msg)
  }

  /** Answers a stream that gets no row (§6.5 rules 1, 2 and 9) with one Error and closes it. */
  private refuse (ch: Channel, code: GiniErrorCode, outcome: FcOutcome): void {
    this.outcome(outcome)
    void this.streams.refuse(ch, code)
  }

  private admit (remote: FcRemote, kind: 'create' | 'join'): boolean {
    return this.init.admission?.admit(remote, kind) ?? true
  }

  private outcome (o: FcOutcome): void {
    try { this.init.onOutcome?.(o) } catch {}
  }
}

function newSide (role: FcSide, ch: Channel): Side {
  return { role, ch, done: false, ended: false }
}

/** Map key of a lookup. Hex, in memory only; never logged (§6.5 rule 10, §11). */
function lookupKey (lookup: Uint8Array): string {
  let s = ''
  for (const b of lookup) s += b.toString(16).padStart(2, '0')
  return s
}
