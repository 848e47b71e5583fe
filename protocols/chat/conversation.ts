// What a conversation shows, derived from every envelope either side stored (docs/protocol.md §15.4,
// §15.5). A pure function of the stored set, so the order envelopes arrived in, duplicates and an
// EDIT that came before its MESSAGE make no difference: the same set always shows the same thing.
import type { EnvelopeRecord } from './envelope.js'

export type Author = 'me' | 'them'

export interface StoredEnvelope extends EnvelopeRecord {
  author: Author
  /** Ours: acknowledged by the contact (§15.3). Theirs: always true. */
  delivered: boolean
}

export interface ShownMessage {
  id: string
  author: Author
  /** The latest edit's text, or the original; '' once deleted. */
  content: string
  sentAtMs: number
  seq: number
  edited: boolean
  deleted: boolean
  /** At most one reaction per author (§15.4). */
  reactions: Partial<Record<Author, string>>
  /** Ours: the contact has it. Theirs: true. */
  delivered: boolean
}

/**
 * §15.5: by sender time; one author's envelopes by its seq; a tie between the two authors by id, which
 * both sides hold alike, so both show the same order.
 */
export function compareShown (a: { id: string, sentAtMs: number, seq: number, author: Author }, b: { id: string, sentAtMs: number, seq: number, author: Author }): number {
  if (a.sentAtMs !== b.sentAtMs) return a.sentAtMs - b.sentAtMs
  if (a.author === b.author) return a.seq - b.seq
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

export function showConversation (envelopes: Iterable<StoredEnvelope>): ShownMessage[] {
  const messages = new Map<string, ShownMessage>()
  const changes: StoredEnvelope[] = []
  for (const e of envelopes) {
    if (e.type !== 'MESSAGE') { changes.push(e); continue }
    if (messages.has(e.id)) continue
    messages.set(e.id, {
      id: e.id,
      author: e.author,
      content: e.content,
      sentAtMs: e.sentAtMs,
      seq: e.seq,
      edited: false,
      deleted: false,
      reactions: {},
      delivered: e.delivered
    })
  }
  // The highest seq of each kind of change wins; a DELETE wins over every EDIT (a tombstone).
  const lastEdit = new Map<string, StoredEnvelope>()
  const lastReact = new Map<string, StoredEnvelope>()
  for (const c of changes.sort((a, b) => a.seq - b.seq)) {
    const target = c.target == null ? undefined : messages.get(c.target)
    if (target == null) continue // its MESSAGE has not arrived yet: applied when it does
    if (c.type === 'REACT') {
      lastReact.set(`${c.author}:${target.id}`, c)
      continue
    }
    if (c.author !== target.author) continue // only the author edits or deletes (§15.4)
    if (c.type === 'DELETE') target.deleted = true
    else lastEdit.set(target.id, c)
  }
  for (const [id, edit] of lastEdit) {
    const m = messages.get(id)!
    m.content = edit.content
    m.edited = true
  }
  for (const react of lastReact.values()) {
    const m = messages.get(react.target!)!
    if (react.content === '') delete m.reactions[react.author]
    else m.reactions[react.author] = react.content
  }
  const shown = [...messages.values()]
  for (const m of shown) if (m.deleted) m.content = ''
  return shown.sort(compareShown)
}
