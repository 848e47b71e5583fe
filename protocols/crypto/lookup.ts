// The relay's lookup key (docs/protocol.md §5): 24 bits of the code, bound to the relay.
import { concat, lv, utf8 } from './bytes.js'
import { normalizeFlashCode } from './flash-code.js'
import { H } from './hash.js'

const LOOKUP_LABEL = utf8('gini/fc/1/lookup')
export const LOOKUP_BYTES = 3

/** `lookup = H(3, "gini/fc/1/lookup" ‖ lv(R) ‖ FC)`; `fc` is normalized first (idempotent). */
export function flashCodeLookup (relayId: Uint8Array, fc: string): Uint8Array {
  return H(LOOKUP_BYTES, concat(LOOKUP_LABEL, lv(relayId), utf8(normalizeFlashCode(fc))))
}
