// docs/protocol.md §12: every value of the independent implementation's vectors, byte for byte, and the
// same checks on our published vectors (test/vectors/gini-v1.json), which must also equal what
// scripts/gen-vectors.ts produces today (so the published file cannot drift).
import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import { InvalidFlashCodeError } from '../../../../protocols/common/index.js'
import {
  cardBinding, concat, cpaceChannelId, cpaceGenerator, cpaceIsk, createCpaceParty, crpAnswerKey,
  crpOfferAd, crpOfferKey, crpParkKey, crpProof, crpRole, crpToken, deriveSessionSecret, flashCodeLookup,
  fromHex, leb128, normalizeFlashCode, open, peerIdSigMessage, signPeerId, sodium, toHex, utf8, verifyPeerIdSig,
  x25519PublicFromPrivate
} from '../../../../protocols/crypto/index.js'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PairingKeys } from '../../../../protocols/crypto/index.js'
import { buildVectors, serializeVectors, VECTORS_URL } from '../../../../scripts/gen-vectors.js'
import type { VectorFile } from '../../../../scripts/gen-vectors.js'
import independent from '../../../vectors/gini-v1-independent.json' with { type: 'json' }

// A protobuf length-delimited field, written here independently of any codec (CrpMessage.register).
function pbBytes (field: number, value: Uint8Array): Uint8Array {
  return concat(leb128(field << 3 | 2), leb128(value.length), value)
}

