// Noise's crypto for the Node peer (peer-libp2p.ts): @chainsafe/libp2p-noise's own Node crypto, with
// one node:crypto KeyObject per session key for the ChaCha20-Poly1305 of transport messages instead
// of a raw key handed to createCipheriv per message (Node checks a raw key the costly way: about as
// much CPU as the cipher itself on a bulk transfer, scripts/bench/transport-floor.ts). The bytes on
// the wire are the same (the AEAD is deterministic); small messages keep the library's path.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import { Uint8ArrayList } from 'uint8arraylist'

const CHACHA_POLY1305 = 'chacha20-poly1305'
const TAG_BYTES = 16
/** Below this the library uses its WASM ChaCha20-Poly1305 (faster there); the same cut-off here. */
const NATIVE_FROM_BYTES = 1200

// A CipherState keeps its key array for its life and never writes into it, so the array names the key.
/** Noise's own (older) uint8arraylist type: a list of ours reads the same to it (one marker symbol, `bufs`). */
type NoiseBytes = ReturnType<ICryptoInterface['chaCha20Poly1305Encrypt']>

const keyObjects = new WeakMap<Uint8Array, KeyObject>()
function keyObjectOf (k: Uint8Array): KeyObject {
  let key = keyObjects.get(k)
  if (key == null) {
    key = createSecretKey(k)
    keyObjects.set(k, key)
  }
  return key
}

export const nodeNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  chaCha20Poly1305Encrypt (plaintext, nonce, ad, k) {
    if (plaintext.byteLength < NATIVE_FROM_BYTES) return defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
    const cipher = createCipheriv(CHACHA_POLY1305, keyObjectOf(k), nonce, { authTagLength: TAG_BYTES })
    cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
    if (plaintext instanceof Uint8Array) {
      const updated = cipher.update(plaintext)
      const final = cipher.final()
      const tag = cipher.getAuthTag()
      return Buffer.concat([updated, final, tag], updated.byteLength + final.byteLength + tag.byteLength)
    }
    const output = new Uint8ArrayList()
    for (const buf of plaintext) output.append(cipher.update(buf))
    const final = cipher.final()
    if (final.byteLength > 0) output.append(final)
    output.append(cipher.getAuthTag())
    return output as unknown as NoiseBytes
  },
  chaCha20Poly1305Decrypt (ciphertext, nonce, ad, k, dst) {
    if (ciphertext.byteLength < NATIVE_FROM_BYTES) return defaultCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
    const decipher = createDecipheriv(CHACHA_POLY1305, keyObjectOf(k), nonce, { authTagLength: TAG_BYTES })
    const authTag = ciphertext.subarray(ciphertext.byteLength - TAG_BYTES)
    const text = ciphertext instanceof Uint8Array ? ciphertext.subarray(0, ciphertext.byteLength - TAG_BYTES) : ciphertext.sublist(0, ciphertext.byteLength - TAG_BYTES)
    decipher.setAAD(ad, { plaintextLength: text.byteLength })
    decipher.setAuthTag(authTag)
    if (text instanceof Uint8Array) {
      const output = decipher.update(text)
      const final = decipher.final()
      return final.byteLength > 0 ? Buffer.concat([output, final], output.byteLength + final.byteLength) : output
    }
    const output = new Uint8ArrayList()
    for (const buf of text) output.append(decipher.update(buf))
    const final = decipher.final()
    if (final.byteLength > 0) output.append(final)
    return output as unknown as NoiseBytes
  }
}
