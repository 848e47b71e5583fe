// MessageStore in the browser: an IndexedDB database of its own beside the profile's (`<name>-messages`),
// so chat history has its own versioning. Each call is one transaction: an `add` has committed (and
// survives a reload or a closed tab) when it resolves, which is what the ack promises (docs/protocol.md §15.3).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { StoredEnvelope } from '../../protocols/chat/index.js'
import type { MessageStore } from '../core/chat/message-store.js'

/** Bump with a new `if (oldVersion < N)` step in `upgrade`, never by editing an old step. */
const DB_VERSION = 1

interface Row extends StoredEnvelope { contact: string }

interface MessagesDb extends DBSchema {
  envelopes: { key: [string, string], value: Row, indexes: { byContact: string } }
}

export class IndexedDbMessageStore implements MessageStore {
  private constructor (private readonly db: IDBPDatabase<MessagesDb>) {}

  static async open (profileDbName: string): Promise<IndexedDbMessageStore> {
    const db = await openDB<MessagesDb>(`${profileDbName}-messages`, DB_VERSION, {
      upgrade (db, oldVersion) {
        if (oldVersion < 1) {
          const store = db.createObjectStore('envelopes', { keyPath: ['contact', 'id'] })
          store.createIndex('byContact', 'contact')
        }
      },
      blocking () { db.close() }
    })
    return new IndexedDbMessageStore(db)
  }

  async add (contact: string, e: StoredEnvelope): Promise<boolean> {
    const tx = this.db.transaction('envelopes', 'readwrite')
    const exists = await tx.store.getKey([contact, e.id])
    if (exists == null) await tx.store.add({ ...e, contact })
    await tx.done
    return exists == null
  }

  async markDelivered (contact: string, ids: string[]): Promise<string[]> {
    const tx = this.db.transaction('envelopes', 'readwrite')
    const newly: string[] = []
    for (const id of ids) {
      const row = await tx.store.get([contact, id])
      if (row == null || row.author !== 'me' || row.delivered) continue
      await tx.store.put({ ...row, delivered: true })
      newly.push(id)
    }
    await tx.done
    return newly
  }

  async undelivered (contact: string): Promise<StoredEnvelope[]> {
    return (await this.list(contact)).filter(e => e.author === 'me' && !e.delivered).sort((a, b) => a.seq - b.seq)
  }

  async list (contact: string): Promise<StoredEnvelope[]> {
    return (await this.db.getAllFromIndex('envelopes', 'byContact', contact)).map(({ contact: _, ...e }) => e)
  }

  async lastSent (contact: string): Promise<{ seq: number, sentAtMs: number }> {
    let seq = 0
    let sentAtMs = 0
    for (const e of await this.list(contact)) {
      if (e.author !== 'me') continue
      seq = Math.max(seq, e.seq)
      sentAtMs = Math.max(sentAtMs, e.sentAtMs)
    }
    return { seq, sentAtMs }
  }

  async withdraw (contact: string, id: string): Promise<boolean> {
    const tx = this.db.transaction('envelopes', 'readwrite')
    const row = await tx.store.get([contact, id])
    const ok = row != null && row.author === 'me' && !row.delivered
    if (ok) await tx.store.delete([contact, id])
    await tx.done
    return ok
  }

  async close (): Promise<void> {
    this.db.close()
  }
}
