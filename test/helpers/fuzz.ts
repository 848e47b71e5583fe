// Shared by the fuzz tests (relay and peer side): a seeded random source, so a failing case can be
// replayed from its seed and index, and the few ways a case bends bytes. Bounded by the callers.
import { seededRandom } from '../../scripts/cluster/pattern.js'
import { varint } from './crp-clients.js'

export type Rand = () => number

/** mulberry32, the harness's own seeded PRNG. */
export const prng: (seed: number) => Rand = seededRandom

export const int = (rand: Rand, n: number): number => Math.floor(rand() * n)

export const noise = (rand: Rand, n: number): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, () => int(rand, 256))

/** `varint(len) ‖ body`, as every /gini/* frame (docs/protocol.md §3.1). */
export function frame (body: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([...varint(body.length), ...body])
}

/** Flips bits, truncates, extends, or cuts the front of a valid encoding and puts noise there. */
export function mutate (rand: Rand, valid: Uint8Array): Uint8Array {
  const out = Uint8Array.from(valid)
  switch (int(rand, 4)) {
    case 0: for (let i = 0; i < 1 + int(rand, 4); i++) if (out.length > 0) out[int(rand, out.length)] ^= 1 << int(rand, 8); return out
    case 1: return out.subarray(0, int(rand, out.length + 1))
    case 2: return Uint8Array.from([...out, ...noise(rand, 1 + int(rand, 64))])
    default: return Uint8Array.from([...noise(rand, int(rand, 8)), ...out.subarray(int(rand, out.length + 1))])
  }
}
