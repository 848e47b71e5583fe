// The long-running peer (`gini daemon`, `startDaemon()`): online at its relay(s) under the presence
// identity of the day (docs/protocol.md §21), never the long-term one; every contact dialed at its
// saved addresses on start and on network change (with back-off), their dials accepted, §8 on every
// session, AddressUpdate when our addresses change or the day's identity rotates, and the CRP for
// contacts not seen for `unreachableAfterMs` or that rotated while apart (§21.5). Time comes from the
// injected clock (tests advance it); network steps have their own bounded deadlines.
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { systemClock, type Clock } from '../../../protocols/common/index.js'
import { crpRole, fromHex } from '../../../protocols/crypto/index.js'
import { SESSION_PROTOCOL } from '../../../protocols/session/index.js'
import { CHAT_MAX_INBOUND_STREAMS, CHAT_MAX_OUTBOUND_STREAMS, CHAT_PROTOCOL } from '../../../protocols/chat/index.js'
import { ChatService } from '../chat/chat-service.js'
import { MailboxClient } from '../chat/mailbox-client.js'
import { FILES_MAX_INBOUND_STREAMS, FILES_MAX_OUTBOUND_STREAMS, FILES_PROTOCOL } from '../../../protocols/files/index.js'
import { FileTransfers, type FileTransferStorage } from '../files/file-transfers.js'
import type { MessageStore } from '../chat/message-store.js'
import { ContactBook } from '../contact-book.js'
import { Sessions, SESSION_MAX_INBOUND_STREAMS, SESSION_MAX_OUTBOUND_STREAMS, type ContactLink, type SessionVia } from './sessions.js'
import { Restorer } from './restore/restorer.js'
import { ScheduledRunner, REDIAL_BACKOFF, crpScheduleByName, MAILBOX_DEPOSIT_AFTER_MS, MAILBOX_FETCH_INTERVAL_MS, type CrpScheduleName, type Schedule } from './schedule.js'
import {
  reachabilityOf, restoreStatusOf, unreachableAtMs, UNREACHABLE_AFTER_MS, type ReachabilityPolicy
} from './reachability.js'
import { RelayLinks } from './relay-links.js'
import { TcpLinks } from './tcp-links.js'
import { dayStartMs, nextDayStartMs, presenceDay, presenceKey, relayPeerIdOf, PRESENCE_GRACE_MS } from '../presence.js'
import { addressesNewestFirst } from '../contact-book.js'
import { dialRelay } from '../relay-slot.js'
import type { Identity } from '../identity.js'
import { directTcpAddrsOf, type CreatePeerNode, type PeerNodeOptions } from '../peer-node.js'
import type { ContactRecord, GiniStorage, ReachabilityState } from '../storage.js'
import { NoKeyChangeError, applyKeyChange, discardKeyChange } from '../key-change.js'
import { ownCardUpdate } from '../card-update.js'
import type { DaemonEvent, DaemonEventListener } from './events.js'

/** After a contact came online relayed: when to try WebRTC again (real time: network steps, not schedule). */
export const DIRECT_UPGRADE_DELAYS_MS = [1_000, 5_000, 20_000, 60_000]

/**
 * How long the side with the higher PPK waits before its first re-dial, so that two daemons starting
 * together make one session, not two (real time: it waits for the other side's dial, a network step).
 */
export const SECOND_DIALER_WAIT_MS = REDIAL_BACKOFF.bands[0].intervalMs

/** Longest sleep between two reconciliations (new contacts from another process show up by then). */
export const RECONCILE_MAX_SLEEP_MS = 30_000

/**
 * WebRTC upgrade deadlines of the daemon's dials (reconnections, restores) unless the GiniNode sets
 * its own: "abort after 500 ms and retry once" was measured as the fix for node-datachannel's
 * ~1 s DTLS stall, a race in libdatachannel's DTLS start (0/60 failed, max 526 ms on loopback), and ICE through NAT succeeding within
 * 1.2 s when it succeeds at all. A failed upgrade falls back to the relayed path (§6.10 order), so a
 * contact comes back within ~2.5 s even when WebRTC hangs (the native race that never reports).
 */
export const DAEMON_WEBRTC_ATTEMPT_TIMEOUTS_MS = [500, 2_000]

export interface DaemonMailboxOptions {
  fetchIntervalMs?: number
  depositAfterMs?: number
}

