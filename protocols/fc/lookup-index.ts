// The relay's index of live lookups by prefix (docs/protocol.md §22.3). With many relays a lookup
// may be shortened to `lookup_bits` (16…24) leading bits; two lookups are the same when they agree
// on the shorter of their two prefixes. Rows live in buckets of their first 16 bits; live rows in
// one bucket never agree with each other (a Create that would is refused), so a bucket holds at most
// 256 rows and a search is bounded.
import { lookupPrefixEqual, LOOKUP_FULL_BITS, LOOKUP_MIN_BITS } from '../crypto/index.js'
import { LOOKUP_BYTES } from './constants.js'

export interface IndexedLookup {
  readonly lookup: Uint8Array
  readonly bits: number
}

/**
 * §22.3: the number of bits a Create or Join says count — 24 when `lookup_bits` is absent — or
 * undefined when the frame is a violation: a lookup not 3 bytes, `lookup_bits` outside 16…24, or
 * bits set below them.
 */
export function lookupBitsOf (msg: { lookup: Uint8Array, lookupBits?: number }): number | undefined {
  if (msg.lookup.byteLength !== LOOKUP_BYTES) return undefined
  const bits = msg.lookupBits ?? LOOKUP_FULL_BITS
  if (!Number.isInteger(bits) || bits < LOOKUP_MIN_BITS || bits > LOOKUP_FULL_BITS) return undefined
  const dropped = 0xff >> (8 - (LOOKUP_FULL_BITS - bits)) // the low 24 − bits bits of the last byte
  if ((msg.lookup[2] & dropped) !== 0) return undefined
  return bits
}

export class LookupIndex<R extends IndexedLookup> {
  private readonly buckets = new Map<number, Set<R>>()

  /** The oldest entry agreeing with `lookup` on min(bits, its bits) leading bits (and `accept`), if any. */
  find (lookup: Uint8Array, bits: number, accept?: (r: R) => boolean): R | undefined {
    const bucket = this.buckets.get(bucketOf(lookup))
    if (bucket == null) return undefined
    for (const r of bucket) {
      if (lookupPrefixEqual(r.lookup, lookup, Math.min(bits, r.bits)) && (accept == null || accept(r))) return r
    }
    return undefined
  }

  add (r: R): void {
    const key = bucketOf(r.lookup)
    let bucket = this.buckets.get(key)
    if (bucket == null) { bucket = new Set(); this.buckets.set(key, bucket) }
    bucket.add(r)
  }

  delete (r: R): void {
    const key = bucketOf(r.lookup)
    const bucket = this.buckets.get(key)
    if (bucket == null) return
    bucket.delete(r)
    if (bucket.size === 0) this.buckets.delete(key)
  }

  clear (): void {
    this.buckets.clear()
  }
}

function bucketOf (lookup: Uint8Array): number {
  return (lookup[0] << 8) | lookup[1]
}
