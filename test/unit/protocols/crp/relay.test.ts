// The CRP relay state machine (protocols/crp/relay.ts) on in-memory stream pairs, a fake clock and
// a real SQLite store in a temp dir: every rule of docs/protocol.md §9.2, with time moved by the
// test, never waited for.
import { expect } from 'chai'
import { WIRE_MESSAGES, errorFrame } from '../../../../protocols/common/index.js'
import {
  CRP_MATCHED_TTL_MS, CRP_MAX_WAIT_MS, CRP_PARKED_TTL_MS, CRP_ROW_TTL_MS, CRP_SESSION_TTL_MS
} from '../../../../protocols/crp/constants.js'
import { CRP_CLOSE_GRACE_MS, CRP_FIRST_FRAME_TIMEOUT_MS, CRP_FRAME_TIMEOUT_MS } from '../../../../relay/constants.js'
import { Cleanup, bytes, waitFor } from '../../../helpers/relay-clients.js'
import {
  ROLE, exchange, expectEnd, expectError, expectErrorThenEnd, expectMatched, expectSilence, freshToken,
  harness, next, register, relayed, sealed, varint, type Crp, type Harness
} from '../../../helpers/crp-clients.js'
import type { CrpMessage } from '../../../../protocols/crp/pb/crp.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** Closes our side and waits until the relay has handled it (it lets go of the stream). */
async function closeAndWait (h: Harness, ch: Crp): Promise<void> {
  const before = h.relay.liveStreams
  await ch.close()
  await waitFor(() => h.relay.liveStreams < before, 'the relay to handle the close')
}

