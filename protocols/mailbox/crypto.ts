// Keys, ratchet and sealing of /gini/mailbox/1 (docs/protocol.md §16.1, §16.2, §16.4). Pure functions
// over libsodium (protocols/crypto). `ss` is a stored 64-byte SharedSecret (§8); the relay only
// ever sees tokens and sealed, padded blobs.
import { AeadError, concat, H, open, seal, sodium, utf8, type PairingRole, type SealedBox, roleByte } from '../crypto/index.js'
import {
  MAILBOX_BUCKETS_BYTES, MAILBOX_DAY_MS, MAILBOX_FETCH_DAYS, MAILBOX_MAX_SKIPPED_KEYS, MAILBOX_TAG_BYTES
} from './constants.js'

const TOKEN_LABEL = utf8('gini/mailbox/1/token')
const CHAIN_LABEL = utf8('gini/mailbox/1/chain')
const MK_LABEL = utf8('mk')
const CK_LABEL = utf8('ck')

function u32be (n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('u32 out of range')
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n)
  return out
}

/** `day = floor(unix_ms / 86 400 000)` (§16.1). */
export function mailboxDay (unixMs: number): number {
  return Math.floor(unixMs / MAILBOX_DAY_MS)
}

/** `token(day, d) = H(32, "gini/mailbox/1/token" ‖ u32be(day) ‖ d, key = SS)`; `d` is the sender's role. */
export function mailboxToken (ss: Uint8Array, day: number, sender: PairingRole): Uint8Array {
  return H(32, concat(TOKEN_LABEL, u32be(day), roleByte(sender)), ss)
}

/** The tokens a receiver fetches (§16.1): the last 7 days of the peer's direction, for each SharedSecret given. */
export function mailboxFetchTokens (secrets: Uint8Array[], sender: PairingRole, nowMs: number): Uint8Array[] {
  const today = mailboxDay(nowMs)
  const out: Uint8Array[] = []
  for (const ss of secrets) {
    for (let k = 0; k < MAILBOX_FETCH_DAYS; k++) out.push(mailboxToken(ss, today - k, sender))
  }
  return out
}

/** `CK_0 = H(32, "gini/mailbox/1/chain" ‖ d, key = SS)` (§16.2). */
export function mailboxChainKey0 (ss: Uint8Array, sender: PairingRole): Uint8Array {
  return H(32, concat(CHAIN_LABEL, roleByte(sender)), ss)
}

/** One ratchet step: `MK_i = H(32, "mk", key = CK_i)`, `CK_{i+1} = H(32, "ck", key = CK_i)` (§16.2). */
export function mailboxStep (ck: Uint8Array): { mk: Uint8Array, next: Uint8Array } {
  return { mk: H(32, MK_LABEL, ck), next: H(32, CK_LABEL, ck) }
}

/** AD of a blob: `token ‖ u32be(i)` (§16.4). */
export function mailboxAd (token: Uint8Array, index: number): Uint8Array {
  return concat(token, u32be(index))
}

/** The smallest bucket that holds `n` bytes plus the padding's mandatory 0x80 byte, or undefined. */
export function mailboxBucket (n: number): number | undefined {
  return MAILBOX_BUCKETS_BYTES.find(b => n < b)
}

/** ISO/IEC 7816-4 padding (`sodium_pad`) to the smallest bucket (§16.4). */
export function mailboxPad (plaintext: Uint8Array): Uint8Array {
  const bucket = mailboxBucket(plaintext.length)
  if (bucket == null) throw new RangeError(`a mailbox message holds at most ${MAILBOX_BUCKETS_BYTES[MAILBOX_BUCKETS_BYTES.length - 1] - 1} bytes`)
  return sodium.pad(plaintext, bucket)
}

/** The unpadded bytes; throws `AeadError` unless `padded` is exactly one bucket long with valid padding. */
export function mailboxUnpad (padded: Uint8Array): Uint8Array {
  if (!(MAILBOX_BUCKETS_BYTES as readonly number[]).includes(padded.length)) throw new AeadError()
  try {
    return sodium.unpad(padded, padded.length)
  } catch (err) {
    throw new AeadError({ cause: err })
  }
}

