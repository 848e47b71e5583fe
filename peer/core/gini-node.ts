// GiniNode: a person's peer. Owns the long-term identity, the own contact card and the contact
// book; runs pairings (invite/accept) with a fresh identity each and stores what they verified.
// Isomorphic: the platform comes in through `storage` and `createPeerNode`.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import { ready, readFlashCode, toHex } from '../../protocols/crypto/index.js'
import { systemClock, type Clock } from '../../protocols/common/index.js'
import { buildVCard, parseVCard, type Profile, type ParsedVCard } from '../../protocols/contact/index.js'
import { loadIdentity, loadOrCreateIdentity, type Identity } from './identity.js'
import { runCreator, runJoiner, type NewFlashCode, type PairingInit, type PairingOutcome, type PairingWebRtc } from './pairing/pairing.js'
import type { CreatePeerNode } from './peer-node.js'
import type { PairingEvent } from './pairing/events.js'
import { learnRelayList, type KnownRelays } from './pairing/relay-choice.js'
import type { ContactRecord, GiniStorage } from './storage.js'
import { Daemon, type DaemonOptions } from './daemon/daemon.js'
import type { FileTransferStorage } from './files/file-transfers.js'
import type { MessageStore } from './chat/message-store.js'
import { ContactBook } from './contact-book.js'
import { NoKeyChangeError, applyKeyChange, discardKeyChange } from './key-change.js'
import { assertSendableProfile } from './card-update.js'
import { matchContacts } from './contact-names.js'
import { assertSafetyNumber, contactSafetyNumber } from './safety.js'
import { presenceDay, presencePeerId, relayPeerIdOf } from './presence.js'

export interface GiniNodeInit {
  storage: GiniStorage
  createPeerNode: CreatePeerNode
  clock?: Clock
  /** Per-attempt deadlines of the WebRTC upgrade (see dial-peer.ts). */
  webrtcAttemptTimeoutsMs?: number[]
  /** ICE servers and policy for every WebRTC connection (default: none, never public ones). */
  webrtc?: PairingWebRtc
  /** Random source of flash codes (default: libsodium's CSPRNG). Tests only. */
  newFlashCode?: NewFlashCode
}

export interface PairingOptions {
  /** The relay (GSS) to meet at, a multiaddr. */
  relay: string | Multiaddr
  signal?: AbortSignal
  onProgress?: (event: PairingEvent) => void
}

export class ProfileMissingError extends Error {
  constructor () {
    super('No profile yet: run `gini init --name "Your Name"` first.')
    this.name = 'ProfileMissingError'
  }
}

/** A read-only open found no identity: nothing was created (`gini init` creates it). */
export class IdentityMissingError extends Error {
  /** `where`: the data directory, if the caller knows it. */
  constructor (where?: string) {
    super(`No identity ${where != null ? `in ${where} ` : ''}yet: create one with \`gini init --name "Your Name"\`.`)
    this.name = 'IdentityMissingError'
  }
}

export interface OpenOptions {
  /** Create the identity if there is none (default). False: IdentityMissingError instead. */
  create?: boolean
}

export class GiniNode {
  private readonly init: GiniNodeInit
  private readonly identity: Identity
  private readonly clock: Clock
  /** True when open() created a new identity. */
  readonly created: boolean
  /** The running daemon (daemon/daemon.ts), if startDaemon() was called. */
  private daemon?: Daemon
  private messageStore?: Promise<MessageStore>

  private constructor (init: GiniNodeInit, identity: Identity, created: boolean) {
    this.init = init
    this.identity = identity
    this.created = created
    this.clock = init.clock ?? systemClock
  }

  /** Loads the identity from storage, creating it on first use unless `create` is false. */
  static async open (init: GiniNodeInit, opts: OpenOptions = {}): Promise<GiniNode> {
    await ready()
    if (opts.create === false) {
      const identity = await loadIdentity(init.storage)
      if (identity == null) throw new IdentityMissingError()
      return new GiniNode(init, identity, false)
    }
    const { identity, created } = await loadOrCreateIdentity(init.storage, init.clock ?? systemClock)
    return new GiniNode(init, identity, created)
  }

  get peerId (): PeerId {
    return this.identity.peerId
  }

  async profile (): Promise<ParsedVCard | undefined> {
    const vcard = await this.init.storage.loadProfile()
    return vcard == null ? undefined : parseVCard(vcard)
  }

