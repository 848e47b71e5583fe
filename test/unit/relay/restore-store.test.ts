// RestoreConnections in SQLite (relay/restore-store.ts, docs/protocol.md §9): schema and file, the upsert,
// the batched sweep, reopening, and that nothing but the token and sealed blobs is stored.
import { statSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { expect } from 'chai'
import { Sealed } from '../../../protocols/crp/index.js'
import { SqliteRestoreStore, restoreDbPath } from '../../../relay/restore-store.js'
import { Cleanup } from '../../helpers/relay-clients.js'
import { freshToken, sealed, tempDir } from '../../helpers/crp-clients.js'

const T = 1_700_000_000_000

describe('RestoreConnections store (SQLite)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function open (opts = {}): Promise<{ store: SqliteRestoreStore, path: string }> {
    const path = restoreDbPath(await tempDir(cleanup))
    const store = SqliteRestoreStore.open(path, opts)
    cleanup.add(() => { store.close() })
    return { store, path }
  }

  /** The file as another process would read it (WAL readers see committed rows). */
  function raw (cleanup: Cleanup, path: string): DatabaseSync {
    const db = new DatabaseSync(path, { readOnly: true })
    cleanup.add(() => { db.close() })
    return db
  }

  it('open × a data dir → <dir>/restore.sqlite, mode 0600, WAL, table RestoreConnections keyed by SharedSecret', async () => {
    const { path } = await open()
    expect(path.endsWith('/restore.sqlite')).to.equal(true)
    expect(statSync(path).mode & 0o777).to.equal(0o600)
    const db = raw(cleanup, path)
    expect(db.prepare('PRAGMA journal_mode').get()).to.deep.equal({ journal_mode: 'wal' })
    const cols = db.prepare('PRAGMA table_info(RestoreConnections)').all().map((c: any) => [c.name, c.type])
    expect(cols).to.deep.equal([
      ['Id', 'INTEGER'], ['SharedSecret', 'BLOB'], ['Offer', 'BLOB'], ['OfferAt', 'INTEGER'], ['Answer', 'BLOB'],
      ['AnswerAt', 'INTEGER'], ['SessionA', 'INTEGER'], ['SessionB', 'INTEGER'],
      ['Timestamp', 'INTEGER'], ['FirstTimestamp', 'INTEGER']
    ])
    // One row per token: SharedSecret carries a UNIQUE index.
    const unique = db.prepare("SELECT il.name FROM pragma_index_list('RestoreConnections') il JOIN pragma_index_info(il.name) ii WHERE il.[unique] = 1").all().map((r: any) => r.name)
    expect(unique.length).to.equal(1)
    expect(db.prepare(`SELECT name FROM pragma_index_info('${String(unique[0])}')`).all()).to.deep.equal([{ name: 'SharedSecret' }])
  })

  it('no data dir → in memory', () => {
    expect(restoreDbPath()).to.equal(':memory:')
    const store = SqliteRestoreStore.open(':memory:')
    store.register(freshToken(), 'A', undefined, T)
    expect(store.size).to.equal(1)
    store.close()
  })

  it('register × one token 100 times by both roles → one row: first time kept, Timestamp and Sessions refreshed', async () => {
    const { store, path } = await open()
    const token = freshToken()
    for (let i = 0; i < 100; i++) store.register(token, i % 2 === 0 ? 'A' : 'B', undefined, T + i)
    expect(store.size).to.equal(1)
    expect(store.get(token)).to.deep.equal({ firstAtMs: T, lastAtMs: T + 99, parked: {}, sessionAtMs: { A: T + 98, B: T + 99 } })
    expect(raw(cleanup, path).prepare('SELECT count(*) AS n FROM RestoreConnections').get()).to.deep.equal({ n: 1 })
  })

  it('register with parked × per role → newest kept per role; without parked keeps it; the other role untouched', async () => {
    const { store } = await open()
    const token = freshToken()
    const [a1, a2, b1] = [sealed(), sealed(), sealed()]
    store.register(token, 'A', a1, T)
    store.register(token, 'B', b1, T + 1)
    store.register(token, 'A', a2, T + 2)
    const row = store.register(token, 'A', undefined, T + 3)
    expect(row.parked).to.deep.equal({ A: { sealed: a2, atMs: T + 2 }, B: { sealed: b1, atMs: T + 1 } })
  })

  it('clearSession / clearAllSessions / delete → only what was asked; size follows', async () => {
    const { store } = await open()
    const [t1, t2] = [freshToken(), freshToken()]
    store.register(t1, 'A', undefined, T)
    store.register(t1, 'B', undefined, T)
    store.register(t2, 'B', undefined, T)
    store.clearSession(t1, 'A')
    expect(store.get(t1)?.sessionAtMs).to.deep.equal({ B: T })
    store.clearAllSessions()
    expect([store.get(t1)?.sessionAtMs, store.get(t2)?.sessionAtMs]).to.deep.equal([{}, {}])
    store.delete(t1)
    store.delete(t1)
    expect(store.size).to.equal(1)
    expect(store.get(t1)).to.equal(undefined)
  })

  it('sweep × cutoffs → rows first registered at or before deleted, parked offers and Sessions at or before cleared, in batches', async () => {
    const { store } = await open({ sweepBatchRows: 3 })
    const old = Array.from({ length: 10 }, () => freshToken())
    const young = Array.from({ length: 7 }, () => freshToken())
    for (const t of old) store.register(t, 'A', sealed(), T)
    for (const t of young) store.register(t, 'B', sealed(), T + 10)
    for (const t of young) store.register(t, 'A', sealed(), T + 20)
    const counts = await store.sweep({ rowsFirstAtOrBefore: T, parkedAtOrBefore: T + 10, sessionsAtOrBefore: T + 10 })
    expect(counts).to.deep.equal({ rows: 10, parked: 7, sessions: 7 })
    expect(store.size).to.equal(7)
    for (const t of old) expect(store.get(t)).to.equal(undefined)
    for (const t of young) {
      const row = store.get(t)!
      expect(Object.keys(row.parked)).to.deep.equal(['A'])
      expect(row.sessionAtMs).to.deep.equal({ A: T + 20 })
    }
  })

  it('reopen × same file → rows, parked offers and size back; nothing duplicated', async () => {
    const { store, path } = await open()
    const tokens = Array.from({ length: 20 }, () => freshToken())
    const offer = sealed()
    for (const t of tokens) store.register(t, 'A', offer, T)
    store.close()
    const again = SqliteRestoreStore.open(path)
    cleanup.add(() => { again.close() })
    expect(again.size).to.equal(20)
    for (const t of tokens) again.register(t, 'B', undefined, T + 1)
    expect(again.size).to.equal(20)
    expect(again.get(tokens[7])?.parked.A?.sealed).to.deep.equal(offer)
  })

  it('stores nothing but the token and sealed blobs: every BLOB is a token or an encoded Sealed, the rest are times', async () => {
    const { store, path } = await open()
    const token = freshToken()
    const [a, b] = [sealed(), sealed(300)]
    store.register(token, 'A', a, T)
    store.register(token, 'B', b, T + 5)
    const row = raw(cleanup, path).prepare('SELECT * FROM RestoreConnections').get() as Record<string, unknown>
    expect(Buffer.from(row.SharedSecret as Uint8Array).equals(Buffer.from(token))).to.equal(true)
    expect(Sealed.decode(row.Offer as Uint8Array)).to.deep.equal(a)
    expect(Sealed.decode(row.Answer as Uint8Array)).to.deep.equal(b)
    for (const [col, value] of Object.entries(row)) {
      if (['SharedSecret', 'Offer', 'Answer'].includes(col)) continue // the rest: Id (insertion order) and times
      expect(typeof value, col).to.equal('number')
    }
  })

  it('load × rows and a token already present → new rows added without Session, the present one untouched', async () => {
    const { store } = await open()
    const [t1, t2] = [freshToken(), freshToken()]
    store.register(t1, 'A', undefined, T)
    const offer = sealed()
    expect(store.load([{ token: t1, atMs: T + 5 }, { token: t2, atMs: T + 7, parked: { B: offer } }])).to.equal(1)
    expect(store.size).to.equal(2)
    expect(store.get(t1)).to.deep.equal({ firstAtMs: T, lastAtMs: T, parked: {}, sessionAtMs: { A: T } })
    expect(store.get(t2)).to.deep.equal({ firstAtMs: T + 7, lastAtMs: T + 7, parked: { B: { sealed: offer, atMs: T + 7 } }, sessionAtMs: {} })
  })

  it('a token that is not 32 bytes is refused by the schema itself', async () => {
    const { store } = await open()
    expect(() => store.register(new Uint8Array(31), 'A', undefined, T)).to.throw()
    expect(store.size).to.equal(0)
  })
})
