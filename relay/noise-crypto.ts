// The relay's Noise crypto: the same X25519, HKDF-SHA256, SHA-256 and ChaCha20-Poly1305 as
// @chainsafe/libp2p-noise's Node default, with X25519 keys kept as node:crypto KeyObjects. The
// default converts every key through DER (pkcs8/spki) on each Diffie-Hellman, which costs ≈ 10×
// the curve operation itself (≈ 520 µs against ≈ 48 µs here): a Noise XX responder does one key
// generation and three DH per connection, and every pairing is two connections (BENCHMARKS.md,
// relay cost). Node-only: the relay never runs in a browser.
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'

/** DER prefix of an X25519 private key in PKCS#8 (RFC 8410): what precedes the 32 raw bytes. */
const PKCS8_X25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20])
const KEY_BYTES = 32

/**
 * KeyObject of each private key this module made, by the key's bytes object. Noise passes the
 * same Uint8Array back to `generateX25519SharedKey`; entries die with the key.
 */
const privateKeyObjects = new WeakMap<Uint8Array, KeyObject>()

/** Noise hands keys over as a Uint8Array or a Uint8ArrayList (of its own uint8arraylist version). */
function bytes (data: Uint8Array | { subarray: () => Uint8Array }): Uint8Array {
  return data instanceof Uint8Array ? data : data.subarray()
}

/** A copy of a base64url field in its own ArrayBuffer (Buffer.from would share a pool slab). */
function fromBase64Url (field: string | undefined): Uint8Array {
  const out = new Uint8Array(Buffer.from(field ?? '', 'base64url'))
  if (out.length !== KEY_BYTES) throw new Error('X25519 key export has the wrong length')
  return out
}

function remember (keyObject: KeyObject): { publicKey: Uint8Array, privateKey: Uint8Array } {
  const jwk = keyObject.export({ format: 'jwk' })
  const privateKey = fromBase64Url(jwk.d)
  privateKeyObjects.set(privateKey, keyObject)
  return { publicKey: fromBase64Url(jwk.x), privateKey }
}

function privateKeyObject (privateKey: Uint8Array): KeyObject {
  const known = privateKeyObjects.get(privateKey)
  if (known != null) return known
  if (privateKey.length !== KEY_BYTES) throw new Error('X25519 private key must be 32 bytes')
  const der = new Uint8Array(PKCS8_X25519_PREFIX.length + KEY_BYTES)
  der.set(PKCS8_X25519_PREFIX)
  der.set(privateKey, PKCS8_X25519_PREFIX.length)
  const keyObject = createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' })
  der.fill(0)
  privateKeyObjects.set(privateKey, keyObject)
  return keyObject
}

export const relayNoiseCrypto: ICryptoInterface = {
  ...defaultCrypto,
  generateX25519KeyPair () {
    return remember(generateKeyPairSync('x25519').privateKey)
  },
  generateX25519KeyPairFromSeed (seed) {
    const { publicKey } = remember(privateKeyObject(seed))
    return { publicKey, privateKey: seed }
  },
  generateX25519SharedKey (privateKey, publicKey) {
    const pub = bytes(publicKey)
    // A JWK import takes ≈ 1/3 of the time of an SPKI one; it refuses anything but 32 bytes.
    if (pub.length !== KEY_BYTES) throw new Error('X25519 public key must be 32 bytes')
    const publicKeyObject = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(pub.buffer, pub.byteOffset, pub.length).toString('base64url') }, format: 'jwk' })
    // OpenSSL refuses an all-zero result (a low-order public key), as the default does.
    return diffieHellman({ privateKey: privateKeyObject(bytes(privateKey)), publicKey: publicKeyObject })
  },
  getHKDF (ck, ikm) {
    // HKDF-SHA256 (RFC 5869) with ck as salt and no info, 96 bytes: the Noise spec's HKDF with three outputs.
    const okm = new Uint8Array(hkdfSync('sha256', ikm, ck, new Uint8Array(0), 3 * KEY_BYTES))
    return [okm.subarray(0, KEY_BYTES), okm.subarray(KEY_BYTES, 2 * KEY_BYTES), okm.subarray(2 * KEY_BYTES)]
  }
}