export interface DaemonOptions {
  /** The relay(s) to hold a reservation on; the first is where the CRP registers. */
  relays: Array<string | Multiaddr>
  /** No session for this long → `unreachable` and the CRP starts (§9.1: 3 days). */
  unreachableAfterMs?: number
  /** The CRP schedule: `seed` (the §9.3 schedule) or `fast` (harnesses), or a Schedule. */
  crpSchedule?: Schedule | CrpScheduleName
  onEvent?: DaemonEventListener
  /** Jitter source of the schedules (tests make it deterministic). */
  random?: () => number
  /** Offline delivery through the first relay's mailbox (docs/protocol.md §16); off unless set. */
  mailbox?: DaemonMailboxOptions
  /** File transfer (docs/protocol.md §17): the largest file accepted, and whether small files may go relayed. */
  files?: { maxBytes?: number, allowRelayed?: boolean }
  /** Listen on TCP and link to contacts over it when both can (docs/protocol.md §17.6); default on. */
  directTcp?: boolean
}

/** What the daemon needs from its GiniNode. */
export interface DaemonContext {
  storage: GiniStorage
  identity: Identity
  createPeerNode: CreatePeerNode
  clock: Clock
  webrtc?: Pick<PeerNodeOptions, 'iceServers' | 'iceTransportPolicy'>
  webrtcAttemptTimeoutsMs?: number[]
  /** Chat history and outbox (docs/protocol.md §15); closed by the GiniNode, not the daemon. */
  messages: MessageStore
  /** File transfer records and bytes (docs/protocol.md §17); without it `files` is undefined. */
  files?: FileTransferStorage
  /** Told when stop() begins. */
  onStop?: () => void
}

/** One presence identity's node (§21.4): today's, or a previous day's kept while a session runs on it. */
interface PresenceNode {
  day: number
  node: Libp2p
  relayLinks: RelayLinks
  /** When it stopped being today's (wall-clock ms). */
  retiredAtMs?: number
}

export class Daemon {
  readonly policy: ReachabilityPolicy
  private readonly ctx: DaemonContext
  private readonly opts: DaemonOptions
  /** The relay the presence identities are derived for (§21.1): the first one. */
  private readonly relayPeer: PeerId
  private current: PresenceNode
  private readonly retired: PresenceNode[] = []
  private rotationHandle: unknown
  private rotating?: Promise<void>
  private readonly book: ContactBook
  private readonly sessions: Sessions
  private readonly restorer: Restorer
  /** Chat with contacts over their links (docs/protocol.md §15). */
  readonly chat: ChatService
  /** File transfer with contacts (docs/protocol.md §17), where the storage supports it. */
  readonly files?: FileTransfers
  private readonly listeners = new Set<DaemonEventListener>()
  private readonly primaryRelay: Multiaddr
  private readonly tcpLinks: TcpLinks
  private readonly redials = new Map<string, ScheduledRunner>()
  private readonly dialing = new Set<string>()
  private readonly emitted = new Map<string, string>()
  private readonly random?: () => number
  private reconcileHandle: unknown
  private reconciling?: Promise<void>
  private reconcileAgain = false
  private stopped = false
  private readonly mailbox?: { client: MailboxClient, fetchIntervalMs: number, depositAfterMs: number }
  private readonly stopping = new AbortController()
  private mailboxHandle: unknown
  private mailboxRun?: Promise<void>

