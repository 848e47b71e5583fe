// Where a peer keeps every chat envelope, its own and its contacts' (docs/protocol.md §15): SQLite in
// Node (adapters/sqlite-message-store.ts), IndexedDB in the browser. An `add` resolves only once the
// envelope is durable, because an ack promises exactly that (§15.3).
import type { StoredEnvelope } from '../../../protocols/chat/index.js'

export interface MessageStore {
  /** Stores one envelope; false (and nothing changes) when this contact's id is already stored. */
  add(contactId: string, envelope: StoredEnvelope): Promise<boolean>
  /** Marks our envelopes delivered; returns the ids that were not delivered before. */
  markDelivered(contactId: string, ids: string[]): Promise<string[]>
  /** Our envelopes the contact has not acknowledged, in seq order (the outbox, §15.6). */
  undelivered(contactId: string): Promise<StoredEnvelope[]>
  /** Every envelope of the conversation, in no particular order (showConversation() orders them). */
  list(contactId: string): Promise<StoredEnvelope[]>
  /** Our highest seq and sent_at for this contact: 0 and 0 before the first. */
  lastSent(contactId: string): Promise<{ seq: number, sentAtMs: number }>
  /** Removes one of our undelivered envelopes (the user withdrew it); false when delivered or unknown. */
  withdraw(contactId: string, id: string): Promise<boolean>
  close(): Promise<void>
}