  /**
   * Sets the own card. A change of an existing card raises the §19 CardUpdate `seq`, which queues
   * the update for every contact (a running daemon sends it to the connected ones at once).
   */
  async setProfile (profile: Profile): Promise<ParsedVCard> {
    assertSendableProfile(profile)
    const vcard = buildVCard(profile)
    const parsed = parseVCard(vcard)
    const previous = await this.init.storage.loadProfile()
    if (previous != null && previous !== vcard) {
      // The seq is stored before the card, so a card on disk is never older than its seq says.
      const state = await this.init.storage.loadNodeState() ?? { addressSeq: 0 }
      await this.init.storage.saveNodeState({ ...state, cardSeq: (state.cardSeq ?? 0) + 1 })
    }
    await this.init.storage.saveProfile(vcard)
    if (previous != null && previous !== vcard) await this.daemon?.profileChanged().catch(() => {})
    return parsed
  }

  /** Shows a new flash code (via onProgress) and pairs with whoever enters it. */
  async invite (opts: PairingOptions & { codeLength?: 8 | 10 }): Promise<ContactRecord> {
    const init = await this.pairingInit(opts)
    return await this.store(await runCreator(init, opts.codeLength ?? 8), opts)
  }

  /**
   * Pairs using a code the other side read out, or the text of its QR code (docs/protocol.md §4.4).
   * Bad input throws InvalidFlashCodeError before anything is sent.
   */
  async accept (code: string, opts: PairingOptions): Promise<ContactRecord> {
    const fc = readFlashCode(code)
    const init = await this.pairingInit(opts)
    return await this.store(await runJoiner(init, fc), opts)
  }

  /**
   * §22.2: asks `relay` (the relay just configured) for the relay list and remembers it, so that
   * pairing can start at another relay of the network when this one is down. The number of relays
   * listed (0: a relay on its own, nothing remembered); RelayUnreachableError when it cannot be dialed.
   */
  async learnRelays (relay: string | Multiaddr, opts: { signal?: AbortSignal } = {}): Promise<number> {
    return await learnRelayList(this.init.createPeerNode, typeof relay === 'string' ? multiaddr(relay) : relay, this.knownRelays(), opts.signal)
  }

  /**
   * Stays online under the day's presence identity (daemon/daemon.ts, §21): a reservation on the relay(s),
   * every contact re-dialed, §8 on each session, AddressUpdate, reachability and the CRP.
   */
  async startDaemon (opts: DaemonOptions): Promise<Daemon> {
    if (this.daemon != null) throw new Error('the daemon is already running')
    const daemon = await Daemon.start({
      storage: this.init.storage,
      messages: await this.messages(),
      files: await this.init.storage.openFileTransfers?.(),
      identity: this.identity,
      createPeerNode: this.init.createPeerNode,
      clock: this.clock,
      webrtc: this.init.webrtc,
      webrtcAttemptTimeoutsMs: this.init.webrtcAttemptTimeoutsMs,
      onStop: () => { if (this.daemon === daemon) this.daemon = undefined }
    }, opts)
    this.daemon = daemon
    return daemon
  }

  /** Chat history and outbox, opened on first use. */
  async messages (): Promise<MessageStore> {
    this.messageStore ??= this.init.storage.openMessages()
    return await this.messageStore
  }

  /** File transfer records (docs/protocol.md §17), readable without going online. */
  async fileTransfers (): Promise<FileTransferStorage> {
    const storage = await this.init.storage.openFileTransfers?.()
    if (storage == null) throw new Error('File transfer is not available on this storage.')
    return storage
  }

  /** The running daemon, if any (chat needs one: it holds the links). */
  get runningDaemon (): Daemon | undefined {
    return this.daemon
  }

  /** Stops the daemon if it runs and closes the stores. The GiniNode is not used after this. */
  async close (): Promise<void> {
    await this.daemon?.stop()
    const store = this.messageStore
    this.messageStore = undefined
    await (await store)?.close()
  }

  async contacts (): Promise<ContactRecord[]> {
    return await this.init.storage.listContacts()
  }

  /** The one contact `query` names (contact-book.ts matchContacts); undefined if none or several. */
  async findContact (query: string): Promise<ContactRecord | undefined> {
    const found = matchContacts(await this.contacts(), query)
    return found.length === 1 ? found[0] : undefined
  }

  /** Every contact `query` could name (contact-book.ts matchContacts): callers say which when several. */
  async matchContacts (query: string): Promise<ContactRecord[]> {
    return matchContacts(await this.contacts(), query)
  }

