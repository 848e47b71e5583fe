// SQLite through `node:sqlite`, for the stores of both programs (peer/adapters/ and relay/): Node
// only, so it lives outside protocols/ (which stays isomorphic) and outside peer/ and relay/ (which
// never import each other). It imports only `node:` modules (docs/architecture.md).
import type { DatabaseSync } from 'node:sqlite'

/**
 * Runs `fn` in one transaction on `db`: `BEGIN IMMEDIATE` (the write lock is taken up front, so a
 * transaction never fails half way on a lock another connection holds), `COMMIT` when `fn` returns,
 * `ROLLBACK` when it or the commit throws, and the error goes on to the caller. All or none of
 * `fn`'s writes are kept.
 *
 * `fn` is synchronous: node:sqlite's calls are, and a promise would let the commit run before its
 * work. Transactions do not nest (no store needs it; a call inside one throws before touching the
 * outer transaction, which the outer `fn`'s throw then rolls back).
 */
export function withTransaction<T> (db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) throw new Error('withTransaction: already inside a transaction (transactions do not nest)')
  db.exec('BEGIN IMMEDIATE')
  try {
    const result = fn()
    if (isThenable(result)) throw new TypeError('withTransaction: fn must be synchronous (it returned a promise)')
    db.exec('COMMIT')
    return result
  } catch (err) {
    rollback(db)
    throw err
  }
}

/** Rolls back what is still open. SQLite may already have rolled back on its own (a full disk, an
 * I/O error): then there is nothing to do, and the caller sees the error that caused it. */
function rollback (db: DatabaseSync): void {
  if (db.isTransaction === false) return
  try {
    db.exec('ROLLBACK')
  } catch {
    // No transaction left to roll back (older Node without isTransaction); the first error stands.
  }
}

function isThenable (v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v != null && typeof (v as { then?: unknown }).then === 'function'
}
