// The relay mailbox end to end (docs/protocol.md §16): a real relay on loopback, two peers'
// contact books on real data dirs, MailboxClient on fresh throw-away identities; and the relay as
// a `gini-relay` process killed with SIGKILL and restarted on the same --data.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import type { Libp2p } from 'libp2p'
import { sodium, toHex } from '../../protocols/crypto/index.js'
import type { EnvelopeRecord } from '../../protocols/chat/index.js'
import {
  MAILBOX_BLOB_TTL_MS, MAILBOX_PROTOCOL, MailboxFullError, depositBlob, mailboxChannel, mailboxDay, mailboxSeal, mailboxToken
} from '../../protocols/mailbox/index.js'
import { ContactBook } from '../../peer/core/contact-book.js'
import { MailboxClient } from '../../peer/core/chat/mailbox-client.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import { FileStorage, createPeerNode } from '../../peer/index.js'
import type { RelayOptions } from '../../relay/index.js'
import { MAILBOX_FETCH_INTERVAL_MS } from '../../peer/core/daemon/schedule.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { daemonPeer, pair as pairDaemons, waitForEvent } from '../helpers/daemons.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { Cleanup, WAIT_MS, clientNode, startRelay } from '../helpers/relay-clients.js'

const CLI = join(process.cwd(), 'dist', 'relay', 'cli.js')

interface Side { book: ContactBook, client: MailboxClient, ids: string[], storage: FileStorage }

let nextId = 1
function envelope (content: string): EnvelopeRecord {
  const id = toHex(sodium.randombytes_buf(16))
  return { id, type: 'MESSAGE', content, sentAtMs: Date.UTC(2026, 0, 1) + nextId, seq: nextId++ }
}

function contact (id: string, ss: string): ContactRecord {
  return { id, name: id, vcard: '', ppk: '00'.repeat(32), addresses: [], sharedSecret: { current: ss }, pairedAtMs: 0, lastSeenMs: 0, state: 'offline' }
}

