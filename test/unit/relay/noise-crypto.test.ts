// The relay's Noise crypto (relay/noise-crypto.ts) against RFC 7748's X25519 test vector, the
// pure-JS implementation libp2p-noise ships, and keys a peer must not get past it.
import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { pureJsCrypto } from '@chainsafe/libp2p-noise'
import { Uint8ArrayList } from 'uint8arraylist'
import { relayNoiseCrypto as c } from '../../../relay/noise-crypto.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

// RFC 7748 §6.1 (Alice's and Bob's keys and their shared secret).
const ALICE_PRIVATE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'
const ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'
const BOB_PRIVATE = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'
const BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'

describe('relay Noise crypto (node:crypto KeyObjects)', function () {
  it('RFC 7748 §6.1 × keys from seeds → the vector\'s public keys and shared secret', () => {
    const alice = c.generateX25519KeyPairFromSeed(unhex(ALICE_PRIVATE))
    const bob = c.generateX25519KeyPairFromSeed(unhex(BOB_PRIVATE))
    expect(hex(alice.publicKey)).to.equal(ALICE_PUBLIC)
    expect(hex(bob.publicKey)).to.equal(BOB_PUBLIC)
    const shared = hex(c.generateX25519SharedKey(alice.privateKey, bob.publicKey))
    expect(shared).to.equal(SHARED)
    expect(hex(c.generateX25519SharedKey(bob.privateKey, new Uint8ArrayList(alice.publicKey) as unknown as Uint8Array))).to.equal(SHARED)
  })

  it('fresh key pairs × the pure-JS curve → same public key, same shared secret both ways', () => {
    for (let i = 0; i < 20; i++) {
      const a = c.generateX25519KeyPair()
      const b = c.generateX25519KeyPair()
      expect(a.privateKey.length).to.equal(32)
      expect(hex(pureJsCrypto.generateX25519KeyPairFromSeed(a.privateKey).publicKey)).to.equal(hex(a.publicKey))
      const ab = c.generateX25519SharedKey(a.privateKey, b.publicKey)
      expect(hex(ab)).to.equal(hex(pureJsCrypto.generateX25519SharedKey(b.privateKey, a.publicKey)))
      // A private key this module did not make (a copy) goes through the DER path, same result.
      expect(hex(c.generateX25519SharedKey(Uint8Array.from(a.privateKey), b.publicKey))).to.equal(hex(ab))
    }
  })

  it('HKDF × random chaining key and input → the pure-JS HKDF\'s three outputs', () => {
    for (let i = 0; i < 20; i++) {
      const ck = new Uint8Array(randomBytes(32))
      const ikm = new Uint8Array(randomBytes(i === 0 ? 0 : 32))
      expect(c.getHKDF(ck, ikm).map(hex)).to.deep.equal(pureJsCrypto.getHKDF(ck, ikm).map(hex))
    }
  })

  it('a low-order (all-zero) public key, a 31-byte key, a 33-byte key → an error, no shared secret', () => {
    const a = c.generateX25519KeyPair()
    expect(() => c.generateX25519SharedKey(a.privateKey, new Uint8Array(32))).to.throw()
    expect(() => c.generateX25519SharedKey(a.privateKey, new Uint8Array(31).fill(9))).to.throw(/32 bytes/)
    expect(() => c.generateX25519SharedKey(a.privateKey, new Uint8Array(33).fill(9))).to.throw(/32 bytes/)
    expect(() => c.generateX25519SharedKey(new Uint8Array(31), a.publicKey)).to.throw(/32 bytes/)
  })
})
