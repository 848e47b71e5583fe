// Sessions between contacts (docs/protocol.md §8): who is connected now, and the glue that
// runs /gini/session/1 on every new connection between two contacts — I = dialer, R = listener —
// storing the new SharedSecret only after both confirmations (SS_prev := SS_cur). Also
// AddressUpdate both ways. A "link" is an open connection with a confirmed session: it is what
// makes a contact `online`. Links live on a presence node (§21), or on a restore run's node for a
// restored connection (§8.4). Which contact a connection belongs to is what §8 proved on it, never
// its remote peer id (§21.3).
import type { Libp2p } from 'libp2p'
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { ctEqual, fromHex, sessionHint, sodium, toHex, SESSION_HINT_BYTES, type X25519KeyPair } from '../../../protocols/crypto/index.js'
import {
  ProtocolViolationError, errorFrame, type FrameChannel, refuse, type Clock
} from '../../../protocols/common/index.js'
import {
  sessionChannel, runSessionInitiator, runSessionResponder, sendAddressUpdate, readAddressUpdate,
  SessionMessage, SESSION_PROTOCOL, SESSION_HANDSHAKE_TIMEOUT_MS, ADDRESS_UPDATE_TIMEOUT_MS, SESSION_KEY_BYTES,
  CARD_UPDATE_TIMEOUT_MS, sendCardUpdate, answerCardUpdate, type CardUpdate, type SessionResult
} from '../../../protocols/session/index.js'
import { applyCardUpdate, checkCardUpdate } from '../card-update.js'
import { connectToVerifiedPeer, isDirectConnection, linkKindOf, LINK_RANK, type LinkKind, type VerifiedPeerConnection } from '../dial-peer.js'
import { isDirectTcpAddr } from '../peer-node.js'
import { ContactBook, addressesNewestFirst, contactsNaming, mergeAddresses, peerIdTextOf } from '../contact-book.js'
import type { ContactRecord, GiniStorage } from '../storage.js'
import type { DaemonEventListener } from './events.js'
import { withTimeout } from '../signals.js'
import { KeyedQueue } from '../keyed-queue.js'

/** Bound on one reconnection attempt: every saved address tried, WebRTC then relayed. */
export const DIAL_CONTACT_TIMEOUT_MS = 30_000
/** Inbound /gini/session/1 streams per connection at once (a session and an AddressUpdate or two). */
export const SESSION_MAX_INBOUND_STREAMS = 8
export const SESSION_MAX_OUTBOUND_STREAMS = 8

/** How long a stream of a protocol built on sessions (chat, files) waits for its session to be stored. */
export const SESSION_SETTLE_WAIT_MS = 3_000
const SESSION_POLL_MS = 25

/** A contact whose streams are reset on open: blocked (§19) or expired (§9.3, a new pairing is needed). */
const refused = (c: ContactRecord): boolean => c.state === 'expired' || c.blocked === true

export type SessionVia = 'dial' | 'inbound' | 'restore'

export interface ContactLink {
  contactId: string
  connection: Connection
  direct: boolean
  /** TCP, WebRTC or relayed (docs/protocol.md §17.6). */
  kind: LinkKind
  remoteAddr: string
}

export interface SessionsInit {
  book: ContactBook
  storage: GiniStorage
  /** Own permanent X25519 pair (ppk, PPK). */
  ppk: X25519KeyPair
  clock: Clock
  /** Own presence addresses, announced in hello/reply and AddressUpdate. */
  ownAddrs: () => Multiaddr[]
  /** Own peer ids (long-term and presence): addresses naming them are never stored for a contact (§21.2). */
  ownIds: () => ReadonlySet<string>
  emit: DaemonEventListener
  /** Per-attempt deadlines of the WebRTC upgrade (dial-peer.ts). */
  attemptTimeoutsMs: number[]
  /** A contact got its first link (after the SharedSecret was stored). */
  onOnline?: (id: string, link: ContactLink, via: SessionVia) => void
  /** A contact lost its last link. */
  onOffline?: (id: string) => void
  /** Any new link of a contact, the first or a later one (after the SharedSecret was stored). */
  onLink?: (id: string, link: ContactLink) => void
  /** A link of a contact ended while others remain (the contact stays online on those). */
  onLinkLost?: (id: string, link: ContactLink) => void
  /**
   * The contact's plain TCP addresses from a hello, reply or applied AddressUpdate (docs/protocol.md
   * §17.6), possibly none: kept in memory by the caller, never merged into the stored addresses.
   */
  onTcpAddrs?: (id: string, multiaddrs: Multiaddr[]) => void
  /** §19 outbox: the own card's newest signed CardUpdate and its seq, if the profile ever changed. */
  ownCard?: () => Promise<{ seq: number, update: CardUpdate } | undefined>
}

