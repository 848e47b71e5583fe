// One restore run for one contact (docs/protocol.md §9.4): a fresh libp2p
// identity (§11) that connects to the home relays of its tokens (§22.4), holds one reservation,
// registers token(SS_cur) and token(SS_prev) at each of that token's homes, one stream each (with a
// parked offer under that token's secret), picks up the contact's parked offer if a relay has one,
// and on `Matched` runs challenge/proof, offer/answer, B dials A, and §8 on the restored connection. The identity stays reachable until the next run so
// a parked offer can be taken up; it carries the restored connection for as long as that lives.
import type { Libp2p } from 'libp2p'
import type { Connection, Stream } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { crpToken, fromHex, sodium, type PairingRole } from '../../../../protocols/crypto/index.js'
import { entriesFromAddrs, tokenHomes } from '../../../../protocols/gss-list/index.js'
import {
  GiniError, IncorrectSharedSecretError, UnreachableError, type Clock
} from '../../../../protocols/common/index.js'
import {
  crpChannel, CrpPeer, type CrpPeerInfo, type Sealed, CRP_MAX_WAIT_MS, CRP_PROTOCOL
} from '../../../../protocols/crp/index.js'
import { SESSION_PROTOCOL } from '../../../../protocols/session/index.js'
import { CHAT_MAX_INBOUND_STREAMS, CHAT_MAX_OUTBOUND_STREAMS, CHAT_PROTOCOL } from '../../../../protocols/chat/index.js'
import { FILES_MAX_INBOUND_STREAMS, FILES_MAX_OUTBOUND_STREAMS, FILES_PROTOCOL } from '../../../../protocols/files/index.js'
import { connectToVerifiedPeer } from '../../dial-peer.js'
import { circuitAddrsVia, dialRelay, waitForCircuitAddrs } from '../../relay-slot.js'
import { withTimeout } from '../../signals.js'
import type { ContactBook } from '../../contact-book.js'
import type { Sessions } from '../sessions.js'
import type { CreatePeerNode, PeerNodeOptions } from '../../peer-node.js'
import type { CrpStep, DaemonEventListener } from '../events.js'
import { SESSION_MAX_INBOUND_STREAMS, SESSION_MAX_OUTBOUND_STREAMS } from '../sessions.js'

/**
 * Local bound on a matched exchange (challenge … restored session). The relay ends it at 180 s
 * (§9.2); on loopback it takes well under a second, over NAT/TURN a few seconds.
 */
export const CRP_EXCHANGE_TIMEOUT_MS = 60_000
/** Bound on opening a registration stream and reading `Registered`. */
export const CRP_REGISTER_TIMEOUT_MS = 10_000
/**
 * A relay sends `Matched` right behind `Registered` when the other role is waiting (§9.2): a parked
 * offer is only taken up if no match came within this network grace. Otherwise both sides would
 * dial each other (the matched run's B, and whoever took the parked offer), two sessions at once.
 */
export const PARKED_OFFER_GRACE_MS = 250

export interface RestoreRunContext {
  contactId: string
  /** §9.1: "A" if PPK_self < PPK_peer bytewise, else "B". */
  role: PairingRole
  /** The configured relay: a token's one home when fewer than two relays are remembered (§22.4). */
  relay: Multiaddr
  /** The relays remembered from the last list of two or more (§22.2), each ending in /p2p/<id>. */
  knownRelays?: () => Promise<Multiaddr[]>
  createPeerNode: CreatePeerNode
  webrtc?: Pick<PeerNodeOptions, 'iceServers' | 'iceTransportPolicy'>
  book: ContactBook
  sessions: Sessions
  clock: Clock
  emit: DaemonEventListener
  attemptTimeoutsMs: number[]
  randomBytes: (n: number) => Uint8Array
  /** Aborted when the daemon stops. */
  signal: AbortSignal
  /** How long registration streams wait for a match (§9.4: until the next interval, at most 300 s). */
  holdMs: number
  /** Chat streams on a restored connection (docs/protocol.md §15.1: it counts as a session's connection). */
  chatInbound?: (stream: Stream, connection: Connection, contactId: string) => void
  /** File transfer streams (docs/protocol.md §17) on a restored connection, like chat's. */
  filesInbound?: (stream: Stream, connection: Connection, contactId: string) => void
}

