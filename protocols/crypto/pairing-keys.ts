// Keys of a pairing once CPace is done (docs/protocol.md §6.8): transcript T, the MFCs, and the keys of
// the sealed offer/answer and of the contact card binding (§7). All keyed by ISK.
import { concat, lv, utf8 } from './bytes.js'
import { H } from './hash.js'

export type PairingRole = 'A' | 'B'

const MFC_LABEL = utf8('gini/fc/1/mfc')
const OFFER_LABEL = utf8('gini/fc/1/offer')
const ANSWER_LABEL = utf8('gini/fc/1/answer')
const CONTACT_LABEL = utf8('gini/fc/1/contact')

/** The role byte `X`: 0x41 or 0x42 (§2.4). */
export function roleByte (role: 'A' | 'B' | 'I' | 'R'): Uint8Array {
  return utf8(role)
}

/** `T = lv(R, lookup, sid, TPK_A, TPK_B)` with `sid = sid_a ‖ sid_b`. */
export function pairingTranscript (relayId: Uint8Array, lookup: Uint8Array, sid: Uint8Array, tpkA: Uint8Array, tpkB: Uint8Array): Uint8Array {
  return lv(relayId, lookup, sid, tpkA, tpkB)
}

/** `MFC_X = H(32, "gini/fc/1/mfc" ‖ X ‖ T, key = ISK)`: the MFC (§6.8). */
export function pairingMfc (isk: Uint8Array, role: PairingRole, transcript: Uint8Array): Uint8Array {
  return H(32, concat(MFC_LABEL, roleByte(role), transcript), isk)
}

/** `k_offer = H(32, "gini/fc/1/offer" ‖ T, key = ISK)` */
export function pairingOfferKey (isk: Uint8Array, transcript: Uint8Array): Uint8Array {
  return H(32, concat(OFFER_LABEL, transcript), isk)
}

/** `k_answer = H(32, "gini/fc/1/answer" ‖ T, key = ISK)` */
export function pairingAnswerKey (isk: Uint8Array, transcript: Uint8Array): Uint8Array {
  return H(32, concat(ANSWER_LABEL, transcript), isk)
}

/** `k_contact = H(32, "gini/fc/1/contact" ‖ T, key = ISK)`: keys the card binding of §7. */
export function pairingContactKey (isk: Uint8Array, transcript: Uint8Array): Uint8Array {
  return H(32, concat(CONTACT_LABEL, transcript), isk)
}
