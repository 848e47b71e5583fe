// docs/protocol.md §2.2 AEAD: XChaCha20-Poly1305 with a fresh nonce; any tampering → AeadError.
import { expect } from 'chai'
import { AeadError, open, seal, sodium, toHex, utf8 } from '../../../../protocols/crypto/index.js'
import type { SealedBox } from '../../../../protocols/crypto/index.js'

function flip (b: Uint8Array, i = 0): Uint8Array {
  const out = b.slice()
  out[i] ^= 1
  return out
}

describe('crypto/aead', () => {
  // Random values are drawn in a hook: libsodium is ready only once the root hook ran.
  let key: Uint8Array
  before(() => { key = sodium.randombytes_buf(32) })
  const ad = utf8('gini/fc/1/offer')
  const plaintext = utf8('peer info')

  function expectAeadError (box: SealedBox, k?: Uint8Array, a = ad): void {
    expect(() => open(k ?? key, a, box)).to.throw(AeadError).with.property('name', 'AeadError')
  }

  it('seal × open with same key and AD → plaintext', () => {
    const box = seal(key, ad, plaintext)
    expect(box.nonce).to.have.length(24)
    expect(box.ciphertext).to.have.length(plaintext.length + 16)
    expect(toHex(open(key, ad, box))).to.equal(toHex(plaintext))
  })

  it('seal twice × same input → fresh nonces, different ciphertexts', () => {
    const a = seal(key, ad, plaintext)
    const b = seal(key, ad, plaintext)
    expect(toHex(a.nonce)).not.to.equal(toHex(b.nonce))
    expect(toHex(a.ciphertext)).not.to.equal(toHex(b.ciphertext))
  })

  it('sealed box × flipped ciphertext, tag or nonce bit → AeadError', () => {
    const box = seal(key, ad, plaintext)
    expectAeadError({ ...box, ciphertext: flip(box.ciphertext) })
    expectAeadError({ ...box, ciphertext: flip(box.ciphertext, box.ciphertext.length - 1) })
    expectAeadError({ ...box, nonce: flip(box.nonce) })
  })

  it('sealed box × other key or other AD → AeadError', () => {
    const box = seal(key, ad, plaintext)
    expectAeadError(box, flip(key))
    expectAeadError(box, key, utf8('gini/fc/1/answer'))
  })

  it('sealed box × truncated ciphertext or 12-byte nonce → AeadError', () => {
    const box = seal(key, ad, plaintext)
    expectAeadError({ ...box, ciphertext: box.ciphertext.subarray(0, 10) })
    expectAeadError({ ...box, nonce: box.nonce.subarray(0, 12) })
  })

  it('key of the wrong length × seal → RangeError (a bug, not an attack)', () => {
    expect(() => seal(new Uint8Array(16), ad, plaintext)).to.throw(RangeError)
  })
})