type Which = 'cur' | 'prev'

interface Registration {
  which: Which
  peer: CrpPeer
  /** Set while this stream proves itself (A waits for its `cur` stream before offering on `prev`). */
  verifying?: Promise<void>
}

export class RestoreRun {
  private readonly ctx: RestoreRunContext
  private node?: Libp2p
  /** Our circuit addresses through the one home holding the run's reservation (§22.4). */
  private circuitAddrs?: Multiaddr[]
  private readonly streams: Registration[] = []
  /** Hex secrets this run registers (read from storage at its start). */
  private readonly secrets = new Map<Which, string>()
  private readonly parkedTried = new Set<string>()
  private busyCount = 0
  private offerSent = false
  private restoredFlag = false
  private incorrectFlag = false
  private restoredSaid = false
  private retired = false
  private holdHandle: unknown
  private restoredResolve!: () => void
  private readonly restored = new Promise<void>(resolve => { this.restoredResolve = resolve })
  /** Told when the last exchange of this run ended (the next run may have been waiting for it). */
  onIdle?: () => void
  /** Told once if the run ended in INCORRECT_SHARED_SECRET. */
  onIncorrect?: () => void

  constructor (ctx: RestoreRunContext) {
    this.ctx = ctx
  }

  /** A matched exchange or a parked pickup is under way: the next run waits for it. */
  get busy (): boolean {
    return this.busyCount > 0
  }

  get ended (): boolean {
    return this.retired
  }

  /** The run's identity still runs (e.g. it carries the restored connection). */
  get alive (): boolean {
    return this.node != null
  }

  /** Starts the identity, reaches the relay, registers. False if nothing could be registered. */
  async start (): Promise<boolean> {
    const { ctx } = this
    const contact = await ctx.book.get(ctx.contactId)
    if (contact == null) return false
    this.secrets.set('cur', contact.sharedSecret.current)
    if (contact.sharedSecret.previous != null && contact.sharedSecret.previous !== contact.sharedSecret.current) {
      this.secrets.set('prev', contact.sharedSecret.previous)
    }
    const node = await ctx.createPeerNode({ ...ctx.webrtc })
    this.node = node
    if (this.retired) { await this.stopNode(); return false }
    // §9.4: the restored connection arrives on this identity; which contact it is for is known by
    // which run identity was dialed, and §8's es/se authenticate the PPKs.
    await node.handle(SESSION_PROTOCOL, (stream: Stream, connection: Connection) => {
      void ctx.sessions.handleInbound(stream, connection, ctx.contactId).then((via) => { if (via === 'restore') this.sessionRestored() })
    }, { runOnLimitedConnection: true, maxInboundStreams: SESSION_MAX_INBOUND_STREAMS, maxOutboundStreams: SESSION_MAX_OUTBOUND_STREAMS })
    const chatInbound = ctx.chatInbound
    if (chatInbound != null) {
      await node.handle(CHAT_PROTOCOL, (stream: Stream, connection: Connection) => { chatInbound(stream, connection, ctx.contactId) },
        { runOnLimitedConnection: true, maxInboundStreams: CHAT_MAX_INBOUND_STREAMS, maxOutboundStreams: CHAT_MAX_OUTBOUND_STREAMS })
    }
    const filesInbound = ctx.filesInbound
    if (filesInbound != null) {
      await node.handle(FILES_PROTOCOL, (stream: Stream, connection: Connection) => { filesInbound(stream, connection, ctx.contactId) },
        { runOnLimitedConnection: true, maxInboundStreams: FILES_MAX_INBOUND_STREAMS, maxOutboundStreams: FILES_MAX_OUTBOUND_STREAMS })
    }
    // §22.4: each token at its home relays; the run's one reservation at one of them.
    const homes = await this.homes()
    const connections = await this.reachHomes(node, [...new Set([...homes.values()].flat().map(String))])
    if (this.retired || this.circuitAddrs == null) return false
    const own = this.ownInfo()
    const parked: Array<{ peer: CrpPeer, sealed: Sealed }> = []
    const jobs: Array<Promise<void>> = []
    for (const [which, hex] of this.secrets) {
      for (const home of homes.get(which) ?? []) {
        const connection = connections.get(home.toString())
        if (connection != null) jobs.push(this.register(which, hex, connection, own, parked))
      }
    }
    const results = await Promise.allSettled(jobs)
    // §9.4: "If the second token is refused, the peer goes on with the first."
    if (!results.some(r => r.status === 'fulfilled') || this.retired) return false
    if (parked.length > 0) {
      setTimeout(() => {
        if (this.retired || this.restoredFlag || this.streams.some(s => s.peer.state !== 'registered' && s.peer.state !== 'failed')) return
        for (const p of parked) this.pickUpParked(p.peer, p.sealed)
      }, PARKED_OFFER_GRACE_MS)
    }
    this.holdHandle = ctx.clock.setTimeout(() => { void this.closeWaiting() }, Math.min(ctx.holdMs, CRP_MAX_WAIT_MS))
    this.step('registered')
    return true
  }

