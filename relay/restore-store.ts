// RestoreConnections (docs/protocol.md §9.2) in SQLite through `node:sqlite`: one row per token
// with the fields of §9.2's table. The relay's rules live in protocols/crp/relay.ts; this file only
// stores, with prepared statements.
//
// Durability: WAL with synchronous=NORMAL. Each `register` is its own transaction, committed to the
// WAL before the relay answers `Registered`, so a process killed with SIGKILL loses none (the OS
// holds the written pages); only a power cut can lose the last commits, which peers re-register
// within one interval. The token column is UNIQUE, so a row can never be duplicated.
//
// Privacy (§11): the only bytes stored are the token (column `SharedSecret`, as §9.2 names it —
// it holds the token, never a secret) and sealed parked offers; the rest are times and a row number.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import {
  Sealed, type CrpRole, type RestoreRow, type RestoreStore, type SweepCounts, type SweepCutoffs
} from '../protocols/crp/index.js'
import { withTransaction } from '../node-common/sqlite.js'
import { CRP_DB_CACHE_KIB, CRP_SWEEP_BATCH_ROWS, RESTORE_DB_FILE } from './constants.js'

const SCHEMA_VERSION = 1

// A rowid table: rows sit in insertion order, so the sweep deletes contiguous pages, and the random
// tokens live only in their compact UNIQUE index (measured: 20 % smaller and faster to fill than a
// WITHOUT ROWID table keyed by the token). The partial indexes hold only rows with a parked offer or
// a Session, which are few (24 h / 300 s against a row's 365 days).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS RestoreConnections (
  Id             INTEGER PRIMARY KEY, -- insertion order; internal, never sent
  SharedSecret   BLOB    NOT NULL UNIQUE CHECK (length(SharedSecret) = 32), -- the token, never a secret
  Offer          BLOB,              -- role A's newest parked offer (encoded Sealed)
  OfferAt        INTEGER,           -- …its Register, epoch ms
  Answer         BLOB,              -- role B's newest parked offer
  AnswerAt       INTEGER,
  SessionA       INTEGER,           -- Session: when role A's live stream registered (NULL: none)
  SessionB       INTEGER,
  Timestamp      INTEGER NOT NULL,  -- latest registration
  FirstTimestamp INTEGER NOT NULL   -- first registration; the row ends 365 days later
);
CREATE INDEX IF NOT EXISTS RestoreConnectionsFirst ON RestoreConnections (FirstTimestamp);
CREATE INDEX IF NOT EXISTS RestoreConnectionsOfferAt ON RestoreConnections (OfferAt) WHERE OfferAt IS NOT NULL;
CREATE INDEX IF NOT EXISTS RestoreConnectionsAnswerAt ON RestoreConnections (AnswerAt) WHERE AnswerAt IS NOT NULL;
CREATE INDEX IF NOT EXISTS RestoreConnectionsSessionA ON RestoreConnections (SessionA) WHERE SessionA IS NOT NULL;
CREATE INDEX IF NOT EXISTS RestoreConnectionsSessionB ON RestoreConnections (SessionB) WHERE SessionB IS NOT NULL;
`

const COLUMNS = 'Offer, OfferAt, Answer, AnswerAt, SessionA, SessionB, Timestamp, FirstTimestamp'

/** Clears (or deletes) at most $limit rows matching `where`, so one sweep batch stays short. */
function batchedUpdate (set: string, where: string): string {
  const pick = `SELECT Id FROM RestoreConnections WHERE ${where} LIMIT $limit`
  return set === 'DELETE'
    ? `DELETE FROM RestoreConnections WHERE Id IN (${pick})`
    : `UPDATE RestoreConnections SET ${set} WHERE Id IN (${pick})`
}

interface Row {
  Offer: Uint8Array | null
  OfferAt: number | null
  Answer: Uint8Array | null
  AnswerAt: number | null
  SessionA: number | null
  SessionB: number | null
  Timestamp: number
  FirstTimestamp: number
}

export interface RestoreStoreOptions {
  /** Rows per sweep statement (default CRP_SWEEP_BATCH_ROWS). */
  sweepBatchRows?: number
}

/** `<dataDir>/restore.sqlite`, or an in-memory database without a data dir. */
export function restoreDbPath (dataDir?: string): string {
  return dataDir != null ? join(dataDir, RESTORE_DB_FILE) : ':memory:'
}

export class SqliteRestoreStore implements RestoreStore {
  readonly path: string
  private readonly db: DatabaseSync
  private readonly batchRows: number
  private readonly q: Record<'get' | 'exists' | 'upsert' | 'load' | 'clearA' | 'clearB' | 'clearAll' | 'delete' |
  'sweepRows' | 'sweepOffer' | 'sweepAnswer' | 'sweepSessionA' | 'sweepSessionB', StatementSync>

  private count: number
  private closed = false

  /** Opens (creating if needed) the database at `path` (`:memory:` for none). */
  static open (path: string, options: RestoreStoreOptions = {}): SqliteRestoreStore {
    return new SqliteRestoreStore(path, options)
  }

  private constructor (path: string, options: RestoreStoreOptions) {
    this.path = path
    this.batchRows = options.sweepBatchRows ?? CRP_SWEEP_BATCH_ROWS
    if (path !== ':memory:') createPrivateFile(path)
    this.db = new DatabaseSync(path)
    try {
      this.db.exec('PRAGMA busy_timeout = 5000')
      this.db.exec(`PRAGMA cache_size = -${CRP_DB_CACHE_KIB}`)
      if (path !== ':memory:') {
        this.db.exec('PRAGMA journal_mode = WAL')
        this.db.exec('PRAGMA synchronous = NORMAL')
      }
      this.db.exec(SCHEMA)
      this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)
      this.q = this.prepare()
      this.count = Number((this.db.prepare('SELECT count(*) AS n FROM RestoreConnections').get() as { n: number }).n)
    } catch (err) {
      this.db.close()
      throw err
    }
  }

  private prepare (): SqliteRestoreStore['q'] {
    const p = (sql: string): StatementSync => this.db.prepare(sql)
    return {
      get: p(`SELECT ${COLUMNS} FROM RestoreConnections WHERE SharedSecret = $token`),
      exists: p('SELECT 1 AS x FROM RestoreConnections WHERE SharedSecret = $token'),
      // §9.2 upsert: a NULL argument keeps the stored value (the other role's fields, an absent
      // parked offer).
      upsert: p(`INSERT INTO RestoreConnections (SharedSecret, ${COLUMNS})
        VALUES ($token, $offer, $offerAt, $answer, $answerAt, $sessionA, $sessionB, $now, $now)
        ON CONFLICT (SharedSecret) DO UPDATE SET
          Offer = coalesce(excluded.Offer, Offer), OfferAt = coalesce(excluded.OfferAt, OfferAt),
          Answer = coalesce(excluded.Answer, Answer), AnswerAt = coalesce(excluded.AnswerAt, AnswerAt),
          SessionA = coalesce(excluded.SessionA, SessionA), SessionB = coalesce(excluded.SessionB, SessionB),
          Timestamp = excluded.Timestamp
        RETURNING ${COLUMNS}`),
      load: p(`INSERT OR IGNORE INTO RestoreConnections (SharedSecret, ${COLUMNS})
        VALUES ($token, $offer, $offerAt, $answer, $answerAt, NULL, NULL, $at, $at)`),
      clearA: p('UPDATE RestoreConnections SET SessionA = NULL WHERE SharedSecret = $token'),
      clearB: p('UPDATE RestoreConnections SET SessionB = NULL WHERE SharedSecret = $token'),
      clearAll: p('UPDATE RestoreConnections SET SessionA = NULL, SessionB = NULL WHERE SessionA IS NOT NULL OR SessionB IS NOT NULL'),
      delete: p('DELETE FROM RestoreConnections WHERE SharedSecret = $token'),
      sweepRows: p(batchedUpdate('DELETE', 'FirstTimestamp <= $cutoff')),
      sweepOffer: p(batchedUpdate('Offer = NULL, OfferAt = NULL', 'OfferAt <= $cutoff')),
      sweepAnswer: p(batchedUpdate('Answer = NULL, AnswerAt = NULL', 'AnswerAt <= $cutoff')),
      sweepSessionA: p(batchedUpdate('SessionA = NULL', 'SessionA <= $cutoff')),
      sweepSessionB: p(batchedUpdate('SessionB = NULL', 'SessionB <= $cutoff'))
    }
  }

  get size (): number {
    return this.count
  }

  get (token: Uint8Array): RestoreRow | undefined {
    const row = this.q.get.get({ token }) as Row | undefined
    return row == null ? undefined : toRestoreRow(row)
  }

  register (token: Uint8Array, role: CrpRole, parked: Sealed | undefined, nowMs: number): RestoreRow {
    const blob = parked != null ? Sealed.encode(parked) : null
    const existed = this.q.exists.get({ token }) != null
    const row = this.q.upsert.get({
      token,
      offer: role === 'A' ? blob : null,
      offerAt: role === 'A' && blob != null ? nowMs : null,
      answer: role === 'B' ? blob : null,
      answerAt: role === 'B' && blob != null ? nowMs : null,
      sessionA: role === 'A' ? nowMs : null,
      sessionB: role === 'B' ? nowMs : null,
      now: nowMs
    }) as unknown as Row
    if (!existed) this.count++
    return toRestoreRow(row)
  }

  clearSession (token: Uint8Array, role: CrpRole): void {
    (role === 'A' ? this.q.clearA : this.q.clearB).run({ token })
  }

  clearAllSessions (): void {
    this.q.clearAll.run()
  }

  delete (token: Uint8Array): void {
    this.count -= Number(this.q.delete.run({ token }).changes)
  }

  /** Batched, yielding to the event loop between batches so registrations keep flowing. */
  async sweep (c: SweepCutoffs): Promise<SweepCounts> {
    const rows = await this.batched(this.q.sweepRows, c.rowsFirstAtOrBefore, (n) => { this.count -= n })
    const parked = await this.batched(this.q.sweepOffer, c.parkedAtOrBefore) + await this.batched(this.q.sweepAnswer, c.parkedAtOrBefore)
    const sessions = await this.batched(this.q.sweepSessionA, c.sessionsAtOrBefore) + await this.batched(this.q.sweepSessionB, c.sessionsAtOrBefore)
    return { rows, parked, sessions }
  }

  /**
   * Bulk load of rows first and last registered at `atMs`, with no live stream (benchmarks, a
   * migration), in one transaction; a token already present is left alone. Returns rows added.
   */
  load (rows: Iterable<{ token: Uint8Array, atMs: number, parked?: Partial<Record<CrpRole, Sealed>> }>): number {
    return withTransaction(this.db, () => {
      let added = 0
      for (const r of rows) {
        const offer = r.parked?.A != null ? Sealed.encode(r.parked.A) : null
        const answer = r.parked?.B != null ? Sealed.encode(r.parked.B) : null
        const at = r.atMs
        added += Number(this.q.load.run({ token: r.token, offer, offerAt: offer != null ? at : null, answer, answerAt: answer != null ? at : null, at }).changes)
      }
      this.count += added
      return added
    })
  }

  /** Database pages in use, in bytes (main file after a checkpoint). */
  bytesUsed (): number {
    const pages = (this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count
    const size = (this.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
    const free = (this.db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count
    return (pages - free) * size
  }

  /** Writes the WAL back into the main file and truncates it. */
  checkpoint (): void {
    if (this.path !== ':memory:') this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  }

  close (): void {
    if (this.closed) return
    this.closed = true
    this.db.close()
  }

  private async batched (stmt: StatementSync, cutoff: number, onBatch?: (n: number) => void): Promise<number> {
    let total = 0
    while (!this.closed) {
      const n = Number(stmt.run({ cutoff, limit: this.batchRows }).changes)
      onBatch?.(n)
      total += n
      if (n < this.batchRows) break
      await new Promise(resolve => setImmediate(resolve))
    }
    return total
  }
}

function toRestoreRow (r: Row): RestoreRow {
  const parked: RestoreRow['parked'] = {}
  if (r.Offer != null && r.OfferAt != null) parked.A = { sealed: Sealed.decode(r.Offer), atMs: r.OfferAt }
  if (r.Answer != null && r.AnswerAt != null) parked.B = { sealed: Sealed.decode(r.Answer), atMs: r.AnswerAt }
  const sessionAtMs: RestoreRow['sessionAtMs'] = {}
  if (r.SessionA != null) sessionAtMs.A = r.SessionA
  if (r.SessionB != null) sessionAtMs.B = r.SessionB
  return { firstAtMs: r.FirstTimestamp, lastAtMs: r.Timestamp, parked, sessionAtMs }
}

/** Tokens link one pair's restore runs (§11): the file (and so its -wal/-shm, which SQLite gives the same mode) is 0600. */
function createPrivateFile (path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  chmodSync(path, 0o600)
}