  private constructor (ctx: DaemonContext, relayPeer: PeerId, day: number, node: Libp2p, opts: DaemonOptions) {
    this.ctx = ctx
    this.opts = opts
    this.relayPeer = relayPeer
    this.random = opts.random
    const schedule = typeof opts.crpSchedule === 'string' || opts.crpSchedule == null
      ? crpScheduleByName(opts.crpSchedule ?? 'seed')
      : opts.crpSchedule
    this.policy = { unreachableAfterMs: opts.unreachableAfterMs ?? UNREACHABLE_AFTER_MS, crpSchedule: schedule }
    if (opts.onEvent != null) this.listeners.add(opts.onEvent)
    const emit = (e: DaemonEvent): void => {
      this.emit(e)
      // A direct link that comes after the first (relayed) one: downloads waiting for it go now (§17.1).
      if (e.event === 'session' && e.direct) this.files?.linkUp(e.id)
    }
    this.primaryRelay = typeof opts.relays[0] === 'string' ? multiaddr(opts.relays[0]) : opts.relays[0]
    this.current = { day, node, relayLinks: this.newRelayLinks(node) }
    this.book = new ContactBook(ctx.storage)
    const attemptTimeoutsMs = ctx.webrtcAttemptTimeoutsMs ?? DAEMON_WEBRTC_ATTEMPT_TIMEOUTS_MS
    this.sessions = new Sessions({
      book: this.book,
      storage: ctx.storage,
      ppk: ctx.identity.ppk,
      clock: ctx.clock,
      // §17.6: today's presence node's TCP addresses go to contacts inside §8 only (hello, reply, AddressUpdate).
      ownAddrs: () => [...this.current.relayLinks.addrs, ...directTcpAddrsOf(this.current.node)],
      ownIds: () => new Set([ctx.identity.peerId.toString(), ...this.presenceNodes().map(p => p.node.peerId.toString())]),
      emit,
      attemptTimeoutsMs,
      onOnline: (id, link, via) => { void this.contactOnline(id, link, via) },
      onOffline: () => { void this.reapRetired(); void this.reconcile() },
      onLink: (id, link) => { this.tcpLinks.linkCame(id, link.connection) },
      // The direct link went and only a relayed one is left (a TCP or WebRTC connection cut): try for a direct one again.
      onLinkLost: (id) => { if (!this.sessions.linksOf(id).some(l => l.direct)) this.upgradeLater(id) },
      onTcpAddrs: (id, addrs) => { this.tcpLinks.learn(id, addrs) },
      ownCard: async () => {
        const seq = (await ctx.storage.loadNodeState())?.cardSeq ?? 0
        const vcard = await ctx.storage.loadProfile()
        return seq < 1 || vcard == null ? undefined : { seq, update: ownCardUpdate(vcard, seq, ctx.identity.privateKey.raw) }
      }
    })
    this.tcpLinks = new TcpLinks({
      node: () => this.current.node,
      ownId: ctx.identity.peerId.toString(),
      sessions: this.sessions,
      onFailed: (id) => { this.emit({ event: 'tcp-failed', id }) }
    })
    // What the protocols built on sessions (chat, files) need of them: the link, the session check, the contact.
    const contactLinks = {
      linkOf: (id: string) => this.sessions.linkOf(id),
      sessionOn: async (id: string, connection: Connection) => await this.sessions.sessionOn(id, connection),
      isContact: async (id: string) => await this.isActiveContact(id)
    }
    this.chat = new ChatService({ store: ctx.messages, clock: ctx.clock, emit, ...contactLinks })
    if (opts.mailbox != null) {
      this.mailbox = {
        client: new MailboxClient({ relay: this.primaryRelay, knownRelays: async () => await this.knownRelays(), createPeerNode: ctx.createPeerNode, book: this.book, clock: ctx.clock, signal: this.stopping.signal }),
        fetchIntervalMs: opts.mailbox.fetchIntervalMs ?? MAILBOX_FETCH_INTERVAL_MS,
        depositAfterMs: opts.mailbox.depositAfterMs ?? MAILBOX_DEPOSIT_AFTER_MS
      }
    }
    if (ctx.files != null) {
      this.files = new FileTransfers({
        storage: ctx.files,
        emit,
        ...contactLinks,
        maxBytes: opts.files?.maxBytes,
        allowRelayed: opts.files?.allowRelayed
      })
    }
    this.restorer = new Restorer({
      relay: this.primaryRelay,
      knownRelays: async () => await this.knownRelays(),
      createPeerNode: ctx.createPeerNode,
      webrtc: ctx.webrtc,
      book: this.book,
      sessions: this.sessions,
      ppk: ctx.identity.ppk,
      clock: ctx.clock,
      schedule,
      emit,
      attemptTimeoutsMs,
      random: opts.random,
      onExpired: (id) => { void this.expire(id) },
      onRestoreStatus: (id) => { void this.emitStateOf(id) },
      chatInbound: (stream, connection, id) => { void this.chat.handleInbound(stream, connection, id) },
      filesInbound: (stream, connection, id) => { void this.files?.handleInbound(stream, connection, id) }
    })
  }

  /** §22.2: the relays remembered from the last list of two or more (unreadable entries left out). */
  private async knownRelays (): Promise<Multiaddr[]> {
    const addrs = (await this.ctx.storage.loadKnownRelays?.())?.addrs ?? []
    return addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
  }

  /** Starts today's presence node, reaches the relay(s), and begins keeping every contact connected. */
  static async start (ctx: DaemonContext, opts: DaemonOptions): Promise<Daemon> {
    if (opts.relays.length === 0) throw new Error('the daemon needs a relay')
    const first = typeof opts.relays[0] === 'string' ? multiaddr(opts.relays[0]) : opts.relays[0]
    const relayPeer = relayPeerIdOf(first) ?? await probeRelayPeer(ctx, first)
    const day = presenceDay(ctx.clock.now())
    const node = await ctx.createPeerNode(presenceNodeOptions(ctx, opts, relayPeer, day))
    const daemon = new Daemon(ctx, relayPeer, day, node, opts)
    try {
      await daemon.begin()
    } catch (err) {
      await daemon.stop().catch(() => {})
      throw err
    }
    return daemon
  }

