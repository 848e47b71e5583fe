// docs/protocol.md §4 (flash codes) and §5 (lookup).
import { expect } from 'chai'
import { InvalidFlashCodeError } from '../../../../protocols/common/index.js'
import {
  FLASH_CODE_ALPHABET, FLASH_CODE_LENGTHS, flashCodeLookup, formatFlashCode, fromHex, generateFlashCode,
  normalizeFlashCode, toHex
} from '../../../../protocols/crypto/index.js'

const R = fromHex('0024080112208313e00fe402b6165e5b7e14309c66bed233750458989264364926bdd1d011f5')

function rejection (input: string): InvalidFlashCodeError {
  try {
    normalizeFlashCode(input)
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidFlashCodeError)
    return err as InvalidFlashCodeError
  }
  throw new Error('expected the input to be rejected')
}

describe('crypto/flash-code', () => {
  it('alphabet × Crockford base32 → 32 symbols without I, L, O, U', () => {
    expect(FLASH_CODE_ALPHABET).to.have.length(32)
    expect(new Set(FLASH_CODE_ALPHABET).size).to.equal(32)
    for (const ch of 'ILOU') expect(FLASH_CODE_ALPHABET).not.to.include(ch)
    expect(FLASH_CODE_LENGTHS).to.deep.equal([8, 10])
  })

  it('generate × default → 8 alphabet symbols, already normalized', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateFlashCode()
      expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{8}$/)
      expect(normalizeFlashCode(code)).to.equal(code)
    }
  })

  it('generate × length 10 → 10 alphabet symbols', () => {
    const code = generateFlashCode(10)
    expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{10}$/)
  })

  it('generate × many codes → every symbol of the alphabet appears', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 500; i++) for (const ch of generateFlashCode()) seen.add(ch)
    expect([...seen].sort().join('')).to.equal(FLASH_CODE_ALPHABET)
  })

  it('generate × unsupported length → RangeError', () => {
    expect(() => generateFlashCode(6 as 8)).to.throw(RangeError)
  })

  it('normalize × O, I, L, lower case, spaces, dashes → canonical code', () => {
    expect(normalizeFlashCode('o1i2-l3ab')).to.equal('011213AB')
    expect(normalizeFlashCode('  5h7m  8gq2 ')).to.equal('5H7M8GQ2')
    expect(normalizeFlashCode('5H7M-8GQ2')).to.equal('5H7M8GQ2')
    expect(normalizeFlashCode('5h7m8-gq2xy')).to.equal('5H7M8GQ2XY')
  })

  it('normalize × U or u → error naming U', () => {
    expect(rejection('5H7M8GQU').message).to.include("'U'")
    expect(rejection('5h7m8gqu').message).to.include("'U'")
  })

  it('normalize × 6, 9 or 11 symbols → "use 8 or 10 characters"', () => {
    for (const input of ['5H7M8G', '5H7M8GQ2X', '5H7M8GQ2XYZ']) expect(rejection(input).message).to.include('8 or 10')
  })

  it('normalize × rejected input → message never contains the code', () => {
    const inputs = ['5H7M8GQ2X', '5h7m-8gq2-x', '5H7M8GQ!', 'ABCDEFGHU', '5H7M8GQß', 'abcdefghjkmnp', '5H7M8G']
    for (const input of inputs) {
      const err = rejection(input)
      expect(err.name).to.equal('InvalidFlashCodeError')
      const stripped = input.replace(/[-\s]/g, '')
      for (const form of [input, stripped, stripped.toUpperCase(), stripped.slice(0, 4).toUpperCase(), stripped.slice(0, 4)]) {
        expect(err.message, `message for ${input}`).not.to.include(form)
      }
    }
  })

  it('format × 8 and 10 symbols → XXXX-XXXX and XXXXX-XXXXX', () => {
    expect(formatFlashCode('5H7M8GQ2')).to.equal('5H7M-8GQ2')
    expect(formatFlashCode('5H7M8GQ2XY')).to.equal('5H7M8-GQ2XY')
    expect(formatFlashCode('5h7m 8gq2')).to.equal('5H7M-8GQ2')
    expect(() => formatFlashCode('5H7M8G')).to.throw(InvalidFlashCodeError)
  })

  it('lookup × typed or normalized code → same 3 bytes', () => {
    const lookup = flashCodeLookup(R, '5H7M8GQ2')
    expect(lookup).to.have.length(3)
    expect(toHex(flashCodeLookup(R, '5h7m-8gq2'))).to.equal(toHex(lookup))
  })

  it('lookup × another relay → another lookup', () => {
    const otherRelay = R.slice()
    otherRelay[otherRelay.length - 1] ^= 1
    expect(toHex(flashCodeLookup(otherRelay, '5H7M8GQ2'))).not.to.equal(toHex(flashCodeLookup(R, '5H7M8GQ2')))
  })
})
