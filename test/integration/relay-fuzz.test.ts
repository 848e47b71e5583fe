// Fuzzing a real relay's /gini/fc/1, /gini/crp/1 and /gini/ice/1 (docs/protocol.md §3.4: a malformed
// frame ends that stream only) with random and mutated frames over real libp2p streams: the relay
// never crashes, never leaves an unhandled rejection, holds no row or stream afterwards, and an
// honest pairing still completes. Deterministic (seeded), bounded in cases and in time.
import type { Libp2p } from 'libp2p'
import type { Stream } from '@libp2p/interface'
import { expect } from 'chai'
import { FC_PROTOCOL, FcMessage } from '../../protocols/fc/index.js'
import { CRP_PROTOCOL, CrpMessage } from '../../protocols/crp/index.js'
import { ICE_PROTOCOL, IceMessage } from '../../protocols/ice/index.js'
import type { Relay } from '../../relay/index.js'
import { Cleanup, bytes, clientNode, completePairing, freshLookup, startRelay, waitFor } from '../helpers/relay-clients.js'
import { freshToken, ROLE, sealed } from '../helpers/crp-clients.js'
import { frame, int, mutate, noise, prng, type Rand } from '../helpers/fuzz.js'

/** Cases per protocol, and the wall-clock budget of each protocol's run (whichever ends first). */
const CASES_PER_PROTOCOL = 300
const BUDGET_MS = 15_000
/** How long one case waits for the relay to end the stream before the fuzzer resets it. */
const CASE_WAIT_MS = 300
const SEED = 0x6d1c0de

/** What one case writes: pure noise, a frame of noise, a mutated valid frame, or a valid frame then noise. */
function caseBytes (rand: Rand, valid: Uint8Array[]): Uint8Array[] {
  const pick = (): Uint8Array => valid[int(rand, valid.length)]
  switch (int(rand, 5)) {
    case 0: return [noise(rand, int(rand, 2048))]
    case 1: return [frame(noise(rand, int(rand, 512)))]
    case 2: return [frame(mutate(rand, pick()))]
    case 3: return [mutate(rand, frame(pick()))]
    default: return [frame(pick()), frame(mutate(rand, pick())), noise(rand, int(rand, 64))]
  }
}

interface Tally { opened: number, answered: number, endedByRelay: number }

/** Writes the case, half-closes, and waits (bounded) for the relay to end the stream. */
async function runCase (node: Libp2p, relay: Relay, protocol: string, chunks: Uint8Array[], tally: Tally): Promise<void> {
  let stream: Stream
  try {
    stream = await node.dialProtocol(relay.multiaddrs[0], protocol, { signal: AbortSignal.timeout(2_000) })
  } catch {
    return // refused (a limit): also an answer
  }
  tally.opened++
  try {
    for (const c of chunks) if (!stream.send(c)) await stream.onDrain({ signal: AbortSignal.timeout(CASE_WAIT_MS) })
    await stream.close({ signal: AbortSignal.timeout(CASE_WAIT_MS) })
    // Drain what the relay answers (an Error frame, or nothing) until it closes its side.
    let answered = false
    stream.addEventListener('message', () => { answered = true })
    const ended = await new Promise<boolean>((resolve) => {
      stream.addEventListener('close', () => { resolve(true) }, { once: true })
      setTimeout(() => { resolve(false) }, CASE_WAIT_MS).unref()
    })
    if (answered) tally.answered++
    if (ended) tally.endedByRelay++
  } catch {
    // the relay reset the stream: fine
  } finally {
    if (stream.status !== 'closed') stream.abort(new Error('fuzz case over'))
  }
}

function fcFrames (): Uint8Array[] {
  const lookup = freshLookup()
  return [
    FcMessage.encode({ create: { lookup, sid: bytes(16) } }),
    FcMessage.encode({ join: { lookup, sid: bytes(16) } }),
    FcMessage.encode({ tempKey: { share: bytes(32) } }),
    FcMessage.encode({ mfc: { mac: bytes(32) } }),
    FcMessage.encode({ offer: sealed() }),
    FcMessage.encode({ done: {} })
  ]
}

