// peer/adapters/noise-node-crypto.ts: the Node peer's Noise crypto gives the library's own bytes
// (ChaCha20-Poly1305 is deterministic), for one array and for a list of pieces, on both sides of
// the size where the library switches to WASM; it opens what the library seals and refuses a
// tampered message; two keys never share a cached key object.
import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { nodeNoiseCrypto } from '../../../../peer/adapters/noise-node-crypto.js'

const bytesOf = (x: Uint8Array | { subarray: () => Uint8Array }): Buffer => Buffer.from(x instanceof Uint8Array ? x : x.subarray())

describe('nodeNoiseCrypto (Noise transport messages)', () => {
  const k = randomBytes(32)
  const ad = randomBytes(32)
  const nonce = Buffer.concat([Buffer.alloc(4), Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])])
  for (const size of [0, 1199, 1200, 65_519]) {
    it(`${size} bytes, as one array and as pieces → the library's ciphertext; opened → the plaintext`, () => {
      const plain = randomBytes(size)
      const theirs = bytesOf(defaultCrypto.chaCha20Poly1305Encrypt(plain, nonce, ad, k))
      expect(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Encrypt(plain, nonce, ad, k)).equals(theirs)).to.equal(true)
      const pieces = new Uint8ArrayList(plain.subarray(0, size >> 1), plain.subarray(size >> 1))
      expect(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Encrypt(pieces as any, nonce, ad, k)).equals(theirs)).to.equal(true)
      expect(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Decrypt(Buffer.from(theirs), nonce, ad, k)).equals(plain)).to.equal(true)
      const cut = new Uint8ArrayList(theirs.subarray(0, 7), theirs.subarray(7))
      expect(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Decrypt(cut as any, nonce, ad, k)).equals(plain)).to.equal(true)
    })
  }

  it('a flipped ciphertext byte, or another key → refused', () => {
    const sealed = Buffer.from(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Encrypt(randomBytes(4096), nonce, ad, k)))
    const other = randomBytes(32)
    expect(() => nodeNoiseCrypto.chaCha20Poly1305Decrypt(sealed, nonce, ad, other)).to.throw()
    sealed[100] ^= 1
    expect(() => nodeNoiseCrypto.chaCha20Poly1305Decrypt(sealed, nonce, ad, k)).to.throw()
  })

  it('two keys in turn → each message is the library\'s for its own key', () => {
    const k2 = randomBytes(32)
    const plain = randomBytes(5000)
    for (const key of [k, k2, k, k2]) {
      expect(bytesOf(nodeNoiseCrypto.chaCha20Poly1305Encrypt(plain, nonce, ad, key)).equals(bytesOf(defaultCrypto.chaCha20Poly1305Encrypt(plain, nonce, ad, key)))).to.equal(true)
    }
  })
})