  /** Streams still waiting for a match are closed without `Done` (the row stays for the next run). */
  async closeWaiting (): Promise<void> {
    this.clearHold()
    await Promise.all(this.streams.filter(s => s.peer.state === 'registered').map(async s => { await s.peer.leave().catch(() => {}) }))
  }

  /**
   * The contact is online (through this run or any other path): `Done` on every open CRP stream
   * (§9.4 step 6). No `Register`+`Done` for a token whose stream is closed (docs §13.3 #12 SHOULD): such a
   * `Register` is matched by the other side's waiting stream; in the parked-offer flow the side
   * that took the offer holds its stream open and its `Done` deletes the row.
   */
  async finishRestored (): Promise<void> {
    if (this.restoredFlag) return
    this.restoredFlag = true
    this.restoredResolve()
    this.clearHold()
    await Promise.all(this.streams.map(async s => { await s.peer.done() }))
  }

  /** Ends the run: streams closed, identity stopped unless it carries the contact's link. */
  async retire (): Promise<void> {
    if (this.retired) return
    this.retired = true
    this.clearHold()
    await Promise.all(this.streams.map(async s => {
      if (s.peer.state !== 'done' && s.peer.state !== 'failed') await s.peer.leave().catch(() => {})
    }))
    const carried = this.carriedLinks()
    if (carried.length === 0) { await this.stopNode(); return }
    // The restored connection lives on this identity: stop it when the last such connection closes.
    let open = carried.length
    for (const c of carried) {
      c.addEventListener('close', () => { if (--open === 0) void this.stopNode() }, { once: true })
    }
  }

  /** Stops the identity whatever it carries (the daemon is stopping). */
  async stopNode (): Promise<void> {
    this.retired = true
    this.clearHold()
    const node = this.node
    this.node = undefined
    if (node == null) return
    for (const c of node.getConnections()) c.abort(new Error('restore run retired'))
    await Promise.resolve(node.stop()).catch(() => {})
  }

  // ---- registration ------------------------------------------------------------------------------

  /**
   * §22.4: each token's home relays — its top two of the remembered list by HRW score, or the
   * configured relay when fewer than two relays are remembered.
   */
  private async homes (): Promise<Map<Which, Multiaddr[]>> {
    const { ctx } = this
    const known = entriesFromAddrs(await ctx.knownRelays?.().catch(() => []) ?? [])
    const out = new Map<Which, Multiaddr[]>()
    for (const [which, hex] of this.secrets) {
      const ss = fromHex(hex)
      const token = crpToken(ss)
      sodium.memzero(ss)
      const homes = tokenHomes(known, token)
      out.set(which, homes.length > 0 ? homes.map(e => e.multiaddrs[0]) : [ctx.relay])
    }
    return out
  }

  /**
   * Connects to every home at once, keyed by the address asked for; a home that cannot be reached
   * is skipped (§22.4: the others suffice). The node listens on one `/p2p-circuit`, so the circuit
   * transport makes the run's one reservation at one of the homes reached; `circuitAddrs` are ours
   * through it (left unset when none was granted).
   */
  private async reachHomes (node: Libp2p, addrs: string[]): Promise<Map<string, Connection>> {
    const { ctx } = this
    const out = new Map<string, Connection>()
    const dialed = await Promise.allSettled(addrs.map(async (a) => await dialRelay(node, multiaddrOf(a, ctx.relay), ctx.signal)))
    dialed.forEach((d, i) => { if (d.status === 'fulfilled') out.set(addrs[i], d.value) })
    if (out.size === 0 || this.retired) return out
    const granted = await waitForCircuitAddrs(node, undefined, ctx.signal).catch(() => undefined)
    if (granted == null) return out
    const at = [...out.values()].map(c => c.remotePeer).find(p => granted.some(ma => ma.toString().includes(`/p2p/${p.toString()}/p2p-circuit`)))
    this.circuitAddrs = at != null ? circuitAddrsVia(node, at) : granted
    return out
  }