  /** The person's long-term peer id (what contacts know us by; never shown to the relay). */
  get peerId (): PeerId {
    return this.ctx.identity.peerId
  }

  /** Today's presence peer id (§21): what the relay and the contacts' connections see. */
  get presenceId (): PeerId {
    return this.current.node.peerId
  }

  /** Our addresses (circuit slots at the relays, under today's presence id). */
  get addrs (): Multiaddr[] {
    return this.current.relayLinks.addrs
  }

  isOnline (id: string): boolean {
    return this.sessions.isOnline(id)
  }

  /** The contact's best open connection, if online (for protocols built on top, e.g. chat). */
  linkOf (id: string): ContactLink | undefined {
    return this.sessions.linkOf(id)
  }

  /** Every open link of the contact with a session on it: TCP, WebRTC, relayed (docs/protocol.md §17.6). */
  linksOf (id: string): ContactLink[] {
    return this.sessions.linksOf(id)
  }

  /** Where today's presence node listens on TCP for contacts (§17.6), told only inside §8; none with the listener off. */
  get tcpAddrs (): Multiaddr[] {
    return directTcpAddrsOf(this.current.node)
  }

  /** Wall-clock ms of the contact's next CRP run, if a CRP runs. */
  nextCrpTryMs (id: string): number | undefined {
    return this.restorer.nextRunAtMs(id)
  }

  addListener (listener: DaemonEventListener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** A contact was added or re-paired (in this process or another): look at it now. */
  async contactChanged (id: string): Promise<void> {
    // A re-pairing replaces both secrets and stops a running CRP (docs/protocol.md §13.3 #14).
    await this.restorer.stop(id)
    this.redials.get(id)?.stop()
    this.redials.delete(id)
    await this.reconcile()
  }

  /** §19: blocks or unblocks; a blocked contact is hung up on, not dialled, not restored. */
  async setBlocked (id: string, blocked: boolean): Promise<ContactRecord | undefined> {
    const stored = await this.book.setBlocked(id, blocked)
    if (stored == null) return undefined
    if (blocked) await this.forget(id)
    await this.reconcile()
    this.emit({ event: blocked ? 'contact-blocked' : 'contact-unblocked', id, name: stored.name })
    return stored
  }

  /** §19: a local nickname; nothing goes on the wire. */
  async renameContact (id: string, nickname: string | undefined): Promise<ContactRecord | undefined> {
    const stored = await this.book.rename(id, nickname)
    if (stored != null) this.emit({ event: 'contact-renamed', id, name: stored.name, nickname: stored.nickname ?? null })
    return stored
  }

  /** §19: the own card changed (NodeState.cardSeq raised): every connected contact gets it now, the rest on their next session. */
  async profileChanged (): Promise<void> {
    await this.sessions.announceCard()
  }

  /** §18.1: a pairing (here or in another process) kept a new key pending: every subscriber is told. */
  keyChangePending (e: Extract<DaemonEvent, { event: 'key-change' }>): void {
    this.emit(e)
  }

  /** §18.1 accept: the old key's sessions and restore end, then the contact is dialled on the new key. */
  async acceptKeyChange (id: string): Promise<ContactRecord> {
    let had = false
    const stored = await this.book.update(id, (c) => { had = applyKeyChange(c); return had })
    if (stored == null) throw Object.assign(new Error(`No contact with id ${id}.`), { name: 'UsageError' })
    if (!had) throw new NoKeyChangeError(stored)
    await this.forget(id)
    this.emitted.delete(id)
    await this.reconcile()
    return stored
  }

  /** §18.1 reject: the pending change is discarded; sessions on the old key go on. */
  async rejectKeyChange (id: string): Promise<ContactRecord> {
    let had = false
    const stored = await this.book.update(id, (c) => { had = discardKeyChange(c); return had })
    if (stored == null) throw Object.assign(new Error(`No contact with id ${id}.`), { name: 'UsageError' })
    if (!had) throw new NoKeyChangeError(stored)
    return stored
  }

  /** §19: hangs up, stops every attempt, then removes the record and its secrets. */
  async deleteContact (id: string): Promise<boolean> {
    const before = await this.ctx.storage.getContact(id)
    await this.forget(id)
    const deleted = await this.book.delete(id)
    this.emitted.delete(id)
    await this.reconcile()
    if (deleted) this.emit({ event: 'contact-deleted', id, name: before?.name ?? id })
    return deleted
  }

  /** A stored contact that is neither expired nor blocked. */
  private async isActiveContact (id: string): Promise<boolean> {
    const c = await this.book.get(id)
    return c != null && c.state !== 'expired' && c.blocked !== true
  }

  private async forget (id: string): Promise<void> {
    this.stopRedial(id)
    await this.restorer.stop(id)
    await this.sessions.hangUp(id)
  }

  /**
   * A mailbox round now (docs/protocol.md §16.8: fetch, then deposit), e.g. when the user comes back;
   * joins the round already running. The next round comes a fetch interval after this one.
   */
  async fetchMailbox (): Promise<void> {
    if (this.mailbox == null || this.stopped) return
    if (this.mailboxRun == null) {
      if (this.mailboxHandle != null) this.ctx.clock.clearTimeout(this.mailboxHandle)
      this.mailboxHandle = undefined
      this.mailboxTick()
    }
    await this.mailboxRun
  }

  /** Re-evaluates every contact now (also runs by itself on the clock). */
  async reconcile (): Promise<void> {
    if (this.stopped) return
    if (this.reconciling != null) { this.reconcileAgain = true; return await this.reconciling }
    this.reconciling = this.reconcileOnce().finally(() => { this.reconciling = undefined })
    await this.reconciling
    if (this.reconcileAgain && !this.stopped) { this.reconcileAgain = false; await this.reconcile() }
  }

  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.ctx.onStop?.()
    if (this.reconcileHandle != null) this.ctx.clock.clearTimeout(this.reconcileHandle)
    if (this.mailboxHandle != null) this.ctx.clock.clearTimeout(this.mailboxHandle)
    if (this.rotationHandle != null) this.ctx.clock.clearTimeout(this.rotationHandle)
    this.stopping.abort()
    await this.mailboxRun
    await this.rotating
    for (const r of this.redials.values()) r.stop()
    this.redials.clear()
    for (const p of this.presenceNodes()) p.relayLinks.stop()
    this.tcpLinks.stop()
    await this.chat.stop()
    await this.files?.stop()
    await this.restorer.stopAll()
    const online = this.sessions.onlineIds()
    await this.sessions.stop()
    const now = this.ctx.clock.now()
    // "Last seen" is the last time a confirmed session was open: now, for those still online.
    for (const id of online) {
      await this.book.update(id, (c) => { c.state = 'offline'; c.lastSeenMs = now }).catch(() => {})
    }
    await Promise.all(this.presenceNodes().map(async p => { await Promise.resolve(p.node.stop()).catch(() => {}) }))
    await this.book.settle()
  }

