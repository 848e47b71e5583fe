// The relay mailbox across several relays (docs/protocol.md §22.4): three real relays on loopback,
// each on its own 127.0.0.x address, remembered by both contacts; a blob is deposited at its token's
// two home relays, fetched from both and opened once, and each home deletes its copy.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import type { Libp2p } from 'libp2p'
import { fromHex, sodium, toHex } from '../../protocols/crypto/index.js'
import type { EnvelopeRecord } from '../../protocols/chat/index.js'
import { mailboxDay, mailboxToken } from '../../protocols/mailbox/index.js'
import { rankRelays } from '../../protocols/gss-list/index.js'
import { RelayUnreachableError } from '../../protocols/common/index.js'
import { ContactBook } from '../../peer/core/contact-book.js'
import { MailboxClient } from '../../peer/core/chat/mailbox-client.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import { FileStorage, createPeerNode } from '../../peer/index.js'
import type { Relay } from '../../relay/index.js'
import { Cleanup, startRelay } from '../helpers/relay-clients.js'

let nextId = 1
function envelope (content: string): EnvelopeRecord {
  const id = toHex(sodium.randombytes_buf(16))
  return { id, type: 'MESSAGE', content, sentAtMs: Date.UTC(2026, 0, 1) + nextId, seq: nextId++ }
}

function contact (id: string, ss: string): ContactRecord {
  return { id, name: id, vcard: '', ppk: '00'.repeat(32), addresses: [], sharedSecret: { current: ss }, pairedAtMs: 0, lastSeenMs: 0, state: 'offline' }
}

describe('relay mailbox across relays (docs/protocol.md §22.4)', function () {
  this.timeout(60_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  /**
   * Three relays; Alice (role A) and Bob (role B) share a SharedSecret and remember all three; each
   * has a MailboxClient whose configured relay is a different one. Returns the relays as
   * [home 1, home 2, the other] for today's token of Alice's direction.
   */
  async function setUp (): Promise<{ alice: MailboxClient, bob: MailboxClient, homes: Relay[], other: Relay }> {
    const relays: Relay[] = []
    for (const host of ['127.0.0.41', '127.0.0.42', '127.0.0.43']) relays.push(await startRelay(cleanup, { listen: [`/ip4/${host}/tcp/0`] }))
    const known = relays.map(r => r.multiaddrs[0])
    const ss = toHex(sodium.randombytes_buf(64))
    const token = mailboxToken(fromHex(ss), mailboxDay(Date.now()), 'A')
    const ranked = rankRelays(relays.map(r => ({ peerId: r.peerId, multiaddrs: r.multiaddrs, firstSeenMs: 0 })), token)
    const [h1, h2, h3] = ranked.map(e => relays.find(r => r.peerId.equals(e.peerId))!)
    const client = async (self: string, peer: string, configured: Relay): Promise<MailboxClient> => {
      const dir = await mkdtemp(join(tmpdir(), `gini-mailbox-relays-${self}-`))
      cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
      const storage = new FileStorage(dir)
      await storage.putContact(contact(peer, ss))
      return new MailboxClient({
        relay: configured.multiaddrs[0],
        knownRelays: async () => known,
        book: new ContactBook(storage),
        clock: { now: Date.now },
        createPeerNode: async (opts) => {
          const node: Libp2p = await createPeerNode(opts)
          cleanup.add(async () => { await node.stop() })
          return node
        }
      })
    }
    return { alice: await client('alice', 'bob', h3), bob: await client('bob', 'alice', h1), homes: [h1, h2], other: h3 }
  }

  it('a deposit lands at both homes of its token and nowhere else; Bob fetches from both, opens each once, both copies deleted', async () => {
    const { alice, bob, homes, other } = await setUp()
    const m1 = envelope('Hallo Bob')
    const m2 = envelope('über zwei Relays')
    await alice.deposit('bob', 'A', m1)
    await alice.deposit('bob', 'A', m2)
    for (const h of homes) expect(h.mailbox.blobCount, 'both blobs at each home').to.equal(2)
    expect(other.mailbox.blobCount, 'nothing at the configured relay that is no home').to.equal(0)
    const delivered: EnvelopeRecord[] = []
    const r = await bob.fetch('alice', 'B', async (envs) => { delivered.push(...envs) })
    expect(delivered, 'each envelope once').to.deep.equal([m1, m2])
    expect(r).to.deep.include({ dropped: 0, deleted: 4 })
    for (const h of [...homes, other]) expect(h.mailbox.blobCount, 'all copies deleted').to.equal(0)
    expect((await bob.fetch('alice', 'B', async () => {})).envelopes).to.deep.equal([])
  })

  it('one home down → the deposit is stored at the other and fetched from it; both down → the deposit fails with RelayUnreachableError', async () => {
    const { alice, bob, homes } = await setUp()
    const [dead, live] = homes
    await dead.node.stop()
    const m1 = envelope('nur einer da')
    await alice.deposit('bob', 'A', m1)
    expect(live.mailbox.blobCount).to.equal(1)
    const r = await bob.fetch('alice', 'B', async () => {})
    expect(r.envelopes).to.deep.equal([m1])
    expect(r).to.deep.include({ dropped: 0, deleted: 1 })
    await live.node.stop()
    let err: unknown
    try { await alice.deposit('bob', 'A', envelope('niemand da')) } catch (e) { err = e }
    expect(err).to.be.instanceOf(RelayUnreachableError)
  })
})
