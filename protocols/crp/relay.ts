// The relay side of /gini/crp/1 (docs/protocol.md §9.2): the rules that
// keep RestoreConnections, answer `Register`, match the two roles of a token and forward their run.
// Pure logic: it is handed FrameChannels, a RestoreStore and a clock; SQLite lives in
// relay/restore-store.ts and the libp2p glue in relay/crp-service.ts.
//
// Privacy (§11): tokens live in the store and, as map keys, in memory; nothing here logs. Outcomes
// go to `onOutcome` as bare words that never carry a token.
import {
  RelayStreams, ProtocolViolationError, errorFrame, type GiniErrorCode, systemClock, type Clock,
  type FrameChannel
} from '../common/index.js'
import {
  CRP_MATCHED_TTL_MS, CRP_MAX_ROWS, CRP_MAX_WAIT_MS, CRP_NONCE_BYTES, CRP_PARKED_TTL_MS,
  CRP_PROOF_BYTES, CRP_ROW_TTL_MS, CRP_SESSION_TTL_MS, CRP_TOKEN_BYTES
} from './constants.js'
import { Sealed, type CrpMessage } from './pb/crp.js'
import type { CrpRole, RestoreRow, RestoreStore, SweepCounts } from './relay-store.js'

export type { CrpRole, ParkedOffer, RestoreRow, RestoreStore, SweepCounts, SweepCutoffs } from './relay-store.js'

/** Wall-clock time and timers; row times persist across restarts, so they are epoch ms. */
export type CrpClock = Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>

/** Who is on the other end of a stream, for the limits only (§9.2). Never logged or stored. */
export interface CrpRemote { peer: string, ip?: string }

/** §9.2 limits on `Register`; false → `RATE_LIMITED`. */
export interface CrpAdmission {
  /** Token buckets as in §6.5, charged by every `Register`. */
  admit(remote: CrpRemote): boolean
  /** The bound on new rows per IP per day, charged by a `Register` that adds a row. */
  admitNewRow(remote: CrpRemote): boolean
}

/** Outcomes for logs and metrics: plain words, never a token (§11). */
export type CrpOutcome =
  | 'registered' | 'replaced' | 'matched' | 'completed' | 'expired' | 'peer-left' | 'left'
  | 'wait-elapsed' | 'violation' | 'error-forwarded' | 'abandoned' | 'rate-limited' | 'table-full'
  | 'new-row-quota' | 'store-failed' | 'first-frame-timeout' | 'swept' | 'sweep-failed'
  | 'relay-stopping'

export interface CrpRelayInit {
  store: RestoreStore
  /** Default: the system clock. */
  clock?: CrpClock
  /** Limits on `Register` (§9.2). Default: admit all. */
  admission?: CrpAdmission
  /** Row life from the first registration (§9.2: 365 days). */
  rowTtlMs?: number
  /** Bound on rows (§9.2: 1 000 000); past it a new row gets `RATE_LIMITED`. */
  maxRows?: number
  /** `EXPIRED` to both this long after `Matched` (§9.2: 180 s). */
  matchedTtlMs?: number
  /** A waiting stream is closed after this long (§9.2: may close after 300 s). */
  maxWaitMs?: number
  /** A parked offer is returned for this long after its `Register` (§9.2: 24 h). */
  parkedTtlMs?: number
  /** `Session` is cleared this long after it was set (§9.2: 24 h). */
  sessionTtlMs?: number
  // The relay's own stream hygiene, not fixed by §9.2: always set from relay/constants.ts.
  /** How often the sweep runs (it also runs on start). */
  sweepIntervalMs: number
  /** A new stream must deliver `Register` within this time, else it is reset. */
  firstFrameTimeoutMs: number
  /** Once a frame's first byte is in, the rest must follow within this time, else a reset. */
  frameTimeoutMs: number
  /** A side that does not take a frame within this time is reset (it then counts as leaving). */
  writeTimeoutMs: number
  /** After the relay's last frame and close, the peer must close its side within this time. */
  closeGraceMs: number
  /** Largest encoded parked `Sealed` the relay stores; larger is a violation. */
  maxParkedBytes: number
  onOutcome?: (outcome: CrpOutcome) => void
}