  // ---- start ------------------------------------------------------------------------------------

  private async begin (): Promise<void> {
    await this.serve(this.current.node)
    await this.current.relayLinks.start()
    this.scheduleRotation()
    await this.reconcile()
    if (this.mailbox != null) this.mailboxTick()
  }

  /** The protocols contacts use, on one presence node. Chat and files belong to the contact §8 proved on the connection (§21.3). */
  private async serve (node: Libp2p): Promise<void> {
    // §17.6 item 4: an inbound TCP connection must carry a contact's session soon, or it is closed.
    node.addEventListener('connection:open', (evt) => { this.tcpLinks.admit(evt.detail) })
    await node.handle(SESSION_PROTOCOL, (stream: Stream, connection: Connection) => {
      void this.sessions.handleInbound(stream, connection)
    }, { runOnLimitedConnection: true, maxInboundStreams: SESSION_MAX_INBOUND_STREAMS, maxOutboundStreams: SESSION_MAX_OUTBOUND_STREAMS })
    await node.handle(CHAT_PROTOCOL, (stream: Stream, connection: Connection) => {
      void this.sessions.contactOn(connection).then((id) => {
        if (id == null) stream.abort(new Error('no session on this connection'))
        else void this.chat.handleInbound(stream, connection, id)
      })
    }, { runOnLimitedConnection: true, maxInboundStreams: CHAT_MAX_INBOUND_STREAMS, maxOutboundStreams: CHAT_MAX_OUTBOUND_STREAMS })
    if (this.files != null) {
      const files = this.files
      await node.handle(FILES_PROTOCOL, (stream: Stream, connection: Connection) => {
        void this.sessions.contactOn(connection).then((id) => {
          if (id == null) stream.abort(new Error('no session on this connection'))
          else void files.handleInbound(stream, connection, id)
        })
      }, { runOnLimitedConnection: true, maxInboundStreams: FILES_MAX_INBOUND_STREAMS, maxOutboundStreams: FILES_MAX_OUTBOUND_STREAMS })
    }
  }

