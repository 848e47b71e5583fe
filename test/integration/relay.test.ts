// The GSS on a real relay node over loopback (docs/protocol.md §6.5): matching, forwarding,
// completion and departures. Clients are plain libp2p nodes speaking raw FcMessage frames.
import { expect } from 'chai'
import {
  Cleanup, WAIT_MS, bytes, clientNode, completePairing, create, exchangeKeys, exchangeSealed, expectEnd, expectError,
  expectErrorThenEnd, freshLookup, next, openFc, pair, relayed, startRelay, waitFor
} from '../helpers/relay-clients.js'
import { startTamperingRelay } from '../helpers/tampering-relay.js'
import type { Relay } from '../../relay/index.js'
import { FC_PROTOCOL, type FcMessage } from '../../protocols/fc/index.js'
import { errorFrame } from '../../protocols/common/index.js'
import type { Stream } from '@libp2p/interface'

describe('relay GSS /gini/fc/1: matching and forwarding', function () {
  const suite = new Cleanup()
  const cleanup = new Cleanup()
  let relay: Relay

  before(async () => { relay = await startRelay(suite) })
  after(async () => { await suite.run() })
  afterEach(async () => { await cleanup.run() })

  it('creator × Create → Created with the expiry 180 s ahead, one row', async () => {
    const before = relay.fc.pendingCount
    const startMs = Date.now()
    const a = await openFc(cleanup, relay)
    await a.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    const msg = await next(a)
    expect(msg.created).to.not.equal(undefined)
    const expiresAtMs = Number(msg.created!.expiresAtMs)
    expect(expiresAtMs).to.be.within(startMs + 180_000 - 1000, Date.now() + 180_000 + 1000)
    expect(relay.fc.pendingCount).to.equal(before + 1)
  })

  it('joiner × unknown code → NO_MATCHING_FLASH_CODE, closed, and the relay still pairs others', async () => {
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
    const msg = await next(b)
    expect(msg.error).to.deep.equal({ code: 'NO_MATCHING_FLASH_CODE', message: 'No matching Flash Code' })
    await expectEnd(b)
    await completePairing(cleanup, relay)
  })

  it('creator × Create of a live code → FLASH_CODE_IN_USE; the first creator keeps its row', async () => {
    const { a, lookup } = await create(cleanup, relay)
    const other = await openFc(cleanup, relay)
    await other.write({ create: { lookup, sid: bytes(16) } })
    await expectErrorThenEnd(other, 'FLASH_CODE_IN_USE')
    // the original row still matches
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup, sid: bytes(16) } })
    expect((await next(a)).matched).to.not.equal(undefined)
    expect((await next(b)).matched).to.not.equal(undefined)
  })

  it('matched pair × full exchange → every message forwarded unchanged, both Done → closed, row gone', async () => {
    const before = relay.fc.pendingCount
    const p = await pair(cleanup, relay)
    expect(relay.fc.pendingCount).to.equal(before + 1)
    await exchangeKeys(p)
    await exchangeSealed(p)
    await p.a.write({ done: {} })
    await p.b.write({ done: {} })
    await expectEnd(p.a)
    await expectEnd(p.b)
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
  })

  it('Matched carries both sids to both sides', async () => {
    const { a, lookup, sidA } = await create(cleanup, relay)
    const b = await openFc(cleanup, relay)
    const sidB = bytes(16)
    await b.write({ join: { lookup, sid: sidB } })
    const expected = { matched: { sidA, sidB } }
    expect(await next(a)).to.deep.equal(expected)
    expect(await next(b)).to.deep.equal(expected)
  })

  it('third party × Join of a matched code → NO_MATCHING_FLASH_CODE; the pair goes on', async () => {
    const p = await pair(cleanup, relay)
    const c = await openFc(cleanup, relay)
    await c.write({ join: { lookup: p.lookup, sid: bytes(16) } })
    await expectErrorThenEnd(c, 'NO_MATCHING_FLASH_CODE')
    await exchangeKeys(p)
  })

  it('creator leaves after keys exchanged → joiner gets PEER_LEFT within seconds, row gone', async () => {
    const before = relay.fc.pendingCount
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    p.a.abort(new Error('creator quits'))
    await expectErrorThenEnd(p.b, 'PEER_LEFT')
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
  })

  it('joiner leaves after keys exchanged → creator gets PEER_LEFT', async () => {
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    await p.b.close() // a clean half-close before Done is a departure too
    await expectErrorThenEnd(p.a, 'PEER_LEFT')
  })

  it('creator leaves before a joiner came → the code is gone (joiner gets NO_MATCHING_FLASH_CODE)', async () => {
    const before = relay.fc.pendingCount
    const { a, lookup } = await create(cleanup, relay)
    await a.close()
    await waitFor(() => relay.fc.pendingCount === before, 'the abandoned row to be deleted')
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup, sid: bytes(16) } })
    await expectErrorThenEnd(b, 'NO_MATCHING_FLASH_CODE')
  })

  it('creator Done then closes its side × joiner still working → no PEER_LEFT; joiner Done completes', async () => {
    const creator = await clientNode(cleanup)
    const lookup = freshLookup()
    const a = await openFc(cleanup, relay, creator)
    await a.write({ create: { lookup, sid: bytes(16) } })
    expect((await next(a)).created).to.not.equal(undefined)
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup, sid: bytes(16) } })
    for (const ch of [a, b]) expect((await next(ch)).matched).to.not.equal(undefined)
    const p = { a, b, lookup, sidA: new Uint8Array(), sidB: new Uint8Array() }
    await exchangeKeys(p)
    await exchangeSealed(p)
    await p.a.write({ done: {} })
    await p.a.close() // after its Done, a side closing is not a departure (§6.5 rule 6)
    // The relay has the creator's close before the joiner's Done: its end of the stream says so.
    const relaySide = (): Stream | undefined => relay.node.getConnections(creator.peerId).flatMap(c => c.streams).find(s => s.protocol === FC_PROTOCOL)
    await waitFor(() => relaySide()?.remoteWriteStatus === 'closed', 'the relay to see the creator close')
    await p.b.write({ done: {} })
    await expectEnd(p.b) // no Error frame: the relay simply closes
  })

  it('joiner × Error{INCORRECT_MFC} → forwarded to the creator, both closed, row gone', async () => {
    const before = relay.fc.pendingCount
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    await p.b.write(errorFrame('INCORRECT_MFC'))
    const msg = await next(p.a)
    expect(msg.error).to.deep.equal({ code: 'INCORRECT_MFC', message: 'Incorrect MFC' })
    await expectEnd(p.a)
    await expectEnd(p.b)
    await waitFor(() => relay.fc.pendingCount === before, 'the row to be deleted')
  })

  it('joiner Done × creator rejects the answer → joiner gets the forwarded Error (it wins over Done)', async () => {
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    await exchangeSealed(p)
    await p.b.write({ done: {} })
    await p.a.write(errorFrame('INCORRECT_MFC'))
    await expectErrorThenEnd(p.b, 'INCORRECT_MFC')
  })

  it('many pairings at once → all complete, table back to its size', async function () {
    this.timeout(WAIT_MS * 6)
    const before = relay.fc.pendingCount
    await Promise.all(Array.from({ length: 20 }, async () => { await completePairing(cleanup, relay) }))
    await waitFor(() => relay.fc.pendingCount === before, 'all rows to be deleted')
  })
})

