// GiniStorage in the browser: one IndexedDB database per origin (docs/architecture.md "Persistence").
// Records are the same plain objects the file adapter writes as JSON; IndexedDB's structured clone
// keeps the Uint8Arrays of the identity as they are. Each put is one transaction, so a write is
// all-or-nothing and survives a reload or a closed tab.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { ContactRecord, GiniStorage, IdentityRecord, KnownRelaysRecord, NodeState } from '../core/storage.js'
import type { ManualContactRecord } from '../core/manual-contacts.js'
import type { MessageStore } from '../core/chat/message-store.js'
import { IndexedDbMessageStore } from './indexeddb-message-store.js'
import { IndexedDbFileTransferStorage } from './indexeddb-file-transfer-storage.js'

export const DEFAULT_DB_NAME = 'giniconnect'
/** Bump with a new `if (oldVersion < N)` step in `upgrade`, never by editing an old step. */
const DB_VERSION = 2
/** The single key of the singleton stores (identity, profile). */
const SELF = 'self'
/** The key of the remembered relays in the nodeState store. */
const KNOWN_RELAYS = 'relays'

interface GiniDb extends DBSchema {
  identity: { key: string, value: IdentityRecord }
  profile: { key: string, value: { vcard: string } }
  contacts: { key: string, value: ContactRecord }
  /** `self`: NodeState; `relays`: the KnownRelaysRecord (§22.2). */
  nodeState: { key: string, value: NodeState | KnownRelaysRecord }
  /** docs/protocol.md §19 manual contacts: never mixed with `contacts`. */
  manualContacts: { key: string, value: ManualContactRecord }
}

export class IndexedDbStorage implements GiniStorage {
  private readonly db: IDBPDatabase<GiniDb>
  private files?: Promise<IndexedDbFileTransferStorage>

  private constructor (db: IDBPDatabase<GiniDb>) {
    this.db = db
  }

  async openMessages (): Promise<MessageStore> {
    return await IndexedDbMessageStore.open(this.db.name)
  }

  /** One instance per profile: the daemon and the views share the files picked in this tab. */
  async openFileTransfers (): Promise<IndexedDbFileTransferStorage> {
    this.files ??= IndexedDbFileTransferStorage.open(this.db.name)
    return await this.files
  }

  /**
   * `onVersionChange`: another tab runs a newer build and needs to upgrade the database; this
   * connection is closed first, then the hook runs (the web client reloads into the new build).
   */
  static async open (name: string = DEFAULT_DB_NAME, onVersionChange?: () => void): Promise<IndexedDbStorage> {
    const db = await openDB<GiniDb>(name, DB_VERSION, {
      upgrade (db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('identity')
          db.createObjectStore('profile')
          db.createObjectStore('contacts', { keyPath: 'id' })
          db.createObjectStore('nodeState')
        }
        if (oldVersion < 2) db.createObjectStore('manualContacts', { keyPath: 'id' })
      },
      blocking () {
        db.close()
        onVersionChange?.()
      }
    })
    return new IndexedDbStorage(db)
  }

  async loadIdentity (): Promise<IdentityRecord | undefined> {
    const record = await this.db.get('identity', SELF)
    if (record == null) return undefined
    return {
      libp2pKey: new Uint8Array(record.libp2pKey),
      ppkPrivate: new Uint8Array(record.ppkPrivate),
      createdAtMs: record.createdAtMs,
      ...(record.rootEntropy != null ? { rootEntropy: new Uint8Array(record.rootEntropy) } : {})
    }
  }

  async saveIdentity (identity: IdentityRecord): Promise<void> {
    // Two tabs of one profile opening for the first time would race here; the web client opens
    // the GiniNode under a Web Lock, so the second tab loads what the first one saved.
    await this.db.put('identity', { ...identity }, SELF)
  }

  async loadProfile (): Promise<string | undefined> {
    return (await this.db.get('profile', SELF))?.vcard
  }

  async saveProfile (vcard: string): Promise<void> {
    await this.db.put('profile', { vcard }, SELF)
  }

  async listContacts (): Promise<ContactRecord[]> {
    const all = await this.db.getAll('contacts')
    return all.sort((a, b) => a.pairedAtMs - b.pairedAtMs)
  }

  async getContact (id: string): Promise<ContactRecord | undefined> {
    return await this.db.get('contacts', id)
  }

  async putContact (contact: ContactRecord): Promise<void> {
    await this.db.put('contacts', contact)
  }

  /** One transaction for all of them. */
  async putContacts (contacts: ContactRecord[]): Promise<void> {
    const tx = this.db.transaction('contacts', 'readwrite')
    await Promise.all([...contacts.map(async c => await tx.store.put(c)), tx.done])
  }

  async deleteContact (id: string): Promise<void> {
    await this.db.delete('contacts', id)
  }

  /** §19, sorted by id (the list sorts them by name). */
  async listManualContacts (): Promise<ManualContactRecord[]> {
    return await this.db.getAll('manualContacts')
  }

  async putManualContact (contact: ManualContactRecord): Promise<void> {
    if (!/^m[0-9a-f]{20}$/.test(contact.id)) throw new Error('invalid manual contact id')
    await this.db.put('manualContacts', { id: contact.id, vcard: contact.vcard })
  }

  async deleteManualContact (id: string): Promise<void> {
    await this.db.delete('manualContacts', id)
  }

  async loadNodeState (): Promise<NodeState | undefined> {
    return await this.db.get('nodeState', SELF) as NodeState | undefined
  }

  async loadKnownRelays (): Promise<KnownRelaysRecord | undefined> {
    const r = await this.db.get('nodeState', KNOWN_RELAYS) as KnownRelaysRecord | undefined
    return r != null && Array.isArray(r.addrs) ? r : undefined
  }

  async saveKnownRelays (record: KnownRelaysRecord): Promise<void> {
    await this.db.put('nodeState', { ...record }, KNOWN_RELAYS)
  }

  async saveNodeState (state: NodeState): Promise<void> {
    await this.db.put('nodeState', { ...state }, SELF)
  }

  close (): void {
    this.db.close()
  }
}