type Channel = FrameChannel<CrpMessage>

/** One registration stream. */
interface Side {
  readonly role: CrpRole
  readonly ch: Channel
  readonly token: Uint8Array
  /** Token as a map key: memory only, never logged. */
  readonly key: string
  run?: Run
  challenge: boolean
  proof: boolean
  /** Offer (A) or answer (B) forwarded. */
  sealed: boolean
  done: boolean
  /** The relay has finished with this stream (last frame queued, close under way). */
  ended: boolean
  /** Frames to this stream, in order (Registered always first). */
  queue: Promise<void>
  cancelWait: () => void
}

interface Run { readonly a: Side, readonly b: Side, cancelExpiry: () => void }

/** Live streams of one token: the waiting one per role, and the one holding each role's `Session`. */
interface Slots { waiting: Partial<Record<CrpRole, Side>>, session: Partial<Record<CrpRole, Side>> }

export class CrpRelay {
  private readonly store: RestoreStore
  private readonly clock: CrpClock
  private readonly init: CrpRelayInit
  private readonly rowTtlMs: number
  private readonly parkedTtlMs: number
  private readonly sessionTtlMs: number
  private readonly slots = new Map<string, Slots>()
  private readonly channels = new Set<Channel>()
  private readonly streams: RelayStreams<CrpMessage>
  private sweeping?: Promise<SweepCounts | undefined>
  private draining = false

  constructor (init: CrpRelayInit) {
    this.init = init
    this.store = init.store
    this.clock = init.clock ?? systemClock
    this.streams = new RelayStreams(this.clock, init, errorFrame)
    this.rowTtlMs = init.rowTtlMs ?? CRP_ROW_TTL_MS
    this.parkedTtlMs = init.parkedTtlMs ?? CRP_PARKED_TTL_MS
    this.sessionTtlMs = init.sessionTtlMs ?? CRP_SESSION_TTL_MS
  }

  /** Streams the relay is serving now (waiting or in a run). */
  get liveStreams (): number {
    return this.channels.size
  }

  /** Clears stale `Session` markers (no stream survives a restart), sweeps now and then periodically. */
  start (): void {
    try { this.store.clearAllSessions() } catch {}
    const tick = (): void => { void this.sweep(); this.streams.schedule(tick, this.init.sweepIntervalMs) }
    tick()
  }

  /** §9.2: rows 365 d after their first registration, parked offers and `Session` 24 h after set. */
  async sweep (): Promise<SweepCounts | undefined> {
    if (this.sweeping != null) return await this.sweeping
    const now = this.clock.now()
    this.sweeping = this.store.sweep({
      rowsFirstAtOrBefore: now - this.rowTtlMs,
      parkedAtOrBefore: now - this.parkedTtlMs,
      sessionsAtOrBefore: now - this.sessionTtlMs
    }).then((counts) => { this.outcome('swept'); return counts }, () => { this.outcome('sweep-failed'); return undefined })
    try { return await this.sweeping } finally { this.sweeping = undefined }
  }

