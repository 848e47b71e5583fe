// Presence identities (docs/protocol.md §21): a per-relay, per-day Ed25519 seed derived from the
// permanent seed, so a restart on the same day keeps the same presence id.
import { concat, utf8 } from './bytes.js'
import { H } from './hash.js'

const PRESENCE_LABEL = utf8('gini/presence/1')
const DAY_MS = 86_400_000

/** UTC days since 1970-01-01 for a time in milliseconds. */
export function presenceDay (ms: number): number {
  return Math.floor(ms / DAY_MS)
}

/** `seed = H(32, "gini/presence/1" ‖ relay peer id bytes ‖ day (4 bytes BE), key = permanent seed)` */
export function presenceSeed (permanentSeed: Uint8Array, relayPeerId: Uint8Array, day: number): Uint8Array {
  if (permanentSeed.length !== 32) throw new Error('presence: the permanent seed must be 32 bytes')
  if (!Number.isInteger(day) || day < 0 || day > 0xffffffff) throw new Error('presence: day out of range')
  const d = new Uint8Array(4)
  new DataView(d.buffer).setUint32(0, day, false)
  return H(32, concat(PRESENCE_LABEL, relayPeerId, d), permanentSeed)
}
