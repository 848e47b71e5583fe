// Protocol violations on a real relay (docs/protocol.md §3.4, §6.5 rule 8): the offender gets
// PROTOCOL_VIOLATION, the other side PEER_LEFT, the row goes — and a pairing running beside it on
// the same relay completes.
import { expect } from 'chai'
import {
  Cleanup, bytes, completePairing, create, exchangeKeys, exchangeSealed, expectErrorThenEnd,
  freshLookup, openFc, pair, relayed, startRelay, waitFor, type Fc, type Pairing
} from '../helpers/relay-clients.js'
import type { Relay } from '../../relay/index.js'

/** An unsigned LEB128 varint, for hand-made frames. */
function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return new Uint8Array(out)
}

function sendRaw (ch: Fc, data: Uint8Array): void {
  ch.stream.send(data)
}

describe('relay GSS /gini/fc/1: protocol violations', function () {
  const suite = new Cleanup()
  const cleanup = new Cleanup()
  let relay: Relay

  before(async () => { relay = await startRelay(suite) })
  after(async () => { await suite.run() })
  afterEach(async () => { await cleanup.run() })

  /**
   * Pairs two clients, lets `offend` misbehave on one side, checks PROTOCOL_VIOLATION to the
   * offender and PEER_LEFT to the other, the row deleted, and a concurrent pairing unharmed.
   */
  async function violationCase (offender: 'a' | 'b', offend: (p: Pairing) => Promise<void>): Promise<void> {
    const before = relay.fc.pendingCount
    const p = await pair(cleanup, relay)
    const bystander = completePairing(cleanup, relay)
    await offend(p)
    const [bad, good] = offender === 'a' ? [p.a, p.b] : [p.b, p.a]
    await expectErrorThenEnd(bad, 'PROTOCOL_VIOLATION')
    await expectErrorThenEnd(good, 'PEER_LEFT')
    await bystander
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
  }

  it('matched creator × frame declaring 20 KiB (> 16 KiB) → PROTOCOL_VIOLATION, joiner PEER_LEFT', async () => {
    await violationCase('a', async ({ a }) => { sendRaw(a, varint(20 * 1024)); sendRaw(a, bytes(64)) })
  })

  it('matched joiner × garbage bytes → PROTOCOL_VIOLATION, creator PEER_LEFT', async () => {
    await violationCase('b', async ({ b }) => { sendRaw(b, varint(8)); sendRaw(b, bytes(8, 0xff)) })
  })

  it('matched joiner × empty frame (no body) → PROTOCOL_VIOLATION', async () => {
    await violationCase('b', async ({ b }) => { sendRaw(b, varint(0)) })
  })

  it('creator × TempKey twice → PROTOCOL_VIOLATION, joiner PEER_LEFT', async () => {
    await violationCase('a', async ({ a, b }) => {
      await relayed(a, b, { tempKey: { share: bytes(32) } })
      await a.write({ tempKey: { share: bytes(32) } })
    })
  })

  it('joiner × Offer (only the creator offers) → PROTOCOL_VIOLATION, creator PEER_LEFT', async () => {
    await violationCase('b', async (p) => {
      await exchangeKeys(p)
      await p.b.write({ offer: { nonce: bytes(24), ciphertext: bytes(50) } })
    })
  })

  it('creator × Answer → PROTOCOL_VIOLATION', async () => {
    await violationCase('a', async (p) => {
      await exchangeKeys(p)
      await p.a.write({ answer: { nonce: bytes(24), ciphertext: bytes(50) } })
    })
  })

  it('joiner × 31-byte TempKey share → PROTOCOL_VIOLATION, creator PEER_LEFT', async () => {
    await violationCase('b', async ({ b }) => { await b.write({ tempKey: { share: bytes(31) } }) })
  })

  it('creator × 33-byte MFC → PROTOCOL_VIOLATION', async () => {
    await violationCase('a', async ({ a, b }) => {
      await relayed(a, b, { tempKey: { share: bytes(32) } })
      await relayed(b, a, { tempKey: { share: bytes(32) } })
      await a.write({ mfc: { mac: bytes(33) } })
    })
  })

  it('joiner × Mfc before the creator\'s TempKey (out of order) → PROTOCOL_VIOLATION', async () => {
    await violationCase('b', async ({ a, b }) => {
      await relayed(b, a, { tempKey: { share: bytes(32) } })
      await b.write({ mfc: { mac: bytes(32) } })
    })
  })

  it('creator × Offer before both MFCs → PROTOCOL_VIOLATION', async () => {
    await violationCase('a', async ({ a, b }) => {
      await relayed(a, b, { tempKey: { share: bytes(32) } })
      await relayed(b, a, { tempKey: { share: bytes(32) } })
      await relayed(a, b, { mfc: { mac: bytes(32) } })
      await a.write({ offer: { nonce: bytes(24), ciphertext: bytes(50) } })
    })
  })

  it('joiner × Done before the sealed exchange → PROTOCOL_VIOLATION', async () => {
    await violationCase('b', async (p) => {
      await exchangeKeys(p)
      await p.b.write({ done: {} })
    })
  })

  it('creator × anything after its own Done → PROTOCOL_VIOLATION', async () => {
    await violationCase('a', async (p) => {
      await exchangeKeys(p)
      await exchangeSealed(p)
      await p.a.write({ done: {} })
      await p.a.write({ tempKey: { share: bytes(32) } })
    })
  })

  it('joiner × Create on its stream → PROTOCOL_VIOLATION', async () => {
    await violationCase('b', async ({ b }) => { await b.write({ create: { lookup: freshLookup(), sid: bytes(16) } }) })
  })

  it('creator × Matched (a relay-only message) → PROTOCOL_VIOLATION', async () => {
    await violationCase('a', async ({ a }) => { await a.write({ matched: { sidA: bytes(16), sidB: bytes(16) } }) })
  })

  it('unmatched creator × TempKey before Matched → PROTOCOL_VIOLATION, row gone', async () => {
    const before = relay.fc.pendingCount
    const { a, lookup } = await create(cleanup, relay)
    await a.write({ tempKey: { share: bytes(32) } })
    await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup, sid: bytes(16) } })
    await expectErrorThenEnd(b, 'NO_MATCHING_FLASH_CODE')
  })

  it('new stream × first frame not Create/Join → PROTOCOL_VIOLATION, no row', async () => {
    const before = relay.fc.pendingCount
    const c = await openFc(cleanup, relay)
    await c.write({ tempKey: { share: bytes(32) } })
    await expectErrorThenEnd(c, 'PROTOCOL_VIOLATION')
    expect(relay.fc.pendingCount).to.equal(before)
  })

  it('new stream × first frame oversized → PROTOCOL_VIOLATION', async () => {
    const c = await openFc(cleanup, relay)
    sendRaw(c, varint(16 * 1024 + 1))
    await expectErrorThenEnd(c, 'PROTOCOL_VIOLATION')
  })

  it('a frame of exactly 16 KiB is accepted and forwarded', async () => {
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    // Sealed{nonce(24), ciphertext(n)} inside FcMessage: 2+24 + 3+n bytes, +3 for the offer field
    const n = 16 * 1024 - (2 + 24) - (3) - (3)
    const offer = { offer: { nonce: bytes(24), ciphertext: bytes(n) } }
    await relayed(p.a, p.b, offer)
  })

  it('Create × 2-byte lookup → PROTOCOL_VIOLATION; Join × 15-byte sid → PROTOCOL_VIOLATION', async () => {
    const c = await openFc(cleanup, relay)
    await c.write({ create: { lookup: bytes(2), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'PROTOCOL_VIOLATION')
    const { lookup } = await create(cleanup, relay)
    const d = await openFc(cleanup, relay)
    await d.write({ join: { lookup, sid: bytes(15) } })
    await expectErrorThenEnd(d, 'PROTOCOL_VIOLATION')
  })

  it('unmatched creator × closes → row gone; its code can be created again', async () => {
    const before = relay.fc.pendingCount
    const { a, lookup } = await create(cleanup, relay)
    a.abort(new Error('gone'))
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
    await create(cleanup, relay, lookup) // asserts Created, not FLASH_CODE_IN_USE
    expect(relay.fc.pendingCount).to.equal(before + 1)
  })
})
