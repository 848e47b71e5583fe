// The peer side of every protocol against a hostile other end (a hijacked relay, a broken or
// malicious contact) that answers with random and mutated frames: each run ends, within its bound,
// in a typed GiniError (or a result), never a TypeError, a hang or an unhandled rejection
// (docs/protocol.md §3.4). Seeded and bounded in cases and time; streams are in memory.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { GiniError, type FrameChannel } from '../../../protocols/common/index.js'
import { FcPeer, FcMessage, FC_FRAME_MAX_BYTES } from '../../../protocols/fc/index.js'
import { ContactMessage, CONTACT_FRAME_MAX_BYTES, exchangeContactCards, buildVCard } from '../../../protocols/contact/index.js'
import { SessionMessage, SESSION_FRAME_MAX_BYTES, runSessionInitiator } from '../../../protocols/session/index.js'
import { ChatMessage, ChatType, CHAT_FRAME_MAX_BYTES, ChatSender, receiveChat } from '../../../protocols/chat/index.js'
import { IceMessage, ICE_FRAME_MAX_BYTES, requestIceServers } from '../../../protocols/ice/index.js'
import { flashCodeLookup, generateFlashCode, generateX25519, sodium } from '../../../protocols/crypto/index.js'
import { channelPair, resetAll } from './contact/fixtures.js'
import { frame, int, mutate, noise, prng, type Rand } from '../../helpers/fuzz.js'

const CASES = 60
const BUDGET_MS = 8_000
/** A run that neither settles nor is settled by the hostile side's end within this is a hang. */
const RUN_BOUND_MS = 3_000
const SEED = 0x9e3779b9

/** The hostile end: after the run's first write it sends 1–3 random or mutated frames, then ends. */
async function hostile (r: Rand, ch: FrameChannel<unknown>, valid: Uint8Array[]): Promise<void> {
  try {
    await ch.read({ signal: AbortSignal.timeout(RUN_BOUND_MS) }).catch(() => {})
    for (let i = 0; i < 1 + int(r, 3); i++) {
      const pick = valid[int(r, valid.length)]
      const bytes = int(r, 3) === 0 ? noise(r, int(r, 256)) : int(r, 2) === 0 ? frame(mutate(r, pick)) : mutate(r, frame(pick))
      ch.stream.send(bytes)
    }
    if (int(r, 2) === 0) await ch.close()
    else ch.abort(new Error('hostile end leaves'))
  } catch {}
}

/** Runs `run` against the hostile end; the run must settle within the bound, as a result or a GiniError. */
async function expectTypedEnd (run: Promise<unknown>, what: string): Promise<void> {
  const outcome = await Promise.race([
    run.then(() => 'resolved', (err: unknown) => err),
    new Promise(resolve => setTimeout(() => { resolve('hang') }, RUN_BOUND_MS))
  ])
  if (outcome === 'resolved') return
  expect(outcome, `${what}: a hang`).to.not.equal('hang')
  expect(outcome, `${what}: ${String((outcome as Error)?.stack ?? outcome)}`).to.be.instanceOf(GiniError)
}