  private newRelayLinks (node: Libp2p): RelayLinks {
    return new RelayLinks({
      node,
      relays: this.opts.relays,
      clock: this.ctx.clock,
      // `listening` names the person (long-term id) and the presence id the relay sees.
      emit: (e) => { this.emit(e.event === 'listening' ? { ...e, peerId: this.ctx.identity.peerId.toString(), presenceId: node.peerId.toString() } : e) },
      random: this.opts.random,
      // §22.5: fallbacks come from the remembered list, which the links refresh.
      knownRelays: async () => await this.knownRelays(),
      saveKnownRelays: async (addrs) => { await this.ctx.storage.saveKnownRelays?.({ addrs: addrs.map(String), savedAtMs: this.ctx.clock.now() }) },
      onAddrsChanged: () => { if (this.current?.node === node) this.addrsChanged() }
    })
  }

  private presenceNodes (): PresenceNode[] {
    return [this.current, ...this.retired]
  }

  // ---- rotation (§21.4) -------------------------------------------------------------------------

  private scheduleRotation (): void {
    if (this.stopped) return
    if (this.rotationHandle != null) this.ctx.clock.clearTimeout(this.rotationHandle)
    const now = this.ctx.clock.now()
    this.rotationHandle = this.ctx.clock.setTimeout(() => { this.rotationHandle = undefined; void this.rotate() }, nextDayStartMs(now) - now)
  }

  /**
   * A new UTC day: the day's presence node gets its reservation, then every live session hears of
   * its addresses (AddressUpdate); the sessions stay where they run. The previous node lives on while
   * a session runs on it, at most the grace period.
   */
  private async rotate (): Promise<void> {
    if (this.stopped) return
    if (this.rotating != null) return await this.rotating
    const before = this.current.day
    this.rotating = (async () => {
      const day = presenceDay(this.ctx.clock.now())
      if (day === this.current.day) return
      const node = await this.ctx.createPeerNode(presenceNodeOptions(this.ctx, this.opts, this.relayPeer, day))
      const next: PresenceNode = { day, node, relayLinks: this.newRelayLinks(node) }
      try {
        await this.serve(node)
        if (!this.stopped) await next.relayLinks.start()
      } catch {}
      if (this.stopped) {
        next.relayLinks.stop()
        await Promise.resolve(node.stop()).catch(() => {})
        return
      }
      const old = this.current
      old.relayLinks.stop()
      old.retiredAtMs = this.ctx.clock.now()
      this.retired.push(old)
      this.current = next
      this.emit({ event: 'presence-rotated', presenceId: node.peerId.toString(), day })
      await this.sessions.announce()
      for (const runner of this.redials.values()) runner.runNow()
      await this.reapRetired()
    })().finally(() => {
      this.rotating = undefined
      this.scheduleRotation()
      // The clock moved past another midnight while this rotation ran (only after one that succeeded).
      if (!this.stopped && this.current.day !== before && presenceDay(this.ctx.clock.now()) !== this.current.day) void this.rotate()
    })
    await this.rotating
  }

  /** Stops previous days' nodes that carry no session any more, or whose grace period ended. */
  private async reapRetired (): Promise<void> {
    const live = new Set(this.sessions.onlineIds().flatMap(id => this.sessions.linksOf(id).map(l => l.connection)))
    const now = this.ctx.clock.now()
    for (const p of [...this.retired]) {
      const carries = p.node.getConnections().some(c => live.has(c))
      if (carries && now - (p.retiredAtMs ?? now) < PRESENCE_GRACE_MS) continue
      this.retired.splice(this.retired.indexOf(p), 1)
      await Promise.resolve(p.node.stop()).catch(() => {})
    }
  }

