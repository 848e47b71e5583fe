// Key changes (docs/protocol.md §18.1): a re-pairing that brings a known peer id with a new PPK is
// kept beside the contact as a pending change; the old key stays in use until the user accepts
// (the record takes the new key, card and secret and loses its verification) or rejects it.
import type { ContactRecord } from './storage.js'

/** accept-key / reject-key on a contact with no pending key change: nothing is changed. */
export class NoKeyChangeError extends Error {
  constructor (contact: Pick<ContactRecord, 'id' | 'name'>) {
    super(`${contact.name} (${contact.id}) has no pending key change: nothing to accept or reject.`)
    this.name = 'UsageError'
  }
}

/**
 * §18.1 accept: the pending key, card, name and secret replace the old ones; what belonged to the old
 * key (SS_prev, mailbox chains, CRP, the seq marks of §8.4 and §19) goes, and so does `verified`.
 * Local choices (nickname, blocking) stay. Returns false (nothing to store) with no pending change.
 */
export function applyKeyChange (c: ContactRecord): boolean {
  const k = c.keyChange
  if (k == null) return false
  c.ppk = k.ppk
  c.name = k.name
  c.vcard = k.vcard
  c.addresses = k.addresses
  c.sharedSecret = { current: k.sharedSecret }
  c.state = 'offline'
  for (const key of ['keyChange', 'verified', 'mailbox', 'crp', 'addressSeqSeen', 'cardSeqSeen', 'lastPeerInfoAtMs'] as const) delete c[key]
  return true
}

/** §18.1 reject: the pending change and its secret are discarded; nothing else changes. */
export function discardKeyChange (c: ContactRecord): boolean {
  if (c.keyChange == null) return false
  delete c.keyChange
  return true
}