  /**
   * Shutdown (docs/protocol.md §10, RELAY_SHUTTING_DOWN): every stream gets that Error as its last
   * frame and our side closes (its `Session` cleared); new streams get the same. Resolves when all
   * went out or after `ms`, whichever is first; close() then resets what is left.
   */
  async drain (ms: number): Promise<void> {
    this.draining = true
    const sides = new Set<Side>()
    for (const slots of this.slots.values()) {
      for (const side of [slots.waiting.A, slots.waiting.B, slots.session.A, slots.session.B]) if (side != null) sides.add(side)
    }
    const ends: Array<Promise<void>> = []
    const served = new Set<Channel>()
    for (const side of sides) {
      served.add(side.ch)
      if (side.ended) continue
      this.outcome('relay-stopping')
      this.end(side, errorFrame('RELAY_SHUTTING_DOWN'))
      ends.push(side.queue)
    }
    // Streams still before their Register.
    for (const ch of this.channels) if (!served.has(ch)) ends.push(this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN'))
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(resolve, ms)
      void Promise.allSettled(ends).then(() => { this.clock.clearTimeout(timer); resolve() })
    })
  }

  /** Stops every timer and resets every stream; waits for a sweep in flight. The store stays open. */
  async close (): Promise<void> {
    this.streams.close()
    this.slots.clear()
    for (const ch of this.channels) ch.abort(new Error('relay stopping'))
    this.channels.clear()
    await this.sweeping
  }

  /** Serves one /gini/crp/1 stream until the relay is done with it. Never throws. */
  async handle (ch: Channel, remote: CrpRemote): Promise<void> {
    if (this.streams.closed) { ch.abort(new Error('relay stopping')); return }
    if (this.draining) { void this.streams.refuse(ch, 'RELAY_SHUTTING_DOWN'); return }
    this.channels.add(ch)
    try {
      const first = await this.streams.readFirst(ch, (o) => { this.outcome(o) })
      if (first == null || this.draining) return // drain() answered it already
      const side = first.register != null
        ? this.onRegister(ch, remote, first.register)
        : this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation') // every stream opens with Register
      if (side != null) await this.pump(side)
    } catch {
      ch.abort(new Error('crp relay failure'))
    } finally {
      this.channels.delete(ch)
    }
  }

  // ---- Register (§9.2 rule 1) -------------------------------------------------------------

  private onRegister (ch: Channel, remote: CrpRemote, reg: NonNullable<CrpMessage['register']>): Side | undefined {
    const role = roleOf(reg.role)
    if (reg.token.byteLength !== CRP_TOKEN_BYTES || role == null) return this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation')
    if (reg.parked != null && Sealed.encode(reg.parked).byteLength > this.init.maxParkedBytes) {
      return this.refuse(ch, 'PROTOCOL_VIOLATION', 'violation')
    }
    if (!(this.init.admission?.admit(remote) ?? true)) return this.refuse(ch, 'RATE_LIMITED', 'rate-limited')
    const now = this.clock.now()
    let row: RestoreRow
    try {
      const existing = this.store.get(reg.token)
      if (existing == null || now >= existing.firstAtMs + this.rowTtlMs) {
        // A new row (an expired one counts as gone, swept or not): bounds first, live rows are never evicted.
        if (this.store.size - (existing != null ? 1 : 0) >= (this.init.maxRows ?? CRP_MAX_ROWS)) {
          return this.refuse(ch, 'RATE_LIMITED', 'table-full')
        }
        if (!(this.init.admission?.admitNewRow(remote) ?? true)) return this.refuse(ch, 'RATE_LIMITED', 'new-row-quota')
        if (existing != null) this.store.delete(reg.token)
      }
      row = this.store.register(reg.token, role, reg.parked, now)
    } catch {
      return this.refuse(ch, 'UNSPECIFIED', 'store-failed')
    }
    this.outcome('registered')
    const side = newSide(role, ch, reg.token)
    const slots = this.slotsOf(side.key)
    slots.session[role] = side // before any replacement ends the old holder, so its end clears nothing
    const other = otherRole(role)
    const parked = row.parked[other]
    this.send(side, {
      registered: {
        expiresAtMs: BigInt(row.firstAtMs + this.rowTtlMs),
        parked: parked != null && now - parked.atMs < this.parkedTtlMs ? parked.sealed : undefined
      }
    })
    // §9.2: a new Register of the same role replaces that side's waiting stream, whatever its peer id.
    const previous = slots.waiting[role]
    if (previous != null) { this.outcome('replaced'); this.end(previous) }
    const partner = slots.waiting[other]
    if (partner != null) this.match(partner, side)
    else this.wait(slots, side)
    return side
  }

  private wait (slots: Slots, side: Side): void {
    slots.waiting[side.role] = side
    // §9.2: the relay may close a stream that waited 300 s; never past its Session's 24 h.
    const ms = Math.min(this.init.maxWaitMs ?? CRP_MAX_WAIT_MS, this.sessionTtlMs)
    side.cancelWait = this.streams.schedule(() => { this.outcome('wait-elapsed'); this.end(side) }, ms)
  }

  private match (waiting: Side, arriving: Side): void {
    const slots = this.slotsOf(waiting.key)
    slots.waiting[waiting.role] = undefined
    waiting.cancelWait()
    const [a, b] = waiting.role === 'A' ? [waiting, arriving] : [arriving, waiting]
    const run: Run = { a, b, cancelExpiry: () => {} }
    a.run = b.run = run
    run.cancelExpiry = this.streams.schedule(() => { this.expire(run) }, this.init.matchedTtlMs ?? CRP_MATCHED_TTL_MS)
    this.outcome('matched')
    this.send(waiting, { matched: {} })
    this.send(arriving, { matched: {} })
  }

  // ---- a registration stream after Registered ---------------------------------------------------

  /** Reads one side until it ends; after the relay is done with it, drains until the peer closes. */
  private async pump (side: Side): Promise<void> {
    while (true) {
      let msg: CrpMessage
      try {
        msg = await this.streams.read(side.ch)
      } catch (err) {
        // §3.4: an oversized or undecodable frame is a violation; a close or reset is a departure,
        // and so is a frame that stopped half way (FrameTimeoutError: the stream is reset already).
        if (side.ended) return
        if (err instanceof ProtocolViolationError) this.violation(side)
        else this.departure(side)
        return
      }
      if (!side.ended) this.onMessage(side, msg)
    }
  }

  private onMessage (side: Side, msg: CrpMessage): void {
    const partner = partnerOf(side)
    if (msg.done != null) { this.onDone(side); return }
    if (msg.error != null) {
      // §9.2: an Error is forwarded and the row kept; the run is over for both.
      if (partner != null && !partner.ended) {
        this.outcome('error-forwarded')
        this.end(partner, { error: msg.error })
      } else {
        this.outcome('abandoned')
      }
      this.end(side)
      return
    }
    if (partner == null || !accept(side, partner, msg)) { this.violation(side); return }
    if (!partner.ended) this.send(partner, msg) // a partner already Done needs nothing more
  }

  /** §9.2: `Done` deletes the token's row; streams waiting on that token are closed cleanly. */
  private onDone (side: Side): void {
    this.outcome('completed')
    side.done = true
    try { this.store.delete(side.token) } catch {}
    const slots = this.slots.get(side.key)
    for (const w of [slots?.waiting.A, slots?.waiting.B]) if (w != null && w !== side) this.end(w)
    this.end(side)
  }

  /** §3.4: PROTOCOL_VIOLATION to that stream only; a run partner is left alone, so gets PEER_LEFT. Row kept. */
  private violation (side: Side): void {
    this.outcome('violation')
    const partner = partnerOf(side)
    if (partner != null && !partner.ended) this.end(partner, errorFrame('PEER_LEFT'))
    this.end(side, errorFrame('PROTOCOL_VIOLATION'))
  }

  /** §9.2: a stream closing without Done only clears its Session; a run partner gets PEER_LEFT. */
  private departure (side: Side): void {
    const partner = partnerOf(side)
    if (partner != null && !partner.ended) {
      this.outcome('peer-left')
      this.end(partner, errorFrame('PEER_LEFT'))
    } else {
      this.outcome('left')
    }
    this.end(side)
  }

  /** §9.2: EXPIRED to both 180 s after Matched (to those still open). */
  private expire (run: Run): void {
    const live = [run.a, run.b].filter(s => !s.ended)
    if (live.length === 0) return
    this.outcome('expired')
    for (const s of live) this.end(s, errorFrame('EXPIRED'))
  }

  /** The relay is done with a stream: it stops waiting, its `Session` is cleared, last frame, close. */
  private end (side: Side, last?: CrpMessage): void {
    if (side.ended) return
    side.ended = true
    side.cancelWait()
    const slots = this.slots.get(side.key)
    if (slots != null) {
      if (slots.waiting[side.role] === side) slots.waiting[side.role] = undefined
      if (slots.session[side.role] === side) {
        slots.session[side.role] = undefined
        try { this.store.clearSession(side.token, side.role) } catch {}
      }
      if (slots.waiting.A == null && slots.waiting.B == null && slots.session.A == null && slots.session.B == null) this.slots.delete(side.key)
    }
    if (side.run != null && side.run.a.ended && side.run.b.ended) side.run.cancelExpiry()
    side.queue = side.queue.then(async () => { await this.streams.end(side.ch, last) })
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Answers a stream that gets no registration with one Error and closes it. */
  private refuse (ch: Channel, code: GiniErrorCode, outcome: CrpOutcome): undefined {
    this.outcome(outcome)
    void this.streams.refuse(ch, code)
    return undefined
  }

  private send (side: Side, msg: CrpMessage): void {
    side.queue = side.queue.then(async () => { await this.streams.write(side.ch, msg) })
  }

  private slotsOf (key: string): Slots {
    let s = this.slots.get(key)
    if (s == null) { s = { waiting: {}, session: {} }; this.slots.set(key, s) }
    return s
  }

  private outcome (o: CrpOutcome): void {
    try { this.init.onOutcome?.(o) } catch {}
  }
}