  private async register (which: Which, hex: string, connection: Connection, own: CrpPeerInfo, parked: Array<{ peer: CrpPeer, sealed: Sealed }>): Promise<void> {
    const { ctx } = this
    const signal = withTimeout(ctx.signal, CRP_REGISTER_TIMEOUT_MS)
    const stream = await connection.newStream(CRP_PROTOCOL, { signal })
    const ss = fromHex(hex)
    const peer = new CrpPeer({
      channel: crpChannel(stream), ss, role: ctx.role, randomBytes: ctx.randomBytes
    })
    sodium.memzero(ss)
    const r: Registration = { which, peer }
    this.streams.push(r)
    const reg = await peer.register(own, signal)
    if (reg.parked != null) parked.push({ peer, sealed: reg.parked })
    void this.waitForMatch(r)
  }

  private async waitForMatch (r: Registration): Promise<void> {
    try {
      // No signal: the hold ends with leave() (a clean close), the daemon's stop with node.stop().
      await r.peer.awaitMatched()
    } catch {
      return // left, replaced, closed after the other side's Done, or refused: the next run registers again
    }
    if (this.retired || this.restoredFlag) { await r.peer.done(); return }
    await this.exchange(r)
  }

  // ---- a matched run ----------------------------------------------------------------------------

  private async exchange (r: Registration): Promise<void> {
    const { ctx } = this
    this.busyCount++
    const signal = withTimeout(ctx.signal, CRP_EXCHANGE_TIMEOUT_MS)
    try {
      this.step('matched')
      r.verifying = r.peer.verify(signal)
      await r.verifying
      this.step('verified')
      if (ctx.role === 'A') await this.offer(r, signal)
      else await this.answer(r, signal)
    } catch (err) {
      if (this.restoredFlag || this.retired) return
      if (err instanceof IncorrectSharedSecretError) { this.incorrect(); return }
      // §13.3 #16: PEER_LEFT, EXPIRED, UNREACHABLE, RATE_LIMITED… end the run's exchange silently.
      this.step('run-ended', err instanceof GiniError ? err.code : 'FAILED')
    } finally {
      if (--this.busyCount === 0) this.onIdle?.()
    }
  }

  /** A: one offer per run, on a stream of its own SS_cur if one matched too, at any home (§9.4, §13.2 g, §22.4). */
  private async offer (r: Registration, signal: AbortSignal): Promise<void> {
    if (r.which === 'prev') {
      // SS_cur's token first, at whichever home it matched (§22.4).
      const curs = this.streams.filter(s => s.which === 'cur')
      await Promise.all(curs.map(async s => { await s.verifying?.catch(() => {}) }))
      if (curs.some(s => s.peer.state === 'verified' || s.peer.state === 'offered')) return await this.untilRestored(r, signal)
    }
    if (this.offerSent) return await this.untilRestored(r, signal)
    this.offerSent = true
    await r.peer.sendOffer(this.ownInfo(), signal)
    this.step('connecting')
    const answer = await r.peer.readAnswer(signal)
    await this.accepted(answer)
    // B dials our identity; the session arrives through our /gini/session/1 handler. A forwarded
    // Error (UNREACHABLE) or the relay closing ends the wait early.
    await Promise.race([this.restored, r.peer.awaitEnd(signal)])
  }