describe('CRP relay state machine (fake clock, SQLite store)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  /** A waits on a fresh token, B registers: both Matched. */
  async function matchedPair (h: Harness, token = freshToken()): Promise<{ a: Crp, b: Crp, token: Uint8Array<ArrayBuffer> }> {
    const a = await h.connect()
    await register(a, token, 'A')
    const b = await h.connect()
    await register(b, token, 'B')
    await expectMatched(b, a)
    return { a, b, token }
  }

  /** Moves the clock hour by hour, letting each hourly sweep finish (the relay sweeps hourly). */
  async function advanceHours (h: Harness, hours: number): Promise<void> {
    for (let i = 0; i < hours; i++) {
      h.clock.advance(HOUR_MS)
      await h.relay.sweep()
    }
  }

  describe('Register', function () {
    it('Register × clock at T → Registered{expiresAtMs = T + 365 d, no parked} first; one row with Session A', async () => {
      const h = await harness(cleanup)
      const a = await h.connect()
      const token = freshToken()
      const T = h.clock.now()
      expect(await register(a, token, 'A')).to.deep.equal({ expiresAtMs: BigInt(T + CRP_ROW_TTL_MS) })
      expect(h.store.size).to.equal(1)
      const row = h.store.get(token)!
      expect(row).to.deep.equal({ firstAtMs: T, lastAtMs: T, parked: {}, sessionAtMs: { A: T } })
      await expectSilence(a) // waiting: nothing more until Matched
    })

    it('second Register of the token a day later → expiresAtMs still first + 365 d, Timestamp refreshed, still one row', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const T = h.clock.now()
      const a = await h.connect()
      await register(a, token, 'A')
      await closeAndWait(h, a)
      h.clock.advance(DAY_MS)
      const a2 = await h.connect()
      expect((await register(a2, token, 'A')).expiresAtMs).to.equal(BigInt(T + CRP_ROW_TTL_MS))
      expect(h.store.size).to.equal(1)
      expect(h.store.get(token)).to.include({ firstAtMs: T, lastAtMs: T + DAY_MS })
    })

    it('A parks an offer and leaves → B registering later gets it in Registered; A re-registering never gets its own', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const offer = sealed()
      const a = await h.connect()
      expect((await register(a, token, 'A', offer)).parked).to.equal(undefined)
      await closeAndWait(h, a)
      h.clock.advance(HOUR_MS)
      const a2 = await h.connect()
      expect((await register(a2, token, 'A')).parked, 'A must not get its own offer back').to.equal(undefined)
      await closeAndWait(h, a2)
      const b = await h.connect()
      expect((await register(b, token, 'B')).parked).to.deep.equal(offer)
    })

    it('parked offer × 24 h after its Register → no longer returned; 1 ms earlier it still is', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const offer = sealed()
      const b = await h.connect()
      await register(b, token, 'B', offer)
      await closeAndWait(h, b)
      h.clock.advance(CRP_PARKED_TTL_MS - 1)
      const a1 = await h.connect()
      expect((await register(a1, token, 'A')).parked).to.deep.equal(offer)
      await closeAndWait(h, a1)
      h.clock.advance(1)
      const a2 = await h.connect()
      expect((await register(a2, token, 'A')).parked).to.equal(undefined)
    })

    it('A parks twice → the newest is returned; a later Register without parked keeps it', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const [first, newest] = [sealed(), sealed(200)]
      for (const parked of [first, newest, undefined]) {
        const a = await h.connect()
        await register(a, token, 'A', parked)
        await closeAndWait(h, a)
      }
      const b = await h.connect()
      expect((await register(b, token, 'B')).parked).to.deep.equal(newest)
    })

    it('a parked offer outlives its stream and a matched run ending in an error; Done deletes it with the row', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const offer = sealed()
      const a = await h.connect()
      await register(a, token, 'A', offer)
      const b = await h.connect()
      expect((await register(b, token, 'B')).parked).to.deep.equal(offer)
      await expectMatched(b, a)
      await a.write(errorFrame('INCORRECT_SHARED_SECRET'))
      await expectError(b, 'INCORRECT_SHARED_SECRET')
      const b2 = await h.connect()
      expect((await register(b2, token, 'B')).parked).to.deep.equal(offer)
      await b2.write({ done: {} })
      await expectEnd(b2)
      expect(h.store.get(token)).to.equal(undefined)
    })

    for (const [what, token, role] of [
      ['31-byte token', bytes(31), ROLE.A.slice()],
      ['33-byte token', bytes(33), ROLE.A.slice()],
      ['empty token', new Uint8Array(0), ROLE.B.slice()],
      ['role "C"', bytes(32), new Uint8Array([0x43])],
      ['role "AB"', bytes(32), new Uint8Array([0x41, 0x42])],
      ['role "a" (lower case)', bytes(32), new Uint8Array([0x61])],
      ['empty role', bytes(32), new Uint8Array(0)]
    ] as Array<[string, Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>]>) {
      it(`Register × ${what} → PROTOCOL_VIOLATION, no row, admission not charged`, async () => {
        let charged = 0
        const h = await harness(cleanup, { admission: { admit: () => { charged++; return true }, admitNewRow: () => { charged++; return true } } })
        const a = await h.connect()
        await a.write({ register: { token, role } })
        await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
        expect(h.store.size).to.equal(0)
        expect(charged).to.equal(0)
      })
    }

    it('Register × parked offer over 4 KiB → PROTOCOL_VIOLATION, no row', async () => {
      const h = await harness(cleanup)
      const a = await h.connect()
      await a.write({ register: { token: freshToken(), role: ROLE.A.slice(), parked: sealed(5000) } })
      await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
      expect(h.store.size).to.equal(0)
    })

    it('first frame × Challenge instead of Register → PROTOCOL_VIOLATION', async () => {
      const h = await harness(cleanup)
      const a = await h.connect()
      await a.write({ challenge: { nonce: bytes(32) } })
      await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
    })

    it('new stream × silent past the first-frame deadline → reset, no row', async () => {
      const h = await harness(cleanup)
      const a = await h.connect()
      h.clock.advance(CRP_FIRST_FRAME_TIMEOUT_MS - 1)
      expect(h.relayEnd(a).status, 'the relay has not reset it yet').to.equal('open')
      h.clock.advance(1)
      await expectEnd(a)
      expect(h.outcomes).to.include('first-frame-timeout')
    })
  })

  describe('matching and the run', function () {
    it('A waits, B registers → B gets Registered then Matched, A Matched; the run is forwarded once per side; Done deletes the row', async () => {
      const h = await harness(cleanup)
      const { a, b, token } = await matchedPair(h)
      await exchange(a, b)
      await a.write({ done: {} })
      await expectEnd(a)
      expect(h.store.get(token), 'Done deletes the row').to.equal(undefined)
      await b.write({ done: {} })
      await expectEnd(b)
      expect(h.outcomes).to.deep.equal(['swept', 'registered', 'registered', 'matched', 'completed', 'completed'])
      await a.close(); await b.close()
      await waitFor(() => h.relay.liveStreams === 0, 'the relay to let go of both streams')
      // Timers fire inside advance(): a run TTL still pending would report 'expired' right here.
      h.clock.advance(CRP_MATCHED_TTL_MS)
      expect(h.outcomes).to.not.include('expired')
    })

    it('new Register of role A × an A waiting → the old A is closed cleanly; B then matches the new A', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a1 = await h.connect()
      await register(a1, token, 'A')
      const a2 = await h.connect({ peer: 'another-run-identity' })
      await register(a2, token, 'A')
      await expectEnd(a1)
      expect(h.store.get(token)?.sessionAtMs.A, 'the new stream holds Session A').to.equal(h.clock.now())
      const b = await h.connect()
      await register(b, token, 'B')
      await expectMatched(b, a2)
      await relayed(a2, b, { challenge: { nonce: bytes(32) } })
    })

    it('two B streams on one token never match each other; tokens that differ never match (a stranger\'s token)', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A')
      const stranger = await h.connect()
      const registered = await register(stranger, freshToken(), 'B')
      expect(registered.parked).to.equal(undefined)
      await expectSilence(a)
      await expectSilence(stranger)
      expect(h.store.size).to.equal(2)
    })

    it('waiting stream × 300 s → closed cleanly, its Session cleared, row kept; 1 ms earlier still open', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A', sealed())
      h.clock.advance(CRP_MAX_WAIT_MS - 1)
      await expectSilence(a, 50)
      expect(h.store.get(token)?.sessionAtMs.A).to.not.equal(undefined)
      h.clock.advance(1)
      await expectEnd(a)
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
      expect(h.store.get(token)?.parked.A, 'the parked offer stays whatever becomes of the stream').to.not.equal(undefined)
      expect(h.outcomes).to.include('wait-elapsed')
    })

    it('matched run × 180 s after Matched → EXPIRED to both, row kept, Sessions cleared; 1 ms earlier nothing', async () => {
      const h = await harness(cleanup)
      const { a, b, token } = await matchedPair(h)
      await relayed(a, b, { challenge: { nonce: bytes(32) } })
      h.clock.advance(CRP_MATCHED_TTL_MS - 1)
      await expectSilence(a, 50)
      h.clock.advance(1)
      await expectErrorThenEnd(a, 'EXPIRED')
      await expectErrorThenEnd(b, 'EXPIRED')
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
      expect(h.store.size).to.equal(1)
    })

    it('matched run × A closes without Done → B gets PEER_LEFT; Sessions cleared, row kept', async () => {
      const h = await harness(cleanup)
      const { a, b, token } = await matchedPair(h)
      await relayed(a, b, { challenge: { nonce: bytes(32) } })
      await a.close()
      await expectErrorThenEnd(b, 'PEER_LEFT')
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
      expect(h.store.size).to.equal(1)
    })

    it('matched run × A resets → B gets PEER_LEFT', async () => {
      const h = await harness(cleanup)
      const { a, b } = await matchedPair(h)
      a.abort(new Error('gone'))
      await expectErrorThenEnd(b, 'PEER_LEFT')
    })

    it('waiting stream × closes without Done → only its Session cleared; the row and the other role\'s Session stay', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A')
      const b = await h.connect()
      await register(b, token, 'B')
      await expectMatched(b, a)
      const a2 = await h.connect()
      await register(a2, token, 'A') // waits: the A of the run is busy
      await closeAndWait(h, a2)
      // a2 held Session A after the run's A: its close clears A; B's stays.
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({ B: h.clock.now() })
      expect(h.store.size).to.equal(1)
    })

    it('matched run × Error{INCORRECT_SHARED_SECRET} from B → forwarded to A unchanged, both closed, row kept', async () => {
      const h = await harness(cleanup)
      const { a, b, token } = await matchedPair(h)
      await relayed(a, b, { challenge: { nonce: bytes(32) } })
      await relayed(b, a, { challenge: { nonce: bytes(32) } })
      await relayed(a, b, { proof: { mac: bytes(32) } })
      const frame = errorFrame('INCORRECT_SHARED_SECRET')
      await b.write(frame)
      expect(await next(a)).to.deep.equal(frame)
      await expectEnd(a)
      await expectEnd(b)
      expect(h.store.get(token)).to.not.equal(undefined)
    })

    it('waiting × Done → row deleted, stream closed cleanly (a restore through a parked offer, docs §13.3-12)', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A')
      await a.write({ done: {} })
      await expectEnd(a)
      expect(h.store.size).to.equal(0)
    })

    it('Done in a run → row deleted, another stream waiting on the token closed cleanly, the partner may still finish', async () => {
      const h = await harness(cleanup)
      const { a, b, token } = await matchedPair(h)
      const b2 = await h.connect()
      await register(b2, token, 'B')
      await exchange(a, b)
      await a.write({ done: {} })
      await expectEnd(a)
      await expectEnd(b2)
      expect(h.store.get(token)).to.equal(undefined)
      await expectSilence(b, 50)
      await b.write({ done: {} })
      await expectEnd(b)
    })
  })

  describe('violations (§3.4): PROTOCOL_VIOLATION to that stream only, row kept', function () {
    const run = async (p: { a: Crp, b: Crp }): Promise<void> => {
      await relayed(p.a, p.b, { challenge: { nonce: bytes(32) } })
      await relayed(p.b, p.a, { challenge: { nonce: bytes(32) } })
      await relayed(p.a, p.b, { proof: { mac: bytes(32) } })
      await relayed(p.b, p.a, { proof: { mac: bytes(32) } })
    }
    const cases: Array<[string, 'a' | 'b', (p: { a: Crp, b: Crp }) => Promise<void>]> = [
      ['A × Challenge twice', 'a', async ({ a, b }) => { await relayed(a, b, { challenge: { nonce: bytes(32) } }); await a.write({ challenge: { nonce: bytes(32) } }) }],
      ['B × 31-byte nonce', 'b', async ({ b }) => { await b.write({ challenge: { nonce: bytes(31) } }) }],
      ['A × 33-byte mac', 'a', async ({ a, b }) => {
        await relayed(a, b, { challenge: { nonce: bytes(32) } }); await relayed(b, a, { challenge: { nonce: bytes(32) } })
        await a.write({ proof: { mac: bytes(33) } })
      }],
      ['A × Proof before B\'s Challenge (out of order)', 'a', async ({ a, b }) => { await relayed(a, b, { challenge: { nonce: bytes(32) } }); await a.write({ proof: { mac: bytes(32) } }) }],
      ['A × Proof twice', 'a', async (p) => { await run(p); await p.a.write({ proof: { mac: bytes(32) } }) }],
      ['B × Offer (only A offers)', 'b', async (p) => { await run(p); await p.b.write({ offer: sealed() }) }],
      ['A × Answer', 'a', async (p) => { await run(p); await p.a.write({ answer: sealed() }) }],
      ['B × Answer before the Offer', 'b', async (p) => { await run(p); await p.b.write({ answer: sealed() }) }],
      ['A × Offer before both proofs', 'a', async ({ a, b }) => {
        await relayed(a, b, { challenge: { nonce: bytes(32) } }); await relayed(b, a, { challenge: { nonce: bytes(32) } })
        await relayed(a, b, { proof: { mac: bytes(32) } })
        await a.write({ offer: sealed() })
      }],
      ['A × Offer twice', 'a', async (p) => { await run(p); await relayed(p.a, p.b, { offer: sealed() }); await p.a.write({ offer: sealed() }) }],
      ['B × Register again on its stream', 'b', async ({ b }) => { await b.write({ register: { token: freshToken(), role: ROLE.B.slice() } }) }],
      ['A × Matched (a relay-only frame)', 'a', async ({ a }) => { await a.write({ matched: {} }) }],
      ['B × empty envelope', 'b', async ({ b }) => { b.stream.send(varint(0)) }],
      ['A × frame declaring 20 KiB (> 16 KiB)', 'a', async ({ a }) => { a.stream.send(varint(20 * 1024)); a.stream.send(bytes(64)) }],
      ['B × undecodable bytes', 'b', async ({ b }) => { b.stream.send(varint(8)); b.stream.send(bytes(8, 0xff)) }]
    ]
    for (const [title, offender, offend] of cases) {
      it(`matched run × ${title} → PROTOCOL_VIOLATION to it, PEER_LEFT to the partner, row kept; a run beside completes`, async () => {
        const h = await harness(cleanup)
        const p = await matchedPair(h)
        const bystander = await matchedPair(h)
        await offend(p)
        const [bad, good] = offender === 'a' ? [p.a, p.b] : [p.b, p.a]
        await expectErrorThenEnd(bad, 'PROTOCOL_VIOLATION')
        await expectErrorThenEnd(good, 'PEER_LEFT')
        expect(h.store.get(p.token), 'a violation keeps the row').to.not.equal(undefined)
        await exchange(bystander.a, bystander.b)
        await bystander.a.write({ done: {} })
        await expectEnd(bystander.a)
        expect(h.store.get(bystander.token)).to.equal(undefined)
      })
    }

    for (const [title, frame] of [
      ['Challenge before Matched', { challenge: { nonce: bytes(32) } }],
      ['a second Register', { register: { token: freshToken(), role: ROLE.A.slice() } }],
      ['an Offer before Matched', { offer: sealed() }]
    ] as Array<[string, CrpMessage]>) {
      it(`waiting A × ${title} → PROTOCOL_VIOLATION, row kept, Session cleared`, async () => {
        const h = await harness(cleanup)
        const token = freshToken()
        const a = await h.connect()
        await register(a, token, 'A')
        await a.write(frame)
        await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
        expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
        expect(h.store.size).to.equal(1)
      })
    }
  })

  describe('limits (§9.2): over any → RATE_LIMITED', function () {
    it('admission refuses × Register → RATE_LIMITED, no Registered, no row', async () => {
      const h = await harness(cleanup, { admission: { admit: () => false, admitNewRow: () => true } })
      const a = await h.connect()
      await a.write({ register: { token: freshToken(), role: ROLE.A.slice() } })
      await expectErrorThenEnd(a, 'RATE_LIMITED')
      expect(h.store.size).to.equal(0)
    })

    it('maxRows 2 × a third new token → RATE_LIMITED; known tokens still register; Done frees a row', async () => {
      const h = await harness(cleanup, { maxRows: 2 })
      const [t1, t2] = [freshToken(), freshToken()]
      for (const t of [t1, t2]) { const c = await h.connect(); await register(c, t, 'A'); await c.close() }
      const c3 = await h.connect()
      await c3.write({ register: { token: freshToken(), role: ROLE.A.slice() } })
      await expectErrorThenEnd(c3, 'RATE_LIMITED')
      const again = await h.connect()
      await register(again, t1, 'B')
      await again.write({ done: {} })
      await expectEnd(again)
      expect(h.store.size).to.equal(1)
      const c4 = await h.connect()
      await register(c4, freshToken(), 'A')
      expect(h.outcomes).to.include('table-full')
    })

    it('new-row quota 2 per IP per day (relay/crp-service.ts) → the third new token from that IP refused; other IPs and known tokens unaffected; next day fine', async () => {
      const { crpAdmission } = await import('../../../../relay/crp-service.js')
      // eslint-disable-next-line prefer-const -- the admission's clock reads it once the harness exists
      let h: Harness | undefined
      const admission = crpAdmission(false, 2, () => h!.clock.now())
      h = await harness(cleanup, { admission })
      const known = freshToken()
      for (const t of [known, freshToken()]) { const c = await h.connect({ ip: '198.51.100.7' }); await register(c, t, 'A'); await c.close() }
      const refused = await h.connect({ ip: '198.51.100.7' })
      await refused.write({ register: { token: freshToken(), role: ROLE.A.slice() } })
      await expectErrorThenEnd(refused, 'RATE_LIMITED')
      const knownAgain = await h.connect({ ip: '198.51.100.7' })
      await register(knownAgain, known, 'B') // not a new row: not charged
      const otherIp = await h.connect({ ip: '203.0.113.9' })
      await register(otherIp, freshToken(), 'A')
      h.clock.advance(DAY_MS)
      const nextDay = await h.connect({ ip: '198.51.100.7' })
      await register(nextDay, freshToken(), 'A')
      expect(h.outcomes).to.include('new-row-quota')
    })

    it('token buckets (relay/rate-limit.ts) per peer burst 2 × a third Register from that peer → RATE_LIMITED', async () => {
      const { crpAdmission } = await import('../../../../relay/crp-service.js')
      // eslint-disable-next-line prefer-const -- the admission's clock reads it once the harness exists
      let h: Harness | undefined
      const admission = crpAdmission({ perPeer: { burst: 2, refillMs: 60_000 } }, 1000, () => h!.clock.now())
      h = await harness(cleanup, { admission })
      for (let i = 0; i < 2; i++) { const c = await h.connect({ peer: 'run-1' }); await register(c, freshToken(), 'A') }
      const third = await h.connect({ peer: 'run-1' })
      await third.write({ register: { token: freshToken(), role: ROLE.A.slice() } })
      await expectErrorThenEnd(third, 'RATE_LIMITED')
    })
  })

  describe('time: Session, parked offers and rows (sweep on start and hourly)', function () {
    it('waiting stream allowed 48 h × 24 h → closed and its Session cleared (§9.2: Session cleared 24 h after set); 1 ms earlier set', async () => {
      const h = await harness(cleanup, { maxWaitMs: 2 * DAY_MS })
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A')
      h.clock.advance(CRP_SESSION_TTL_MS - 1)
      expect(h.store.get(token)?.sessionAtMs.A).to.not.equal(undefined)
      h.clock.advance(1)
      await expectEnd(a)
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
    })

    it('a Session marker with no stream × hourly sweeps → cleared once 24 h old, not an hour before', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      h.store.register(token, 'B', undefined, h.clock.now()) // as if the stream's own clear had been lost
      await advanceHours(h, 23)
      expect(h.store.get(token)?.sessionAtMs.B).to.not.equal(undefined)
      await advanceHours(h, 1)
      expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
    })

    it('parked offer × hourly sweeps → its blob deleted from the store once 24 h old', async () => {
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'A', sealed())
      await a.close()
      await advanceHours(h, 23)
      expect(h.store.get(token)?.parked.A).to.not.equal(undefined)
      await advanceHours(h, 1)
      expect(h.store.get(token)?.parked).to.deep.equal({})
    })

    it('row × 365 days of hourly sweeps → deleted at first registration + 365 d, not an hour before; a new Register starts a new row', async () => {
      this.timeout(120_000)
      const h = await harness(cleanup)
      const token = freshToken()
      const a = await h.connect()
      const T = h.clock.now()
      await register(a, token, 'A')
      await a.close()
      await advanceHours(h, 365 * 24 - 1)
      expect(h.store.get(token)?.firstAtMs).to.equal(T)
      await advanceHours(h, 1)
      expect(h.store.get(token)).to.equal(undefined)
      expect(h.store.size).to.equal(0)
      const a2 = await h.connect()
      expect((await register(a2, token, 'A')).expiresAtMs).to.equal(BigInt(h.clock.now() + CRP_ROW_TTL_MS))
    })

    it('row past its life but not yet swept × Register → treated as gone: a fresh row', async () => {
      const h = await harness(cleanup, { rowTtlMs: 10_000, sweepIntervalMs: DAY_MS })
      const token = freshToken()
      const a = await h.connect()
      await register(a, token, 'B', sealed())
      await closeAndWait(h, a)
      h.clock.advance(10_000)
      const b = await h.connect()
      const registered = await register(b, token, 'A')
      expect(registered).to.deep.equal({ expiresAtMs: BigInt(h.clock.now() + 10_000) })
      expect(h.store.size).to.equal(1)
    })

    it('restart × same database → rows and parked offers kept, stale Sessions cleared on start', async () => {
      const first = await harness(cleanup)
      const token = freshToken()
      const offer = sealed()
      const a = await first.connect()
      await register(a, token, 'A', offer)
      await first.relay.close() // the "crash": the stream's Session is never cleared by its end
      first.store.close()
      const second = await harness(cleanup, {}, { dir: first.dir, clock: first.clock })
      expect(second.store.size).to.equal(1)
      expect(second.store.get(token)?.sessionAtMs).to.deep.equal({})
      const b = await second.connect()
      expect((await register(b, token, 'B')).parked).to.deep.equal(offer)
    })
  })

  it('outcomes are plain words and error frames carry the fixed wire texts: no token anywhere (§11)', async () => {
    const h = await harness(cleanup)
    const { a, b, token } = await matchedPair(h)
    await a.write({ challenge: { nonce: bytes(31) } })
    const violation = await expectError(a, 'PROTOCOL_VIOLATION')
    const left = await expectError(b, 'PEER_LEFT')
    expect(violation.error?.message).to.equal(WIRE_MESSAGES.PROTOCOL_VIOLATION)
    expect(left.error?.message).to.equal(WIRE_MESSAGES.PEER_LEFT)
    const hex = Buffer.from(token).toString('hex')
    for (const o of h.outcomes) {
      expect(o).to.match(/^[a-z-]+$/)
      expect(o).to.not.include(hex.slice(0, 8))
    }
  })

  it('close() × waiting streams and a run → all reset, no timer left', async () => {
    const h = await harness(cleanup)
    const { a, b } = await matchedPair(h)
    const w = await h.connect()
    await register(w, freshToken(), 'B')
    await h.relay.close()
    expect(h.clock.pending).to.equal(0)
    for (const ch of [a, b, w]) await expectEnd(ch)
    h.clock.advance(CRP_CLOSE_GRACE_MS)
  })

  it('matched A × one byte of a frame, then nothing → reset at the frame deadline, B PEER_LEFT', async () => {
    const h = await harness(cleanup)
    const { a, b } = await matchedPair(h)
    const timers = h.clock.pending
    a.stream.send(new Uint8Array([0x85])) // a two-byte length prefix, cut after its first byte
    await waitFor(() => h.clock.pending === timers + 1, 'the frame deadline to start')
    h.clock.advance(CRP_FRAME_TIMEOUT_MS - 1)
    expect(a.stream.status).to.equal('open')
    h.clock.advance(1)
    await expectEnd(a)
    await expectErrorThenEnd(b, 'PEER_LEFT')
    expect(h.outcomes).to.include('peer-left')
  })

  it('drain() × a matched run, a waiting registration and a stream before Register → each Error{RELAY_SHUTTING_DOWN} then the end, Sessions cleared; a stream opened after → the same', async () => {
    const h = await harness(cleanup)
    const { a, b, token } = await matchedPair(h)
    const lone = freshToken()
    const waiting = await h.connect()
    await register(waiting, lone, 'A')
    const fresh = await h.connect()
    await waitFor(() => h.relay.liveStreams === 4, 'four live streams')
    const drained = h.relay.drain(1_000)
    for (const ch of [a, b, waiting, fresh]) await expectErrorThenEnd(ch, 'RELAY_SHUTTING_DOWN')
    for (const ch of [a, b, waiting, fresh]) await ch.close()
    await drained
    expect(h.store.get(token)?.sessionAtMs).to.deep.equal({})
    expect(h.store.get(lone)?.sessionAtMs).to.deep.equal({})
    expect(h.outcomes.filter(o => o === 'relay-stopping')).to.have.length(3)
    await expectErrorThenEnd(await h.connect(), 'RELAY_SHUTTING_DOWN')
  })
})
