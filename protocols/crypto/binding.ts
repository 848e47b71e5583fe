// Contact card binding (docs/protocol.md §7): proves the card comes from the peer verified in §6.8.
import { concat, lv, utf8 } from './bytes.js'
import { H } from './hash.js'
import { sodium } from './sodium.js'
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

const PEER_ID_SIG_LABEL = utf8('gini/contact/1/peer_id_sig')

/**
 * docs/protocol.md §7 `peer_id_sig` signs `"gini/contact/1/peer_id_sig" ‖ binding`. The binding
 * already covers this pairing (k_contact comes from its transcript), the sender's role, the PPK,
 * the peer id and the rest of the card, so a signature fits one card of one pairing only.
 */
export function peerIdSigMessage (binding: Uint8Array): Uint8Array {
  return concat(PEER_ID_SIG_LABEL, binding)
}

/** Ed25519 signature with the long-term key: libsodium's 64-byte secret key (seed ‖ public key). */
export function signPeerId (secretKey: Uint8Array, binding: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(peerIdSigMessage(binding), secretKey)
}

/** True when `sig` is the 64-byte Ed25519 signature of the binding under the 32-byte public key. */
export function verifyPeerIdSig (publicKey: Uint8Array, binding: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== sodium.crypto_sign_BYTES || publicKey.length !== sodium.crypto_sign_PUBLICKEYBYTES) return false
  try {
    return sodium.crypto_sign_verify_detached(sig, peerIdSigMessage(binding), publicKey)
  } catch {
    return false
  }
}
