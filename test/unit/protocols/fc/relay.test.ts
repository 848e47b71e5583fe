// The GSS state machine (protocols/fc/relay.ts) on in-memory stream pairs with a fake clock: the
// deadlines of docs/protocol.md §6.5 are tested by moving time, not by waiting for it.
import { streamPair } from '@libp2p/utils'
import { expect } from 'chai'
import { GSS_CLOSE_GRACE_MS, GSS_FIRST_FRAME_TIMEOUT_MS, GSS_FRAME_TIMEOUT_MS, PAIRING_TTL_MS } from '../../../../protocols/fc/constants.js'
import { FcRelay, type FcRelayInit, type FcOutcome, type FcRemote } from '../../../../protocols/fc/relay.js'
import { ErrorCode, FcMessage } from '../../../../protocols/fc/pb/fc.js'
import { fcChannel } from '../../../../protocols/fc/index.js'
import { NetQuota } from '../../../../relay/net-quota.js'
import { FakeClock } from '../../../helpers/fake-clock.js'
import type { Stream } from '@libp2p/interface'
import { Cleanup, bytes, expectEnd, expectError, expectErrorThenEnd, freshLookup, next, waitFor, type Fc } from '../../../helpers/relay-clients.js'

describe('GSS state machine (fake clock)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  /** The relay's end of each client stream: its state changes at once when the relay acts. */
  const relayEnds = new WeakMap<Fc, Stream>()
  const relayEnd = (ch: Fc): Stream => relayEnds.get(ch)!

  function setup (init: FcRelayInit = {}): { fc: FcRelay, clock: FakeClock, outcomes: FcOutcome[], connect: (remote?: Partial<FcRemote>) => Promise<Fc> } {
    const clock = new FakeClock()
    const outcomes: FcOutcome[] = []
    const fc = new FcRelay({ clock, onOutcome: (o) => outcomes.push(o), ...init })
    cleanup.add(() => { fc.close() })
    let n = 0
    const connect = async (remote: Partial<FcRemote> = {}): Promise<Fc> => {
      const [client, server] = await streamPair()
      cleanup.add(() => { client.abort(new Error('test over')) })
      void fc.handle(fcChannel(server), { peer: `peer-${n++}`, ip: '192.0.2.1', ...remote })
      const ch = fcChannel(client)
      relayEnds.set(ch, server)
      return ch
    }
    return { fc, clock, outcomes, connect }
  }

  async function createRow (connect: () => Promise<Fc>): Promise<{ a: Fc, lookup: Uint8Array<ArrayBuffer> }> {
    const a = await connect()
    const lookup = freshLookup()
    await a.write({ create: { lookup, sid: bytes(16) } })
    expect((await next(a)).created).to.not.equal(undefined)
    return { a, lookup }
  }

  it('new stream × silent past the first-frame deadline → reset, no row', async () => {
    const { fc, clock, outcomes, connect } = setup()
    const a = await connect()
    clock.advance(GSS_FIRST_FRAME_TIMEOUT_MS - 1)
    expect(relayEnd(a).status, 'the relay has not reset it yet').to.equal('open')
    clock.advance(1)
    await expectEnd(a)
    expect(outcomes).to.deep.equal(['first-frame-timeout'])
    expect(fc.pendingCount).to.equal(0)
  })

  it('Create × clock at T → Created{expiresAtMs = T + 180 s}', async () => {
    const { clock, connect } = setup()
    const a = await connect()
    await a.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    expect(await next(a)).to.deep.equal({ created: { expiresAtMs: BigInt(clock.now() + PAIRING_TTL_MS) } })
  })

  it('unmatched row × 180 s pass → EXPIRED, row gone; 1 ms earlier nothing happened', async () => {
    const { fc, clock, connect } = setup()
    const { a } = await createRow(connect)
    clock.advance(PAIRING_TTL_MS - 1)
    expect(fc.pendingCount).to.equal(1)
    clock.advance(1)
    expect(fc.pendingCount).to.equal(0)
    await expectErrorThenEnd(a, 'EXPIRED')
  })

  it('matched row × TTL passes → EXPIRED to both sides', async () => {
    const { fc, clock, connect } = setup({ pairingTtlMs: 10_000 })
    const { a, lookup } = await createRow(connect)
    const b = await connect()
    await b.write({ join: { lookup, sid: bytes(16) } })
    await next(a); await next(b)
    clock.advance(10_000)
    expect(fc.pendingCount).to.equal(0)
    await expectErrorThenEnd(a, 'EXPIRED')
    await expectErrorThenEnd(b, 'EXPIRED')
  })

  it('full honest pairing → outcomes created, matched, completed (plain words, no ids); no timer left', async () => {
    const { fc, clock, outcomes, connect } = setup()
    const { a, lookup } = await createRow(connect)
    const b = await connect()
    await b.write({ join: { lookup, sid: bytes(16) } })
    await next(a); await next(b)
    for (const [from, to, msg] of [
      [a, b, { tempKey: { share: bytes(32) } }], [b, a, { tempKey: { share: bytes(32) } }],
      [a, b, { mfc: { mac: bytes(32) } }], [b, a, { mfc: { mac: bytes(32) } }],
      [a, b, { offer: { nonce: bytes(24), ciphertext: bytes(10) } }], [b, a, { answer: { nonce: bytes(24), ciphertext: bytes(10) } }]
    ] as Array<[Fc, Fc, FcMessage]>) {
      await from.write(msg)
      expect(await next(to)).to.deep.equal(msg)
    }
    await a.write({ done: {} })
    await b.write({ done: {} })
    await expectEnd(a)
    await expectEnd(b)
    expect(outcomes).to.deep.equal(['created', 'matched', 'completed'])
    expect(fc.pendingCount).to.equal(0)
    await a.close(); await b.close()
    clock.advance(GSS_CLOSE_GRACE_MS)
    expect(clock.pending).to.equal(0)
  })

  it('refused stream × client never closes its side → reset after the close grace', async () => {
    const { clock, connect } = setup()
    const b = await connect()
    await b.write({ join: { lookup: freshLookup(), sid: bytes(16) } })
    await expectError(b, 'NO_MATCHING_FLASH_CODE')
    await waitFor(() => b.stream.remoteWriteStatus === 'closed', 'the relay to close its side')
    clock.advance(GSS_CLOSE_GRACE_MS - 1)
    // Half-closed by the relay, still ours to close: the relay has not reset its end yet.
    expect(relayEnd(b).status).to.be.oneOf(['open', 'closing'])
    expect(b.stream.status).to.equal('open')
    clock.advance(1)
    await waitFor(() => b.stream.status === 'reset', 'the relay to reset the stream')
  })

  it('unmatched creator × Error → row abandoned, stream closed without a reply', async () => {
    const { fc, outcomes, connect } = setup()
    const { a } = await createRow(connect)
    await a.write({ error: { code: ErrorCode.UNSPECIFIED, message: 'cancelled' } })
    await expectEnd(a)
    expect(fc.pendingCount).to.equal(0)
    expect(outcomes).to.deep.equal(['created', 'abandoned'])
  })

  it('admission refuses × Create → RATE_LIMITED, no row', async () => {
    const seen: string[] = []
    const { fc, connect } = setup({ admission: { admit: (remote, kind) => { seen.push(`${kind}:${remote.ip ?? ''}`); return false } } })
    const a = await connect()
    await a.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(a, 'RATE_LIMITED')
    expect(fc.pendingCount).to.equal(0)
    expect(seen).to.deep.equal(['create:192.0.2.1'])
  })

  it('wrong-size Create × admission → not charged (format is checked first)', async () => {
    let calls = 0
    const { connect } = setup({ admission: { admit: () => { calls++; return true } } })
    const a = await connect()
    await a.write({ create: { lookup: bytes(4), sid: bytes(16) } })
    await expectErrorThenEnd(a, 'PROTOCOL_VIOLATION')
    expect(calls).to.equal(0)
  })

  it('close() × live rows and waiting streams → all streams reset, table empty, no timers', async () => {
    const { fc, clock, connect } = setup()
    const { a } = await createRow(connect)
    const silent = await connect()
    fc.close()
    expect(fc.pendingCount).to.equal(0)
    expect(clock.pending).to.equal(0)
    await expectEnd(a)
    await expectEnd(silent)
  })

  async function matchedPair (connect: () => Promise<Fc>): Promise<{ a: Fc, b: Fc }> {
    const { a, lookup } = await createRow(connect)
    const b = await connect()
    await b.write({ join: { lookup, sid: bytes(16) } })
    for (const ch of [a, b]) expect((await next(ch)).matched).to.not.equal(undefined)
    return { a, b }
  }

  it('matched creator × one byte of a frame, then nothing → reset at the frame deadline, joiner PEER_LEFT', async () => {
    const { fc, clock, outcomes, connect } = setup()
    const { a, b } = await matchedPair(connect)
    const timers = clock.pending
    a.stream.send(new Uint8Array([0x85])) // a two-byte length prefix, cut after its first byte
    await waitFor(() => clock.pending === timers + 1, 'the frame deadline to start')
    clock.advance(GSS_FRAME_TIMEOUT_MS - 1)
    expect(a.stream.status).to.equal('open')
    clock.advance(1)
    await expectEnd(a)
    await expectErrorThenEnd(b, 'PEER_LEFT')
    expect(outcomes).to.include('frame-timeout')
    expect(fc.pendingCount).to.equal(0)
  })

  it('matched joiner × endless length prefix (0xff…) → PROTOCOL_VIOLATION at once, creator PEER_LEFT', async () => {
    const { fc, connect } = setup()
    const { a, b } = await matchedPair(connect)
    b.stream.send(new Uint8Array(64 * 1024).fill(0xff))
    await expectErrorThenEnd(b, 'PROTOCOL_VIOLATION')
    await expectErrorThenEnd(a, 'PEER_LEFT')
    expect(fc.pendingCount).to.equal(0)
  })

  it('row quota × a third /64 of one IPv6 /56 (cap 2) → RATE_LIMITED; a row gone gives its place back', async () => {
    const refused: string[] = []
    const rowQuota = new NetQuota('pending', { total: 100, perNet: { ip: 10, 'ip6-64': 10, 'ip6-56': 2 }, reserved: 0, reserveMaxPerNet: 4 }, (l) => refused.push(l))
    const { fc, outcomes, connect } = setup({ rowQuota })
    const from = (host: string) => async () => await connect({ host })
    const { a } = await createRow(from('2001:db8:0:100::1'))
    await createRow(from('2001:db8:0:101::1'))
    const c = await connect({ host: '2001:db8:0:1ff::1' })
    await c.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    await expectErrorThenEnd(c, 'RATE_LIMITED')
    expect(outcomes).to.include('network-full')
    expect(refused).to.deep.equal(['pending-per-ip6-56'])
    expect(fc.pendingCount).to.equal(2)

    await a.write({ error: { code: ErrorCode.EXPIRED, message: 'Expired' } }) // abandons its row
    await waitFor(() => fc.pendingCount === 1, 'the abandoned row to go')
    await createRow(from('2001:db8:0:1ff::1'))
    expect(rowQuota.size).to.equal(2)
  })

  it('drain() × a matched row, an unmatched creator and a stream before its first frame → each Error{RELAY_SHUTTING_DOWN} then the end; a stream opened after → the same; table empty', async () => {
    const { fc, outcomes, connect } = setup()
    const { a, lookup } = await createRow(connect)
    const b = await connect()
    await b.write({ join: { lookup, sid: bytes(16) } })
    await next(a); await next(b)
    const { a: lone } = await createRow(connect)
    const fresh = await connect()
    await waitFor(() => fc.pendingCount === 2, 'both rows')
    const drained = fc.drain(1_000)
    for (const ch of [a, b, lone, fresh]) await expectErrorThenEnd(ch, 'RELAY_SHUTTING_DOWN')
    for (const ch of [a, b, lone, fresh]) await ch.close()
    await drained
    expect(fc.pendingCount).to.equal(0)
    expect(outcomes.filter(o => o === 'relay-stopping')).to.have.length(2)
    await expectErrorThenEnd(await connect(), 'RELAY_SHUTTING_DOWN')
  })
})
