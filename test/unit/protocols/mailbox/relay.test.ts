// The /gini/mailbox/1 relay rules (docs/protocol.md §16.5) on a fake clock and a real SQLite store
// (relay/mailbox-store.ts, a file in a temporary directory) over in-memory streams.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { PeerLeftError, type FrameChannel } from '../../../../protocols/common/index.js'
import {
  MAILBOX_BLOB_TTL_MS, MAILBOX_FRAME_MAX_BYTES, MAILBOX_MAX_REQUESTS_PER_STREAM, MailboxFullError, MailboxMessage,
  MailboxRelay, deleteBlobs, depositBlob, fetchBlobs, mailboxSeal, type MailboxOutcome, type MailboxRemote
} from '../../../../protocols/mailbox/index.js'
import {
  MAILBOX_CLOSE_GRACE_MS, MAILBOX_DEPOSIT_WINDOW_MS, MAILBOX_FIRST_FRAME_TIMEOUT_MS, MAILBOX_FRAME_TIMEOUT_MS,
  MAILBOX_WRITE_TIMEOUT_MS
} from '../../../../relay/constants.js'
import { NewRowQuota } from '../../../../relay/crp-service.js'
import { SqliteMailboxStore } from '../../../../relay/mailbox-store.js'
import { FakeClock } from '../../../helpers/fake-clock.js'
import { bytes, waitFor } from '../../../helpers/relay-clients.js'
import { channelPair } from '../contact/fixtures.js'

type Ch = FrameChannel<MailboxMessage>

interface Bounds { maxBlobBytes?: number, maxBlobsPerToken?: number, maxBytesPerToken?: number, maxTotalBytes?: number, depositsPerHour?: number }

class Harness {
  readonly clock = new FakeClock()
  readonly outcomes: MailboxOutcome[] = []
  store: SqliteMailboxStore
  relay: MailboxRelay

  constructor (readonly path: string, readonly bounds: Bounds = {}) {
    this.store = SqliteMailboxStore.open(path)
    this.relay = this.newRelay()
  }

  private newRelay (): MailboxRelay {
    const quota = new NewRowQuota(this.bounds.depositsPerHour ?? 1000, () => this.clock.now(), MAILBOX_DEPOSIT_WINDOW_MS)
    const relay = new MailboxRelay({
      store: this.store,
      clock: this.clock,
      admitDeposit: (r) => quota.take(r.ip ?? r.peer),
      ...this.bounds,
      sweepIntervalMs: 3_600_000,
      firstFrameTimeoutMs: MAILBOX_FIRST_FRAME_TIMEOUT_MS,
      frameTimeoutMs: MAILBOX_FRAME_TIMEOUT_MS,
      writeTimeoutMs: MAILBOX_WRITE_TIMEOUT_MS,
      closeGraceMs: MAILBOX_CLOSE_GRACE_MS,
      onOutcome: (o) => { this.outcomes.push(o) }
    })
    relay.start()
    return relay
  }

  async connect (remote: MailboxRemote = { peer: 'p', ip: '192.0.2.1' }): Promise<Ch> {
    const [peerEnd, relayEnd] = await channelPair(MailboxMessage, MAILBOX_FRAME_MAX_BYTES)
    void this.relay.handle(relayEnd, remote)
    return peerEnd
  }

  /** Closes the relay and the store, then opens both again on the same file (a restart). */
  async restart (): Promise<void> {
    await this.relay.close()
    this.store.close()
    this.store = SqliteMailboxStore.open(this.path)
    this.relay = this.newRelay()
  }

  async close (): Promise<void> {
    await this.relay.close()
    this.store.close()
  }
}

const blob = (n = 10): ReturnType<typeof mailboxSeal> => mailboxSeal(bytes(32), bytes(32), 0, new Uint8Array(n))

