// X25519 (docs/protocol.md §2.4, §8): the permanent PPK and the session ephemerals.
import { sodium } from './sodium.js'

export interface X25519KeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

export const X25519_BYTES = 32

/** `crypto_scalarmult` refused a low-order / all-zero result (§2.2: aborts the run). */
export class LowOrderPointError extends Error {
  constructor (options?: ErrorOptions) {
    super('X25519 with a low-order public key', options)
    this.name = 'LowOrderPointError'
  }
}

/** A fresh pair; the private key is 32 random bytes (X25519 clamps it). */
export function generateX25519 (): X25519KeyPair {
  const privateKey = sodium.randombytes_buf(X25519_BYTES)
  return { publicKey: x25519PublicFromPrivate(privateKey), privateKey }
}

export function x25519PublicFromPrivate (priv: Uint8Array): Uint8Array {
  if (priv.length !== X25519_BYTES) throw new RangeError('an X25519 private key has 32 bytes')
  return sodium.crypto_scalarmult_base(priv)
}

/** `DH(priv, pub)` = `crypto_scalarmult`; throws `LowOrderPointError` on low-order input. */
export function dh (priv: Uint8Array, pub: Uint8Array): Uint8Array {
  if (priv.length !== X25519_BYTES) throw new RangeError('an X25519 private key has 32 bytes')
  // A peer-supplied key of the wrong length is hostile input, like a low-order one.
  if (pub.length !== X25519_BYTES) throw new LowOrderPointError()
  try {
    return sodium.crypto_scalarmult(priv, pub)
  } catch (err) {
    throw new LowOrderPointError({ cause: err })
  }
}