function crpFrames (): Uint8Array[] {
  const token = freshToken()
  return [
    CrpMessage.encode({ register: { token, role: ROLE.A } }),
    CrpMessage.encode({ register: { token, role: ROLE.B, parked: sealed() } }),
    CrpMessage.encode({ challenge: { nonce: bytes(32) } }),
    CrpMessage.encode({ proof: { mac: bytes(32) } }),
    CrpMessage.encode({ offer: sealed() }),
    CrpMessage.encode({ done: {} })
  ]
}

function iceFrames (): Uint8Array[] {
  return [IceMessage.encode({ request: {} }), IceMessage.encode({ servers: { servers: [], ttlMs: 0n, expiresAtMs: 0n } })]
}

describe('relay fuzz: random and mutated frames on every relay protocol', function () {
  this.timeout(3 * BUDGET_MS + 60_000)
  const cleanup = new Cleanup()
  const rejections: unknown[] = []
  const onRejection = (reason: unknown): void => { rejections.push(reason) }
  let relay: Relay

  before(async () => {
    process.on('unhandledRejection', onRejection)
    // Rate limits off so the fuzzer reaches every state instead of RATE_LIMITED; a short pairing
    // TTL so rows the fuzzer leaves behind expire within the test.
    relay = await startRelay(cleanup, { rateLimit: false, crpRateLimit: false, pairingTtlMs: 2_000 })
  })
  after(async () => {
    process.off('unhandledRejection', onRejection)
    await cleanup.run()
  })

  for (const [name, protocol, valid] of [
    ['/gini/fc/1', FC_PROTOCOL, fcFrames],
    ['/gini/crp/1', CRP_PROTOCOL, crpFrames],
    ['/gini/ice/1', ICE_PROTOCOL, iceFrames]
  ] as const) {
    it(`${name} × ${CASES_PER_PROTOCOL} random/mutated cases → relay up, no unhandled rejection, an honest pairing completes`, async () => {
      const rand = prng(SEED ^ protocol.length)
      const node = await clientNode(cleanup)
      const deadline = Date.now() + BUDGET_MS
      const rssBefore = process.memoryUsage().rss
      const tally: Tally = { opened: 0, answered: 0, endedByRelay: 0 }
      let ran = 0
      for (; ran < CASES_PER_PROTOCOL && Date.now() < deadline; ran++) {
        await runCase(node, relay, protocol, caseBytes(rand, valid()), tally)
      }
      // The cases reached the protocol: streams opened, and the relay answered and ended most.
      expect(ran, 'cases run within the budget').to.be.greaterThan(20)
      expect(tally.opened, JSON.stringify(tally)).to.equal(ran)
      expect(tally.answered, JSON.stringify(tally)).to.be.greaterThan(ran / 4)
      expect(tally.endedByRelay, JSON.stringify(tally)).to.be.greaterThan(ran / 2)
      // Memory stays bounded: whatever the cases left is freed or expires, not accumulated per case.
      expect(process.memoryUsage().rss - rssBefore, 'RSS growth over the run').to.be.lessThan(128 * 1024 * 1024)
      await completePairing(cleanup, relay)
      expect(rejections, 'unhandled rejections').to.deep.equal([])
      expect(relay.node.status).to.equal('started')
    })
  }

  it('afterwards → no pairing row and no CRP stream is left (rows the fuzzer opened expire)', async () => {
    await waitFor(() => relay.fc.pendingCount === 0, 'pending pairings to drain', 10_000)
    await waitFor(() => relay.crp.liveStreams === 0, 'CRP streams to end', 10_000)
    expect(rejections).to.deep.equal([])
  })
})
