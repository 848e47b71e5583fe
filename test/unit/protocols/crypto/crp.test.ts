// docs/protocol.md §9.1 CRP keys: roles, token, proofs, offer/answer/park keys.
import { expect } from 'chai'
import {
  crpAnswerKey, crpOfferAd, crpOfferKey, crpParkKey, crpProof, crpRole, crpToken, fromHex, open, seal,
  sodium, toHex, utf8
} from '../../../../protocols/crypto/index.js'

describe('crypto/crp', () => {
  // Random values are drawn in a hook: libsodium is ready only once the root hook ran.
  let ss: Uint8Array, nA: Uint8Array, nB: Uint8Array
  before(() => {
    ss = sodium.randombytes_buf(64)
    nA = sodium.randombytes_buf(32)
    nB = sodium.randombytes_buf(32)
  })

  it('two PPKs × crpRole from each side → one A and one B, A holding the lower key', () => {
    const low = fromHex('01'.padEnd(64, 'f'))
    const high = fromHex('02'.padEnd(64, '0'))
    expect(crpRole(low, high)).to.equal('A')
    expect(crpRole(high, low)).to.equal('B')
  })

  it('keys differing only in the last byte × crpRole → bytewise order decides', () => {
    const a = new Uint8Array(32).fill(7)
    const b = a.slice()
    b[31] = 8
    expect(crpRole(a, b)).to.equal('A')
    expect(crpRole(b, a)).to.equal('B')
  })

  it('token × another SharedSecret → another token', () => {
    expect(crpToken(ss)).to.have.length(32)
    expect(toHex(crpToken(ss))).not.to.equal(toHex(crpToken(sodium.randombytes_buf(64))))
  })

  it('proofs × roles A and B → differ; any other nonce → differs', () => {
    const token = crpToken(ss)
    const proofA = crpProof(ss, 'A', token, nA, nB)
    expect(toHex(proofA)).not.to.equal(toHex(crpProof(ss, 'B', token, nA, nB)))
    expect(toHex(proofA)).not.to.equal(toHex(crpProof(ss, 'A', token, nB, nA)))
  })

  it('offer, answer, park A, park B keys → four distinct keys', () => {
    const token = crpToken(ss)
    const keys = [crpOfferKey(ss, token, nA, nB), crpAnswerKey(ss, token, nA, nB), crpParkKey(ss, 'A'), crpParkKey(ss, 'B')]
    expect(new Set(keys.map(toHex)).size).to.equal(4)
  })

  it('offer sealed with k_offer × opened with k_answer → AeadError', () => {
    const token = crpToken(ss)
    const ad = crpOfferAd(token, nA, nB)
    const box = seal(crpOfferKey(ss, token, nA, nB), ad, utf8('peer info'))
    expect(() => open(crpAnswerKey(ss, token, nA, nB), ad, box)).to.throw(/AEAD/)
    expect(toHex(open(crpOfferKey(ss, token, nA, nB), ad, box))).to.equal(toHex(utf8('peer info')))
  })
})
