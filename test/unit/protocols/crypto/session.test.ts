// docs/protocol.md §8 SharedSecret, and the X25519 helpers it uses.
import { expect } from 'chai'
import {
  deriveSessionSecret, dh, generateX25519, LowOrderPointError, toHex, x25519PublicFromPrivate
} from '../../../../protocols/crypto/index.js'
import type { X25519KeyPair } from '../../../../protocols/crypto/index.js'

function derive (role: 'I' | 'R', ppk: X25519KeyPair, e: X25519KeyPair, PPKPeer: Uint8Array, EPeer: Uint8Array): ReturnType<typeof deriveSessionSecret> {
  return deriveSessionSecret({ role, ppkSelf: ppk.privateKey, PPKSelf: ppk.publicKey, PPKPeer, eSelf: e.privateKey, ESelf: e.publicKey, EPeer })
}

describe('crypto/x25519 and session', () => {
  it('generateX25519 × public from private → same public key, 32 bytes each', () => {
    const kp = generateX25519()
    expect(kp.privateKey).to.have.length(32)
    expect(toHex(x25519PublicFromPrivate(kp.privateKey))).to.equal(toHex(kp.publicKey))
  })

  it('dh × both directions → same value', () => {
    const a = generateX25519()
    const b = generateX25519()
    expect(toHex(dh(a.privateKey, b.publicKey))).to.equal(toHex(dh(b.privateKey, a.publicKey)))
  })

  for (const [what, pub] of [
    ['all-zero point', new Uint8Array(32)],
    ['order-1 point (u = 1)', Uint8Array.from([1, ...new Array<number>(31).fill(0)])],
    ['31-byte key', new Uint8Array(31).fill(9)]
  ] as const) {
    it(`dh × ${what} → LowOrderPointError`, () => {
      expect(() => dh(generateX25519().privateKey, pub)).to.throw(LowOrderPointError).with.property('name', 'LowOrderPointError')
    })
  }

  it('I and R with fresh ephemerals × derive → identical T, SharedSecret and confirms', () => {
    const [ppkI, ppkR, eI, eR] = [generateX25519(), generateX25519(), generateX25519(), generateX25519()]
    const i = derive('I', ppkI, eI, ppkR.publicKey, eR.publicKey)
    const r = derive('R', ppkR, eR, ppkI.publicKey, eI.publicKey)
    expect(i.sharedSecret).to.have.length(64)
    expect(toHex(i.transcript)).to.equal(toHex(r.transcript))
    expect(toHex(i.sharedSecret)).to.equal(toHex(r.sharedSecret))
    expect(toHex(i.confirmI)).to.equal(toHex(r.confirmI))
    expect(toHex(i.confirmR)).to.equal(toHex(r.confirmR))
    expect(toHex(i.confirmI)).not.to.equal(toHex(i.confirmR))
  })

  it('same permanent keys × new ephemerals → a new SharedSecret each session', () => {
    const [ppkI, ppkR] = [generateX25519(), generateX25519()]
    const run = (): string => {
      const [eI, eR] = [generateX25519(), generateX25519()]
      return toHex(derive('I', ppkI, eI, ppkR.publicKey, eR.publicKey).sharedSecret)
    }
    expect(run()).not.to.equal(run())
  })

  it('impostor without R\'s permanent private key × derive → different SharedSecret and confirms', () => {
    const [ppkI, ppkR, eI, eR, mallory] = [generateX25519(), generateX25519(), generateX25519(), generateX25519(), generateX25519()]
    const i = derive('I', ppkI, eI, ppkR.publicKey, eR.publicKey)
    // Mallory claims PPK_R but only holds her own private key.
    const m = deriveSessionSecret({ role: 'R', ppkSelf: mallory.privateKey, PPKSelf: ppkR.publicKey, PPKPeer: ppkI.publicKey, eSelf: eR.privateKey, ESelf: eR.publicKey, EPeer: eI.publicKey })
    expect(toHex(m.transcript)).to.equal(toHex(i.transcript))
    expect(toHex(m.sharedSecret)).not.to.equal(toHex(i.sharedSecret))
    expect(toHex(m.confirmR)).not.to.equal(toHex(i.confirmR))
  })

  it('low-order peer ephemeral × derive → LowOrderPointError', () => {
    const [ppkI, ppkR, eI] = [generateX25519(), generateX25519(), generateX25519()]
    expect(() => derive('I', ppkI, eI, ppkR.publicKey, new Uint8Array(32))).to.throw(LowOrderPointError)
  })
})
