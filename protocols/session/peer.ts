// `/gini/session/1` handshake (docs/protocol.md §8). I = dialer, R = listener; fresh ephemerals each run.
//   I: helloSent → replyChecked (confirm_R ok) → confirmSent (own side closed) → confirmed (R's clean close)
//   R: helloRead → replySent → confirmChecked (confirm_I ok, own side closed)
// A wrong confirm or a low-order key → Error{SESSION_FAILED}; a wrong-length field or an
// out-of-order/repeated frame → Error{PROTOCOL_VIOLATION}; each then closes and throws. The caller
// stores the SharedSecret only when this resolves (§8.3: each side stores "only once it knows both
// confirmations succeeded").
import type { Multiaddr } from '@multiformats/multiaddr'
import { errorFrame, type FrameChannel, ProtocolRun, readOrEnd, watchRemoteClose, writeFrame } from '../common/index.js'
import { decodeMultiaddr } from '../contact/index.js'
import {
  ctEqual, deriveSessionSecret, generateX25519, sessionHint, sodium, type SessionSecret, type X25519KeyPair
} from '../crypto/index.js'
import { SESSION_CONFIRM_BYTES, SESSION_KEY_BYTES } from './constants.js'
import type { SessionMessage } from './pb/session.js'

export interface SessionResult {
  /** 64 bytes; becomes SS_cur (and the old SS_cur SS_prev) in the caller's store. */
  sharedSecret: Uint8Array
  /** The peer's addresses from its hello/reply (empty on the pairing connection, §8.1). */
  peerMultiaddrs: Multiaddr[]
  /** I's `at_ms` from the hello (R only; absent when I sent 0). */
  peerAtMs?: number
}

export interface SessionOptions {
  /** Own permanent X25519 pair (ppk, PPK). */
  ppk: X25519KeyPair
  /** The contact's PPK (from its card, §7). */
  peerPPK: Uint8Array
  /** Own binary multiaddrs to announce. */
  multiaddrs: Uint8Array[]
  /** Bounds every read and write (the glue's SESSION_HANDSHAKE_TIMEOUT_MS). */
  signal?: AbortSignal
}

/** I's side: hello, check confirm_R, send confirm_I, then wait for R's clean close. */
export async function runSessionInitiator (channel: FrameChannel<SessionMessage>, opts: SessionOptions & { atMs: number, hintKey?: Uint8Array }): Promise<SessionResult> {
  const run = new ProtocolRun(channel, errorFrame, opts.signal)
  const watch = watchRemoteClose(channel.stream)
  const e = generateX25519()
  let secret: SessionSecret | undefined
  try {
    // helloSent
    // `hintKey`: our SS_cur with this contact, for the hello's contact hint (§21.3); none at pairing.
    const hint = opts.hintKey != null ? sessionHint(opts.hintKey, e.publicKey) : undefined
    await writeFrame(channel, { hello: { e: copy(e.publicKey), multiaddrs: opts.multiaddrs.map(copy), atMs: BigInt(opts.atMs), ...(hint != null ? { hint: copy(hint) } : {}) } }, opts.signal)

    // replyChecked
    const msg = await run.read()
    if (msg.error != null) throw await run.remoteRefused(msg.error.code)
    const reply = msg.reply
    if (reply == null || reply.e.length !== SESSION_KEY_BYTES || reply.confirm.length !== SESSION_CONFIRM_BYTES) {
      throw await run.refuse('PROTOCOL_VIOLATION')
    }
    const peerMultiaddrs = decodeAll(reply.multiaddrs)
    if (peerMultiaddrs == null) throw await run.refuse('PROTOCOL_VIOLATION')
    secret = derive(opts, 'I', e, reply.e)
    if (secret == null) throw await run.refuse('SESSION_FAILED') // low-order key (§2.2, §8.3)
    if (!ctEqual(secret.confirmR, reply.confirm)) throw await run.refuse('SESSION_FAILED')

    // confirmSent: nothing more to say, so our side closes with it
    await writeFrame(channel, { confirm: { confirm: copy(secret.confirmI) } }, opts.signal)
    await channel.close()

    // confirmed: "I stores only after that clean close (an Error instead means refused)"
    const end = await readOrEnd(channel, watch, opts.signal)
    if (end === undefined) {
      const result = { sharedSecret: secret.sharedSecret, peerMultiaddrs }
      secret = undefined // handed over: not wiped below
      return result
    }
    if (end.error != null) throw await run.remoteRefused(end.error.code)
    throw run.violationAfterClose()
  } catch (err) {
    throw run.fail(err)
  } finally {
    sodium.memzero(e.privateKey)
    if (secret != null) sodium.memzero(secret.sharedSecret)
    watch.stop()
  }
}

