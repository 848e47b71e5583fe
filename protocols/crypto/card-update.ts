// docs/protocol.md §19 CardUpdate signature: Ed25519 with the long-term key (the one behind the
// peer id, as §7 peer_id_sig) over "gini/session/1/card_update" ‖ u64be(seq) ‖ lv32(name) ‖
// lv32(email) ‖ lv32(photo), each length a u32 big-endian of the UTF-8 or raw bytes.
import { sodium } from './sodium.js'
import { concat, utf8 } from './bytes.js'

export const CARD_UPDATE_SIG_LABEL = 'gini/session/1/card_update'

export interface CardUpdateFields {
  seq: bigint
  name: string
  email: string
  photo: Uint8Array
}

function u32be (n: number): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n)
  return b
}

function lv32 (bytes: Uint8Array): Uint8Array {
  return concat(u32be(bytes.length), bytes)
}

/** The exact bytes §19 signs. */
export function cardUpdateSigningInput (f: CardUpdateFields): Uint8Array {
  if (f.seq < 0n || f.seq >= 1n << 64n) throw new RangeError('CardUpdate seq is a u64')
  const seq = new Uint8Array(8)
  new DataView(seq.buffer).setBigUint64(0, f.seq)
  return concat(utf8(CARD_UPDATE_SIG_LABEL), seq, lv32(utf8(f.name)), lv32(utf8(f.email)), lv32(f.photo))
}

/** `secretKey`: libsodium's 64-byte Ed25519 secret key of the long-term identity. */
export function signCardUpdate (secretKey: Uint8Array, f: CardUpdateFields): Uint8Array {
  return sodium.crypto_sign_detached(cardUpdateSigningInput(f), secretKey)
}

/** True when `sig` is the 64-byte signature of `f` under the 32-byte Ed25519 public key. */
export function verifyCardUpdate (publicKey: Uint8Array, f: CardUpdateFields, sig: Uint8Array): boolean {
  if (sig.length !== sodium.crypto_sign_BYTES || publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES) return false
  try {
    return sodium.crypto_sign_verify_detached(sig, cardUpdateSigningInput(f), publicKey)
  } catch {
    return false
  }
}
