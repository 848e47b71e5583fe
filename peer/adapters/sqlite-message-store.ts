// MessageStore in SQLite (node:sqlite), `<data>/messages.sqlite`. WAL with synchronous=FULL: an
// envelope is on disk when `add` returns, so the ack that follows it is true (docs/protocol.md §15.3)
// even if the process is killed or the machine loses power right after.
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { chmodSync } from 'node:fs'
import { withTransaction } from '../../node-common/sqlite.js'
import type { StoredEnvelope } from '../../protocols/chat/index.js'
import type { MessageStore } from '../core/chat/message-store.js'

export const MESSAGES_DB_FILE = 'messages.sqlite'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS envelopes (
  contact    TEXT NOT NULL,
  id         TEXT NOT NULL,
  author     TEXT NOT NULL CHECK (author IN ('me', 'them')),
  type       TEXT NOT NULL CHECK (type IN ('MESSAGE', 'EDIT', 'DELETE', 'REACT')),
  content    TEXT NOT NULL,
  target     TEXT,
  sent_at_ms INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  delivered  INTEGER NOT NULL,
  PRIMARY KEY (contact, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outbox ON envelopes (contact, author, delivered, seq);
`

interface Row { id: string, author: 'me' | 'them', type: StoredEnvelope['type'], content: string, target: string | null, sent_at_ms: number, seq: number, delivered: number }

function fromRow (r: Row): StoredEnvelope {
  const e: StoredEnvelope = { id: r.id, author: r.author, type: r.type, content: r.content, sentAtMs: r.sent_at_ms, seq: r.seq, delivered: r.delivered === 1 }
  if (r.target != null) e.target = r.target
  return e
}

export class SqliteMessageStore implements MessageStore {
  private readonly db: DatabaseSync
  private readonly q: Record<'insert' | 'deliver' | 'undelivered' | 'list' | 'last' | 'withdraw', StatementSync>

  constructor (path: string) {
    this.db = new DatabaseSync(path)
    try {
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;')
      this.db.exec(SCHEMA)
      if (path !== ':memory:') chmodSync(path, 0o600)
    } catch (err) {
      this.db.close()
      throw err
    }
    const p = (sql: string): StatementSync => this.db.prepare(sql)
    this.q = {
      insert: p(`INSERT OR IGNORE INTO envelopes (contact, id, author, type, content, target, sent_at_ms, seq, delivered)
                 VALUES ($contact, $id, $author, $type, $content, $target, $sentAtMs, $seq, $delivered)`),
      deliver: p("UPDATE envelopes SET delivered = 1 WHERE contact = $contact AND id = $id AND author = 'me' AND delivered = 0"),
      undelivered: p("SELECT * FROM envelopes WHERE contact = $contact AND author = 'me' AND delivered = 0 ORDER BY seq"),
      list: p('SELECT * FROM envelopes WHERE contact = $contact'),
      last: p("SELECT COALESCE(MAX(seq), 0) AS seq, COALESCE(MAX(sent_at_ms), 0) AS sentAtMs FROM envelopes WHERE contact = $contact AND author = 'me'"),
      withdraw: p("DELETE FROM envelopes WHERE contact = $contact AND id = $id AND author = 'me' AND delivered = 0")
    }
  }

  async add (contact: string, e: StoredEnvelope): Promise<boolean> {
    const r = this.q.insert.run({
      contact,
      id: e.id,
      author: e.author,
      type: e.type,
      content: e.content,
      target: e.target ?? null,
      sentAtMs: e.sentAtMs,
      seq: e.seq,
      delivered: e.delivered ? 1 : 0
    })
    return Number(r.changes) === 1
  }

  async markDelivered (contact: string, ids: string[]): Promise<string[]> {
    return withTransaction(this.db, () => {
      const newly: string[] = []
      for (const id of ids) if (Number(this.q.deliver.run({ contact, id }).changes) === 1) newly.push(id)
      return newly
    })
  }

  async undelivered (contact: string): Promise<StoredEnvelope[]> {
    return (this.q.undelivered.all({ contact }) as unknown as Row[]).map(fromRow)
  }

  async list (contact: string): Promise<StoredEnvelope[]> {
    return (this.q.list.all({ contact }) as unknown as Row[]).map(fromRow)
  }

  async lastSent (contact: string): Promise<{ seq: number, sentAtMs: number }> {
    const r = this.q.last.get({ contact }) as { seq: number, sentAtMs: number }
    return { seq: Number(r.seq), sentAtMs: Number(r.sentAtMs) }
  }

  async withdraw (contact: string, id: string): Promise<boolean> {
    return Number(this.q.withdraw.run({ contact, id }).changes) === 1
  }

  async close (): Promise<void> {
    if (this.db.isOpen) this.db.close()
  }
}