describe('relay mailbox (real relay, two contact books, throw-away identities)', function () {
  this.timeout(60_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  /** Alice (role A) and Bob (role B) share one SharedSecret; each has a MailboxClient on `relayAddr`. */
  async function pair (relayAddr: Multiaddr, clock: { now: () => number } = { now: Date.now }): Promise<{ alice: Side, bob: Side, ss: string }> {
    const ss = toHex(sodium.randombytes_buf(64))
    const side = async (self: string, peer: string): Promise<Side> => {
      const dir = await mkdtemp(join(tmpdir(), `gini-mailbox-${self}-`))
      cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
      const storage = new FileStorage(dir)
      await storage.putContact(contact(peer, ss))
      const book = new ContactBook(storage)
      const ids: string[] = []
      const client = new MailboxClient({
        relay: relayAddr,
        book,
        clock,
        createPeerNode: async (opts) => {
          const node: Libp2p = await createPeerNode(opts)
          ids.push(node.peerId.toString())
          cleanup.add(async () => { await node.stop() })
          return node
        }
      })
      return { book, client, ids, storage }
    }
    return { alice: await side('alice', 'bob'), bob: await side('bob', 'alice'), ss }
  }

  async function relayAt (opts: RelayOptions = {}): Promise<{ relay: Awaited<ReturnType<typeof startRelay>>, addr: Multiaddr }> {
    const relay = await startRelay(cleanup, opts)
    return { relay, addr: relay.multiaddrs[0] }
  }

  it('Alice deposits two envelopes; Bob fetches, opens and deletes them, each exchange on a fresh identity', async () => {
    const { relay, addr } = await relayAt()
    const { alice, bob } = await pair(addr)
    const m1 = envelope('Hallo Bob')
    const m2 = envelope('bist du da?')
    await alice.client.deposit('bob', 'A', m1)
    await alice.client.deposit('bob', 'A', m2)
    expect(relay.mailbox.blobCount).to.equal(2)
    const delivered: EnvelopeRecord[] = []
    const r = await bob.client.fetch('alice', 'B', async (envs) => { delivered.push(...envs) })
    expect(r.envelopes).to.deep.equal([m1, m2])
    expect(delivered).to.deep.equal([m1, m2])
    expect(r).to.deep.include({ dropped: 0, deleted: 2 })
    expect(relay.mailbox.blobCount).to.equal(0)
    const all = [...alice.ids, ...bob.ids]
    expect(all).to.have.length(3)
    expect(new Set(all).size, 'every exchange on its own identity').to.equal(3)
    // The chains moved on and are stored beside the SharedSecret: Alice's send index 2, Bob's receive index 2.
    expect((await alice.book.get('bob'))?.mailbox?.[0].send?.index).to.equal(2)
    expect((await bob.book.get('alice'))?.mailbox?.[0].receive?.index).to.equal(2)
    // A second fetch finds nothing: the blobs are gone and the keys deleted.
    expect((await bob.client.fetch('alice', 'B', async () => {})).envelopes).to.deep.equal([])
  })

  it('a blob under Bob\'s token that does not open is dropped, counted and deleted, never delivered', async () => {
    const { relay, addr } = await relayAt()
    const { alice, bob, ss } = await pair(addr)
    const good = envelope('echt')
    await alice.client.deposit('bob', 'A', good)
    // A stranger who learned the token deposits a well-shaped blob sealed with another key.
    const token = mailboxToken(sodium.from_hex(ss), mailboxDay(Date.now()), 'A')
    const node = await clientNode(cleanup)
    const ch = mailboxChannel(await node.dialProtocol(addr, MAILBOX_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) }))
    await depositBlob(ch, token, 1, mailboxSeal(sodium.randombytes_buf(32), token, 1, new Uint8Array(20)))
    await ch.close()
    expect(relay.mailbox.blobCount).to.equal(2)
    const delivered: EnvelopeRecord[] = []
    const r = await bob.client.fetch('alice', 'B', async (envs) => { delivered.push(...envs) })
    expect(delivered).to.deep.equal([good])
    expect(r).to.deep.include({ dropped: 1, deleted: 2 })
    expect(relay.mailbox.blobCount).to.equal(0)
    // The forged index 1 did not move Bob's chain past what opened.
    expect((await bob.book.get('alice'))?.mailbox?.[0].receive?.index).to.equal(1)
  })

  it('a full mailbox refuses the deposit with MailboxFullError (RATE_LIMITED) and a clear message', async () => {
    const outcomes: string[] = []
    const { relay, addr } = await relayAt({ mailboxMaxBlobsPerToken: 1, onMailboxOutcome: (o) => { outcomes.push(o) } })
    const { alice } = await pair(addr)
    await alice.client.deposit('bob', 'A', envelope('eins'))
    const err = await alice.client.deposit('bob', 'A', envelope('zwei')).catch(e => e)
    expect(err).to.be.instanceOf(MailboxFullError)
    expect(err.code).to.equal('RATE_LIMITED')
    expect(err.message).to.equal('The relay mailbox is full or busy: the message stays in your outbox and is sent later.')
    expect(outcomes).to.include('token-full-blobs')
    expect(relay.mailbox.blobCount).to.equal(1)
  })

  it('a blob expires 7 days after its deposit (fake relay clock): not fetched, then swept', async () => {
    const clock = new FakeClock(Date.now())
    const { relay, addr } = await relayAt({ clock })
    const { alice, bob } = await pair(addr, clock)
    await alice.client.deposit('bob', 'A', envelope('zu spät'))
    clock.jump(MAILBOX_BLOB_TTL_MS)
    const r = await bob.client.fetch('alice', 'B', async () => { expect.fail('nothing may be delivered') })
    expect(r).to.deep.equal({ envelopes: [], dropped: 0, deleted: 0 })
    expect(relay.mailbox.blobCount, 'held until the sweep').to.equal(1)
    expect(await relay.mailbox.sweep()).to.equal(1)
    expect(relay.mailbox.blobCount).to.equal(0)
  })
})

