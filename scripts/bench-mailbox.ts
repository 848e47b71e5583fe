// `npm run bench:mailbox`: the relay mailbox (docs/protocol.md §16) on loopback. Each deposit and
// each fetch is a whole exchange as the daemon makes it: a fresh throw-away identity dials the relay,
// one request, then the identity is discarded. The anchor, in the same run: a bare dial of a fresh
// identity to the same relay (what every exchange pays before its first byte).
// A benchmark, not a test: numbers go to BENCHMARKS.md, nothing here asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { createRelay } from '../relay/index.js'
import { FileStorage, createPeerNode, releaseWebRtc } from '../peer/index.js'
import { ContactBook } from '../peer/core/contact-book.js'
import { MailboxClient } from '../peer/core/chat/mailbox-client.js'
import type { ContactRecord } from '../peer/core/storage.js'
import { ready, sodium, toHex } from '../protocols/crypto/index.js'
import type { EnvelopeRecord } from '../protocols/chat/index.js'
import { pct, rounded, summarize } from './lib/stats.js'

const { values } = parseArgs({ options: { n: { type: 'string', default: '50' } } })
const N = Math.max(5, Math.min(1_000, Number(values.n)))

await ready()
const dir = await mkdtemp(join(tmpdir(), 'gini-bench-mailbox-'))
const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], rateLimit: false })
try {
  const addr = relay.multiaddrs[0]
  const ss = toHex(sodium.randombytes_buf(64))
  const contact = (id: string): ContactRecord => ({ id, name: id, vcard: '', ppk: '00'.repeat(32), addresses: [], sharedSecret: { current: ss }, pairedAtMs: 0, lastSeenMs: 0, state: 'offline' })
  const side = async (self: string, peer: string): Promise<MailboxClient> => {
    const storage = new FileStorage(join(dir, self))
    await storage.putContact(contact(peer))
    return new MailboxClient({ relay: addr, book: new ContactBook(storage), clock: { now: Date.now }, createPeerNode })
  }
  const alice = await side('alice', 'bob')
  const bob = await side('bob', 'alice')

  const dials: number[] = []
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    const node = await createPeerNode({})
    await node.dial(addr, { signal: AbortSignal.timeout(10_000) })
    dials.push(performance.now() - t0)
    await node.stop()
  }

  const deposits: number[] = []
  for (let i = 0; i < N; i++) {
    const e: EnvelopeRecord = { id: toHex(sodium.randombytes_buf(16)), type: 'MESSAGE', content: `mailbox ${i}`, sentAtMs: Date.now(), seq: i + 1 }
    const t0 = performance.now()
    await alice.deposit('bob', 'A', e)
    deposits.push(performance.now() - t0)
  }
  const t0 = performance.now()
  const fetched = await bob.fetch('alice', 'B', async () => {})
  const fetchMs = performance.now() - t0

  const withP99 = (xs: number[]): Record<string, number> => ({ ...rounded(summarize(xs), 1), p99: Math.round(pct(xs, 99) * 10) / 10 })
  process.stdout.write(JSON.stringify({
    bench: 'mailbox',
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, load: loadavg().map(l => Number(l.toFixed(2))) },
    anchorFreshIdentityDialMs: withP99(dials),
    depositMs: withP99(deposits),
    fetchAll: { blobs: fetched.envelopes.length, dropped: fetched.dropped, deleted: fetched.deleted, ms: Math.round(fetchMs), perMessageMs: Math.round(fetchMs / Math.max(1, fetched.envelopes.length) * 10) / 10 },
    relayAfter: { blobs: relay.mailbox.blobCount, bytes: relay.mailbox.totalBytes }
  }, null, 2) + '\n')
} finally {
  await relay.stop()
  await rm(dir, { recursive: true, force: true })
  await releaseWebRtc()
}