/** R's side, given the first frame the listener already read (a hello, else PROTOCOL_VIOLATION). */
export async function runSessionResponder (channel: FrameChannel<SessionMessage>, first: SessionMessage, opts: SessionOptions): Promise<SessionResult> {
  const run = new ProtocolRun(channel, errorFrame, opts.signal)
  const e = generateX25519()
  let secret: SessionSecret | undefined
  try {
    // helloRead
    const hello = first.hello
    if (hello == null || hello.e.length !== SESSION_KEY_BYTES || hello.atMs > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw await run.refuse('PROTOCOL_VIOLATION')
    }
    const peerMultiaddrs = decodeAll(hello.multiaddrs)
    if (peerMultiaddrs == null) throw await run.refuse('PROTOCOL_VIOLATION')
    secret = derive(opts, 'R', e, hello.e)
    if (secret == null) throw await run.refuse('SESSION_FAILED')

    // replySent
    await writeFrame(channel, { reply: { e: copy(e.publicKey), confirm: copy(secret.confirmR), multiaddrs: opts.multiaddrs.map(copy) } }, opts.signal)

    // confirmChecked
    const msg = await run.read()
    if (msg.error != null) throw await run.remoteRefused(msg.error.code)
    if (msg.confirm == null || msg.confirm.confirm.length !== SESSION_CONFIRM_BYTES) throw await run.refuse('PROTOCOL_VIOLATION')
    if (!ctEqual(secret.confirmI, msg.confirm.confirm)) throw await run.refuse('SESSION_FAILED')
    await channel.close() // §8.3 step 4: R stores, then closes cleanly

    const result: SessionResult = { sharedSecret: secret.sharedSecret, peerMultiaddrs }
    if (hello.atMs > 0n) result.peerAtMs = Number(hello.atMs)
    secret = undefined
    return result
  } catch (err) {
    throw run.fail(err)
  } finally {
    sodium.memzero(e.privateKey)
    if (secret != null) sodium.memzero(secret.sharedSecret)
  }
}

/** §8.2 key schedule; undefined on a low-order key (`LowOrderPointError`). Wipes the ephemeral private at once. */
function derive (opts: SessionOptions, role: 'I' | 'R', e: X25519KeyPair, EPeer: Uint8Array): SessionSecret | undefined {
  try {
    return deriveSessionSecret({
      role, ppkSelf: opts.ppk.privateKey, PPKSelf: opts.ppk.publicKey, PPKPeer: opts.peerPPK, eSelf: e.privateKey, ESelf: e.publicKey, EPeer
    })
  } catch (err) {
    if ((err as Error)?.name === 'LowOrderPointError') return undefined
    throw err
  } finally {
    sodium.memzero(e.privateKey) // §2.2: wipe secret scalars as soon as they are used
  }
}

/** Binary multiaddrs, or undefined if any does not decode. */
export function decodeAll (list: Uint8Array[]): Multiaddr[] | undefined {
  const out: Multiaddr[] = []
  for (const bytes of list) {
    const ma = decodeMultiaddr(bytes)
    if (ma == null) return undefined
    out.push(ma)
  }
  return out
}

/** The generated codec types bytes as Uint8Array<ArrayBuffer>; a copy is one. */
function copy (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}
