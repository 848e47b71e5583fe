// Contact card binding (docs/protocol.md §7): proves the card comes from the peer verified in §6.8.
import { concat, lv, utf8 } from './bytes.js'
import { H } from './hash.js'
import { roleByte } from './pairing-keys.js'
import type { PairingRole } from './pairing-keys.js'

const CONTACT_LABEL = utf8('gini/contact/1')

export interface CardFields {
  vcard: string
  ppk: Uint8Array
  peerId: Uint8Array
  multiaddrs: Uint8Array[]
}

/**
 * `binding = H(32, "gini/contact/1" ‖ X ‖ H(32, lv(vcard, ppk, peer_id, ma_1, …, ma_n)), key = k_contact)`
 * with X the sender's §6 role, the vCard as UTF-8 and each multiaddr its own lv item.
 */
export function cardBinding (kContact: Uint8Array, role: PairingRole, card: CardFields): Uint8Array {
  const digest = H(32, lv(utf8(card.vcard), card.ppk, card.peerId, ...card.multiaddrs))
  return H(32, concat(CONTACT_LABEL, roleByte(role), digest), kContact)
}
