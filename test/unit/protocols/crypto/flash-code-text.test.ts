// docs/protocol.md §4.4: a Flash Code's QR payload, its read-out line and the reader of scanned or
// pasted text, against test/vectors/gini-code-readout-v1.json.
import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import QRCode from 'qrcode'
import { InvalidFlashCodeError } from '../../../../protocols/common/index.js'
import {
  FLASH_CODE_ALPHABET, flashCodeQrPayload, flashCodeReadOut, formatFlashCode, generateFlashCode, normalizeFlashCode, readFlashCode
} from '../../../../protocols/crypto/index.js'

interface Vectors {
  qr: { prefix: string, mode: string, errorCorrection: 'M', version: number }
  codes: Array<{ code: string, display: string, payload: string, readOut: string }>
  read: { ok: Array<{ text: string, fc: string }>, rejected: Array<{ text: string, why: string, error: string }> }
}
const VECTORS = JSON.parse(readFileSync(new URL('../../../../../test/vectors/gini-code-readout-v1.json', import.meta.url), 'utf8')) as Vectors

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']

/** The symbol a read-out word stands for, by the §4.4 rule: a number word's digit, a spelling word's capital initial. */
function symbolOf (word: string): string {
  const digit = DIGITS.indexOf(word)
  if (digit >= 0) return String(digit)
  expect(word[0], word).to.match(/[A-Z]/)
  return word[0]
}

function refusal (text: string): Error {
  try {
    readFlashCode(text)
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidFlashCodeError)
    return err as Error
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`)
}

describe('crypto/flash-code-text (docs/protocol.md §4.4)', () => {
  it('the vectors cover every symbol of the alphabet in the read-out', () => {
    expect([...new Set(VECTORS.codes.map(v => v.code).join(''))].sort().join('')).to.equal(FLASH_CODE_ALPHABET)
  })

  for (const v of VECTORS.codes) {
    it(`${v.code} → display, payload and read-out of the vectors`, () => {
      expect(formatFlashCode(v.code)).to.equal(v.display)
      expect(flashCodeQrPayload(v.code)).to.equal(v.payload)
      expect(flashCodeQrPayload(v.display)).to.equal(v.payload)
      expect(flashCodeReadOut(v.code)).to.equal(v.readOut)
      expect(flashCodeReadOut(v.display.toLowerCase())).to.equal(v.readOut)
      // The read-out spells the code: one word a symbol, the hyphen as ", ".
      const halves = v.readOut.split(', ')
      expect(halves.map(half => half.split(' ').map(symbolOf).join('')).join('-')).to.equal(v.display)
      // The payload reads back as the code.
      expect(readFlashCode(v.payload)).to.equal(v.code)
    })

    it(`${v.code} → a QR without byte mode, level ${VECTORS.qr.errorCorrection}, version ${VECTORS.qr.version}`, () => {
      const qr = QRCode.create(v.payload, { errorCorrectionLevel: VECTORS.qr.errorCorrection })
      expect(qr.version).to.equal(VECTORS.qr.version)
      // Alphanumeric, with runs of digits perhaps in numeric mode: never byte mode.
      expect(qr.segments.map(s => s.mode.id)).to.include('Alphanumeric').and.not.include('Byte')
    })
  }

  it('every fresh code (8 and 10 symbols) → a version-1 alphanumeric QR and a read-out of one word a symbol', () => {
    for (let i = 0; i < 100; i++) {
      const code = generateFlashCode(i % 2 === 0 ? 8 : 10)
      const qr = QRCode.create(flashCodeQrPayload(code), { errorCorrectionLevel: 'M' })
      expect(qr.version, code).to.equal(1)
      expect(flashCodeReadOut(code).replace(', ', ' ').split(' ').map(symbolOf).join('')).to.equal(code)
    }
  })

  for (const v of VECTORS.read.ok) {
    it(`read ${JSON.stringify(v.text)} → ${v.fc}`, () => {
      expect(readFlashCode(v.text)).to.equal(v.fc)
    })
  }

  for (const v of VECTORS.read.rejected) {
    it(`read ${JSON.stringify(v.text)} (${v.why}) → refused like a typed bad code`, () => {
      const err = refusal(v.text)
      expect(err.message).to.equal(v.error)
      // The same error, word for word, as typing what follows the prefix (or the whole text).
      const typed = v.text.toUpperCase().startsWith(VECTORS.qr.prefix) ? v.text.slice(VECTORS.qr.prefix.length) : v.text
      expect(() => normalizeFlashCode(typed)).to.throw(InvalidFlashCodeError, v.error)
    })
  }

  it('a refusal never echoes the scanned text', () => {
    const err = refusal('GINI:FC/5H7M8GQ2-SECRETTEXT')
    expect(err.message).to.not.include('5H7M')
    expect(err.message).to.not.include('SECRET')
  })
})
