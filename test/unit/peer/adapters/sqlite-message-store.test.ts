// The chat store in SQLite (peer/adapters/sqlite-message-store.ts): each envelope once per contact,
// the outbox in seq order, delivery marks, and what was stored before a SIGKILL is there afterwards.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { SqliteMessageStore } from '../../../../peer/adapters/sqlite-message-store.js'
import type { StoredEnvelope } from '../../../../protocols/chat/index.js'

const ALICE = '12D3KooWAlice'
const BOB = '12D3KooWBob'

const envelope = (seq: number, author: 'me' | 'them' = 'me', delivered = author === 'them'): StoredEnvelope => ({
  id: seq.toString(16).padStart(32, '0'), type: 'MESSAGE', content: `m${seq}`, sentAtMs: 1000 + seq, seq, author, delivered
})

describe('SqliteMessageStore', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-messages-')) })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('add × the same id twice → stored once; another contact may hold the same id', async () => {
    const store = new SqliteMessageStore(join(dir, 'm.sqlite'))
    expect(await store.add(ALICE, envelope(1))).to.equal(true)
    expect(await store.add(ALICE, { ...envelope(1), content: 'replayed' })).to.equal(false)
    expect(await store.add(BOB, envelope(1))).to.equal(true)
    expect((await store.list(ALICE)).map(e => e.content)).to.deep.equal(['m1'])
    await store.close()
  })

  it('outbox → ours undelivered in seq order; acks mark each once; lastSent follows ours only', async () => {
    const store = new SqliteMessageStore(join(dir, 'm.sqlite'))
    for (const seq of [3, 1, 2]) await store.add(ALICE, envelope(seq))
    await store.add(ALICE, envelope(9, 'them'))
    expect((await store.undelivered(ALICE)).map(e => e.seq)).to.deep.equal([1, 2, 3])
    expect(await store.markDelivered(ALICE, [envelope(2).id, envelope(9).id])).to.deep.equal([envelope(2).id])
    expect(await store.markDelivered(ALICE, [envelope(2).id])).to.deep.equal([])
    expect((await store.undelivered(ALICE)).map(e => e.seq)).to.deep.equal([1, 3])
    expect(await store.lastSent(ALICE)).to.deep.equal({ seq: 3, sentAtMs: 1003 })
    expect(await store.lastSent(BOB)).to.deep.equal({ seq: 0, sentAtMs: 0 })
    expect(await store.withdraw(ALICE, envelope(2).id)).to.equal(false) // delivered: cannot be withdrawn
    expect(await store.withdraw(ALICE, envelope(3).id)).to.equal(true)
    await store.close()
  })

  it('reopened → everything there; the file is owner-only', async () => {
    const path = join(dir, 'm.sqlite')
    const first = new SqliteMessageStore(path)
    await first.add(ALICE, envelope(1))
    await first.markDelivered(ALICE, [envelope(1).id])
    await first.close()
    const again = new SqliteMessageStore(path)
    expect(await again.list(ALICE)).to.deep.equal([{ ...envelope(1), delivered: true }])
    expect((await stat(path)).mode & 0o777).to.equal(0o600)
    await again.close()
  })

  it('a writer SIGKILLed mid-stream → every envelope it reported stored is there after reopening', async function () {
    this.timeout(30_000)
    const path = join(dir, 'm.sqlite')
    const storeModule = fileURLToPath(new URL('../../../../peer/adapters/sqlite-message-store.js', import.meta.url))
    const script = `const { SqliteMessageStore } = await import(${JSON.stringify(storeModule)});
      const s = new SqliteMessageStore(${JSON.stringify(path)});
      for (let seq = 1; seq <= 100000; seq++) {
        await s.add('${ALICE}', { id: seq.toString(16).padStart(32, '0'), type: 'MESSAGE', content: 'm' + seq, sentAtMs: seq, seq, author: 'them', delivered: true });
        process.stdout.write(seq + '\\n');
      }`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    let reported = 0
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error('writer too slow')) }, 20_000)
      createInterface({ input: child.stdout }).on('line', (line) => {
        reported = Number(line)
        if (reported === 200) { clearTimeout(timer); child.kill('SIGKILL'); resolve() }
      })
    })
    await new Promise(resolve => child.once('exit', resolve))
    const store = new SqliteMessageStore(path)
    const seqs = (await store.list(ALICE)).map(e => e.seq)
    expect(seqs.length).to.be.at.least(reported)
    expect(new Set(seqs).size).to.equal(seqs.length)
    for (let seq = 1; seq <= reported; seq++) expect(seqs).to.include(seq)
    await store.close()
  })
})
