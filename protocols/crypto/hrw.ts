// Many relays, one network (docs/protocol.md §22): the GSS service key, the rendezvous-hashing
// (HRW) score that picks a code's relay (§22.2), and the lookup shortened by what the choice of
// relay already tells it (§22.3).
import { concat, lv, utf8 } from './bytes.js'
import { normalizeFlashCode } from './flash-code.js'
import { H } from './hash.js'
import { LOOKUP_BYTES } from './lookup.js'

const HRW_LABEL = utf8('gini/gss/1/hrw')
const SERVICE_LABEL = utf8('gini/gss/1/service')

/** §22.2: `score` is 8 bytes, read as a big-endian unsigned 64-bit integer. */
export const HRW_SCORE_BYTES = 8
/** §22.3: a full lookup has 24 bits (§5)… */
export const LOOKUP_FULL_BITS = LOOKUP_BYTES * 8
/** …and is shortened by at most 8 bits, so at least 16 stay. */
export const LOOKUP_MIN_BITS = 16

/** §22.1: the key every relay provides in the relay DHT, `H(32, "gini/gss/1/service")`. */
export function gssServiceKey (): Uint8Array {
  return H(32, SERVICE_LABEL)
}

/** §22.2: `H(8, "gini/gss/1/hrw" ‖ lv(R) ‖ X)` as a big-endian integer; X is `FC` (normalized here) or a token (§22.4). */
export function hrwScore (relayId: Uint8Array, subject: string | Uint8Array): bigint {
  const x = typeof subject === 'string' ? utf8(normalizeFlashCode(subject)) : subject
  let n = 0n
  for (const b of H(HRW_SCORE_BYTES, concat(HRW_LABEL, lv(relayId), x))) n = (n << 8n) | BigInt(b)
  return n
}

/** §22.3: `lookup_bits = 24 − k`, `k = ⌈log2 N⌉` at most 8, for a list of `n` relays (24 for one relay). */
export function lookupBitsFor (n: number): number {
  let k = 0
  while (k < LOOKUP_FULL_BITS - LOOKUP_MIN_BITS && 2 ** k < n) k++
  return LOOKUP_FULL_BITS - k
}

/** §22.3: the first `bits` bits of a 3-byte lookup, the low `24 − bits` bits zero. */
export function shortenLookup (lookup: Uint8Array, bits: number): Uint8Array {
  if (lookup.length !== LOOKUP_BYTES || !Number.isInteger(bits) || bits < LOOKUP_MIN_BITS || bits > LOOKUP_FULL_BITS) {
    throw new RangeError('shortenLookup needs a 3-byte lookup and 16 to 24 bits')
  }
  const out = lookup.slice()
  const drop = LOOKUP_FULL_BITS - bits // 0…8: only the last byte changes
  out[2] = out[2] & ((0xff << drop) & 0xff)
  return out
}

/** §22.3: do two lookups agree on their first `bits` bits? (The relay's match of Create and Join.) */
export function lookupPrefixEqual (a: Uint8Array, b: Uint8Array, bits: number): boolean {
  if (a.length !== LOOKUP_BYTES || b.length !== LOOKUP_BYTES) return false
  const mask = (0xff << (LOOKUP_FULL_BITS - bits)) & 0xff
  return a[0] === b[0] && a[1] === b[1] && (a[2] & mask) === (b[2] & mask)
}
