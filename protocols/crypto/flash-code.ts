// Flash codes (docs/protocol.md §4): Crockford base32, 8 or 10 symbols, normalized before any use.
// Errors never echo the typed code (§11): at most one offending character is named.
import { InvalidFlashCodeError } from '../common/index.js'
import { sodium } from './sodium.js'

export const FLASH_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const FLASH_CODE_LENGTHS = [8, 10] as const
export type FlashCodeLength = typeof FLASH_CODE_LENGTHS[number]

function isFlashCodeLength (n: number): n is FlashCodeLength {
  return (FLASH_CODE_LENGTHS as readonly number[]).includes(n)
}

// Separators dropped from typed input (§4.2): Unicode whitespace and - _ .
const SEPARATORS = /[\p{White_Space}\-_.]/gu
// Crockford's look-alikes (§4.2).
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' }

/** A fresh normalized code without separator; each symbol is `randombytes_uniform(32)` (§4.1). */
export function generateFlashCode (length: FlashCodeLength = 8): string {
  if (!isFlashCodeLength(length)) throw new RangeError('Flash Codes have 8 or 10 symbols')
  let code = ''
  for (let i = 0; i < length; i++) code += FLASH_CODE_ALPHABET[sodium.randombytes_uniform(32)]
  return code
}

/**
 * Typed input → the normalized code `FC` (§4.2): NFKC; drop whitespace and - _ .; non-ASCII is an
 * error; upper-case; O→0, I→1, L→1; anything outside the alphabet or a length other than 8/10 is
 * an error. Idempotent on normalized codes. Throws `InvalidFlashCodeError`.
 */
export function normalizeFlashCode (input: string): string {
  const stripped = input.normalize('NFKC').replace(SEPARATORS, '')
  let code = ''
  for (const ch of stripped) {
    if (ch.charCodeAt(0) > 0x7f) throw new InvalidFlashCodeError(`'${ch}' is not used in Flash Codes (only letters A-Z and digits)`)
    const upper = ch.toUpperCase()
    const mapped = LOOK_ALIKES[upper] ?? upper
    if (mapped === 'U') throw new InvalidFlashCodeError("'U' is not used in Flash Codes")
    if (!FLASH_CODE_ALPHABET.includes(mapped)) throw new InvalidFlashCodeError(`'${ch}' is not used in Flash Codes`)
    code += mapped
  }
  if (!isFlashCodeLength(code.length)) throw new InvalidFlashCodeError('use 8 or 10 characters')
  return code
}

/** How a code is shown (§4.1): `XXXX-XXXX` or `XXXXX-XXXXX`. Accepts typed input (normalizes it first). */
export function formatFlashCode (fc: string): string {
  const code = normalizeFlashCode(fc)
  const half = code.length / 2
  return `${code.slice(0, half)}-${code.slice(half)}`
}
