// docs/protocol.md §2.3 building blocks: ‖, lv (LEB128 lengths), hex, ct_eq.
import { expect } from 'chai'
import { concat, ctEqual, fromHex, leb128, lv, toHex, utf8 } from '../../../../protocols/crypto/index.js'

describe('crypto/bytes', () => {
  it('leb128 × boundary lengths → 7 bits a byte, continuation bit set', () => {
    expect(toHex(leb128(0))).to.equal('00')
    expect(toHex(leb128(127))).to.equal('7f')
    expect(toHex(leb128(128))).to.equal('8001')
    expect(toHex(leb128(300))).to.equal('ac02')
    expect(toHex(leb128(16384))).to.equal('808001')
    expect(toHex(leb128(2 ** 32))).to.equal('8080808010')
  })

  it('leb128 × negative or fractional → RangeError', () => {
    expect(() => leb128(-1)).to.throw(RangeError)
    expect(() => leb128(1.5)).to.throw(RangeError)
  })

  it('lv × several items → each prefixed by its own length', () => {
    expect(toHex(lv(utf8('ab'), new Uint8Array(0), fromHex('ff')))).to.equal('02616200' + '01ff')
    expect(toHex(lv(new Uint8Array(200))).slice(0, 4)).to.equal('c801')
  })

  it('lv × moved boundary between items → different encoding (injective)', () => {
    expect(toHex(lv(utf8('ab'), utf8('c')))).not.to.equal(toHex(lv(utf8('a'), utf8('bc'))))
  })

  it('concat × parts → bytes in order', () => {
    expect(toHex(concat(fromHex('01'), new Uint8Array(0), fromHex('0203')))).to.equal('010203')
  })

  it('hex × round trip, upper case accepted, malformed → TypeError', () => {
    expect(toHex(fromHex('00ABff'))).to.equal('00abff')
    expect(() => fromHex('abc')).to.throw(TypeError)
    expect(() => fromHex('zz')).to.throw(TypeError)
  })

  it('ctEqual × equal / different / different length → true / false / false', () => {
    expect(ctEqual(fromHex('0102'), fromHex('0102'))).to.equal(true)
    expect(ctEqual(fromHex('0102'), fromHex('0103'))).to.equal(false)
    expect(ctEqual(fromHex('0102'), fromHex('010200'))).to.equal(false)
  })
})
