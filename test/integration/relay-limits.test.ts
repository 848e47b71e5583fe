// Time and size limits of the GSS on a real relay (docs/protocol.md §6.5 rule 7 expiry, rule 9 rate
// limits and bounded table). Each case starts its own relay with the limit under test set small.
import { expect } from 'chai'
import {
  Cleanup, bytes, clientNode, create, exchangeKeys, expectErrorThenEnd, freshLookup, next, openFc, pair,
  startRelay, waitFor
} from '../helpers/relay-clients.js'

/** A short pairing life, so expiry is observable without waiting 180 s. */
const SHORT_TTL_MS = 1_500

describe('relay GSS /gini/fc/1: expiry and limits', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('unmatched creator × pairingTtlMs elapses → EXPIRED, row gone, code unknown afterwards', async () => {
    const relay = await startRelay(cleanup, { pairingTtlMs: SHORT_TTL_MS })
    const startMs = Date.now()
    const { a, lookup } = await create(cleanup, relay)
    expect(relay.fc.pendingCount).to.equal(1)
    await expectErrorThenEnd(a, 'EXPIRED')
    expect(Date.now() - startMs).to.be.at.least(SHORT_TTL_MS - 100)
    expect(relay.fc.pendingCount).to.equal(0)
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup, sid: bytes(16) } })
    await expectErrorThenEnd(b, 'NO_MATCHING_FLASH_CODE')
  })

  it('matched pair × pairingTtlMs elapses mid-exchange → EXPIRED to both, row gone', async () => {
    const relay = await startRelay(cleanup, { pairingTtlMs: SHORT_TTL_MS })
    const p = await pair(cleanup, relay)
    await exchangeKeys(p)
    await expectErrorThenEnd(p.a, 'EXPIRED')
    await expectErrorThenEnd(p.b, 'EXPIRED')
    expect(relay.fc.pendingCount).to.equal(0)
  })

  it('one IP × more Creates than its bucket → RATE_LIMITED (other peers on that IP too)', async () => {
    const relay = await startRelay(cleanup, { rateLimit: { perIp: { burst: 3, refillMs: 60_000 } } })
    for (let i = 0; i < 3; i++) await create(cleanup, relay)
    const c = await openFc(cleanup, relay) // a new peer id, same 127.0.0.1
    await c.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'RATE_LIMITED')
    const d = await openFc(cleanup, relay)
    await d.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(d, 'RATE_LIMITED')
    expect(relay.fc.pendingCount).to.equal(3)
  })

  it('one peer × more Joins than its bucket → RATE_LIMITED; a fresh peer still gets an answer', async () => {
    const relay = await startRelay(cleanup, { rateLimit: { perPeer: { burst: 2, refillMs: 60_000 } } })
    const node = await clientNode(cleanup)
    for (let i = 0; i < 2; i++) {
      const s = await openFc(cleanup, relay, node)
      await s.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
      await expectErrorThenEnd(s, 'NO_MATCHING_FLASH_CODE')
    }
    const s = await openFc(cleanup, relay, node)
    await s.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(s, 'RATE_LIMITED')
    const other = await openFc(cleanup, relay)
    await other.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(other, 'NO_MATCHING_FLASH_CODE')
  })

  it('table at maxPendingPairings × new Create → RATE_LIMITED; live rows kept; room again once one ends', async () => {
    const relay = await startRelay(cleanup, { maxPendingPairings: 2 })
    const first = await create(cleanup, relay)
    const second = await create(cleanup, relay)
    const c = await openFc(cleanup, relay)
    await c.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'RATE_LIMITED')
    expect(relay.fc.pendingCount).to.equal(2)
    // the live rows were not evicted: both still match
    const b = await openFc(cleanup, relay)
    await b.write({ join: { lookup: second.lookup, sid: bytes(16) } })
    expect((await next(second.a)).matched).to.not.equal(undefined)
    expect((await next(b)).matched).to.not.equal(undefined)
    first.a.abort(new Error('creator quits'))
    await waitFor(() => relay.fc.pendingCount === 1, 'the abandoned row to go')
    await create(cleanup, relay) // asserts Created
  })

  it('rateLimit: false × many Creates from one peer → all Created', async () => {
    const relay = await startRelay(cleanup, { rateLimit: false })
    const node = await clientNode(cleanup)
    for (let i = 0; i < 15; i++) {
      const s = await openFc(cleanup, relay, node)
      await s.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
      expect((await next(s)).created).to.not.equal(undefined)
      s.abort(new Error('next')) // stay under maxInboundStreams on this one connection
    }
  })
})