describe('two daemons never online together (mailbox wired into the daemon)', function () {
  this.timeout(90_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('Alice writes while Bob is offline and stops; Bob starts later and reads it from the mailbox, once', async () => {
    const relay = await startRelay(cleanup)
    const relayAddr = relay.multiaddrs[0].toString()
    const clock = new FakeClock(Date.now())
    const alice = await daemonPeer('Alice', clock)
    cleanup.add(alice.cleanup)
    const bob = await daemonPeer('Bob', clock)
    cleanup.add(bob.cleanup)
    await pairDaemons(alice, bob, relayAddr)
    const bobId = (await alice.contact()).id
    const aliceId = (await bob.contact()).id
    await alice.start({ relays: [relayAddr], mailbox: { depositAfterMs: 0 } })
    const sent = await alice.daemon!.chat.send(bobId, 'MESSAGE', 'Ich bin morgen weg')
    clock.advance(MAILBOX_FETCH_INTERVAL_MS) // the next mailbox round deposits the outbox
    const until = Date.now() + 20_000
    while (relay.mailbox.blobCount < 1 && Date.now() < until) await new Promise(resolve => setTimeout(resolve, 20))
    expect(relay.mailbox.blobCount).to.equal(1)
    await alice.stopDaemon()
    await bob.start({ relays: [relayAddr], mailbox: {} })
    const isIn = (e: DaemonEvent): boolean => e.event === 'message' && e.direction === 'in' && e.content === 'Ich bin morgen weg'
    const got = await waitForEvent(bob.log, isIn)
    expect(got).to.deep.include({ id: sent.id, contact: aliceId })
    const onBob = await bob.daemon!.chat.conversation(aliceId)
    expect(onBob.map(m => m.content)).to.deep.equal(['Ich bin morgen weg'])
    // Bob's round deleted it after storing it.
    const gone = Date.now() + 20_000
    while (relay.mailbox.blobCount > 0 && Date.now() < gone) await new Promise(resolve => setTimeout(resolve, 20))
    expect(relay.mailbox.blobCount).to.equal(0)
  })
})

describe('gini-relay process × mailbox on disk', function () {
  this.timeout(60_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function startCli (dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ proc: ChildProcess, addr: string, metrics?: string }> {
    const proc = spawn(process.execPath, [CLI, '--json', '--listen', '/ip4/127.0.0.1/tcp/0', '--data', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    cleanup.add(() => { if (proc.exitCode == null && proc.signalCode == null) proc.kill('SIGKILL') })
    let stderr = ''
    proc.stderr!.on('data', (d) => { stderr += String(d) })
    const rl = createInterface({ input: proc.stdout! })
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no line from gini-relay within ${WAIT_MS} ms; stderr: ${stderr}`)) }, WAIT_MS)
      rl.once('line', (l) => { clearTimeout(timer); resolve(l) })
      proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gini-relay exited (${code}); stderr: ${stderr}`)) })
    })
    const line = JSON.parse(first) as { event: string, addrs: string[], metrics?: string }
    expect(line.event).to.equal('listening')
    return { proc, addr: line.addrs[0], metrics: line.metrics }
  }

  it('every mailbox bound from a flag, GINI_RELAY_ variable or config key refuses with RATE_LIMITED and counts its own metric', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gini-relay-mailbox-bounds-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
    const config = join(dir, 'relay.json')
    // Encoded blobs: 301 bytes for the 256-byte bucket (nonce 2 + 24, ciphertext 3 + 272), 1 069 for 1 KiB.
    await writeFile(config, JSON.stringify({ mailboxMaxBytesPerToken: 1000, mailboxMaxTotalBytes: 1900 }))
    const relay = await startCli(dir, ['--config', config, '--metrics', '127.0.0.1:0', '--mailbox-max-blobs-per-token', '2', '--mailbox-ttl', '2d'],
      { GINI_RELAY_MAILBOX_MAX_BLOB_BYTES: '1040', GINI_RELAY_MAILBOX_DEPOSITS_PER_IP_PER_HOUR: '5' })
    const nodes = { a: await clientNode(cleanup), b: await clientNode(cleanup, '127.0.0.2') }
    const tokens: Uint8Array[] = []
    const deposit = async (from: 'a' | 'b', token: Uint8Array, size = 10): Promise<unknown> => {
      tokens.push(token)
      const ch = mailboxChannel(await nodes[from].dialProtocol(multiaddr(relay.addr), MAILBOX_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) }))
      try {
        return await depositBlob(ch, token, 0, mailboxSeal(sodium.randombytes_buf(32), token, 0, new Uint8Array(size)))
      } catch (err) {
        return err
      } finally {
        await ch.close()
      }
    }
    const stored = async (from: 'a' | 'b', token: Uint8Array, size?: number): Promise<void> => {
      expect(await deposit(from, token, size)).to.have.property('id')
    }
    const t = (): Uint8Array => sodium.randombytes_buf(32)
    const before = Date.now()
    const ok = await deposit('a', t()) as { expiresAtMs: number }
    expect(ok.expiresAtMs, '--mailbox-ttl 2d').to.be.within(before + 2 * 86_400_000, Date.now() + 2 * 86_400_000)
    expect(await deposit('a', t(), 2000), 'a 4 KiB bucket over 1 040 bytes').to.be.instanceOf(MailboxFullError)
    const t1 = t()
    await stored('a', t1)
    await stored('a', t1)
    expect(await deposit('a', t1), 'a third blob under one token').to.be.instanceOf(MailboxFullError)
    expect(await deposit('a', t(), 500), '1 069 bytes under one token over 1 000').to.be.instanceOf(MailboxFullError)
    await stored('a', t())
    await stored('a', t()) // the 5th stored from 127.0.0.1: 1 505 bytes held
    expect(await deposit('a', t()), 'the 6th from one address in the hour').to.be.instanceOf(MailboxFullError)
    await stored('b', t()) // 1 806 bytes held
    expect(await deposit('b', t()), 'over 1 900 bytes in all').to.be.instanceOf(MailboxFullError)
    const text = await (await fetch(`${relay.metrics!}/metrics`)).text()
    for (const outcome of ['blob-too-large', 'token-full-blobs', 'token-full-bytes', 'address-quota', 'total-full']) {
      expect(text, outcome).to.match(new RegExp(`gini_mailbox_events_total\\{outcome="${outcome}"\\} 1\n`))
    }
    expect(text).to.match(/gini_mailbox_events_total\{outcome="deposited"\} 6\n/)
    expect(text).to.match(/gini_mailbox_blobs 6\n/)
    expect(text).to.match(/gini_mailbox_bytes 1806\n/)
    for (const token of tokens) expect(text).to.not.include(toHex(token))
  })

  it('SIGKILL after deposits × restart on the same --data → every deposited blob is fetched once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gini-relay-mailbox-kill-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
    const first = await startCli(dir)
    const ss = toHex(sodium.randombytes_buf(64))
    const books: Record<string, ContactBook> = {}
    const client = async (self: string, peer: string, addr: string): Promise<MailboxClient> => {
      if (books[self] == null) {
        const d = await mkdtemp(join(tmpdir(), `gini-mailbox-${self}-`))
        cleanup.add(async () => { await rm(d, { recursive: true, force: true }) })
        const storage = new FileStorage(d)
        await storage.putContact(contact(peer, ss))
        books[self] = new ContactBook(storage)
      }
      return new MailboxClient({
        relay: multiaddr(addr),
        book: books[self],
        clock: { now: Date.now },
        createPeerNode: async (opts) => { const n = await createPeerNode(opts); cleanup.add(async () => { await n.stop() }); return n }
      })
    }
    const alice = await client('alice', 'bob', first.addr)
    const sent = [envelope('vor dem Absturz 1'), envelope('vor dem Absturz 2')]
    for (const m of sent) await alice.deposit('bob', 'A', m)
    const exited = new Promise(resolve => first.proc.once('exit', resolve))
    first.proc.kill('SIGKILL')
    await exited
    const second = await startCli(dir)
    const bob = await client('bob', 'alice', second.addr)
    const r = await bob.fetch('alice', 'B', async () => {})
    expect(r.envelopes).to.deep.equal(sent)
    expect(r.deleted).to.equal(2)
    expect((await bob.fetch('alice', 'B', async () => {})).envelopes).to.deep.equal([])
  })
})