// Test titles: JSON quoting, plus visible escapes for whitespace JSON leaves raw (NBSP, U+3000).
function show (typed: string): string {
  return JSON.stringify(typed).replace(/[^\S ]/gu, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function pairingFrom (v: VectorFile, role: 'A' | 'B'): { share: Uint8Array, finish: (peer: Uint8Array) => PairingKeys } {
  const sid = fromHex(v.cpace.sid)
  const R = fromHex(v.cpace.R)
  // §6.7: sid = sid_a ‖ sid_b, 16 bytes each.
  return createCpaceParty({
    fc: v.cpace.FC,
    relayId: R,
    lookup: flashCodeLookup(R, v.cpace.FC),
    sidA: sid.subarray(0, 16),
    sidB: sid.subarray(16),
    role,
    scalar: fromHex(role === 'A' ? v.cpace.ya : v.cpace.yb)
  })
}

function checkVectorFile (label: string, v: VectorFile): void {
  describe(`${label} vectors`, () => {
    describe('§4 normalization, §5 lookup', () => {
      it('typed code → FC_ascii and lookup', () => {
        expect(normalizeFlashCode(v.flash_code.typed)).to.equal(v.flash_code.FC_ascii)
        expect(toHex(flashCodeLookup(fromHex(v.flash_code.R), v.flash_code.FC_ascii))).to.equal(v.flash_code.lookup)
      })

      for (const [typed, normalized] of Object.entries(v.normalization.ok)) {
        it(`typed ${show(typed)} → ${normalized}`, () => {
          expect(normalizeFlashCode(typed)).to.equal(normalized)
        })
      }

      for (const typed of v.normalization.rejected) {
        it(`typed ${show(typed)} → InvalidFlashCodeError`, () => {
          expect(() => normalizeFlashCode(typed)).to.throw(InvalidFlashCodeError)
        })
      }
    })

    describe('§6 CPace with fixed scalars', () => {
      const c = v.cpace
      const R = fromHex(c.R)
      const sid = fromHex(c.sid)

      it('CI and g', () => {
        expect(c.FC).to.equal(v.flash_code.FC_ascii)
        expect(toHex(cpaceChannelId(R))).to.equal(c.CI)
        expect(toHex(cpaceGenerator(c.FC, R, sid))).to.equal(c.g)
      })

      it('TPK_A, TPK_B, K and ISK', () => {
        expect(toHex(pairingFrom(v, 'A').share)).to.equal(c.TPK_A)
        expect(toHex(pairingFrom(v, 'B').share)).to.equal(c.TPK_B)
        const K = sodium.crypto_scalarmult_ristretto255(fromHex(c.ya), fromHex(c.TPK_B))
        expect(toHex(K)).to.equal(c.K)
        expect(toHex(sodium.crypto_scalarmult_ristretto255(fromHex(c.yb), fromHex(c.TPK_A)))).to.equal(c.K)
        expect(toHex(cpaceIsk(sid, K, fromHex(c.TPK_A), fromHex(c.TPK_B)))).to.equal(c.ISK)
      })

      for (const role of ['A', 'B'] as const) {
        it(`party ${role} × peer share → ISK, T, MFCs, k_offer, k_answer, k_contact`, () => {
          const keys = pairingFrom(v, role).finish(fromHex(role === 'A' ? c.TPK_B : c.TPK_A))
          expect(toHex(keys.isk)).to.equal(c.ISK)
          expect(toHex(keys.transcript)).to.equal(c.T)
          expect(toHex(keys.ownMfc)).to.equal(role === 'A' ? c.MFC_A : c.MFC_B)
          expect(toHex(keys.expectedPeerMfc)).to.equal(role === 'A' ? c.MFC_B : c.MFC_A)
          expect(toHex(keys.kOffer)).to.equal(c.k_offer)
          expect(toHex(keys.kAnswer)).to.equal(c.k_answer)
          expect(toHex(keys.kContact)).to.equal(c.k_contact)
        })
      }
    })

    it('§7 card binding', () => {
      const b = v.contact_binding
      expect(b.k_contact).to.equal(v.cpace.k_contact)
      const card = { vcard: b.vcard, ppk: fromHex(b.ppk), peerId: fromHex(b.peer_id), multiaddrs: b.multiaddrs.map(fromHex) }
      expect(toHex(cardBinding(fromHex(b.k_contact), b.role as 'A' | 'B', card))).to.equal(b.binding)
    })

    if (v.contact_binding.peer_id_sig != null) {
      it('§7 extension: peer_id_sig over "gini/contact/1/peer_id_sig" ‖ binding, by the key inside peer_id', async () => {
        const b = v.contact_binding
        const key = await generateKeyPairFromSeed('Ed25519', fromHex(b.peer_id_seed!))
        const peerId = peerIdFromPrivateKey(key)
        expect(toHex(peerId.toMultihash().bytes)).to.equal(b.peer_id)
        expect(toHex(peerIdSigMessage(fromHex(b.binding)))).to.equal(b.peer_id_sig_message)
        expect(b.peer_id_sig_message).to.equal(toHex(utf8('gini/contact/1/peer_id_sig')) + b.binding)
        expect(toHex(signPeerId(key.raw, fromHex(b.binding)))).to.equal(b.peer_id_sig)
        expect(verifyPeerIdSig(peerId.publicKey.raw, fromHex(b.binding), fromHex(b.peer_id_sig!))).to.equal(true)
        const flipped = fromHex(b.binding)
        flipped[0] ^= 1
        expect(verifyPeerIdSig(peerId.publicKey.raw, flipped, fromHex(b.peer_id_sig!))).to.equal(false)
      })
    }

    describe('§8 session', () => {
      const s = v.session
      for (const role of ['I', 'R'] as const) {
        it(`${role} → T, SharedSecret, confirm_I, confirm_R`, () => {
          const [ppkI, ppkR, eI, eR] = [s.ppk_I, s.ppk_R, s.e_I, s.e_R].map(fromHex)
          const [PPKI, PPKR, EI, ER] = [ppkI, ppkR, eI, eR].map(x25519PublicFromPrivate)
          const out = role === 'I'
            ? deriveSessionSecret({ role, ppkSelf: ppkI, PPKSelf: PPKI, PPKPeer: PPKR, eSelf: eI, ESelf: EI, EPeer: ER })
            : deriveSessionSecret({ role, ppkSelf: ppkR, PPKSelf: PPKR, PPKPeer: PPKI, eSelf: eR, ESelf: ER, EPeer: EI })
          expect(toHex(out.transcript)).to.equal(s.T)
          expect(toHex(out.sharedSecret)).to.equal(s.SharedSecret)
          expect(toHex(out.confirmI)).to.equal(s.confirm_I)
          expect(toHex(out.confirmR)).to.equal(s.confirm_R)
        })
      }
    })

    describe('§9 CRP', () => {
      const p = v.crp
      const ss = fromHex(p.SharedSecret)
      const nA = fromHex(p.n_A)
      const nB = fromHex(p.n_B)
      const token = fromHex(p.token)

      it('token, roles of the §8 PPKs', () => {
        expect(p.SharedSecret).to.equal(v.session.SharedSecret)
        expect(toHex(crpToken(ss))).to.equal(p.token)
        const PPKI = x25519PublicFromPrivate(fromHex(v.session.ppk_I))
        const PPKR = x25519PublicFromPrivate(fromHex(v.session.ppk_R))
        expect(crpRole(PPKI, PPKR)).to.equal(p.role_of_ppk_I)
        expect(crpRole(PPKR, PPKI)).to.equal(p.role_of_ppk_R)
      })

      it('proofs, offer/answer keys and AD, park keys', () => {
        expect(toHex(crpProof(ss, 'A', token, nA, nB))).to.equal(p.proof_A)
        expect(toHex(crpProof(ss, 'B', token, nA, nB))).to.equal(p.proof_B)
        expect(toHex(crpOfferKey(ss, token, nA, nB))).to.equal(p.k_offer)
        expect(toHex(crpAnswerKey(ss, token, nA, nB))).to.equal(p.k_answer)
        expect(toHex(crpOfferAd(token, nA, nB))).to.equal(p.ad_offer_answer)
        expect(toHex(crpParkKey(ss, 'A'))).to.equal(p.k_park_A)
        expect(toHex(crpParkKey(ss, 'B'))).to.equal(p.k_park_B)
      })

      it('offer_example opened with k_offer and token ‖ n_A ‖ n_B → peer_info', () => {
        const box = { nonce: fromHex(p.offer_example.nonce), ciphertext: fromHex(p.offer_example.ciphertext) }
        expect(toHex(open(crpOfferKey(ss, token, nA, nB), crpOfferAd(token, nA, nB), box))).to.equal(p.peer_info)
      })

      it('parked_by_A_example opened with k_park_A and token → peer_info', () => {
        const box = { nonce: fromHex(p.parked_by_A_example.nonce), ciphertext: fromHex(p.parked_by_A_example.ciphertext) }
        expect(toHex(open(crpParkKey(ss, 'A'), token, box))).to.equal(p.peer_info)
      })

      it('register_by_A = CrpMessage{register{token, parked, role "A"}}', () => {
        const parked = concat(pbBytes(1, fromHex(p.parked_by_A_example.nonce)), pbBytes(2, fromHex(p.parked_by_A_example.ciphertext)))
        const register = concat(pbBytes(1, token), pbBytes(2, parked), pbBytes(3, utf8('A')))
        expect(toHex(pbBytes(1, register))).to.equal(p.register_by_A)
      })
    })
  })
}

checkVectorFile('independent (test/vectors/gini-v1-independent.json)', independent)

const published = readFileSync(VECTORS_URL, 'utf8')
checkVectorFile('published (test/vectors/gini-v1.json)', JSON.parse(published) as VectorFile)

describe('published vectors × scripts/gen-vectors.ts', () => {
  it('regenerated today → identical bytes to test/vectors/gini-v1.json', async () => {
    expect(serializeVectors(await buildVectors())).to.equal(published)
  })

  it('the published contact_binding carries the §7 peer_id_sig extension', () => {
    const b = (JSON.parse(published) as VectorFile).contact_binding
    expect(b.peer_id_sig).to.match(/^[0-9a-f]{128}$/)
    expect(b.peer_id_seed).to.match(/^[0-9a-f]{64}$/)
  })
})
