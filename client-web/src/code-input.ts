// Reading a typed, pasted or scanned Flash Code. The authoritative rule is the core's readFlashCode
// (docs/protocol.md §4.2: case, spaces, dashes and O/I/L do not matter; §4.4: a QR's `GINI:FC/`
// text reads as its code); this only tells "not finished yet" apart from "cannot ever be right", so
// an impossible character is flagged at once and nothing is sent for it.
import { normalizeFlashCode, formatFlashCode, flashCodeTextBody, FLASH_CODE_LENGTHS } from '../../protocols/crypto/index.js'

export type CodeCheck =
  | { state: 'empty' }
  | { state: 'partial', typed: number, of: number }
  | { state: 'ok', fc: string, formatted: string }
  | { state: 'bad', reason: string }

// The separators §4.2 drops, only to count symbols for the hint.
const SEPARATORS = /[\p{White_Space}\-_.]/gu
const MAX_LENGTH = Math.max(...FLASH_CODE_LENGTHS)

export function checkCode (text: string): CodeCheck {
  const value = flashCodeTextBody(text)
  const typed = value.normalize('NFKC').replace(SEPARATORS, '').length
  if (typed === 0) return { state: 'empty' }
  try {
    const fc = normalizeFlashCode(value)
    return { state: 'ok', fc, formatted: formatFlashCode(fc) }
  } catch (err) {
    if (typed > MAX_LENGTH) return { state: 'bad', reason: 'Too long: Flash Codes have 8 or 10 characters.' }
    // Pad with a valid symbol up to the next valid length: if that passes, only length was wrong.
    const of = FLASH_CODE_LENGTHS.find(n => n >= typed) ?? MAX_LENGTH
    try {
      normalizeFlashCode(value + '0'.repeat(of - typed))
      return { state: 'partial', typed, of }
    } catch {
      return { state: 'bad', reason: err instanceof Error ? err.message.replace(/^Invalid Flash Code: /, '') : String(err) }
    }
  }
}
