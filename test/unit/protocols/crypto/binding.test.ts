// docs/protocol.md §7 card binding: bound to k_contact, the sender's role and every card field.
import { expect } from 'chai'
import { cardBinding, concat, sodium, toHex } from '../../../../protocols/crypto/index.js'
import type { CardFields } from '../../../../protocols/crypto/index.js'

describe('crypto/binding', () => {
  // Random values are drawn in a hook: libsodium is ready only once the root hook ran.
  let kContact: Uint8Array, ma1: Uint8Array, ma2: Uint8Array, card: CardFields
  before(() => {
    kContact = sodium.randombytes_buf(32)
    ma1 = sodium.randombytes_buf(20)
    ma2 = sodium.randombytes_buf(20)
    card = {
      vcard: 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice\r\nEND:VCARD\r\n',
      ppk: sodium.randombytes_buf(32),
      peerId: sodium.randombytes_buf(38),
      multiaddrs: [ma1, ma2]
    }
  })
  const base = (): string => toHex(cardBinding(kContact, 'A', card))

  it('same card × role A then role B → different bindings (no reflection)', () => {
    expect(base()).not.to.equal(toHex(cardBinding(kContact, 'B', card)))
  })

  it('same card × another k_contact → different binding', () => {
    expect(base()).not.to.equal(toHex(cardBinding(sodium.randombytes_buf(32), 'A', card)))
  })

  it('card × vCard, multiaddr order or merged multiaddrs changed → different binding', () => {
    expect(base()).not.to.equal(toHex(cardBinding(kContact, 'A', { ...card, vcard: card.vcard.replace('Alice', 'Alicf') })))
    expect(base()).not.to.equal(toHex(cardBinding(kContact, 'A', { ...card, multiaddrs: [ma2, ma1] })))
    expect(base()).not.to.equal(toHex(cardBinding(kContact, 'A', { ...card, multiaddrs: [concat(ma1, ma2)] })))
  })
})
