// The mailbox's SQLite store (relay/mailbox-store.ts): counts and bytes kept right through puts,
// deletes, batched sweeps and a reopen; the file is private.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { SqliteMailboxStore } from '../../../relay/mailbox-store.js'

const token = (fill: number): Uint8Array => new Uint8Array(32).fill(fill)

describe('SqliteMailboxStore', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-mailbox-store-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('put, usage, list in deposit order, delete under the right token only; totals survive a reopen', async () => {
    const path = join(dir, 'a.sqlite')
    const store = SqliteMailboxStore.open(path)
    const ids = [store.put(token(1), 0, new Uint8Array(10), 1_000), store.put(token(1), 1, new Uint8Array(20), 2_000), store.put(token(2), 0, new Uint8Array(30), 3_000)]
    expect(store.usage(token(1))).to.deep.equal({ blobs: 2, bytes: 30 })
    expect(store.list(token(1), 10, 0).map(b => [b.id, b.index])).to.deep.equal([[ids[0], 0], [ids[1], 1]])
    expect(store.list(token(1), 1, 0)).to.have.length(1)
    expect(store.list(token(1), 10, 1_000).map(b => b.id), 'deposited at or before the cutoff: expired').to.deep.equal([ids[1]])
    expect(store.delete(token(2), [ids[0]])).to.equal(0)
    expect(store.delete(token(1), [ids[0], 999])).to.equal(1)
    expect([store.blobCount, store.totalBytes]).to.deep.equal([2, 50])
    store.close()
    expect((await stat(path)).mode & 0o777).to.equal(0o600)
    const again = SqliteMailboxStore.open(path)
    expect([again.blobCount, again.totalBytes]).to.deep.equal([2, 50])
    expect(again.delete(token(2), [ids[2]])).to.equal(1) // the highest id gone…
    expect(again.put(token(1), 2, new Uint8Array(1), 4_000), '…and still never reused').to.be.greaterThan(ids[2])
    again.close()
  })

  it('the sweep deletes in batches what is at or before the cutoff and keeps the totals', async () => {
    const store = SqliteMailboxStore.open(join(dir, 'b.sqlite'), { sweepBatchRows: 3 })
    for (let i = 0; i < 10; i++) store.put(token(i), 0, new Uint8Array(5), i)
    expect(await store.sweep(6)).to.equal(7)
    expect([store.blobCount, store.totalBytes]).to.deep.equal([3, 15])
    expect(store.list(token(7), 10, -1)).to.have.length(1)
    expect(store.list(token(6), 10, -1)).to.have.length(0)
    store.close()
  })
})
