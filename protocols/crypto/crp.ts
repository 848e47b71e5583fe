// Connection Restore Protocol keys (docs/protocol.md §9.1). `ss` is a stored 64-byte SharedSecret (§8);
// the relay only ever sees `token(ss)`, which it cannot invert.
import { concat, utf8 } from './bytes.js'
import { H } from './hash.js'
import { roleByte } from './pairing-keys.js'
import type { PairingRole } from './pairing-keys.js'

const TOKEN_LABEL = utf8('gini/crp/1/lookup')
const PROOF_LABEL = utf8('gini/crp/1/proof')
const OFFER_LABEL = utf8('gini/crp/1/offer')
const ANSWER_LABEL = utf8('gini/crp/1/answer')
const PARK_LABEL = utf8('gini/crp/1/park')

/** `token(ss) = H(32, "gini/crp/1/lookup", key = ss)` */
export function crpToken (ss: Uint8Array): Uint8Array {
  return H(32, TOKEN_LABEL, ss)
}

/** Role X = "A" if PPK_self < PPK_peer bytewise (public keys, so a plain compare), else "B". */
export function crpRole (ppkSelf: Uint8Array, ppkPeer: Uint8Array): PairingRole {
  const n = Math.min(ppkSelf.length, ppkPeer.length)
  for (let i = 0; i < n; i++) {
    if (ppkSelf[i] !== ppkPeer[i]) return ppkSelf[i] < ppkPeer[i] ? 'A' : 'B'
  }
  return ppkSelf.length < ppkPeer.length ? 'A' : 'B'
}

/** `proof_X = H(32, "gini/crp/1/proof" ‖ X ‖ token ‖ n_A ‖ n_B, key = ss)` */
export function crpProof (ss: Uint8Array, role: PairingRole, token: Uint8Array, nA: Uint8Array, nB: Uint8Array): Uint8Array {
  return H(32, concat(PROOF_LABEL, roleByte(role), token, nA, nB), ss)
}

/** `k_offer = H(32, "gini/crp/1/offer" ‖ token ‖ n_A ‖ n_B, key = ss)` */
export function crpOfferKey (ss: Uint8Array, token: Uint8Array, nA: Uint8Array, nB: Uint8Array): Uint8Array {
  return H(32, concat(OFFER_LABEL, token, nA, nB), ss)
}

/** `k_answer = H(32, "gini/crp/1/answer" ‖ token ‖ n_A ‖ n_B, key = ss)` */
export function crpAnswerKey (ss: Uint8Array, token: Uint8Array, nA: Uint8Array, nB: Uint8Array): Uint8Array {
  return H(32, concat(ANSWER_LABEL, token, nA, nB), ss)
}

/** The park key of role X: `H(32, "gini/crp/1/park" ‖ X, key = ss)`; the parked offer's AD is `token`. */
export function crpParkKey (ss: Uint8Array, role: PairingRole): Uint8Array {
  return H(32, concat(PARK_LABEL, roleByte(role)), ss)
}

/** AD of both the offer and the answer: `token ‖ n_A ‖ n_B`. */
export function crpOfferAd (token: Uint8Array, nA: Uint8Array, nB: Uint8Array): Uint8Array {
  return concat(token, nA, nB)
}
