// `AEAD(k, ad, m)` of docs/protocol.md §2.2: XChaCha20-Poly1305 (IETF) with a fresh random 24-byte nonce,
// carried next to the ciphertext as `Sealed { nonce, ciphertext }`.
import { sodium } from './sodium.js'

export interface SealedBox {
  nonce: Uint8Array
  ciphertext: Uint8Array
}

export const AEAD_KEY_BYTES = 32
export const AEAD_NONCE_BYTES = 24

/** Authentication failed (wrong key, AD, nonce or tampered bytes). Callers map it to their protocol's error. */
export class AeadError extends Error {
  constructor (options?: ErrorOptions) {
    super('AEAD authentication failed', options)
    this.name = 'AeadError'
  }
}

function checkKey (key: Uint8Array): void {
  // A wrong key length is a programming error, not an attack: keep it distinct from AeadError.
  if (key.length !== AEAD_KEY_BYTES) throw new RangeError('an AEAD key has 32 bytes')
}

export function seal (key: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): SealedBox {
  checkKey(key)
  const nonce = sodium.randombytes_buf(AEAD_NONCE_BYTES)
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key)
  return { nonce, ciphertext }
}

/** The plaintext, or throws `AeadError` (also for a malformed nonce or a too short ciphertext). */
export function open (key: Uint8Array, ad: Uint8Array, box: SealedBox): Uint8Array {
  checkKey(key)
  if (box.nonce.length !== AEAD_NONCE_BYTES) throw new AeadError()
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.ciphertext, ad, box.nonce, key)
  } catch (err) {
    throw new AeadError({ cause: err })
  }
}
