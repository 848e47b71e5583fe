// Byte helpers for the formulas of docs/protocol.md §2.3: `‖` (concat), `lv` (LEB128 length ‖ item)
// and `ct_eq` (sodium.memcmp for every comparison of secret-derived bytes).
import { sodium } from './sodium.js'

const encoder = new TextEncoder()

/** `a ‖ b ‖ …` */
export function concat (...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** A string as UTF-8 bytes (labels such as "gini/fc/1/lookup" are ASCII, vCards are UTF-8). */
export function utf8 (s: string): Uint8Array {
  return encoder.encode(s)
}

/** Unsigned LEB128 of a non-negative safe integer (§2.3 `lv`). */
export function leb128 (n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('leb128 needs a non-negative safe integer')
  const out: number[] = []
  // Division instead of `>>>`: lengths are never ≥ 2^32 here, but the encoding stays correct if they were.
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    out.push(byte)
  } while (n > 0)
  return Uint8Array.from(out)
}

/** `lv(a, b, …)` = LEB128(len a) ‖ a ‖ LEB128(len b) ‖ b ‖ … (§2.3). */
export function lv (...items: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const item of items) parts.push(leb128(item.length), item)
  return concat(...parts)
}

// Hex is plain JS so it also works before `ready()` (constants, test tables); it is for display
// and vectors, never for handling secrets.
/** Lower-case hex. */
export function toHex (b: Uint8Array): string {
  let out = ''
  for (const byte of b) out += byte.toString(16).padStart(2, '0')
  return out
}

/** Lower- or upper-case hex of even length; throws a TypeError on anything else. */
export function fromHex (s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new TypeError('invalid hex string')
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** `ct_eq` (§2.2): false on a length mismatch (lengths are public), constant time otherwise. */
export function ctEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  return sodium.memcmp(a, b)
}