  /** B: open the offer, answer, dial A, §8 as I. */
  private async answer (r: Registration, signal: AbortSignal): Promise<void> {
    const { ctx } = this
    const offer = await r.peer.readOffer(signal)
    if (this.restoredFlag || ctx.sessions.isOnline(ctx.contactId)) return
    await this.accepted(offer)
    await r.peer.sendAnswer(this.ownInfo(), signal)
    this.step('connecting')
    const outcome = await ctx.sessions.withDialLock(ctx.contactId, async () => {
      if (ctx.sessions.isOnline(ctx.contactId)) return 'online'
      const connected = await connectToVerifiedPeer(this.node!, offer, { signal, attemptTimeoutsMs: ctx.attemptTimeoutsMs })
        .catch(() => undefined)
      if (connected == null) return 'unreachable'
      if (!await ctx.sessions.initiate(ctx.contactId, connected.connection, 'restore', signal)) return 'failed'
      this.sessionRestored()
      return 'online'
    })
    if (outcome === 'unreachable') await r.peer.fail(new UnreachableError())
    if (outcome === 'failed') await r.peer.leave()
  }

  /** A stream that is not the one carrying the offer: it stays open until `Done` or its end. */
  private async untilRestored (r: Registration, signal: AbortSignal): Promise<void> {
    await Promise.race([this.restored, r.peer.awaitEnd(signal)])
  }

  /** §9.4: a parked offer is dialed at once (the dialer is I); a failed dial is silent. */
  private pickUpParked (peer: CrpPeer, sealed: Sealed): void {
    const { ctx } = this
    void (async () => {
      const contact = await ctx.book.get(ctx.contactId)
      const info = peer.openParked(sealed, { nowMs: ctx.clock.now(), lastAcceptedAtMs: contact?.lastPeerInfoAtMs })
      if (info == null || this.parkedTried.has(info.peerId.toString())) return
      this.parkedTried.add(info.peerId.toString())
      this.busyCount++
      try {
        this.step('parked-offer')
        await this.accepted(info)
        const signal = withTimeout(ctx.signal, CRP_EXCHANGE_TIMEOUT_MS)
        await ctx.sessions.withDialLock(ctx.contactId, async () => {
          if (ctx.sessions.isOnline(ctx.contactId) || this.retired || this.node == null) return
          const connected = await connectToVerifiedPeer(this.node, info, { signal, attemptTimeoutsMs: ctx.attemptTimeoutsMs })
            .catch(() => undefined)
          if (connected != null && await ctx.sessions.initiate(ctx.contactId, connected.connection, 'restore', signal)) this.sessionRestored()
        })
      } catch {
      } finally {
        if (--this.busyCount === 0) this.onIdle?.()
      }
    })()
  }

  /** docs §13.3 #11: remember `min(at_ms, now)` so a fast clock cannot lock out later offers. */
  private async accepted (info: CrpPeerInfo): Promise<void> {
    const mark = Math.min(info.atMs, this.ctx.clock.now())
    await this.ctx.book.update(this.ctx.contactId, (c) => {
      if ((c.lastPeerInfoAtMs ?? -Infinity) >= mark) return false
      c.lastPeerInfoAtMs = mark
    })
  }

  /** §5 confirmed on a connection this run set up (either role, or a parked offer): `restored`, once. */
  private sessionRestored (): void {
    if (this.restoredSaid) return
    this.restoredSaid = true
    this.step('restored')
  }

  /** The run ends in INCORRECT_SHARED_SECRET; the owner records it, then reports the step. */
  private incorrect (): void {
    if (this.incorrectFlag || this.restoredFlag) return
    this.incorrectFlag = true
    this.onIncorrect?.()
  }

  private ownInfo (): CrpPeerInfo {
    return { peerId: this.node!.peerId, multiaddrs: this.circuitAddrs!, atMs: this.ctx.clock.now() }
  }

  private carriedLinks (): Connection[] {
    const node = this.node
    if (node == null) return []
    const mine = new Set(node.getConnections().map(c => c.id))
    return this.ctx.sessions.linksOf(this.ctx.contactId).map(l => l.connection).filter(c => mine.has(c.id) && c.status === 'open')
  }

  private clearHold (): void {
    if (this.holdHandle != null) this.ctx.clock.clearTimeout(this.holdHandle)
    this.holdHandle = undefined
  }

  private step (step: CrpStep, code?: string): void {
    this.ctx.emit({ event: 'crp', id: this.ctx.contactId, step, ...(code != null ? { code } : {}) })
  }
}

/** A remembered address string back to a Multiaddr (the configured relay's own object when it is that one). */
function multiaddrOf (addr: string, configured: Multiaddr): Multiaddr {
  return addr === configured.toString() ? configured : multiaddr(addr)
}
