// The contacts of a data dir (ContactRecord, peer/core/storage.ts) in SQLite through `node:sqlite`:
// `<data>/contacts.sqlite`, one row per contact holding the record as JSON. One database instead of
// a file per contact, so a restore of thousands is one transaction (BENCHMARKS.md, "Backup and
// restore of 10 000 contacts"). WAL with synchronous=FULL, as peer/adapters/sqlite-message-store.ts:
// a put is on disk when it returns. secure_delete: a deleted contact's SharedSecrets are overwritten,
// not left in free pages. The file (and so its -wal and -shm) is 0600: records hold secrets.
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { chmodSync, closeSync, openSync } from 'node:fs'
import { withTransaction } from '../../node-common/sqlite.js'
import type { ContactRecord } from '../core/storage.js'

export const CONTACTS_DB_FILE = 'contacts.sqlite'
export const CONTACTS_SCHEMA_VERSION = 1

// `damaged_contacts`: rows whose record did not parse, moved here with their bytes (never dropped),
// named in a warning. `meta`: `files-imported-at-ms`, set in the transaction that imported the
// contact files of an older data dir (file-storage.ts), so they are never imported twice.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS contacts (
  id           TEXT    PRIMARY KEY,
  paired_at_ms INTEGER NOT NULL,
  record       TEXT    NOT NULL -- the ContactRecord as JSON; holds SharedSecrets
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS damaged_contacts (
  id          TEXT    NOT NULL,
  record      BLOB,
  moved_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`

const IMPORTED_KEY = 'files-imported-at-ms'

/** SQLite result codes that mean the file is not (or no longer) a readable database. */
const SQLITE_CORRUPT = 11
const SQLITE_NOTADB = 26

/** True for an error of node:sqlite saying the database file is damaged (not busy, not full). */
export function isDamagedDatabase (err: unknown): boolean {
  const code = (err as { errcode?: unknown })?.errcode
  return typeof code === 'number' && ((code & 0xff) === SQLITE_CORRUPT || (code & 0xff) === SQLITE_NOTADB)
}

/** Told about a row whose record does not parse: its contact id and what is wrong (never the content). */
export type OnDamagedRow = (id: string, reason: string) => void

interface Row { id: string, record: unknown }

export class SqliteContactStore {
  readonly path: string
  private readonly db: DatabaseSync
  private readonly q: Record<'list' | 'get' | 'put' | 'insertNew' | 'delete' | 'aside' | 'getMeta' | 'setMeta', StatementSync>

  /** Opens (creating if needed) the database at `path`; node:sqlite's error when it is not one. */
  static open (path: string): SqliteContactStore {
    return new SqliteContactStore(path)
  }

  private constructor (path: string) {
    this.path = path
    if (path !== ':memory:') createPrivateFile(path)
    this.db = new DatabaseSync(path)
    try {
      this.db.exec('PRAGMA busy_timeout = 5000')
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON')
      const version = Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)
      if (version > CONTACTS_SCHEMA_VERSION) {
        throw new Error(`${path} was written by a newer version of gini (schema ${version}; this one reads ${CONTACTS_SCHEMA_VERSION}). Update gini; the file is left as it is.`)
      }
      this.db.exec(SCHEMA)
      if (version !== CONTACTS_SCHEMA_VERSION) this.db.exec(`PRAGMA user_version = ${CONTACTS_SCHEMA_VERSION}`)
      const p = (sql: string): StatementSync => this.db.prepare(sql)
      this.q = {
        list: p('SELECT id, record FROM contacts ORDER BY paired_at_ms, id'),
        get: p('SELECT id, record FROM contacts WHERE id = $id'),
        put: p(`INSERT INTO contacts (id, paired_at_ms, record) VALUES ($id, $pairedAtMs, $record)
                ON CONFLICT (id) DO UPDATE SET paired_at_ms = excluded.paired_at_ms, record = excluded.record`),
        insertNew: p('INSERT OR IGNORE INTO contacts (id, paired_at_ms, record) VALUES ($id, $pairedAtMs, $record)'),
        delete: p('DELETE FROM contacts WHERE id = $id'),
        aside: p('INSERT INTO damaged_contacts (id, record, moved_at_ms) SELECT id, record, $now FROM contacts WHERE id = $id'),
        getMeta: p('SELECT value FROM meta WHERE key = $key'),
        setMeta: p('INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      }
    } catch (err) {
      this.db.close()
      throw err
    }
  }

  /** Every contact that parses, by pairedAtMs then id; one that does not is moved to `damaged_contacts` and told to `onDamaged`. */
  list (onDamaged: OnDamagedRow): ContactRecord[] {
    const out: ContactRecord[] = []
    for (const row of this.q.list.all() as unknown as Row[]) {
      const c = this.parse(row, onDamaged)
      if (c != null) out.push(c)
    }
    return out
  }

  /** The contact, or undefined if there is none (or its row did not parse: then moved aside and told to `onDamaged`). */
  get (id: string, onDamaged: OnDamagedRow): ContactRecord | undefined {
    const row = this.q.get.get({ id }) as unknown as Row | undefined
    return row == null ? undefined : this.parse(row, onDamaged)
  }

  put (contact: ContactRecord): void {
    this.q.put.run(toRow(contact))
  }

  /** All of them in one transaction: a crash leaves all or none. */
  putMany (contacts: ContactRecord[]): void {
    const rows = contacts.map(toRow)
    withTransaction(this.db, () => { for (const r of rows) this.q.put.run(r) })
  }

  delete (id: string): void {
    this.q.delete.run({ id })
  }

  /**
   * Imports the contact files of an older data dir, once: in one transaction with the mark that says
   * it was done, and only if that mark is not set. A contact the database already holds is kept.
   * Returns the number of records added, or undefined when an earlier import is marked.
   */
  importOnce (contacts: ContactRecord[], nowMs: number): number | undefined {
    const rows = contacts.map(toRow)
    return withTransaction(this.db, () => {
      if (this.q.getMeta.get({ key: IMPORTED_KEY }) != null) return undefined
      let added = 0
      for (const r of rows) added += Number(this.q.insertNew.run(r).changes)
      this.q.setMeta.run({ key: IMPORTED_KEY, value: String(nowMs) })
      return added
    })
  }

  /** When the contact files of an older data dir were imported (undefined: never). */
  importedAtMs (): number | undefined {
    const row = this.q.getMeta.get({ key: IMPORTED_KEY }) as { value: string } | undefined
    return row == null ? undefined : Number(row.value)
  }

  close (): void {
    if (this.db.isOpen) this.db.close()
  }

  private parse (row: Row, onDamaged: OnDamagedRow): ContactRecord | undefined {
    let reason: string | undefined
    let contact: unknown
    if (typeof row.record !== 'string') {
      reason = 'not text'
    } else {
      try {
        contact = JSON.parse(row.record)
        if (typeof contact !== 'object' || contact == null || (contact as ContactRecord).id !== row.id) reason = 'not a contact record'
      } catch {
        reason = 'not valid JSON' // the parser's message quotes the text, which holds secrets
      }
    }
    if (reason == null) return contact as ContactRecord
    withTransaction(this.db, () => {
      this.q.aside.run({ id: row.id, now: Date.now() })
      this.q.delete.run({ id: row.id })
    })
    onDamaged(row.id, reason)
    return undefined
  }
}

function toRow (c: ContactRecord): { id: string, pairedAtMs: number, record: string } {
  return { id: c.id, pairedAtMs: Number.isFinite(c.pairedAtMs) ? c.pairedAtMs : 0, record: JSON.stringify(c) }
}

/** Created 0600 before SQLite opens it, so the -wal and -shm it adds get the same mode. */
function createPrivateFile (path: string): void {
  closeSync(openSync(path, 'a', 0o600))
  chmodSync(path, 0o600)
}