/**
 * The order an honest peer follows in a matched run (docs/protocol.md §9.1): challenge;
 * proof once both challenges are through; offer (A) once both proofs are; answer (B) only after the
 * offer. Each at most once per side; nonce and mac are 32 bytes. Anything else is a violation.
 */
function accept (side: Side, partner: Side, msg: CrpMessage): boolean {
  if (msg.challenge != null) {
    if (side.challenge || msg.challenge.nonce.byteLength !== CRP_NONCE_BYTES) return false
    side.challenge = true
    return true
  }
  if (msg.proof != null) {
    if (!side.challenge || !partner.challenge || side.proof || msg.proof.mac.byteLength !== CRP_PROOF_BYTES) return false
    side.proof = true
    return true
  }
  if (msg.offer != null) {
    if (side.role !== 'A' || !side.proof || !partner.proof || side.sealed) return false
    side.sealed = true
    return true
  }
  if (msg.answer != null) {
    if (side.role !== 'B' || !partner.sealed || side.sealed) return false
    side.sealed = true
    return true
  }
  return false // Register again, Registered, Matched, or an envelope without a body
}

function newSide (role: CrpRole, ch: Channel, token: Uint8Array): Side {
  return {
    role,
    ch,
    token,
    key: tokenKey(token),
    challenge: false,
    proof: false,
    sealed: false,
    done: false,
    ended: false,
    queue: Promise.resolve(),
    cancelWait: () => {}
  }
}

function partnerOf (side: Side): Side | undefined {
  if (side.run == null) return undefined
  return side.run.a === side ? side.run.b : side.run.a
}

/** §2.4: the role is exactly one byte, `A` (0x41) or `B` (0x42). */
function roleOf (bytes: Uint8Array): CrpRole | undefined {
  if (bytes.byteLength !== 1) return undefined
  return bytes[0] === 0x41 ? 'A' : bytes[0] === 0x42 ? 'B' : undefined
}

function otherRole (role: CrpRole): CrpRole {
  return role === 'A' ? 'B' : 'A'
}

/** Map key of a token: hex, in memory only, never logged (§11). */
function tokenKey (token: Uint8Array): string {
  let s = ''
  for (const b of token) s += b.toString(16).padStart(2, '0')
  return s
}