describe('relay GSS /gini/fc/1: a hijacked relay (test/helpers/tampering-relay.ts)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function tampering (c: Cleanup, opts: Parameters<typeof startTamperingRelay>[0]): Promise<Relay> {
    const relay = await startTamperingRelay(opts)
    c.add(async () => { await relay.stop() })
    return relay
  }

  it('tamper × Mfc from the creator and sid_a to the joiner → the joiner sees the altered values', async () => {
    const flip = (b: Uint8Array): Uint8Array<ArrayBuffer> => { const c = new Uint8Array(b); c[0] ^= 1; return c }
    const relay = await tampering(cleanup, {
      tamper: (from, msg): FcMessage => {
        if (msg.matched != null && from === 'creator') return { matched: { sidA: flip(msg.matched.sidA), sidB: msg.matched.sidB } }
        if (msg.mfc != null && from === 'creator') return { mfc: { mac: flip(msg.mfc.mac) } }
        return msg
      }
    })
    const { a, lookup, sidA } = await create(cleanup, relay)
    const b = await openFc(cleanup, relay)
    const sidB = bytes(16)
    await b.write({ join: { lookup, sid: sidB } })
    expect(await next(a)).to.deep.equal({ matched: { sidA, sidB } })
    expect(await next(b)).to.deep.equal({ matched: { sidA: flip(sidA), sidB } })
    const p = { a, b, lookup, sidA, sidB }
    await relayed(a, b, { tempKey: { share: bytes(32) } })
    await relayed(b, a, { tempKey: { share: bytes(32) } })
    const mac = bytes(32)
    await a.write({ mfc: { mac } })
    expect(await next(b)).to.deep.equal({ mfc: { mac: flip(mac) } })
    await relayed(b, a, { mfc: { mac: bytes(32) } })
    await exchangeSealed(p)
  })

  it('the plain relay (no tampering layer) → Matched and forwarded frames are byte-for-byte what was sent', async () => {
    const relay = await startRelay(cleanup)
    const p = await pair(cleanup, relay)
    await exchangeKeys(p) // relayed() asserts deep equality of every frame
  })

  it('Error from the joiner on a tampered relay → still forwarded', async () => {
    const relay = await tampering(cleanup, { tamper: (_from, msg) => msg })
    const p = await pair(cleanup, relay)
    await p.b.write(errorFrame('INCORRECT_MFC'))
    await expectError(p.a, 'INCORRECT_MFC')
  })
})
