// Flash Codes as text (docs/protocol.md §4.1, §4.2, §4.4): normalizing typed or scanned input, the
// display form, the QR payload and the read-out line. No libsodium here (flash-code.ts draws codes),
// so a command that only shows or reads a code through the running daemon loads none.
// Errors never echo the typed code (§11): at most one offending character is named.
import { InvalidFlashCodeError } from '../common/errors.js'

export const FLASH_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const FLASH_CODE_LENGTHS = [8, 10] as const
export type FlashCodeLength = typeof FLASH_CODE_LENGTHS[number]

export function isFlashCodeLength (n: number): n is FlashCodeLength {
  return (FLASH_CODE_LENGTHS as readonly number[]).includes(n)
}

// Separators dropped from typed input (§4.2): Unicode whitespace and - _ .
const SEPARATORS = /[\p{White_Space}\-_.]/gu
// Crockford's look-alikes (§4.2).
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' }

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

/** The prefix of a Flash Code's QR payload (§4.4). */
export const FLASH_CODE_QR_PREFIX = 'GINI:FC/'

/** The QR payload of a code (§4.4): `GINI:FC/` and the normalized code. Accepts typed input. */
export function flashCodeQrPayload (fc: string): string {
  return FLASH_CODE_QR_PREFIX + normalizeFlashCode(fc)
}

// Leading and trailing Unicode whitespace (§4.4 step 1).
const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu

/** Steps 1–2 of reading a text (§4.4): NFKC and trim, then without a leading `GINI:FC/` (any case). */
export function flashCodeTextBody (text: string): string {
  const t = text.normalize('NFKC').replace(EDGE_SPACE, '')
  const head = t.slice(0, FLASH_CODE_QR_PREFIX.length).replace(/[a-z]/g, c => c.toUpperCase())
  return head === FLASH_CODE_QR_PREFIX ? t.slice(FLASH_CODE_QR_PREFIX.length) : t
}

/**
 * A scanned QR's text, a pasted payload or a typed code → `FC` (§4.4): NFKC and trim, drop a leading
 * `GINI:FC/` (any case), then §4.2. Anything else throws the same `InvalidFlashCodeError` a typed
 * bad code does.
 */
export function readFlashCode (text: string): string {
  return normalizeFlashCode(flashCodeTextBody(text))
}

// §4.4: English number words for the digits, ICAO/NATO spelling words for the letters, in the
// alphabet's order.
const SPOKEN_WORDS = ('zero one two three four five six seven eight nine ' +
  'Alfa Bravo Charlie Delta Echo Foxtrot Golf Hotel Juliett Kilo Mike November Papa Quebec Romeo Sierra Tango Victor Whiskey X-ray Yankee Zulu').split(' ')

/** The read-out line of a code (§4.4): one word a symbol, `, ` for the display hyphen. Accepts typed input. */
export function flashCodeReadOut (fc: string): string {
  const code = normalizeFlashCode(fc)
  const half = code.length / 2
  const words = (part: string): string => [...part].map(ch => SPOKEN_WORDS[FLASH_CODE_ALPHABET.indexOf(ch)]).join(' ')
  return `${words(code.slice(0, half))}, ${words(code.slice(half))}`
}
