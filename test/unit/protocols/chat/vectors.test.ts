// The published /gini/chat/1 vectors (test/vectors/gini-chat-v1.json, docs/protocol.md §15): our
// codec encodes each record to exactly those bytes and reads them back to the same record. The first
// vector was also checked by hand against the §15.2 schema (field tags, lengths, varints).
import { expect } from 'chai'
import { ChatMessage, envelopeFromWire, envelopeToWire, type EnvelopeRecord } from '../../../../protocols/chat/index.js'
import { fromHex, toHex } from '../../../../protocols/crypto/index.js'
import vectors from '../../../vectors/gini-chat-v1.json' with { type: 'json' }

describe('chat vectors (test/vectors/gini-chat-v1.json)', () => {
  for (const v of vectors.envelopes) {
    it(`${v.name} → the published bytes, and back`, () => {
      const record = v.record as EnvelopeRecord
      expect(toHex(ChatMessage.encode({ envelope: envelopeToWire(record) }))).to.equal(v.chat_message_hex)
      const decoded = ChatMessage.decode(fromHex(v.chat_message_hex))
      expect(envelopeFromWire(decoded.envelope!)).to.deep.equal(record)
    })
  }

  it('message: hand-decoded tags (0a 2d envelope; 0a 10 id; 10 01 MESSAGE; 1a 0e content; 28 sent_at; 30 01 seq)', () => {
    const hex = vectors.envelopes[0].chat_message_hex
    expect(hex.startsWith('0a2d0a10' + '00112233445566778899aabbccddeeff' + '1001' + '1a0e')).to.equal(true)
    expect(hex.endsWith('3001')).to.equal(true)
  })

  it('ack → the published bytes', () => {
    const ids = vectors.ack.ids.map(id => new Uint8Array(fromHex(id)))
    expect(toHex(ChatMessage.encode({ ack: { ids } }))).to.equal(vectors.ack.chat_message_hex)
  })
})
