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
/**
 * docs/protocol.md §21.4: a contact's previous presence addresses are dialed and accepted for 48 hours
 * after the newest one learned (here, not in presence.ts, so the address book loads no crypto).
 */
export const PRESENCE_GRACE_MS = 48 * 3_600_000

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
 * Merges learned addresses into the table: known ones get the newer time, new ones are added. An
 * address counts if it names a peer id (§2.4) other than one of ours (`ownIds`): a contact's
 * addresses name its presence identities, not its long-term id (docs/protocol.md §21.2).
 */
export function mergeAddresses (known: KnownAddress[], learned: Multiaddr[], ownIds: ReadonlySet<string>, nowMs: number): KnownAddress[] {
  const byAddr = new Map(known.map(a => [a.multiaddr, { ...a }]))
  for (const ma of learned) {
    const text = ma.toString()
    const id = peerIdTextOf(text)
    if (id == null || ownIds.has(id)) continue
    const entry = byAddr.get(text)
    if (entry == null) byAddr.set(text, { multiaddr: text, seenAtMs: nowMs })
    else entry.seenAtMs = Math.max(entry.seenAtMs, nowMs)
  }
  return [...byAddr.values()]
    .sort((a, b) => b.seenAtMs - a.seenAtMs)
    .slice(0, MAX_KNOWN_ADDRESSES)
}

/**
 * The contact's addresses to dial, newest first (each saved address is tried in turn): those
 * learned within the grace period before the newest one (§21.4), each naming a peer id.
 */
export function addressesNewestFirst (contact: Pick<ContactRecord, 'addresses'>, max = MAX_DIALED_ADDRESSES): Multiaddr[] {
  const out: Multiaddr[] = []
  const sorted = [...contact.addresses].sort((x, y) => y.seenAtMs - x.seenAtMs)
  const oldest = (sorted[0]?.seenAtMs ?? 0) - PRESENCE_GRACE_MS
  for (const a of sorted) {
    if (a.seenAtMs < oldest) break
    if (peerIdTextOf(a.multiaddr) == null) continue
    try {
      out.push(multiaddr(a.multiaddr))
    } catch {}
    if (out.length >= max) break
  }
  return out
}

/** The contacts whose dialable addresses name `peerId`, most recently learned first (§21.3). */
export function contactsNaming (contacts: ContactRecord[], peerId: string): ContactRecord[] {
  const learnedAt = (c: ContactRecord): number => {
    const dialable = new Set(addressesNewestFirst(c, MAX_KNOWN_ADDRESSES).map(String))
    return Math.max(-1, ...c.addresses.filter(a => dialable.has(a.multiaddr) && peerIdTextOf(a.multiaddr) === peerId).map(a => a.seenAtMs))
  }
  return contacts.map(c => ({ c, at: learnedAt(c) })).filter(x => x.at >= 0).sort((x, y) => y.at - x.at).map(x => x.c)
}

/** The peer id a multiaddr names (its last `/p2p/` part), if any. */
export function peerIdTextOf (addr: string): string | undefined {
  const i = addr.lastIndexOf('/p2p/')
  if (i < 0) return undefined
  const id = addr.slice(i + 5)
  return id.length > 0 && !id.includes('/') ? id : undefined
}