export class Sessions {
  private readonly init: SessionsInit
  private readonly links = new Map<string, Set<ContactLink>>()
  private readonly dialLocks = new KeyedQueue()
  private announcing: Promise<void> = Promise.resolve()
  private stopped = false

  constructor (init: SessionsInit) {
    this.init = init
  }

  isOnline (id: string): boolean {
    return (this.links.get(id)?.size ?? 0) > 0
  }

  /** The contact's best link (TCP, then WebRTC, then relayed: §17.6), if online. */
  linkOf (id: string): ContactLink | undefined {
    const all = [...(this.links.get(id) ?? [])]
    return all.sort((a, b) => LINK_RANK[a.kind] - LINK_RANK[b.kind])[0]
  }

  linksOf (id: string): ContactLink[] {
    return [...(this.links.get(id) ?? [])]
  }

  onlineIds (): string[] {
    return [...this.links.keys()].filter(id => this.isOnline(id))
  }

  /**
   * True once `connection` carries a stored session with the contact. A stream may arrive a moment
   * before this side stored the session it rides on (the two sides store a moment apart, §8.3), so
   * it waits for one in progress, boundedly.
   */
  async sessionOn (id: string, connection: Connection): Promise<boolean> {
    const has = (): boolean => this.linksOf(id).some(l => l.connection === connection)
    for (let waited = 0; !has(); waited += SESSION_POLL_MS) {
      if (this.stopped || waited >= SESSION_SETTLE_WAIT_MS || connection.status !== 'open') return false
      await new Promise(resolve => setTimeout(resolve, SESSION_POLL_MS))
    }
    return true
  }

  /** Runs `fn` alone for this contact: one reconnection (dial, parked pickup, restore dial) at a time. */
  async withDialLock<T> (id: string, fn: () => Promise<T>): Promise<T> {
    return await this.dialLocks.run(id, fn)
  }

  /**
   * The contact whose confirmed session this connection carries (§21.3), waiting boundedly for one
   * being stored (a stream may arrive a moment before, §8.3); undefined if none.
   */
  async contactOn (connection: Connection): Promise<string | undefined> {
    for (let waited = 0; ; waited += SESSION_POLL_MS) {
      const id = this.boundTo(connection)
      if (id != null) return id
      if (this.stopped || waited >= SESSION_SETTLE_WAIT_MS || connection.status !== 'open') return undefined
      await new Promise(resolve => setTimeout(resolve, SESSION_POLL_MS))
    }
  }

