// `/gini/session/1` handshake (docs/protocol.md §8) over in-memory streams. I = dialer (opens the
// stream), R = listener, which reads the first frame itself and hands it to runSessionResponder.
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { runSessionInitiator, runSessionResponder } from '../../../../protocols/session/peer.js'
import type { SessionResult } from '../../../../protocols/session/peer.js'
import { SESSION_FRAME_MAX_BYTES, SHARED_SECRET_BYTES } from '../../../../protocols/session/constants.js'
import { ErrorCode, SessionMessage } from '../../../../protocols/session/pb/session.js'
import type { FrameChannel } from '../../../../protocols/common/index.js'
import { generateX25519, type X25519KeyPair } from '../../../../protocols/crypto/index.js'
import { channelPair, middlePair, rejection, resetAll, within } from '../contact/fixtures.js'
import type { Mutate } from '../contact/fixtures.js'

const MAX = SESSION_FRAME_MAX_BYTES
const AT_MS = 1_700_000_000_000
const I_ADDR = multiaddr('/ip4/10.0.0.1/tcp/4001').bytes
const R_ADDR = multiaddr('/ip4/10.0.0.2/udp/4002/quic-v1').bytes

describe('session/handshake (§8)', () => {
  let ppkI: X25519KeyPair
  let ppkR: X25519KeyPair

  beforeEach(() => {
    ppkI = generateX25519()
    ppkR = generateX25519()
  })
  afterEach(resetAll)

  /** R's listener glue: read the first frame, then run the responder on it. */
  async function listen (ch: FrameChannel<SessionMessage>, peerPPK = ppkI.publicKey): Promise<SessionResult> {
    const first = await ch.read()
    return await runSessionResponder(ch, first, { ppk: ppkR, peerPPK, multiaddrs: [R_ADDR] })
  }

  function initiate (ch: FrameChannel<SessionMessage>, peerPPK = ppkR.publicKey, signal?: AbortSignal): Promise<SessionResult> {
    return runSessionInitiator(ch, { ppk: ppkI, peerPPK, multiaddrs: [I_ADDR], atMs: AT_MS, signal })
  }

  interface Tamper { fromI?: Mutate<SessionMessage>, fromR?: Mutate<SessionMessage>, rVanishes?: boolean }

  async function run (t: Tamper = {}, peerPPKs: { atI?: Uint8Array, atR?: Uint8Array } = {}): Promise<[PromiseSettledResult<SessionResult>, PromiseSettledResult<SessionResult>]> {
    const [chI, chR] = await middlePair(SessionMessage, MAX, { aToB: t.fromI, bToA: t.fromR, resetWhenBEnds: t.rVanishes })
    const [i, r] = await within(5_000, Promise.allSettled([initiate(chI, peerPPKs.atI), listen(chR, peerPPKs.atR)]))
    return [i, r]
  }

  function failedWith (r: PromiseSettledResult<unknown>, name: string): void {
    expect(r.status, 'expected a failure').to.equal('rejected')
    expect((r as PromiseRejectedResult).reason).to.have.property('name', name)
  }

  function value<T> (r: PromiseSettledResult<T>): T {
    if (r.status === 'rejected') throw new Error(`expected success, got ${String(r.reason)}`)
    return r.value
  }

  const flip = (b: Uint8Array): Uint8Array<ArrayBuffer> => { const c = new Uint8Array(b); c[0] ^= 1; return c }

  it('fresh ephemerals × honest handshake → both hold the same 64-byte SharedSecret and each other\'s addresses', async () => {
    const [i, r] = await run()
    const atI = value(i)
    const atR = value(r)
    expect(atI.sharedSecret).to.have.length(SHARED_SECRET_BYTES)
    expect(atI.sharedSecret).to.deep.equal(atR.sharedSecret)
    expect(atI.peerMultiaddrs.map(String)).to.deep.equal(['/ip4/10.0.0.2/udp/4002/quic-v1'])
    expect(atR.peerMultiaddrs.map(String)).to.deep.equal(['/ip4/10.0.0.1/tcp/4001'])
    expect(atR.peerAtMs).to.equal(AT_MS)
    expect(atI.peerAtMs).to.equal(undefined)
  })

  it('two sessions × same contacts → two different SharedSecrets (fresh ephemerals)', async () => {
    const first = value((await run())[0]).sharedSecret
    const second = value((await run())[0]).sharedSecret
    expect(first).not.to.deep.equal(second)
  })

  it('reply read × tampered confirm_R → I throws SessionFailedError, R gets SESSION_FAILED', async () => {
    const [i, r] = await run({ fromR: m => m.reply != null ? { reply: { ...m.reply, confirm: flip(m.reply.confirm) } } : m })
    failedWith(i, 'SessionFailedError')
    failedWith(r, 'SessionFailedError')
  })

  it('confirm read × tampered confirm_I → R throws SessionFailedError, I gets SESSION_FAILED', async () => {
    const [i, r] = await run({ fromI: m => m.confirm != null ? { confirm: { confirm: flip(m.confirm.confirm) } } : m })
    failedWith(r, 'SessionFailedError')
    failedWith(i, 'SessionFailedError')
  })

  it('hello read × swapped E_I (a middle with its own ephemeral) → SESSION_FAILED on both sides', async () => {
    const mallory = generateX25519()
    const [i, r] = await run({ fromI: m => m.hello != null ? { hello: { ...m.hello, e: new Uint8Array(mallory.publicKey) } } : m })
    failedWith(i, 'SessionFailedError')
    failedWith(r, 'SessionFailedError')
  })

  it('hello read × I knows another PPK for R (not the contact) → SESSION_FAILED on both sides', async () => {
    const [i, r] = await run({}, { atI: generateX25519().publicKey })
    failedWith(i, 'SessionFailedError')
    failedWith(r, 'SessionFailedError')
  })

  it('hello read × all-zero E_I (low order) → R sends SESSION_FAILED, both throw SessionFailedError', async () => {
    const [i, r] = await run({ fromI: m => m.hello != null ? { hello: { ...m.hello, e: new Uint8Array(32) } } : m })
    failedWith(r, 'SessionFailedError')
    failedWith(i, 'SessionFailedError')
  })

  it('reply read × all-zero E_R (low order) → I sends SESSION_FAILED, both throw SessionFailedError', async () => {
    const [i, r] = await run({ fromR: m => m.reply != null ? { reply: { ...m.reply, e: new Uint8Array(32) } } : m })
    failedWith(i, 'SessionFailedError')
    failedWith(r, 'SessionFailedError')
  })

  it('hello read × E_I of 31 bytes → PROTOCOL_VIOLATION on both sides', async () => {
    const [i, r] = await run({ fromI: m => m.hello != null ? { hello: { ...m.hello, e: m.hello.e.subarray(0, 31) } } : m })
    failedWith(r, 'ProtocolViolationError')
    failedWith(i, 'ProtocolViolationError')
  })

  it('reply read × confirm_R of 16 bytes → PROTOCOL_VIOLATION on both sides', async () => {
    const [i, r] = await run({ fromR: m => m.reply != null ? { reply: { ...m.reply, confirm: m.reply.confirm.subarray(0, 16) } } : m })
    failedWith(i, 'ProtocolViolationError')
    failedWith(r, 'ProtocolViolationError')
  })

  it('reply read × a multiaddr that does not decode → PROTOCOL_VIOLATION on both sides', async () => {
    const [i, r] = await run({ fromR: m => m.reply != null ? { reply: { ...m.reply, multiaddrs: [new Uint8Array([0xff, 0xff])] } } : m })
    failedWith(i, 'ProtocolViolationError')
    failedWith(r, 'ProtocolViolationError')
  })

  it('listening × confirm as the first frame (out of order) → PROTOCOL_VIOLATION frame, ProtocolViolationError', async () => {
    const [peer, ch] = await channelPair(SessionMessage, MAX)
    await peer.write({ confirm: { confirm: new Uint8Array(32) } })
    const outcome = rejection(listen(ch))
    expect((await peer.read()).error?.code).to.equal(ErrorCode.PROTOCOL_VIOLATION)
    expect(await within(2_000, outcome)).to.have.property('name', 'ProtocolViolationError')
  })

  it('reply sent × a repeated hello instead of confirm → PROTOCOL_VIOLATION frame, ProtocolViolationError', async () => {
    const [peer, ch] = await channelPair(SessionMessage, MAX)
    const hello = { hello: { e: new Uint8Array(generateX25519().publicKey), multiaddrs: [], atMs: 0n } }
    await peer.write(hello)
    const outcome = rejection(listen(ch))
    expect((await peer.read()).reply).to.not.equal(undefined)
    await peer.write(hello)
    expect((await peer.read()).error?.code).to.equal(ErrorCode.PROTOCOL_VIOLATION)
    expect(await within(2_000, outcome)).to.have.property('name', 'ProtocolViolationError')
  })

  it('hello sent × a confirm instead of a reply → PROTOCOL_VIOLATION frame, ProtocolViolationError', async () => {
    const [ch, peer] = await channelPair(SessionMessage, MAX)
    const outcome = rejection(initiate(ch))
    expect((await peer.read()).hello).to.not.equal(undefined)
    await peer.write({ confirm: { confirm: new Uint8Array(32) } })
    expect((await peer.read()).error?.code).to.equal(ErrorCode.PROTOCOL_VIOLATION)
    expect(await within(2_000, outcome)).to.have.property('name', 'ProtocolViolationError')
  })

  it('hello sent × a frame over 16 KiB → refused before reading it: PROTOCOL_VIOLATION', async () => {
    const [ch, peer] = await channelPair(SessionMessage, MAX, 1024 * 1024)
    const outcome = rejection(initiate(ch))
    await peer.read()
    await peer.write({ reply: { e: new Uint8Array(32), confirm: new Uint8Array(32), multiaddrs: [new Uint8Array(MAX)] } })
    expect((await peer.read()).error?.code).to.equal(ErrorCode.PROTOCOL_VIOLATION)
    expect(await within(2_000, outcome)).to.have.property('name', 'ProtocolViolationError')
  })

  it('hello sent × R vanishes (reset) → I rejects with PeerLeftError, promptly', async () => {
    const [ch, peer] = await channelPair(SessionMessage, MAX)
    const outcome = rejection(initiate(ch))
    await peer.read()
    peer.abort(new Error('gone'))
    expect(await within(2_000, outcome)).to.have.property('name', 'PeerLeftError')
  })

  it('reply sent × I vanishes (reset) → R rejects with PeerLeftError, promptly', async () => {
    const [peer, ch] = await channelPair(SessionMessage, MAX)
    await peer.write({ hello: { e: new Uint8Array(generateX25519().publicKey), multiaddrs: [], atMs: 0n } })
    const outcome = rejection(listen(ch))
    await peer.read()
    peer.abort(new Error('gone'))
    expect(await within(2_000, outcome)).to.have.property('name', 'PeerLeftError')
  })

  it('confirm sent × R resets instead of its clean close → I rejects with PeerLeftError (nothing to store)', async () => {
    const [i, r] = await run({ rVanishes: true })
    failedWith(i, 'PeerLeftError')
    expect(r.status).to.equal('fulfilled') // R had both confirmations; I keeps its old secret (SS_prev covers this)
  })

  it('hello sent × R silent and the deadline fires → rejects with the abort reason, stream reset', async () => {
    const [ch] = await channelPair(SessionMessage, MAX)
    const deadline = new AbortController()
    const outcome = rejection(initiate(ch, undefined, deadline.signal))
    const reason = new Error('deadline')
    deadline.abort(reason)
    expect(await within(2_000, outcome)).to.equal(reason)
    expect(ch.stream.status).to.equal('aborted')
  })
})
