// The one SQLite transaction helper of the peer's and the relay's stores (node-common/sqlite.ts):
// all or none kept, the write lock taken up front, no nesting, no async work inside.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { expect } from 'chai'
import { withTransaction } from '../../../node-common/sqlite.js'

describe('withTransaction', () => {
  let dir: string
  let db: DatabaseSync
  const count = (): number => Number((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n)

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-sqlite-tx-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })
  beforeEach(() => {
    db = new DatabaseSync(join(dir, `${Math.random().toString(36).slice(2)}.sqlite`), { timeout: 0 })
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)')
  })
  afterEach(() => { if (db.isOpen) db.close() })

  it('commits what fn wrote and returns its result', () => {
    const r = withTransaction(db, () => { db.exec('INSERT INTO t VALUES (1), (2)'); return 'done' })
    expect(r).to.equal('done')
    expect(count()).to.equal(2)
    expect(db.isTransaction).to.equal(false)
  })

  it('rolls back everything fn wrote when it throws, and rethrows the same error', () => {
    const boom = new Error('boom')
    expect(() => withTransaction(db, () => { db.exec('INSERT INTO t VALUES (1)'); throw boom })).to.throw(boom)
    expect(count()).to.equal(0)
    expect(db.isTransaction).to.equal(false)
  })

  it('takes the write lock at BEGIN: another writer holding it fails the call before fn runs', () => {
    const other = new DatabaseSync(db.location() ?? '', { timeout: 0 })
    try {
      other.exec('BEGIN IMMEDIATE')
      let ran = false
      expect(() => withTransaction(db, () => { ran = true })).to.throw(/locked|busy/i)
      expect(ran).to.equal(false)
      expect(db.isTransaction).to.equal(false)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })

  it('refuses a nested call, and the outer transaction rolls back with it', () => {
    expect(() => withTransaction(db, () => {
      db.exec('INSERT INTO t VALUES (1)')
      withTransaction(db, () => db.exec('INSERT INTO t VALUES (2)'))
    })).to.throw(/do not nest/)
    expect(count()).to.equal(0)
    expect(db.isTransaction).to.equal(false)
  })

  it('refuses an async fn and keeps none of its writes', async () => {
    expect(() => withTransaction(db, async () => { db.exec('INSERT INTO t VALUES (1)') })).to.throw(TypeError, /synchronous/)
    expect(count()).to.equal(0)
    expect(db.isTransaction).to.equal(false)
  })
})