  /** Fetches every contact's mailbox, deposits the outbox of those offline for a while, then sleeps (§16). */
  private mailboxTick (): void {
    const mb = this.mailbox
    if (mb == null || this.stopped || this.mailboxRun != null) return
    this.mailboxRun = (async () => {
      let contacts: ContactRecord[] = []
      try { contacts = await this.book.list() } catch {}
      for (const c of contacts) {
        if (this.stopped) return
        // A blocked contact's sealed messages stay at the relay (bounded there) until it is unblocked (§19).
        if (c.state === 'expired' || c.blocked === true) continue
        const role = crpRole(this.ctx.identity.ppk.publicKey, fromHex(c.ppk))
        await mb.client.fetch(c.id, role, async (envs) => { await this.chat.acceptFromMailbox(c.id, envs) }).catch(() => {})
        if (this.stopped || this.sessions.isOnline(c.id) || this.ctx.clock.now() - c.lastSeenMs < mb.depositAfterMs) continue
        // A full mailbox (MailboxFullError) or an unreachable relay leaves the outbox as it is.
        await this.chat.depositOutbox(c.id, async (e) => { await mb.client.deposit(c.id, role, e) }).catch(() => {})
      }
    })().finally(() => {
      this.mailboxRun = undefined
      if (!this.stopped) this.mailboxHandle = this.ctx.clock.setTimeout(() => { this.mailboxTick() }, mb.fetchIntervalMs)
    })
  }

  /** Our addresses changed (a reservation came or went): tell connected contacts, re-dial the rest. */
  private addrsChanged (): void {
    if (this.stopped) return
    void this.sessions.announce()
    // A network change: every contact not online is dialed again now.
    for (const runner of this.redials.values()) runner.runNow()
  }

  // ---- contacts ---------------------------------------------------------------------------------

  private async reconcileOnce (): Promise<void> {
    if (this.reconcileHandle != null) this.ctx.clock.clearTimeout(this.reconcileHandle)
    this.reconcileHandle = undefined
    // A wall clock that jumped (suspend and resume) past a day boundary rotates here.
    if (presenceDay(this.ctx.clock.now()) !== this.current.day) void this.rotate()
    await this.reapRetired()
    const now = this.ctx.clock.now()
    let wakeAt = now + RECONCILE_MAX_SLEEP_MS
    let contacts: ContactRecord[] = []
    try {
      contacts = await this.book.list()
    } catch {}
    for (const c of contacts) {
      if (this.stopped) return
      // §19: a blocked contact is neither dialled nor restored (and has no session to keep).
      if (c.blocked === true) {
        this.stopRedial(c.id)
        await this.restorer.stop(c.id)
        continue
      }
      const online = this.sessions.isOnline(c.id)
      const state = reachabilityOf(c, online, now, this.policy)
      const stored = state === c.state
        ? c
        : await this.book.update(c.id, (r) => {
          // A session that confirmed meanwhile has stored `online` itself: never overwrite it.
          if (r.state === state || (state !== 'online' && this.sessions.isOnline(r.id))) return false
          r.state = state
        }) ?? c
      this.emitState(stored, state)
      switch (state) {
        case 'online':
          this.stopRedial(c.id)
          await this.restorer.succeeded(c.id)
          break
        case 'offline':
          this.ensureRedial(c)
          wakeAt = Math.min(wakeAt, unreachableAtMs(c, this.policy))
          break
        case 'unreachable':
          this.ensureRedial(c)
          await this.restorer.start(c.id)
          break
        case 'expired':
          this.stopRedial(c.id)
          await this.restorer.stop(c.id)
          break
      }
    }
    if (this.stopped) return
    const sleep = Math.max(0, Math.min(wakeAt - this.ctx.clock.now(), RECONCILE_MAX_SLEEP_MS))
    this.reconcileHandle = this.ctx.clock.setTimeout(() => { void this.reconcile() }, sleep)
  }

  private ensureRedial (c: ContactRecord): void {
    const id = c.id
    if (this.redials.has(id) || this.stopped) return
    const runner = new ScheduledRunner({
      clock: this.ctx.clock,
      schedule: REDIAL_BACKOFF,
      startedAtMs: this.ctx.clock.now(),
      random: this.random,
      run: () => { this.redial(id) }
    })
    this.redials.set(id, runner)
    // Two daemons starting together would dial each other at once: two sessions, two secrets that
    // the sides may store in different orders (docs §13.3 #8, harmless but needless). The side with
    // the lower PPK (the CRP's role A) dials at once, the other one SECOND_DIALER_WAIT_MS later.
    if (crpRole(this.ctx.identity.ppk.publicKey, fromHex(c.ppk)) === 'A') { runner.start(); return }
    // That wait gives the other side's dial (a network step) its head start, so it is real time: on
    // the schedule's clock a clock that stands still (tests) would hold this side back for good,
    // while the other side's one dial may have failed already (it ran while this side was down).
    systemClock.setTimeout(() => { if (this.redials.get(id) === runner) runner.start() }, SECOND_DIALER_WAIT_MS)
  }

