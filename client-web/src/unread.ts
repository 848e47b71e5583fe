// Unread counts on the contact list: how many of a contact's messages this profile has seen, kept in
// localStorage per profile and contact. A count, not a time: the sender's clock orders messages
// (docs/protocol.md §15.5), so one queued while offline may carry an older time than one already read.
import type { StoredEnvelope } from '../../protocols/chat/index.js'

const key = (profile: string, contactId: string): string => `giniconnect:${profile}:chat-read:${contactId}`

/** Their MESSAGE envelopes (an EDIT, a DELETE or a reaction is not a new message). */
export function theirMessages (envelopes: StoredEnvelope[]): number {
  return envelopes.filter(e => e.author === 'them' && e.type === 'MESSAGE').length
}

export function unreadCount (profile: string, contactId: string, envelopes: StoredEnvelope[]): number {
  const read = Number(localStorage.getItem(key(profile, contactId)) ?? '0')
  return Math.max(0, theirMessages(envelopes) - (Number.isFinite(read) ? read : 0))
}

/** Everything of theirs stored now counts as read (the chat is open). */
export function markRead (profile: string, contactId: string, envelopes: StoredEnvelope[]): void {
  try {
    localStorage.setItem(key(profile, contactId), String(theirMessages(envelopes)))
  } catch {} // storage full or blocked: the badge comes back, nothing else breaks
}
