// Flash codes (docs/protocol.md §4): Crockford base32, 8 or 10 symbols, normalized before any use.
// Drawing a code needs libsodium; everything about a code as text is in flash-code-text.ts.
import { sodium } from './sodium.js'
import { FLASH_CODE_ALPHABET, isFlashCodeLength, type FlashCodeLength } from './flash-code-text.js'

export * from './flash-code-text.js'

/** A fresh normalized code without separator; each symbol is `randombytes_uniform(32)` (§4.1). */
export function generateFlashCode (length: FlashCodeLength = 8): string {
  if (!isFlashCodeLength(length)) throw new RangeError('Flash Codes have 8 or 10 symbols')
  let code = ''
  for (let i = 0; i < length; i++) code += FLASH_CODE_ALPHABET[sodium.randombytes_uniform(32)]
  return code
}