  /**
   * An inbound /gini/session/1 stream: a hello (§8.3 as R), an AddressUpdate or a CardUpdate. On a
   * presence node the contact is the one bound to the connection, else the one the hello's hint or
   * addresses name (§21.3: only §8 then proves it); on a restore run's node it is that run's contact
   * (`contactId`).
   */
  async handleInbound (stream: Stream, connection: Connection, contactId?: string): Promise<SessionVia | undefined> {
    if (this.stopped) { stream.abort(new Error('stopping')); return undefined }
    // §19: a dialer already known to be a blocked or expired contact is reset on open, unread.
    if (await this.refusedUnread(connection, contactId)) { stream.abort(new Error('not a contact')); return undefined }
    const channel = sessionChannel(stream)
    const signal = AbortSignal.timeout(SESSION_HANDSHAKE_TIMEOUT_MS)
    let first: SessionMessage
    try {
      first = await channel.read({ signal })
    } catch (err) {
      if (err instanceof ProtocolViolationError) await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), err)
      else channel.abort(err instanceof Error ? err : new Error(String(err)))
      return undefined
    }
    const id = contactId ?? this.boundTo(connection) ?? (first.hello != null ? await this.candidateFor(connection.remotePeer.toString(), first.hello) : undefined)
    const contact = this.stopped || id == null ? undefined : await this.init.book.get(id)
    // docs/protocol.md §13.3 #9: an unknown dialer gets a reset, no error frame. An expired contact
    // needs a new pairing (§9.3: after day 365 "a new pairing is needed"). A blocked one is reset too (§19).
    if (id == null || contact == null || refused(contact)) {
      channel.abort(new Error('not a contact'))
      return undefined
    }
    if (first.addressUpdate != null) {
      // Only a connection that already carries a confirmed session with the contact (§8.4, §21.3).
      if (!this.hasLink(id, connection)) { channel.abort(new Error('no session on this connection')); return undefined }
      await this.receiveAddressUpdate(id, first, channel)
      return undefined
    }
    if (first.cardUpdate != null) {
      // §19: only on a connection that already carries a confirmed session with this contact.
      if (!this.hasLink(id, connection)) { channel.abort(new Error('no session on this connection')); return undefined }
      await this.receiveCardUpdate(id, first.cardUpdate, channel)
      return undefined
    }
    const via: SessionVia = contactId == null ? 'inbound' : 'restore'
    try {
      const result = await runSessionResponder(channel, first, {
        ppk: this.init.ppk, peerPPK: fromHex(contact.ppk), multiaddrs: this.ownAddrBytes(), signal
      })
      return await this.confirmed(id, result, connection, via) ? via : undefined
    } catch {
      return undefined // refused, violated or timed out: nothing stored (§8.3)
    }
  }

  /** Reconnects from our presence node: saved addresses newest first, WebRTC first, then §8 as I. */
  async dialContact (node: Libp2p, id: string, signal?: AbortSignal): Promise<boolean> {
    return await this.withDialLock(id, async () => {
      if (this.isOnline(id) || this.stopped) return this.isOnline(id)
      const contact = await this.init.book.get(id)
      if (contact == null || contact.state === 'expired' || contact.blocked === true) return false
      const multiaddrs = addressesNewestFirst(contact)
      if (multiaddrs.length === 0) return false
      const bound = withTimeout(signal, DIAL_CONTACT_TIMEOUT_MS)
      let connection: Connection | undefined
      try {
        connection = (await connectToNamedPeers(node, multiaddrs, { signal: bound, attemptTimeoutsMs: this.init.attemptTimeoutsMs }))?.connection
      } catch {
        return false
      }
      if (connection == null) return false
      if (this.isOnline(id)) return true // their dial won meanwhile: one session is enough
      return await this.initiate(id, connection, 'dial', bound)
    })
  }

  /**
   * A contact online only through the relay's circuit: its WebRTC addresses once more (§6.10's order
   * without the relayed fallback). A direct connection gets its own session and becomes the link
   * chat and files prefer; the relayed one stays until it ends.
   */
  async upgradeToDirect (node: Libp2p, id: string): Promise<boolean> {
    return await this.withDialLock(id, async () => {
      const direct = (): boolean => this.linksOf(id).some(l => l.direct)
      if (this.stopped || !this.isOnline(id) || direct()) return direct()
      const contact = await this.init.book.get(id)
      if (contact == null) return false
      const webrtc = addressesNewestFirst(contact).filter(ma => ma.toString().includes('/p2p-circuit/webrtc'))
      if (webrtc.length === 0) return false
      const bound = withTimeout(undefined, DIAL_CONTACT_TIMEOUT_MS)
      const connected = await connectToNamedPeers(node, webrtc, {
        signal: bound, attemptTimeoutsMs: this.init.attemptTimeoutsMs, force: true
      }).catch(() => undefined)
      if (connected == null || !connected.direct) return false
      return await this.initiate(id, connected.connection, 'dial', bound)
    })
  }

  /** §8 as I on an open connection to the contact (a redial, or B's restored connection). */
  async initiate (id: string, connection: Connection, via: SessionVia, signal?: AbortSignal): Promise<boolean> {
    const contact = await this.init.book.get(id)
    // §19: a blocked contact is not dialled; a dial under way when it was blocked (a TCP link, §17.6) stops here.
    if (contact == null || this.stopped || refused(contact)) return false
    const bound = withTimeout(signal, SESSION_HANDSHAKE_TIMEOUT_MS)
    try {
      const stream = await connection.newStream(SESSION_PROTOCOL, { runOnLimitedConnection: connection.limits != null, signal: bound })
      const result = await runSessionInitiator(sessionChannel(stream), {
        ppk: this.init.ppk,
        peerPPK: fromHex(contact.ppk),
        multiaddrs: this.ownAddrBytes(),
        atMs: this.init.clock.now(),
        hintKey: fromHex(contact.sharedSecret.current),
        signal: bound
      })
      return await this.confirmed(id, result, connection, via)
    } catch {
      return false
    }
  }

  /** §8.4 AddressUpdate to every connected contact; `seq` is persisted before anything is sent. */
  async announce (): Promise<void> {
    const run = this.announcing.catch(() => {}).then(async () => { await this.announceNow() })
    this.announcing = run
    await run
  }

  /** §19: the newest own card to every connected contact that does not have it yet. */
  async announceCard (): Promise<void> {
    await Promise.all(this.onlineIds().map(async (id) => { await this.sendCard(id) }))
  }

  /**
   * §19 outbox: the newest card if this contact's mark is below its seq. An answer (accepted or
   * refused: a refused card would be refused again) sets the mark; a reset or timeout leaves it.
   */
  private async sendCard (id: string): Promise<void> {
    const own = await this.init.ownCard?.().catch(() => undefined)
    const link = this.linkOf(id)
    if (own == null || link == null || this.stopped) return
    const contact = await this.init.book.get(id)
    if (contact == null || (contact.cardSeqSent ?? 0) >= own.seq) return
    const signal = AbortSignal.timeout(CARD_UPDATE_TIMEOUT_MS)
    try {
      const stream = await link.connection.newStream(SESSION_PROTOCOL, { runOnLimitedConnection: link.connection.limits != null, signal })
      await sendCardUpdate(sessionChannel(stream), own.update, signal)
    } catch {
      return
    }
    await this.init.book.update(id, (c) => {
      if ((c.cardSeqSent ?? 0) >= own.seq) return false
      c.cardSeqSent = own.seq
    })
  }

  /** §19: checks, then stores the contact's new card (or refuses, card unchanged) and says so. */
  private async receiveCardUpdate (id: string, update: CardUpdate, channel: FrameChannel<SessionMessage>): Promise<void> {
    const checked = checkCardUpdate(id, update)
    let refusal = typeof checked === 'string' ? checked : undefined
    let stored: { name: string } | undefined
    if (typeof checked !== 'string') {
      stored = await this.init.book.update(id, (c) => {
        refusal = applyCardUpdate(c, checked)
        return refusal == null
      })
      if (stored == null) refusal = 'bounds'
    }
    await answerCardUpdate(channel, refusal == null)
    if (refusal == null && stored != null) this.init.emit({ event: 'contact-updated', id, name: stored.name })
  }

  /** Closes the contact's links (blocked or deleted, §19); the offline callbacks run as usual. */
  async hangUp (id: string): Promise<void> {
    const all = [...(this.links.get(id) ?? [])]
    await Promise.all(all.map(async l => { await l.connection.close().catch(() => { l.connection.abort(new Error('hung up')) }) }))
  }

  /** Closes every link (the daemon is stopping); no offline callbacks. */
  async stop (): Promise<void> {
    this.stopped = true
    const all = [...this.links.values()].flatMap(s => [...s])
    this.links.clear()
    await Promise.all(all.map(async l => { await l.connection.close().catch(() => { l.connection.abort(new Error('stopping')) }) }))
  }

  private async announceNow (): Promise<void> {
    const ids = this.onlineIds()
    if (ids.length === 0 || this.stopped) return
    const state = await this.init.storage.loadNodeState() ?? { addressSeq: 0 }
    const seq = state.addressSeq + 1
    await this.init.storage.saveNodeState({ ...state, addressSeq: seq })
    const multiaddrs = this.ownAddrBytes()
    await Promise.all(ids.map(async (id) => {
      const link = this.linkOf(id)
      if (link == null) return
      const signal = AbortSignal.timeout(ADDRESS_UPDATE_TIMEOUT_MS)
      try {
        const stream = await link.connection.newStream(SESSION_PROTOCOL, { runOnLimitedConnection: link.connection.limits != null, signal })
        await sendAddressUpdate(sessionChannel(stream), { multiaddrs, seq: BigInt(seq) }, signal)
        this.init.emit({ event: 'address-update', id, direction: 'sent', seq })
      } catch {}
    }))
  }

  private async receiveAddressUpdate (id: string, first: SessionMessage, channel: FrameChannel<SessionMessage>): Promise<void> {
    let update: { multiaddrs: Multiaddr[], seq: bigint }
    try {
      update = readAddressUpdate(first)
    } catch (err) {
      await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), err instanceof ProtocolViolationError ? err : new ProtocolViolationError())
      return
    }
    await channel.close()
    if (update.seq > BigInt(Number.MAX_SAFE_INTEGER)) return
    const seq = Number(update.seq)
    const now = this.init.clock.now()
    let applied = false
    await this.init.book.update(id, (c) => {
      // §8.4: "the receiver keeps the highest `seq` per contact, applies higher ones and ignores the rest".
      if ((c.addressSeqSeen ?? 0) >= seq) return false
      c.addressSeqSeen = seq
      c.addresses = mergeAddresses(c.addresses, update.multiaddrs.filter(ma => !isDirectTcpAddr(ma)), this.init.ownIds(), now)
      applied = true
    })
    if (applied) this.init.onTcpAddrs?.(id, this.tcpAddrsOf(update.multiaddrs))
    if (applied) this.init.emit({ event: 'address-update', id, direction: 'received', seq })
  }

  /** Both confirmations done: store (SS_prev := SS_cur), learn the addresses, open the link. */
  private async confirmed (id: string, result: SessionResult, connection: Connection, via: SessionVia): Promise<boolean> {
    const now = this.init.clock.now()
    const secret = toHex(result.sharedSecret)
    sodium.memzero(result.sharedSecret)
    let refusedNow = false
    const stored = await this.init.book.update(id, (c) => {
      // Blocked or expired while §8 ran (§19): nothing stored, and it is hung up on.
      if (refused(c)) { refusedNow = true; return false }
      c.sharedSecret = { current: secret, previous: c.sharedSecret.current }
      c.addresses = mergeAddresses(c.addresses, result.peerMultiaddrs.filter(ma => !isDirectTcpAddr(ma)), this.init.ownIds(), now)
      c.lastSeenMs = now
      c.state = 'online'
      delete c.crp // "a success resets the count" (§9.4)
    })
    if (refusedNow) {
      await connection.close().catch(() => { connection.abort(new Error('hung up')) })
      return false
    }
    if (stored == null || this.stopped || connection.status !== 'open') {
      if (stored != null) this.markOffline(id)
      return stored != null
    }
    this.init.onTcpAddrs?.(id, this.tcpAddrsOf(result.peerMultiaddrs))
    const link: ContactLink = {
      contactId: id, connection, direct: isDirectConnection(connection), kind: linkKindOf(connection), remoteAddr: connection.remoteAddr.toString()
    }
    const set = this.links.get(id) ?? new Set<ContactLink>()
    const first = set.size === 0
    set.add(link)
    this.links.set(id, set)
    connection.addEventListener('close', () => { this.dropLink(link) }, { once: true })
    this.init.emit({ event: 'session', id, direct: link.direct, link: link.kind, remoteAddr: link.remoteAddr, via })
    if (first) this.init.onOnline?.(id, link, via)
    this.init.onLink?.(id, link)
    // §19: a card the contact does not have yet goes out on the new session.
    if (first) void this.sendCard(id)
    return true
  }

  /** The contact a confirmed session on this connection belongs to (§21.3), if any. */
  boundTo (connection: Connection): string | undefined {
    for (const [id, set] of this.links) if ([...set].some(l => l.connection === connection)) return id
    return undefined
  }

  /**
   * §21.3: the contact the hello's hint names (keyed by either of its SharedSecrets), else the one
   * whose known addresses name this dialer, most recently learned first. Only §8 then proves it.
   */
  private async candidateFor (peerId: string, hello: NonNullable<SessionMessage['hello']>): Promise<string | undefined> {
    if (this.stopped) return undefined
    const all = await this.init.book.list()
    if (hello.hint?.length === SESSION_HINT_BYTES && hello.e.length === SESSION_KEY_BYTES) {
      // A hint naming a blocked or expired contact names it all the same: the caller resets it (§19).
      for (const c of all) {
        for (const ss of [c.sharedSecret.current, c.sharedSecret.previous]) {
          if (ss != null && ctEqual(sessionHint(fromHex(ss), hello.e), hello.hint)) return c.id
        }
      }
    }
    return contactsNaming(all.filter(c => !refused(c)), peerId)[0]?.id
  }

  /**
   * Whether the dialer is known before its first frame as a contact whose streams are reset (§19,
   * §9.3 expiry): the connection's or restore run's contact, or every contact whose known addresses
   * name the remote peer id. Anyone else is read first: only the hello's hint may name it (§21.3).
   */
  private async refusedUnread (connection: Connection, contactId?: string): Promise<boolean> {
    const known = contactId ?? this.boundTo(connection)
    if (known != null) {
      const contact = await this.init.book.get(known)
      return contact == null || refused(contact)
    }
    const naming = contactsNaming(await this.init.book.list(), connection.remotePeer.toString())
    return naming.length > 0 && naming.every(refused)
  }

  private hasLink (id: string, connection: Connection): boolean {
    return [...(this.links.get(id) ?? [])].some(l => l.connection === connection)
  }

  private dropLink (link: ContactLink): void {
    const set = this.links.get(link.contactId)
    if (set == null || !set.delete(link)) return
    if (set.size > 0) { this.init.onLinkLost?.(link.contactId, link); return }
    this.links.delete(link.contactId)
    this.markOffline(link.contactId)
  }

  /** "Last seen" is the last time a confirmed session was open (docs/protocol.md §9.5). */
  private markOffline (id: string): void {
    if (this.stopped) return
    void this.init.book.update(id, (c) => {
      if (c.state !== 'online') return false
      c.state = 'offline'
      c.lastSeenMs = this.init.clock.now()
    }).catch(() => {}).finally(() => { this.init.onOffline?.(id) })
  }

  /** §17.6 item 2: the plain TCP addresses among a contact's, each naming a peer id that is not one of ours (§21.2). */
  private tcpAddrsOf (multiaddrs: Multiaddr[]): Multiaddr[] {
    const own = this.init.ownIds()
    return multiaddrs.filter(ma => {
      const id = peerIdTextOf(ma.toString())
      return isDirectTcpAddr(ma) && id != null && !own.has(id)
    })
  }

  private ownAddrBytes (): Uint8Array[] {
    return this.init.ownAddrs().map(ma => ma.bytes)
  }
}

/**
 * Dials the presence identities these addresses name (§21.3), one peer id after another in the
 * order the addresses come, each with §6.10's order (dial-peer.ts).
 */
async function connectToNamedPeers (node: Libp2p, multiaddrs: Multiaddr[], opts: Parameters<typeof connectToVerifiedPeer>[2]): Promise<VerifiedPeerConnection | undefined> {
  const ids: string[] = []
  for (const ma of multiaddrs) {
    const id = peerIdTextOf(ma.toString())
    if (id != null && !ids.includes(id)) ids.push(id)
  }
  for (const id of ids) {
    let peerId
    try { peerId = peerIdFromString(id) } catch { continue }
    const connected = await connectToVerifiedPeer(node, { peerId, multiaddrs }, opts)
    if (connected != null) return connected
  }
  return undefined
}
