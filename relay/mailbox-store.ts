// The relay mailbox (docs/protocol.md §16.5) in SQLite through `node:sqlite`: one row per sealed
// blob, keyed by the token it was deposited under. The rules live in protocols/mailbox/relay.ts;
// this file only stores, with prepared statements.
//
// Durability as relay/restore-store.ts: WAL with synchronous=NORMAL, each `put` its own
// transaction committed before the relay answers `Deposited`, so a SIGKILL loses none.
//
// Privacy (§16.7): the only bytes stored are tokens and sealed blobs; the rest are an index, a
// deposit time and a row number. The file is 0600.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { withTransaction } from '../node-common/sqlite.js'
import type { MailboxStore, StoredBlob } from '../protocols/mailbox/index.js'
import { MAILBOX_DB_FILE, MAILBOX_SWEEP_BATCH_ROWS } from './constants.js'

const SCHEMA_VERSION = 1

const SCHEMA = `
CREATE TABLE IF NOT EXISTS MailboxBlobs (
  Id        INTEGER PRIMARY KEY AUTOINCREMENT, -- the id handed to the receiver; never reused
  Token     BLOB    NOT NULL CHECK (length(Token) = 32),
  Idx       INTEGER NOT NULL,  -- the sender's ratchet index i (§16.2)
  Sealed    BLOB    NOT NULL,  -- encoded Sealed { nonce, ciphertext }
  Bytes     INTEGER NOT NULL,  -- length(Sealed), for the bounds
  DepositAt INTEGER NOT NULL   -- epoch ms; the blob ends 7 days later
);
CREATE INDEX IF NOT EXISTS MailboxBlobsToken ON MailboxBlobs (Token, Id);
CREATE INDEX IF NOT EXISTS MailboxBlobsDepositAt ON MailboxBlobs (DepositAt);
`

/** `<dataDir>/mailbox.sqlite`, or an in-memory database without a data dir. */
export function mailboxDbPath (dataDir?: string): string {
  return dataDir != null ? join(dataDir, MAILBOX_DB_FILE) : ':memory:'
}

export interface MailboxStoreOptions {
  /** Rows per sweep statement (default MAILBOX_SWEEP_BATCH_ROWS). */
  sweepBatchRows?: number
}

export class SqliteMailboxStore implements MailboxStore {
  readonly path: string
  private readonly db: DatabaseSync
  private readonly batchRows: number
  private readonly q: Record<'usage' | 'put' | 'list' | 'delete' | 'sweep', StatementSync>
  private blobs: number
  private bytes: number
  private closed = false

  static open (path: string, options: MailboxStoreOptions = {}): SqliteMailboxStore {
    return new SqliteMailboxStore(path, options)
  }

  private constructor (path: string, options: MailboxStoreOptions) {
    this.path = path
    this.batchRows = options.sweepBatchRows ?? MAILBOX_SWEEP_BATCH_ROWS
    if (path !== ':memory:') createPrivateFile(path)
    this.db = new DatabaseSync(path)
    try {
      this.db.exec('PRAGMA busy_timeout = 5000')
      if (path !== ':memory:') {
        this.db.exec('PRAGMA journal_mode = WAL')
        this.db.exec('PRAGMA synchronous = NORMAL')
      }
      this.db.exec(SCHEMA)
      this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`)
      const p = (sql: string): StatementSync => this.db.prepare(sql)
      this.q = {
        usage: p('SELECT count(*) AS n, coalesce(sum(Bytes), 0) AS b FROM MailboxBlobs WHERE Token = $token'),
        put: p('INSERT INTO MailboxBlobs (Token, Idx, Sealed, Bytes, DepositAt) VALUES ($token, $idx, $sealed, $bytes, $at) RETURNING Id'),
        list: p('SELECT Id, Idx, Sealed FROM MailboxBlobs WHERE Token = $token AND DepositAt > $cutoff ORDER BY Id LIMIT $limit'),
        delete: p('DELETE FROM MailboxBlobs WHERE Token = $token AND Id = $id RETURNING Bytes'),
        sweep: p('DELETE FROM MailboxBlobs WHERE Id IN (SELECT Id FROM MailboxBlobs WHERE DepositAt <= $cutoff LIMIT $limit) RETURNING Bytes')
      }
      const totals = this.db.prepare('SELECT count(*) AS n, coalesce(sum(Bytes), 0) AS b FROM MailboxBlobs').get() as { n: number, b: number }
      this.blobs = Number(totals.n)
      this.bytes = Number(totals.b)
    } catch (err) {
      this.db.close()
      throw err
    }
  }

  get blobCount (): number { return this.blobs }
  get totalBytes (): number { return this.bytes }

  usage (token: Uint8Array): { blobs: number, bytes: number } {
    const r = this.q.usage.get({ token }) as { n: number, b: number }
    return { blobs: Number(r.n), bytes: Number(r.b) }
  }

  put (token: Uint8Array, index: number, sealed: Uint8Array, nowMs: number): number {
    const r = this.q.put.get({ token, idx: index, sealed, bytes: sealed.length, at: nowMs }) as { Id: number }
    this.blobs++
    this.bytes += sealed.length
    return Number(r.Id)
  }

  list (token: Uint8Array, limit: number, expiredAtOrBefore: number): StoredBlob[] {
    const rows = this.q.list.all({ token, cutoff: expiredAtOrBefore, limit }) as Array<{ Id: number, Idx: number, Sealed: Uint8Array }>
    return rows.map(r => ({ id: Number(r.Id), index: Number(r.Idx), sealed: r.Sealed }))
  }

  delete (token: Uint8Array, ids: number[]): number {
    return withTransaction(this.db, () => {
      let n = 0
      for (const id of ids) {
        const r = this.q.delete.get({ token, id }) as { Bytes: number } | undefined
        if (r != null) { n++; this.blobs--; this.bytes -= Number(r.Bytes) }
      }
      return n
    })
  }

  /** Batched, yielding to the event loop between batches so deposits keep flowing. */
  async sweep (cutoffMs: number): Promise<number> {
    let total = 0
    while (!this.closed) {
      const rows = this.q.sweep.all({ cutoff: cutoffMs, limit: this.batchRows }) as Array<{ Bytes: number }>
      for (const r of rows) this.bytes -= Number(r.Bytes)
      this.blobs -= rows.length
      total += rows.length
      if (rows.length < this.batchRows) break
      await new Promise(resolve => setImmediate(resolve))
    }
    return total
  }

  close (): void {
    if (this.closed) return
    this.closed = true
    this.db.close()
  }
}

/** Tokens link one pair's deposits (§16.7): the file (and its -wal/-shm) is 0600. */
function createPrivateFile (path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  chmodSync(path, 0o600)
}