  private stopRedial (id: string): void {
    this.redials.get(id)?.stop()
    this.redials.delete(id)
  }

  private redial (id: string): void {
    if (this.dialing.has(id) || this.sessions.isOnline(id) || this.stopped) return
    this.dialing.add(id)
    void this.sessions.dialContact(this.current.node, id).catch(() => false)
      .then(async (online) => { if (!online) await this.missedRotation(id) })
      .finally(() => { this.dialing.delete(id) })
  }

  /**
   * §21.5: every dialable address failed and none was learned since the last UTC midnight: the
   * contact has rotated since we heard of it, so the CRP starts now instead of after 3 days.
   */
  private async missedRotation (id: string): Promise<void> {
    const c = await this.book.get(id)
    if (c == null || this.stopped || this.sessions.isOnline(id) || c.blocked === true || c.state === 'expired' || c.crp != null) return
    const dialable = new Set(addressesNewestFirst(c).map(String))
    const newest = Math.max(-Infinity, ...c.addresses.filter(a => dialable.has(a.multiaddr)).map(a => a.seenAtMs))
    if (newest >= dayStartMs(this.ctx.clock.now())) return
    await this.restorer.start(id)
    await this.reconcile()
  }

  /**
   * A contact that came online through the relay's circuit (a WebRTC attempt lost a race or a NAT
   * said no): try for a direct link a few more times. One side tries, the one with the smaller peer
   * id, so the two never dial WebRTC at each other at once.
   */
  private upgradeLater (id: string, attempt = 0): void {
    if (this.stopped || attempt >= DIRECT_UPGRADE_DELAYS_MS.length || this.ctx.identity.peerId.toString() > id) return
    // Real time, like the other network steps; the system clock's timers never keep a process alive.
    systemClock.setTimeout(() => {
      if (this.stopped || !this.sessions.isOnline(id) || this.sessions.linksOf(id).some(l => l.direct)) return
      void this.sessions.upgradeToDirect(this.current.node, id).then((direct) => { if (!direct) this.upgradeLater(id, attempt + 1) })
    }, DIRECT_UPGRADE_DELAYS_MS[attempt])
  }

  private async contactOnline (id: string, link: ContactLink, _via: SessionVia): Promise<void> {
    if (!link.direct) this.upgradeLater(id)
    this.stopRedial(id)
    this.chat.linkUp(id)
    this.files?.linkUp(id)
    await this.emitStateOf(id)
    await this.restorer.succeeded(id)
  }

  private async expire (id: string): Promise<void> {
    const stored = await this.book.update(id, (c) => { c.state = 'expired' })
    if (stored != null) this.emitState(stored, 'expired')
    this.stopRedial(id)
    await this.restorer.stop(id)
  }

  private async emitStateOf (id: string): Promise<void> {
    const c = await this.book.get(id)
    if (c == null) return
    const state = reachabilityOf(c, this.sessions.isOnline(id), this.ctx.clock.now(), this.policy)
    this.emitState(c, state)
  }

  /** `contact-state` once per change of state or restore status. */
  private emitState (c: ContactRecord, state: ReachabilityState): void {
    const restore = state === 'online' ? undefined : restoreStatusOf(c)
    const key = `${state}/${restore ?? ''}`
    if (this.emitted.get(c.id) === key) return
    this.emitted.set(c.id, key)
    this.emit({ event: 'contact-state', id: c.id, name: c.name, state, ...(restore != null ? { restore } : {}) })
  }

  private emit (e: DaemonEvent): void {
    for (const l of this.listeners) {
      try { l(e) } catch {}
    }
  }
}

/**
 * The day's presence identity (§21.1); with the §17.6 TCP listener unless the daemon runs without it.
 * Only presence nodes listen on TCP: pairing, restore and mailbox identities never do.
 */
function presenceNodeOptions (ctx: DaemonContext, opts: DaemonOptions, relayPeer: PeerId, day: number): PeerNodeOptions {
  return { privateKey: presenceKey(ctx.identity, relayPeer, day), ...ctx.webrtc, ...(opts.directTcp === false ? {} : { directTcp: true }) }
}

/**
 * The relay's peer id when its address has no `/p2p/` part (§21.1): a throw-away identity connects
 * once and reads the authenticated remote identity.
 */
async function probeRelayPeer (ctx: DaemonContext, relay: Multiaddr): Promise<PeerId> {
  const node = await ctx.createPeerNode({ ...ctx.webrtc })
  try {
    return (await dialRelay(node, relay)).remotePeer
  } finally {
    await Promise.resolve(node.stop()).catch(() => {})
  }
}
