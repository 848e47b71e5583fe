// How a person names a contact (docs/protocol.md §19): the display name and the query resolver.
// Kept apart from contact-book.ts, with no runtime imports, so a command that only asks a running
// daemon for a contact loads nothing else.
import type { ContactRecord } from './storage.js'

/** The name a person knows the contact by: their nickname (local, §19) if set, else the card's name. */
export function displayName (c: Pick<ContactRecord, 'name' | 'nickname'>): string {
  return c.nickname != null && c.nickname !== '' ? c.nickname : c.name
}

/**
 * Which contacts `query` names: an exact peer id, else an exact (case-insensitive) name or nickname,
 * else a case-insensitive prefix of a name, nickname or peer id. One element is a match; more are
 * the candidates of an ambiguous query; none, no match. Every command that takes a contact uses this.
 */
export function matchContacts (all: ContactRecord[], query: string): ContactRecord[] {
  const byId = all.filter(c => c.id === query)
  if (byId.length > 0) return byId
  const wanted = query.trim().toLocaleLowerCase()
  if (wanted === '') return []
  const names = (c: ContactRecord): string[] => [c.name, ...(c.nickname != null ? [c.nickname] : [])].map(n => n.toLocaleLowerCase())
  const exact = all.filter(c => names(c).includes(wanted))
  if (exact.length > 0) return exact
  return all.filter(c => [...names(c), c.id.toLocaleLowerCase()].some(n => n.startsWith(wanted)))
}
