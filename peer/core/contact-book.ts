// Read-modify-write of contact records for the long-running parts of a node (sessions, restore,
// reachability). Every update reads the record fresh from storage (a `gini invite` in another
// process may have re-paired the contact meanwhile) and updates of one contact run one at a time.
// Also the contact's address book: every address learned, with when it was learned (§8.3, §8.4).
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { ContactRecord, GiniStorage, KnownAddress } from './storage.js'
import { KeyedQueue } from './keyed-queue.js'

/** Bound on remembered addresses per contact (oldest dropped first): keeps records and dials small. */
export const MAX_KNOWN_ADDRESSES = 64
/** A reconnection tries at most this many of the newest addresses. */
export const MAX_DIALED_ADDRESSES = 8

export class ContactBook {
  private readonly storage: GiniStorage
  private readonly queue = new KeyedQueue()

  constructor (storage: GiniStorage) {
    this.storage = storage
  }

  /** Resolves once every update queued so far has been written (a stopping daemon waits for it). */
  async settle (): Promise<void> {
    await this.queue.idle()
  }

  async list (): Promise<ContactRecord[]> {
    return await this.storage.listContacts()
  }

  async get (id: string): Promise<ContactRecord | undefined> {
    return await this.storage.getContact(id)
  }

  /**
   * Applies `change` to a fresh copy of the record and stores it; `change` returning false stores
   * nothing. Resolves with the stored record (undefined if there is no such contact).
   */
  async update (id: string, change: (c: ContactRecord) => boolean | void): Promise<ContactRecord | undefined> {
    return await this.queue.run(id, async () => {
      const current = await this.storage.getContact(id)
      if (current == null) return undefined
      const copy: ContactRecord = structuredClone(current)
      if (change(copy) === false) return current
      await this.storage.putContact(copy)
      return copy
    })
  }

  /** §19: sets (or, with '' or undefined, clears) the local nickname; it is never sent. */
  async rename (id: string, nickname: string | undefined): Promise<ContactRecord | undefined> {
    const nick = nickname?.trim()
    return await this.update(id, (c) => {
      if (nick == null || nick === '') delete c.nickname
      else c.nickname = nick
    })
  }

  /** §19: a blocked contact's streams are refused and it is not dialled. */
  async setBlocked (id: string, blocked: boolean): Promise<ContactRecord | undefined> {
    return await this.update(id, (c) => {
      if ((c.blocked === true) === blocked) return false
      if (blocked) c.blocked = true
      else delete c.blocked
    })
  }

  /** §19: removes the record and with it the SharedSecret and mailbox chains; chat history stays. */
  async delete (id: string): Promise<boolean> {
    return await this.queue.run(id, async () => {
      if (await this.storage.getContact(id) == null) return false
      await this.storage.deleteContact(id)
      return true
    })
  }
}

/**
 * Merges learned addresses into the table: known ones get the newer time, new ones are added; only
 * addresses that end in `/p2p/<contact id>` count (§2.4: a multiaddr names the identity it reaches).
 */
export function mergeAddresses (known: KnownAddress[], learned: Multiaddr[], contactId: string, nowMs: number): KnownAddress[] {
  const byAddr = new Map(known.map(a => [a.multiaddr, { ...a }]))
  for (const ma of learned) {
    const text = ma.toString()
    if (!text.endsWith(`/p2p/${contactId}`)) continue
    const entry = byAddr.get(text)
    if (entry == null) byAddr.set(text, { multiaddr: text, seenAtMs: nowMs })
    else entry.seenAtMs = Math.max(entry.seenAtMs, nowMs)
  }
  return [...byAddr.values()]
    .sort((a, b) => b.seenAtMs - a.seenAtMs)
    .slice(0, MAX_KNOWN_ADDRESSES)
}

/** The contact's addresses to dial, newest first (each saved address is tried in turn). */
export function addressesNewestFirst (contact: Pick<ContactRecord, 'id' | 'addresses'>, max = MAX_DIALED_ADDRESSES): Multiaddr[] {
  const out: Multiaddr[] = []
  for (const a of [...contact.addresses].sort((x, y) => y.seenAtMs - x.seenAtMs)) {
    if (!a.multiaddr.endsWith(`/p2p/${contact.id}`)) continue
    try {
      out.push(multiaddr(a.multiaddr))
    } catch {}
    if (out.length >= max) break
  }
  return out
}
