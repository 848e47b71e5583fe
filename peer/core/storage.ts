// The storage a GiniNode runs on: files and SQLite (contacts, chat) in Node (adapters/file-storage.ts),
// IndexedDB in the browser. Records are plain JSON-able objects so both adapters store them the same way.
import type { FileTransferStorage } from './files/file-transfers.js'
import type { MessageStore } from './chat/message-store.js'
import type { ManualContactRecord } from './manual-contacts.js'

/** The person's long-term keys (docs/protocol.md §2.4). Secret: stored with owner-only permissions. */
export interface IdentityRecord {
  /** libp2p Ed25519 private key, protobuf-encoded (privateKeyToProtobuf). */
  libp2pKey: Uint8Array
  /** X25519 private key, the `ppk` (32 bytes). */
  ppkPrivate: Uint8Array
  createdAtMs: number
  /**
   * §20.2: the 32-byte root entropy both keys were derived from (shown as the 24-word mnemonic).
   * Absent for an identity made before §20.2, or restored from its two raw-key mnemonics.
   */
  rootEntropy?: Uint8Array
}

export type ReachabilityState = 'online' | 'offline' | 'unreachable' | 'expired'

export interface KnownAddress {
  multiaddr: string
  /** When we last learned or used it (addresses are tried newest first). */
  seenAtMs: number
}

export interface ContactRecord {
  /** The contact's long-term peer id (string form). */
  id: string
  /** The vCard's FN. */
  name: string
  /** vCard 4.0 text as received and verified (§7). */
  vcard: string
  /** Permanent X25519 public key (PPK), hex. */
  ppk: string
  addresses: KnownAddress[]
  /** §8.3: the current and previous SharedSecret, hex. Secret. */
  sharedSecret: { current: string, previous?: string }
  pairedAtMs: number
  lastSeenMs: number
  state: ReachabilityState
  /** §8.4 AddressUpdate: the highest `seq` received from this contact; older ones are ignored. */
  addressSeqSeen?: number
  /** §9.4: `min(at_ms, now)` of the last PeerInfo accepted from this contact (docs/protocol.md §13.3 #11). */
  lastPeerInfoAtMs?: number
  /** §9: Connection Restore Protocol bookkeeping; absent unless a CRP is running (or expired). */
  crp?: CrpRecord
  /** §16.2: the mailbox ratchets, one entry per SharedSecret still held (at most 2). Secret, like `sharedSecret`. */
  mailbox?: MailboxChainsRecord[]
  /** §18: the safety number the user confirmed matched the contact's, and when. Absent: not verified. */
  verified?: { number: string, atMs: number }
  /** §19: the person's own name for this contact; local, never sent. */
  nickname?: string
  /** §19: true while blocked (streams refused, never dialled); absent otherwise. */
  blocked?: boolean
  /** §18.1: a re-pairing brought a new PPK; kept here, unused, until the user accepts or rejects it. */
  keyChange?: PendingKeyChange
  /** §19 CardUpdate: the highest `seq` accepted from this contact. */
  cardSeqSeen?: number
  /** §19 CardUpdate outbox: the own card `seq` this contact has (lower than NodeState.cardSeq: send it). */
  cardSeqSent?: number
}

/** The new key, card and SharedSecret of a re-pairing under a known peer id (docs/protocol.md §18.1). */
export interface PendingKeyChange {
  /** The new PPK, hex. */
  ppk: string
  name: string
  vcard: string
  addresses: KnownAddress[]
  /** The SharedSecret agreed with the new PPK, hex. Secret. */
  sharedSecret: string
  atMs: number
}

/** The mailbox chains (docs/protocol.md §16.2) started from one SharedSecret. Chain and message keys are secret (hex). */
export interface MailboxChainsRecord {
  /** Which SharedSecret: `H(16, "gini/mailbox/1/state", key = SS)`, hex (names it without revealing it). */
  ssId: string
  /** Our direction: the next chain key and its index. */
  send?: { ck: string, index: number }
  /** The contact's direction: the next chain key, its index, and the skipped message keys `[index, mk]`. */
  receive?: { ck: string, index: number, skipped: Array<[number, string]> }
}

/** A running CRP for one contact (§9.4). Holds no secret. */
export interface CrpRecord {
  /** When the CRP began: the schedule's age counts from here (wall-clock ms). */
  startedAtMs: number
  /** The planned next registration run (for `gini contacts --json`). */
  nextRunAtMs?: number
  lastRunAtMs?: number
  /** Runs in a row that ended in INCORRECT_SHARED_SECRET (a success resets it; 3 → "restore keeps failing"). */
  incorrectInRow: number
}

/** The node's own persistent state besides its identity. */
export interface NodeState {
  /** §8.4, §13.3 #10: the last AddressUpdate `seq` sent (one counter per long-term identity, never reset). */
  addressSeq: number
  /** §19: the own card's CardUpdate `seq` (one counter per long-term identity, never reset); absent: 0. */
  cardSeq?: number
}

/** §22.2: a few relays of the last relay list fetched, to ask for the list when the configured relay is down. Holds no secret. */
export interface KnownRelaysRecord {
  /** One address per relay, each ending in /p2p/<relay id>, at most 8. */
  addrs: string[]
  savedAtMs: number
}

export interface GiniStorage {
  loadIdentity(): Promise<IdentityRecord | undefined>
  saveIdentity(identity: IdentityRecord): Promise<void>
  /** The user's own vCard 4.0. */
  loadProfile(): Promise<string | undefined>
  saveProfile(vcard: string): Promise<void>
  listContacts(): Promise<ContactRecord[]>
  getContact(id: string): Promise<ContactRecord | undefined>
  putContact(contact: ContactRecord): Promise<void>
  /**
   * Many contacts at once (a restore, §20.1): each record as putContact writes it, in one
   * transaction, durable when this resolves: an interrupted call leaves all or none written.
   */
  putContacts(contacts: ContactRecord[]): Promise<void>
  /** Removes the contact's record (and with it its secrets); no record is no error. */
  deleteContact(id: string): Promise<void>
  /** §19 manual contacts, in their own store (absent where not supported yet). */
  listManualContacts?(): Promise<ManualContactRecord[]>
  putManualContact?(contact: ManualContactRecord): Promise<void>
  /** No record is no error. */
  deleteManualContact?(id: string): Promise<void>
  /** The node's own persistent state (AddressUpdate `seq`); undefined before the first save. */
  loadNodeState(): Promise<NodeState | undefined>
  saveNodeState(state: NodeState): Promise<void>
  /** §22.2: relays remembered from the last relay list; undefined before the first save (or when damaged, set aside). */
  loadKnownRelays?(): Promise<KnownRelaysRecord | undefined>
  saveKnownRelays?(record: KnownRelaysRecord): Promise<void>
  /** Chat history and outbox (docs/protocol.md §15). Opened once per GiniNode, closed by it. */
  openMessages(): Promise<MessageStore>
  /** File transfers (docs/protocol.md §17): records and file bytes; absent where files are not supported. */
  openFileTransfers?(): Promise<FileTransferStorage>
}