  /** §19 local nickname ('' clears it); through the running daemon when there is one. */
  async renameContact (id: string, nickname: string): Promise<ContactRecord | undefined> {
    return this.daemon != null ? await this.daemon.renameContact(id, nickname) : await new ContactBook(this.init.storage).rename(id, nickname)
  }

  /** §19 blocking; a running daemon hangs up and stops dialling at once. */
  async setContactBlocked (id: string, blocked: boolean): Promise<ContactRecord | undefined> {
    return this.daemon != null ? await this.daemon.setBlocked(id, blocked) : await new ContactBook(this.init.storage).setBlocked(id, blocked)
  }

  /** §19 deletion: the record and its secrets; chat history stays. */
  async deleteContact (id: string): Promise<boolean> {
    return this.daemon != null ? await this.daemon.deleteContact(id) : await new ContactBook(this.init.storage).delete(id)
  }

  /** The 60-digit safety number between us and this contact (docs/protocol.md §18). */
  safetyNumber (contact: Pick<ContactRecord, 'id' | 'ppk'>): string {
    return contactSafetyNumber({ peerId: this.identity.peerId, ppk: this.identity.ppk.publicKey }, contact)
  }

  /**
   * Marks a contact verified against `number`, the safety number the user compared (§18): refused
   * (SafetyNumberMismatchError, nothing stored) unless it is the one the stored keys give now. Read
   * fresh and written at once, so a record another part of the node updated meanwhile keeps those changes.
   */
  async markVerified (id: string, number: string): Promise<ContactRecord> {
    const current = await this.init.storage.getContact(id)
    if (current == null) throw Object.assign(new Error(`No contact with id ${id}.`), { name: 'UsageError' })
    const now = this.safetyNumber(current)
    assertSafetyNumber(now, number)
    const contact: ContactRecord = { ...current, verified: { number: now, atMs: this.clock.now() } }
    await this.init.storage.putContact(contact)
    return contact
  }

  /** §18.1: the pending key change replaces the contact's key, card and secret; `verified` is dropped. */
  async acceptKeyChange (id: string): Promise<ContactRecord> {
    if (this.daemon != null) return await this.daemon.acceptKeyChange(id)
    return await this.editKeyChange(id, applyKeyChange)
  }

  /** §18.1: the pending key change is discarded; the contact stays as it was. */
  async rejectKeyChange (id: string): Promise<ContactRecord> {
    if (this.daemon != null) return await this.daemon.rejectKeyChange(id)
    return await this.editKeyChange(id, discardKeyChange)
  }

  private async editKeyChange (id: string, change: (c: ContactRecord) => boolean): Promise<ContactRecord> {
    let had = false
    const stored = await new ContactBook(this.init.storage).update(id, (c) => { had = change(c); return had })
    if (stored == null) throw Object.assign(new Error(`No contact with id ${id}.`), { name: 'UsageError' })
    if (!had) throw new NoKeyChangeError(stored)
    return stored
  }

  /**
   * The addresses on our card (docs/protocol.md §21.2): a running daemon's presence addresses, else
   * circuit slots at the relay we paired through under today's presence id for that relay.
   */
  cardAddrs (relayAddr: Multiaddr): Multiaddr[] {
    const running = this.daemon?.addrs ?? []
    if (running.length > 0) return running
    const relay = relayPeerIdOf(relayAddr)
    if (relay == null) return []
    const id = presencePeerId(this.identity, relay, presenceDay(this.clock.now())).toString()
    return [
      relayAddr.encapsulate(`/p2p-circuit/webrtc/p2p/${id}`),
      relayAddr.encapsulate(`/p2p-circuit/p2p/${id}`)
    ]
  }