/** Whether a sealed blob has a shape the relay accepts (§16.5): a 24-byte nonce and one bucket plus the tag. */
export function mailboxBlobShapeOk (box: SealedBox): boolean {
  return box.nonce.length === 24 && MAILBOX_BUCKETS_BYTES.some(b => box.ciphertext.length === b + MAILBOX_TAG_BYTES)
}

/** Seals a padded plaintext under `MK_i` with AD `token ‖ u32be(i)` (§16.4). */
export function mailboxSeal (mk: Uint8Array, token: Uint8Array, index: number, plaintext: Uint8Array): SealedBox {
  return seal(mk, mailboxAd(token, index), mailboxPad(plaintext))
}

/** Opens and unpads; throws `AeadError` on any failure. */
export function mailboxOpen (mk: Uint8Array, token: Uint8Array, index: number, box: SealedBox): Uint8Array {
  return mailboxUnpad(open(mk, mailboxAd(token, index), box))
}

/** The sender's chain (§16.2): only the next chain key is kept; `CK_i` is gone once `MK_i` is out. */
export interface SendChain { readonly ck: Uint8Array, readonly index: number }

/** The receiver's chain (§16.2): the next chain key and the message keys of skipped indices. */
export interface ReceiveChain {
  readonly ck: Uint8Array
  readonly index: number
  /** Index → MK_index for indices below `index` not yet opened (at most MAILBOX_MAX_SKIPPED_KEYS, oldest dropped first). */
  readonly skipped: ReadonlyMap<number, Uint8Array>
}

export function newSendChain (ss: Uint8Array, sender: PairingRole): SendChain {
  return { ck: mailboxChainKey0(ss, sender), index: 0 }
}

export function newReceiveChain (ss: Uint8Array, sender: PairingRole): ReceiveChain {
  return { ck: mailboxChainKey0(ss, sender), index: 0, skipped: new Map() }
}

/** The next message key and the chain that replaces this one (the caller persists it before sending). */
export function sendStep (chain: SendChain): { mk: Uint8Array, index: number, chain: SendChain } {
  if (chain.index >= 0xffffffff) throw new RangeError('mailbox chain exhausted')
  const { mk, next } = mailboxStep(chain.ck)
  return { mk, index: chain.index, chain: { ck: next, index: chain.index + 1 } }
}

/** Why a blob did not open: it is dropped and counted, never shown (§16.6). */
export type OpenFailure = 'too-far-ahead' | 'already-used' | 'auth-failed'

/**
 * Opens blob `index` with this chain. On success the new chain (MK_index deleted, skipped keys
 * kept up to the bound); on failure the old chain stays valid, so a forged blob cannot move it.
 */
export function receiveOpen (chain: ReceiveChain, token: Uint8Array, index: number, box: SealedBox):
{ ok: true, plaintext: Uint8Array, chain: ReceiveChain } | { ok: false, reason: OpenFailure } {
  if (index < chain.index) {
    const mk = chain.skipped.get(index)
    if (mk == null) return { ok: false, reason: 'already-used' }
    let plaintext: Uint8Array
    try { plaintext = mailboxOpen(mk, token, index, box) } catch { return { ok: false, reason: 'auth-failed' } }
    const skipped = new Map(chain.skipped)
    skipped.delete(index)
    return { ok: true, plaintext, chain: { ck: chain.ck, index: chain.index, skipped } }
  }
  if (index - chain.index > MAILBOX_MAX_SKIPPED_KEYS) return { ok: false, reason: 'too-far-ahead' }
  let ck = chain.ck
  const skippedNow: Array<[number, Uint8Array]> = []
  for (let i = chain.index; i < index; i++) {
    const s = mailboxStep(ck)
    skippedNow.push([i, s.mk])
    ck = s.next
  }
  const { mk, next } = mailboxStep(ck)
  let plaintext: Uint8Array
  try { plaintext = mailboxOpen(mk, token, index, box) } catch { return { ok: false, reason: 'auth-failed' } }
  const skipped = new Map([...chain.skipped, ...skippedNow])
  // Oldest first: Map keeps insertion order, and indices only grow.
  for (const k of skipped.keys()) {
    if (skipped.size <= MAILBOX_MAX_SKIPPED_KEYS) break
    skipped.delete(k)
  }
  return { ok: true, plaintext, chain: { ck: next, index: index + 1, skipped } }
}
