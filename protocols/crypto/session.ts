// `/gini/session/1` key schedule (docs/protocol.md §8): ephemeral-static X25519, both roles compute
// the same T, SharedSecret and confirmations.
import { concat, utf8 } from './bytes.js'
import { H } from './hash.js'
import { sodium } from './sodium.js'
import { dh } from './x25519.js'

export type SessionRole = 'I' | 'R'

export interface SessionSecretOptions {
  role: SessionRole
  /** own permanent private key (ppk) */
  ppkSelf: Uint8Array
  PPKSelf: Uint8Array
  PPKPeer: Uint8Array
  /** own ephemeral private key (e) */
  eSelf: Uint8Array
  ESelf: Uint8Array
  EPeer: Uint8Array
}

export interface SessionSecret {
  transcript: Uint8Array
  /** 64 bytes: the 512-bit SharedSecret (§8.2) */
  sharedSecret: Uint8Array
  confirmI: Uint8Array
  confirmR: Uint8Array
}

const T_LABEL = utf8('gini/session/1/T')
const SS_LABEL = utf8('gini/session/1/ss')
const CONFIRM_LABEL = utf8('gini/session/1/confirm')

/**
 * T = H(32, "gini/session/1/T" ‖ PPK_I ‖ PPK_R ‖ E_I ‖ E_R)
 * ikm = DH(e_I, E_R) ‖ DH(e_I, PPK_R) ‖ DH(ppk_I, E_R)      (ee ‖ es ‖ se, initiator's view)
 * SharedSecret = H(64, "gini/session/1/ss" ‖ T, key = H(32, ikm))
 * k_conf = H(32, "gini/session/1/confirm", key = SharedSecret); confirm_X = H(32, X ‖ T, key = k_conf)
 * Throws `LowOrderPointError` if a peer key is low-order (→ SESSION_FAILED).
 */
export function deriveSessionSecret (opts: SessionSecretOptions): SessionSecret {
  const initiator = opts.role === 'I'
  const [PPKI, PPKR] = initiator ? [opts.PPKSelf, opts.PPKPeer] : [opts.PPKPeer, opts.PPKSelf]
  const [EI, ER] = initiator ? [opts.ESelf, opts.EPeer] : [opts.EPeer, opts.ESelf]
  const transcript = H(32, concat(T_LABEL, PPKI, PPKR, EI, ER))

  // R reaches the same three values from its side: DH(e_R, E_I) ‖ DH(ppk_R, E_I) ‖ DH(e_R, PPK_I).
  const dhs = initiator
    ? [() => dh(opts.eSelf, opts.EPeer), () => dh(opts.eSelf, opts.PPKPeer), () => dh(opts.ppkSelf, opts.EPeer)]
    : [() => dh(opts.eSelf, opts.EPeer), () => dh(opts.ppkSelf, opts.EPeer), () => dh(opts.eSelf, opts.PPKPeer)]
  const parts: Uint8Array[] = []
  try {
    for (const f of dhs) parts.push(f())
  } catch (err) {
    for (const p of parts) sodium.memzero(p)
    throw err
  }
  const ikm = concat(...parts)
  for (const p of parts) sodium.memzero(p)
  const ikmKey = H(32, ikm)
  sodium.memzero(ikm)
  const sharedSecret = H(64, concat(SS_LABEL, transcript), ikmKey)
  sodium.memzero(ikmKey)

  const kConf = H(32, CONFIRM_LABEL, sharedSecret)
  const confirmI = H(32, concat(utf8('I'), transcript), kConf)
  const confirmR = H(32, concat(utf8('R'), transcript), kConf)
  sodium.memzero(kConf)
  return { transcript, sharedSecret, confirmI, confirmR }
}

const HINT_LABEL = utf8('gini/session/1/hint')
/** Bytes of a hello's contact hint (docs/protocol.md §21.3). */
export const SESSION_HINT_BYTES = 16

/**
 * `hint = H(16, "gini/session/1/hint" ‖ E_I, key = SharedSecret)` (docs/protocol.md §21.3): lets a
 * listener find which contact dials it from a presence id it does not know; §8 still proves it.
 */
export function sessionHint (sharedSecret: Uint8Array, EI: Uint8Array): Uint8Array {
  if (sharedSecret.length !== 64) throw new Error('session hint: the SharedSecret must be 64 bytes')
  return H(SESSION_HINT_BYTES, concat(HINT_LABEL, EI), sharedSecret)
}
