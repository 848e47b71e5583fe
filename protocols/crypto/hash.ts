// The hash building blocks of docs/protocol.md §2.2.
import { sodium } from './sodium.js'

/** `H(n, m, key?)`: BLAKE2b (`crypto_generichash`) with an `n`-byte output, keyed when `key` is given. */
export function H (n: number, m: Uint8Array, key?: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(n, m, key ?? null)
}

/** `SHA512(m)`: `crypto_hash_sha512`. */
export function sha512 (m: Uint8Array): Uint8Array {
  return sodium.crypto_hash_sha512(m)
}