describe('peer-side protocols × a hostile other end (random and mutated frames)', function () {
  this.timeout(4 * BUDGET_MS + 30_000)
  const rejections: unknown[] = []
  const onRejection = (reason: unknown): void => { rejections.push(reason) }
  before(() => { process.on('unhandledRejection', onRejection) })
  after(() => { process.off('unhandledRejection', onRejection) })
  afterEach(() => { resetAll(); expect(rejections, 'unhandled rejections').to.deep.equal([]) })

  async function cases (seed: number, body: (r: Rand, i: number) => Promise<void>): Promise<number> {
    const r = prng(seed)
    const deadline = Date.now() + BUDGET_MS
    let ran = 0
    for (; ran < CASES && Date.now() < deadline; ran++) await body(r, ran)
    expect(ran, 'cases within the budget').to.be.greaterThan(10)
    return ran
  }

  it('FcPeer (creator and joiner) × a hijacked relay → a typed error, never a crash or a hang', async () => {
    const relayId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    const valid = [
      FcMessage.encode({ created: { expiresAtMs: BigInt(Date.now() + 180_000) } }),
      FcMessage.encode({ matched: { sidA: noise(prng(1), 16), sidB: noise(prng(2), 16) } }),
      FcMessage.encode({ tempKey: { share: noise(prng(3), 32) } }),
      FcMessage.encode({ mfc: { mac: noise(prng(4), 32) } }),
      FcMessage.encode({ error: { code: 5 as any, message: 'x' } })
    ]
    await cases(SEED, async (r, i) => {
      const [peerEnd, relayEnd] = await channelPair(FcMessage, FC_FRAME_MAX_BYTES)
      const fc = generateFlashCode(8)
      const peer = new FcPeer({ channel: peerEnd, role: i % 2 === 0 ? 'A' : 'B', fc, relayId, lookup: flashCodeLookup(relayId, fc), randomBytes: (n) => sodium.randombytes_buf(n) })
      void hostile(r, relayEnd as FrameChannel<unknown>, valid)
      const run = (async () => {
        if (i % 2 === 0) { await peer.create(); await peer.awaitMatched() } else await peer.join()
        await peer.verify()
      })()
      await expectTypedEnd(run, `FcPeer case ${i}`)
      peer.dispose()
    })
  })

  it('contact card exchange × a malicious peer → a typed error (INVALID_CARD, PROTOCOL_VIOLATION, PEER_LEFT)', async () => {
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key)
    const own = {
      vcard: buildVCard({ name: 'Alice' }),
      ppk: generateX25519().publicKey,
      peerId: peerId.toMultihash().bytes,
      multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${peerId.toString()}`).bytes],
      signingKey: key.raw
    }
    const valid = [ContactMessage.encode({ card: { vcard: own.vcard, ppk: new Uint8Array(own.ppk), peerId: new Uint8Array(own.peerId), multiaddrs: own.multiaddrs.map(m => new Uint8Array(m)), binding: noise(prng(5), 32), peerIdSig: noise(prng(6), 64) } })]
    await cases(SEED + 1, async (r, i) => {
      const [mine, theirs] = await channelPair(ContactMessage, CONTACT_FRAME_MAX_BYTES)
      void hostile(r, theirs as FrameChannel<unknown>, valid)
      await expectTypedEnd(exchangeContactCards(mine, { role: 'B', kContact: noise(r, 32), own, signal: AbortSignal.timeout(RUN_BOUND_MS) }), `contact case ${i}`)
    })
  })

  it('session handshake (initiator) × a malicious responder → a typed error; no secret stored on a bad reply', async () => {
    const ppk = generateX25519()
    const valid = [
      SessionMessage.encode({ reply: { e: noise(prng(7), 32), confirm: noise(prng(8), 32), multiaddrs: [] } }),
      SessionMessage.encode({ addressUpdate: { multiaddrs: [], seq: 1n } })
    ]
    await cases(SEED + 2, async (r, i) => {
      const [mine, theirs] = await channelPair(SessionMessage, SESSION_FRAME_MAX_BYTES)
      void hostile(r, theirs as FrameChannel<unknown>, valid)
      await expectTypedEnd(runSessionInitiator(mine, { ppk, peerPPK: generateX25519().publicKey, multiaddrs: [], atMs: Date.now(), signal: AbortSignal.timeout(RUN_BOUND_MS) }), `session case ${i}`)
    })
  })

  it('chat: a receiver × malicious envelopes, and a sender × malicious acks → typed errors; nothing malformed stored', async () => {
    const stored: string[] = []
    const valid = [
      ChatMessage.encode({ envelope: { id: noise(prng(9), 16), type: ChatType.MESSAGE, content: 'hi', target: new Uint8Array(0), sentAtMs: 1n, seq: 1n } }),
      ChatMessage.encode({ ack: { ids: [noise(prng(10), 16)] } })
    ]
    await cases(SEED + 3, async (r, i) => {
      const [mine, theirs] = await channelPair(ChatMessage, CHAT_FRAME_MAX_BYTES)
      if (i % 2 === 0) {
        // Receiver: the hostile side is the opener; it writes first, so no read before its frames.
        theirs.stream.send(int(r, 2) === 0 ? frame(mutate(r, valid[0])) : noise(r, int(r, 128)))
        if (int(r, 2) === 0) void theirs.close()
        else setTimeout(() => { theirs.abort(new Error('gone')) }, 20)
        await expectTypedEnd(receiveChat(mine, { store: async (e) => { expect(e.id).to.have.length(32); stored.push(e.id) }, signal: AbortSignal.timeout(RUN_BOUND_MS) }), `chat receiver case ${i}`)
      } else {
        const sender = new ChatSender(mine, () => {})
        void hostile(r, theirs as FrameChannel<unknown>, valid)
        await sender.send({ id: 'ab'.repeat(16), type: 'MESSAGE', content: 'hello', sentAtMs: 1, seq: 1 }).catch(() => {})
        await expectTypedEnd(sender.done, `chat sender case ${i}`)
      }
    })
    expect(stored.every(id => /^[0-9a-f]{32}$/.test(id))).to.equal(true)
  })

  it('ICE request × a hijacked relay → a typed error or a checked grant, never an unchecked URL', async () => {
    const valid = [
      IceMessage.encode({ servers: { servers: [{ urls: ['stun:stun.example.org:3478'], username: '', credential: '' }], ttlMs: 0n, expiresAtMs: 0n } }),
      IceMessage.encode({ servers: { servers: [{ urls: ['turn:t.example.org:3478'], username: 'u', credential: 'c' }], ttlMs: 60_000n, expiresAtMs: 0n } })
    ]
    await cases(SEED + 4, async (r, i) => {
      const [mine, theirs] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES)
      void hostile(r, theirs as FrameChannel<unknown>, valid)
      const run = requestIceServers(mine, { signal: AbortSignal.timeout(RUN_BOUND_MS) }).then((grant) => {
        for (const s of grant.servers) for (const u of s.urls) expect(u).to.match(/^(stun|stuns|turn|turns):/)
      })
      await expectTypedEnd(run, `ice case ${i}`)
    })
  })
})