  /** §22.2: the remembered relay list in storage (relays.json, the web client's nodeState). */
  private knownRelays (): KnownRelays {
    return {
      load: async () => {
        const addrs = (await this.init.storage.loadKnownRelays?.())?.addrs ?? []
        return addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } })
      },
      save: async (addrs) => { await this.init.storage.saveKnownRelays?.({ addrs: addrs.map(a => a.toString()), savedAtMs: this.clock.now() }) }
    }
  }

  private async pairingInit (opts: PairingOptions): Promise<PairingInit> {
    const vcard = await this.init.storage.loadProfile()
    if (vcard == null) throw new ProfileMissingError()
    return {
      // A pairing identity's connection to the other peer needs no identify (peer-node.ts).
      createPeerNode: async (peerOpts) => await this.init.createPeerNode({ ...peerOpts, identifyOnLimitedConnections: false }),
      relay: typeof opts.relay === 'string' ? multiaddr(opts.relay) : opts.relay,
      clock: this.clock,
      signal: opts.signal,
      onProgress: opts.onProgress,
      webrtcAttemptTimeoutsMs: this.init.webrtcAttemptTimeoutsMs,
      webrtc: this.init.webrtc,
      newFlashCode: this.init.newFlashCode,
      knownRelays: this.knownRelays(),
      self: {
        vcard,
        ppk: this.identity.ppk,
        peerId: this.identity.peerId,
        signingKey: this.identity.privateKey.raw,
        cardAddrs: (relayAddr) => this.cardAddrs(relayAddr)
      }
    }
  }

  private async store (outcome: PairingOutcome, opts: PairingOptions): Promise<ContactRecord> {
    const now = this.clock.now()
    const id = outcome.card.peerId.toString()
    const ppk = toHex(outcome.card.ppk)
    const previous = await this.init.storage.getContact(id)
    // §18.1: a new permanent key under a known peer id is kept beside the contact, never applied here.
    if (previous != null && previous.ppk !== ppk) return await this.storeKeyChange(previous, outcome, opts)
    const contact: ContactRecord = {
      id,
      name: outcome.card.vcard.fn,
      vcard: outcome.card.vcard.text,
      ppk,
      addresses: outcome.card.multiaddrs.map(ma => ({ multiaddr: ma.toString(), seenAtMs: now })),
      sharedSecret: { current: toHex(outcome.session.sharedSecret), previous: previous?.sharedSecret.current },
      pairedAtMs: previous?.pairedAtMs ?? now,
      lastSeenMs: now,
      // The pairing connection ends here; a running daemon turns this into `online` (§9.5).
      state: 'offline',
      // Local choices (§19) outlive a re-pairing.
      ...(previous?.nickname != null ? { nickname: previous.nickname } : {}),
      ...(previous?.blocked === true ? { blocked: true } : {}),
      // A pending key change (§18.1) waits for the user's answer; the seq mark of §19 outlives a re-pairing.
      ...(previous?.keyChange != null ? { keyChange: previous.keyChange } : {}),
      ...(previous?.cardSeqSeen != null ? { cardSeqSeen: previous.cardSeqSeen } : {}),
      // The pairing carried our whole card: no CardUpdate is owed for it (§19).
      cardSeqSent: (await this.init.storage.loadNodeState())?.cardSeq ?? 0
    }
    await this.init.storage.putContact(contact)
    const sameName = previous == null ? (await this.contacts()).find(c => c.id !== id && c.name === contact.name) : undefined
    opts.onProgress?.({ event: 'contact-added', id, name: contact.name, ...(sameName != null ? { sameNameAs: sameName.id } : {}) })
    // A running daemon dials the new contact at once (and stops a CRP a re-pairing made moot).
    await this.daemon?.contactChanged(id).catch(() => {})
    return contact
  }

  /** §18.1 step 2–3: the new key, card and secret go beside the unchanged contact; the user is told. */
  private async storeKeyChange (previous: ContactRecord, outcome: PairingOutcome, opts: PairingOptions): Promise<ContactRecord> {
    const now = this.clock.now()
    const keyChange = {
      ppk: toHex(outcome.card.ppk),
      name: outcome.card.vcard.fn,
      vcard: outcome.card.vcard.text,
      addresses: outcome.card.multiaddrs.map(ma => ({ multiaddr: ma.toString(), seenAtMs: now })),
      sharedSecret: toHex(outcome.session.sharedSecret),
      atMs: now
    }
    const stored = await new ContactBook(this.init.storage).update(previous.id, (c) => { c.keyChange = keyChange }) ?? { ...previous, keyChange }
    let oldSafetyNumber: string | undefined
    try { oldSafetyNumber = this.safetyNumber(stored) } catch {}
    const event = { event: 'key-change' as const, id: stored.id, name: stored.name, ...(oldSafetyNumber != null ? { oldSafetyNumber } : {}), newSafetyNumber: this.safetyNumber({ id: stored.id, ppk: keyChange.ppk }) }
    opts.onProgress?.(event)
    this.daemon?.keyChangePending(event)
    return stored
  }
}
