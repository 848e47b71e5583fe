// Shared by the contact and session unit tests: in-memory stream pairs (streamPair from
// @libp2p/utils, no network), a tampering middle that forwards frames, and long-term identities.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerId, Stream } from '@libp2p/interface'
import {
  frameChannel, type Codec, type FrameChannel, readOrEnd, watchRemoteClose
} from '../../../../protocols/common/index.js'
import { buildVCard } from '../../../../protocols/contact/vcard.js'
import type { OwnCard } from '../../../../protocols/contact/peer.js'
import { generateX25519, type X25519KeyPair } from '../../../../protocols/crypto/index.js'

/** Streams opened by a test; `resetAll()` in afterEach releases them whatever the outcome. */
const opened: Stream[] = []

export function resetAll (): void {
  for (const s of opened.splice(0)) s.abort(new Error('test over'))
}

/** Two connected frame channels (a = the side that opened the stream). */
export async function channelPair<T> (codec: Codec<T>, maxA: number, maxB: number = maxA): Promise<[FrameChannel<T>, FrameChannel<T>]> {
  const [a, b] = await streamPair()
  opened.push(a, b)
  return [frameChannel(a, codec, maxA), frameChannel(b, codec, maxB)]
}

export type Mutate<T> = (msg: T) => T | Promise<T>

export interface MiddleOptions<T> {
  /** Applied to frames from a to b / from b to a. */
  aToB?: Mutate<T>
  bToA?: Mutate<T>
  /** Turn a's (b's) clean close into a reset on the other side: a peer that vanishes instead of closing. */
  resetWhenAEnds?: boolean
  resetWhenBEnds?: boolean
}

/**
 * a ⇄ middle ⇄ b: the middle reads whole frames (any size) and forwards them, possibly changed;
 * a clean end is passed on as a clean end, a reset as a reset. Stands in for a tampering network.
 */
export async function middlePair<T> (codec: Codec<T>, max: number, opts: MiddleOptions<T> = {}): Promise<[FrameChannel<T>, FrameChannel<T>]> {
  const BIG = 64 * 1024 * 1024
  const [a, ma] = await channelPair(codec, max, BIG)
  const [mb, b] = await channelPair(codec, BIG, max)
  void forward(ma, mb, opts.aToB, opts.resetWhenAEnds === true)
  void forward(mb, ma, opts.bToA, opts.resetWhenBEnds === true)
  return [a, b]
}

async function forward<T> (from: FrameChannel<T>, to: FrameChannel<T>, mutate: Mutate<T> | undefined, resetOnEnd: boolean): Promise<void> {
  const watch = watchRemoteClose(from.stream)
  try {
    while (true) {
      const msg = await readOrEnd(from, watch)
      if (msg === undefined) {
        if (resetOnEnd) to.abort(new Error('vanished'))
        else await to.close()
        return
      }
      await to.write(mutate == null ? msg : await mutate(msg))
    }
  } catch (err) {
    to.abort(err as Error)
  } finally {
    watch.stop()
  }
}

export interface Person {
  peerId: PeerId
  ppk: X25519KeyPair
  multiaddrBytes: Uint8Array
  own: OwnCard
}

/** A long-term identity with its card: Ed25519 peer id, X25519 PPK, one address, a vCard. */
export async function person (name: string): Promise<Person> {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const ppk = generateX25519()
  const multiaddrBytes = multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${peerId.toString()}`).bytes
  return {
    peerId,
    ppk,
    multiaddrBytes,
    own: { vcard: buildVCard({ name, email: `${name.toLowerCase()}@example.org` }), ppk: ppk.publicKey, peerId: peerId.toMultihash().bytes, multiaddrs: [multiaddrBytes], signingKey: key.raw }
  }
}

/** Settles within `ms` or fails the test: "never hangs". */
export async function within<T> (ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`still pending after ${ms} ms`)) }, ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** The rejection of `p` (fails if it resolves). */
export async function rejection (p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection, got a result')
}
