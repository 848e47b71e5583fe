// Shared by the relay tests (unit and integration): a cleanup registry, plain libp2p
// client nodes speaking raw /gini/fc/1 frames, and the steps of an honest pairing. No mocks of the
// relay: the integration tests run it as a real libp2p node on loopback.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { tcp, type TCPSocketOptions } from '@libp2p/tcp'
import { expect } from 'chai'
import { createLibp2p, type Libp2p } from 'libp2p'
import { PeerLeftError, type FrameChannel } from '../../protocols/common/index.js'
import { fcChannel, FC_PROTOCOL, FcMessage } from '../../protocols/fc/index.js'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'

/** Upper bound of every wait in these tests. */
export const WAIT_MS = 5_000

export type Fc = FrameChannel<FcMessage>

/** Resources are registered right after creation and released in reverse order after each test. */
export class Cleanup {
  private fns: Array<() => unknown> = []
  add (fn: () => unknown): void { this.fns.push(fn) }
  async run (): Promise<void> {
    const fns = this.fns.reverse()
    this.fns = []
    for (const fn of fns) await Promise.resolve().then(fn).catch(() => {})
  }
}

export async function startRelay (cleanup: Cleanup, opts: RelayOptions = {}): Promise<Relay> {
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], ...opts })
  cleanup.add(async () => { await relay.stop() })
  return relay
}

/**
 * A plain libp2p peer: TCP, Noise, Yamux, identify. Each one is a new peer id. `from` is the
 * loopback source address it dials from (127.0.0.2, …), so a test can play several networks.
 */
export async function clientNode (cleanup: Cleanup, from?: string): Promise<Libp2p> {
  // @libp2p/tcp passes dialOpts on to net.connect; its type lists only a few of net's options.
  const dialOpts = from != null ? { localAddress: from } as TCPSocketOptions : undefined
  const node = await createLibp2p({
    transports: [tcp({ dialOpts })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  cleanup.add(async () => { await node.stop() })
  return node
}

/** Opens /gini/fc/1 on the relay from `node` (a fresh client when omitted). */
export async function openFc (cleanup: Cleanup, relay: Relay, node?: Libp2p): Promise<Fc> {
  const n = node ?? await clientNode(cleanup)
  const tcpAddr = relay.multiaddrs.find(ma => !ma.toString().includes('/ws')) ?? relay.multiaddrs[0]
  const stream = await n.dialProtocol(tcpAddr, FC_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
  cleanup.add(() => { stream.abort(new Error('test over')) })
  return fcChannel(stream)
}

export async function next (ch: Fc, ms = WAIT_MS): Promise<FcMessage> {
  return await ch.read({ signal: AbortSignal.timeout(ms) })
}

export async function expectError (ch: Fc, code: string, ms = WAIT_MS): Promise<void> {
  const msg = await next(ch, ms)
  expect(msg.error?.code, `expected Error{${code}}, got ${JSON.stringify(Object.keys(msg))}`).to.equal(code)
}

/** The relay closed the stream: the next read ends (EOF or reset), not a frame or a timeout. */
export async function expectEnd (ch: Fc, ms = WAIT_MS): Promise<void> {
  let msg: FcMessage | undefined
  try {
    msg = await next(ch, ms)
  } catch (err) {
    expect(err, 'expected the relay to close the stream').to.be.instanceOf(PeerLeftError)
    return
  }
  expect.fail(`expected the stream to end, got a frame ${JSON.stringify(Object.keys(msg))}`)
}

/** `Error{code}` and then the end of the stream (§3.3: an error frame is followed by closing). */
export async function expectErrorThenEnd (ch: Fc, code: string): Promise<void> {
  await expectError(ch, code)
  await expectEnd(ch)
}

export async function waitFor (cond: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
  const until = Date.now() + ms
  while (!cond()) {
    if (Date.now() > until) expect.fail(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

let lookupCounter = Math.floor(Math.random() * 0xffff) << 8

/** A 3-byte lookup no other test in this process uses. */
export function freshLookup (): Uint8Array<ArrayBuffer> {
  const n = (lookupCounter++) & 0xffffff
  return new Uint8Array([n >> 16, (n >> 8) & 0xff, n & 0xff])
}

export function bytes (n: number, fill?: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n)
  if (fill != null) b.fill(fill)
  else crypto.getRandomValues(b)
  return b
}

export interface Pairing { a: Fc, b: Fc, lookup: Uint8Array<ArrayBuffer>, sidA: Uint8Array, sidB: Uint8Array }

/** Create + Created for the creator `a`. */
export async function create (cleanup: Cleanup, relay: Relay, lookup = freshLookup(), from?: string): Promise<{ a: Fc, lookup: Uint8Array<ArrayBuffer>, sidA: Uint8Array<ArrayBuffer> }> {
  const a = await openFc(cleanup, relay, from != null ? await clientNode(cleanup, from) : undefined)
  const sidA = bytes(16)
  await a.write({ create: { lookup, sid: sidA } })
  const created = await next(a)
  expect(created.created, `expected Created, got ${JSON.stringify(Object.keys(created))}`).to.not.equal(undefined)
  return { a, lookup, sidA }
}

/** Create, Join, and Matched on both sides (both clients dialing from `from` when given). */
export async function pair (cleanup: Cleanup, relay: Relay, from?: string): Promise<Pairing> {
  const { a, lookup, sidA } = await create(cleanup, relay, freshLookup(), from)
  const b = await openFc(cleanup, relay, from != null ? await clientNode(cleanup, from) : undefined)
  const sidB = bytes(16)
  await b.write({ join: { lookup, sid: sidB } })
  for (const ch of [a, b]) {
    const m = await next(ch)
    expect(m.matched, `expected Matched, got ${JSON.stringify(Object.keys(m))}`).to.not.equal(undefined)
  }
  return { a, b, lookup, sidA, sidB }
}

/** One side sends `msg`; the other must receive it unchanged. */
export async function relayed (from: Fc, to: Fc, msg: FcMessage): Promise<void> {
  await from.write(msg)
  expect(await next(to)).to.deep.equal(msg)
}

/** TempKeys then MFCs, both ways (§6.7, §6.8), as an honest pair sends them. */
export async function exchangeKeys ({ a, b }: Pairing): Promise<void> {
  await relayed(a, b, { tempKey: { share: bytes(32) } })
  await relayed(b, a, { tempKey: { share: bytes(32) } })
  await relayed(a, b, { mfc: { mac: bytes(32) } })
  await relayed(b, a, { mfc: { mac: bytes(32) } })
}

export async function exchangeSealed ({ a, b }: Pairing): Promise<void> {
  await relayed(a, b, { offer: { nonce: bytes(24), ciphertext: bytes(200) } })
  await relayed(b, a, { answer: { nonce: bytes(24), ciphertext: bytes(200) } })
}

/** A whole honest pairing through the relay, ending with both Done and both streams closed. */
export async function completePairing (cleanup: Cleanup, relay: Relay, from?: string): Promise<void> {
  const p = await pair(cleanup, relay, from)
  await exchangeKeys(p)
  await exchangeSealed(p)
  await p.a.write({ done: {} })
  await p.b.write({ done: {} })
  await expectEnd(p.a)
  await expectEnd(p.b)
}
