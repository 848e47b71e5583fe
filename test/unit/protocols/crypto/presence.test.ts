// docs/protocol.md §21 presence seeds and the session hint (§21.3) against test/vectors/gini-presence-v1.json.
import { expect } from 'chai'
import { fromHex, presenceDay, presenceSeed, sessionHint, sodium, toHex } from '../../../../protocols/crypto/index.js'
import vectors from '../../../vectors/gini-presence-v1.json' with { type: 'json' }

describe('crypto/presence', () => {
  for (const c of vectors.cases) {
    it(`published vector, day ${c.day} → same seed and public key`, () => {
      const seed = presenceSeed(fromHex(vectors.permanentSeed), fromHex(vectors.relayPeerId), c.day)
      expect(toHex(seed)).to.equal(c.presenceSeed)
      expect(toHex(sodium.crypto_sign_seed_keypair(seed).publicKey)).to.equal(c.presencePublicKey)
    })
  }

  it('two days or two relays → different seeds', () => {
    const p = fromHex(vectors.permanentSeed)
    const r = fromHex(vectors.relayPeerId)
    expect(toHex(presenceSeed(p, r, 1))).to.not.equal(toHex(presenceSeed(p, r, 2)))
    expect(toHex(presenceSeed(p, r, 1))).to.not.equal(toHex(presenceSeed(p, r.slice(1), 1)))
  })

  it('a bad seed length or day → a clear error', () => {
    expect(() => presenceSeed(new Uint8Array(31), new Uint8Array(1), 1)).to.throw(/32 bytes/)
    expect(() => presenceSeed(new Uint8Array(32), new Uint8Array(1), -1)).to.throw(/day/)
    expect(presenceDay(86_400_000 * 3 + 5)).to.equal(3)
  })

  it('published vector → the same session hint (§21.3); another E_I or secret → another hint', () => {
    const h = vectors.sessionHint
    expect(toHex(sessionHint(fromHex(h.sharedSecret), fromHex(h.eI)))).to.equal(h.hint)
    const otherE = fromHex(h.eI)
    otherE[0] ^= 1
    expect(toHex(sessionHint(fromHex(h.sharedSecret), otherE))).to.not.equal(h.hint)
    const otherSs = fromHex(h.sharedSecret)
    otherSs[63] ^= 1
    expect(toHex(sessionHint(otherSs, fromHex(h.eI)))).to.not.equal(h.hint)
    expect(() => sessionHint(new Uint8Array(32), fromHex(h.eI))).to.throw(/64 bytes/)
  })
})
