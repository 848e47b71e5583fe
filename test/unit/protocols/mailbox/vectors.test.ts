// The published /gini/mailbox/1 vectors (test/vectors/gini-mailbox-v1.json, docs/protocol.md §16):
// every value is recomputed from the inputs and compared. The token, CK_0, MK_0, CK_1 and the
// padding were also checked once with Python's hashlib.blake2b, an implementation apart from libsodium.
import { expect } from 'chai'
import { ChatEnvelope, envelopeToWire, type EnvelopeRecord } from '../../../../protocols/chat/index.js'
import { fromHex, sodium, toHex } from '../../../../protocols/crypto/index.js'
import {
  mailboxAd, mailboxChainKey0, mailboxDay, mailboxOpen, mailboxPad, mailboxStep, mailboxToken
} from '../../../../protocols/mailbox/index.js'
import vectors from '../../../vectors/gini-mailbox-v1.json' with { type: 'json' }

describe('mailbox vectors (test/vectors/gini-mailbox-v1.json)', () => {
  const ss = fromHex(vectors.ss)

  for (const t of vectors.tokens) {
    it(`token(day ${t.day}, ${t.role})`, () => {
      expect(mailboxDay(t.unix_ms)).to.equal(t.day)
      expect(toHex(mailboxToken(ss, t.day, t.role as 'A' | 'B'))).to.equal(t.token)
    })
  }

  for (const r of vectors.ratchet) {
    it(`chain ${r.role}: CK_0, MK_0, CK_1${r.mk_1 != null ? ', MK_1, CK_2' : ''}`, () => {
      const ck0 = mailboxChainKey0(ss, r.role as 'A' | 'B')
      expect(toHex(ck0)).to.equal(r.ck_0)
      const s0 = mailboxStep(ck0)
      expect(toHex(s0.mk)).to.equal(r.mk_0)
      expect(toHex(s0.next)).to.equal(r.ck_1)
      if (r.mk_1 != null) {
        const s1 = mailboxStep(s0.next)
        expect(toHex(s1.mk)).to.equal(r.mk_1)
        expect(toHex(s1.next)).to.equal(r.ck_2)
      }
    })
  }

  it('sealed padded blob: envelope, padding, AD and ciphertext regenerate; it opens back to the envelope', () => {
    const b = vectors.blob
    const env = ChatEnvelope.encode(envelopeToWire(b.envelope as EnvelopeRecord))
    expect(toHex(env)).to.equal(b.chat_envelope_hex)
    expect(toHex(mailboxPad(env))).to.equal(b.padded_hex)
    const token = mailboxToken(ss, b.day, b.role as 'A' | 'B')
    expect(toHex(token)).to.equal(b.token)
    expect(toHex(mailboxAd(token, b.index))).to.equal(b.ad_hex)
    let ck = mailboxChainKey0(ss, b.role as 'A' | 'B')
    for (let i = 0; i < b.index; i++) ck = mailboxStep(ck).next
    const mk = mailboxStep(ck).mk
    expect(toHex(mk)).to.equal(b.mk)
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(fromHex(b.padded_hex), fromHex(b.ad_hex), null, fromHex(b.nonce), mk)
    expect(toHex(ct)).to.equal(b.ciphertext)
    expect(ct.length).to.equal(256 + 16)
    expect(toHex(mailboxOpen(mk, token, b.index, { nonce: fromHex(b.nonce), ciphertext: fromHex(b.ciphertext) }))).to.equal(b.chat_envelope_hex)
  })
})