describe('mailbox relay state machine (fake clock, SQLite store)', () => {
  let dir: string
  let h: Harness
  const open = async (bounds?: Bounds): Promise<Harness> => { h = new Harness(join(dir, `m-${Math.random()}.sqlite`), bounds); return h }

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-mailbox-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })
  afterEach(async () => { await h?.close() })

  it('deposit → Deposited with id and 7-day expiry; fetch hands it out; delete removes it under its token only', async () => {
    await open()
    const token = bytes(32)
    const other = bytes(32)
    const ch = await h.connect()
    const sealed = blob()
    const d = await depositBlob(ch, token, 3, sealed)
    expect(d.expiresAtMs).to.equal(h.clock.now() + MAILBOX_BLOB_TTL_MS)
    const got = await fetchBlobs(ch, [other, token])
    expect(got).to.have.length(1)
    expect(got[0]).to.deep.include({ id: d.id, index: 3 })
    expect(got[0].token).to.deep.equal(token)
    expect(got[0].sealed.ciphertext).to.deep.equal(sealed.ciphertext)
    expect(await deleteBlobs(ch, other, [d.id]), 'wrong token deletes nothing').to.equal(0)
    expect(await deleteBlobs(ch, token, [d.id])).to.equal(1)
    expect(await fetchBlobs(ch, [token])).to.deep.equal([])
    expect(h.store.blobCount).to.equal(0)
    expect(h.store.totalBytes).to.equal(0)
    expect(h.outcomes).to.include.members(['deposited', 'fetched', 'deleted'])
  })

  it('a bad token or a blob of no bucket size → PROTOCOL_VIOLATION, nothing stored', async () => {
    await open()
    const ch = await h.connect()
    const err = await depositBlob(ch, bytes(31), 0, blob()).catch(e => e)
    expect(err.code).to.equal('PROTOCOL_VIOLATION')
    const ch2 = await h.connect()
    const b = blob()
    const err2 = await depositBlob(ch2, bytes(32), 0, { nonce: b.nonce, ciphertext: b.ciphertext.subarray(0, 100) }).catch(e => e)
    expect(err2.code).to.equal('PROTOCOL_VIOLATION')
    expect(h.store.blobCount).to.equal(0)
    expect(h.outcomes.filter(o => o === 'violation')).to.have.length(2)
  })

  const bounds: Array<[string, Bounds, MailboxOutcome, number]> = [
    ['blob size', { maxBlobBytes: 300 }, 'blob-too-large', 0],
    ['blobs per token', { maxBlobsPerToken: 2 }, 'token-full-blobs', 2],
    ['bytes per token', { maxBytesPerToken: 700 }, 'token-full-bytes', 2],
    ['bytes in all', { maxTotalBytes: 1000 }, 'total-full', 3],
    ['deposits per address per hour', { depositsPerHour: 2 }, 'address-quota', 2]
  ]
  for (const [name, b, outcome, fits] of bounds) {
    it(`bound: ${name} → RATE_LIMITED (MailboxFullError), counted as ${outcome}`, async () => {
      await open(b)
      const token = bytes(32)
      for (let i = 0; i < fits; i++) {
        const ch = await h.connect()
        // The total bound counts every token: spread those deposits over fresh tokens.
        await depositBlob(ch, outcome === 'total-full' ? bytes(32) : token, i, outcome === 'blob-too-large' ? blob(2000) : blob())
      }
      const ch = await h.connect()
      const err = await depositBlob(ch, token, fits, outcome === 'blob-too-large' ? blob(2000) : blob()).catch(e => e)
      expect(err).to.be.instanceOf(MailboxFullError)
      expect(err.code).to.equal('RATE_LIMITED')
      expect(err.message).to.match(/mailbox is full/)
      expect(h.outcomes).to.include(outcome)
      expect(h.store.blobCount).to.equal(fits)
    })
  }

  it('the per-address quota opens again after an hour; another address is not charged', async () => {
    await open({ depositsPerHour: 1 })
    await depositBlob(await h.connect(), bytes(32), 0, blob())
    expect(await depositBlob(await h.connect(), bytes(32), 0, blob()).catch(e => e)).to.be.instanceOf(MailboxFullError)
    await depositBlob(await h.connect({ peer: 'q', ip: '192.0.2.2' }), bytes(32), 0, blob())
    h.clock.advance(MAILBOX_DEPOSIT_WINDOW_MS)
    await depositBlob(await h.connect(), bytes(32), 0, blob())
    expect(h.store.blobCount).to.equal(3)
  })

  it('a blob lives 7 days: then it is never fetched, and the sweep deletes it', async () => {
    await open()
    const token = bytes(32)
    const ch = await h.connect()
    await depositBlob(ch, token, 0, blob())
    h.clock.jump(MAILBOX_BLOB_TTL_MS - 1)
    expect(await fetchBlobs(ch, [token])).to.have.length(1)
    expect(await h.relay.sweep()).to.equal(0)
    h.clock.jump(1)
    expect(await fetchBlobs(ch, [token])).to.deep.equal([])
    expect(await h.relay.sweep()).to.equal(1)
    expect(h.store.blobCount).to.equal(0)
    expect(h.outcomes).to.include('swept')
  })

  it('blobs survive a restart of relay and store on the same file', async () => {
    await open()
    const token = bytes(32)
    const d = await depositBlob(await h.connect(), token, 7, blob())
    await h.restart()
    expect(h.store.blobCount).to.equal(1)
    const got = await fetchBlobs(await h.connect(), [token])
    expect(got.map(g => [g.id, g.index])).to.deep.equal([[d.id, 7]])
  })

  it('an idle stream is reset after the first-frame deadline; a stream is closed after 16 requests', async () => {
    await open()
    const idle = await h.connect()
    await waitFor(() => h.relay.liveStreams === 1, 'the relay to take the stream')
    h.clock.advance(MAILBOX_FIRST_FRAME_TIMEOUT_MS)
    expect(await idle.read().catch(e => e)).to.be.instanceOf(PeerLeftError)
    expect(h.outcomes).to.include('first-frame-timeout')
    const ch = await h.connect()
    for (let i = 0; i < MAILBOX_MAX_REQUESTS_PER_STREAM; i++) await fetchBlobs(ch, [bytes(32)])
    expect(await ch.read().catch(e => e)).to.be.instanceOf(PeerLeftError)
  })
  it('drain() × an idle stream that deposited once and a fresh one → each Error{RELAY_SHUTTING_DOWN} then the end, the deposit kept; a stream opened after → the same', async () => {
    await open()
    const token = bytes(32)
    const used = await h.connect()
    await depositBlob(used, token, 0, blob())
    const fresh = await h.connect()
    await waitFor(() => h.relay.liveStreams === 2, 'two live streams')
    const drained = h.relay.drain(1_000)
    for (const ch of [used, fresh]) {
      const err = await fetchBlobs(ch, [token]).catch(e => e)
      expect(err.code, 'the request after the stop began').to.equal('RELAY_SHUTTING_DOWN')
      expect(await ch.read().catch(e => e)).to.be.instanceOf(PeerLeftError)
    }
    await drained
    expect(h.outcomes.filter(o => o === 'relay-stopping')).to.have.length(2)
    const late = await h.connect()
    expect((await depositBlob(late, token, 1, blob()).catch(e => e)).code).to.equal('RELAY_SHUTTING_DOWN')
    expect(h.store.blobCount, 'the deposit taken before the stop, only').to.equal(1)
  })
})
