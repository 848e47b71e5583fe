// CPace (draft-irtf-cfrg-cpace, CPACE-RISTR255-SHA512) as the TPK step of /gini/fc/1
// (docs/protocol.md §6.7). The relay sees the shares and the MFCs but learns nothing it can test offline.
import { IncorrectMfcError } from '../common/index.js'
import { concat, ctEqual, lv, utf8 } from './bytes.js'
import { normalizeFlashCode } from './flash-code.js'
import { sha512 } from './hash.js'
import {
  pairingAnswerKey, pairingContactKey, pairingMfc, pairingOfferKey, pairingTranscript
} from './pairing-keys.js'
import type { PairingRole } from './pairing-keys.js'
import { sodium } from './sodium.js'

export type { PairingRole } from './pairing-keys.js'

/** Everything a pairing derives once both shares are known (§6.7, §6.8). Wipe with `wipePairingKeys`. */
export interface PairingKeys {
  isk: Uint8Array
  /** T = lv(R, lookup, sid, TPK_A, TPK_B) */
  transcript: Uint8Array
  ownMfc: Uint8Array
  expectedPeerMfc: Uint8Array
  kOffer: Uint8Array
  kAnswer: Uint8Array
  kContact: Uint8Array
}

export interface CpaceParty {
  /** TPK_X, 32 bytes: sent in TempKey. */
  readonly share: Uint8Array
  /** Derives the keys from the peer's share; wipes y and K. Throws IncorrectMfcError on a bad share. */
  finish(peerShare: Uint8Array): PairingKeys
  /** Wipes y if `finish` never ran (abandoned pairing). */
  dispose(): void
}

export const CPACE_DSI = utf8('CPaceRistretto255')
const CHANNEL_LABEL = utf8('gini/fc/1')
// s_in_bytes of SHA-512: the draft pads PRS so that it fills the hash's first input block.
const SHA512_BLOCK_BYTES = 128
const SCALAR_BYTES = 32
const POINT_BYTES = 32

/** `CI = lv("gini/fc/1", R)`; lv-encoded once more inside `gen` (the draft treats CI as opaque). */
export function cpaceChannelId (relayId: Uint8Array): Uint8Array {
  return lv(CHANNEL_LABEL, relayId)
}

/**
 * The draft's generator for ristretto255:
 * `g = from_hash(SHA512(lv(DSI, PRS, zeros(zpad), CI, sid)))`,
 * `zpad = max(0, 128 − len(lv(DSI)) − len(lv(PRS)) − 1)`.
 */
export function cpaceGeneratorGeneric (prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Uint8Array {
  const zpad = Math.max(0, SHA512_BLOCK_BYTES - lv(CPACE_DSI).length - lv(prs).length - 1)
  const gen = lv(CPACE_DSI, prs, new Uint8Array(zpad), ci, sid)
  const digest = sha512(gen)
  const g = sodium.crypto_core_ristretto255_from_hash(digest)
  // gen holds the code, digest determines g: both are password-derived.
  sodium.memzero(gen)
  sodium.memzero(digest)
  return g
}

/** §6.7's `g`, with `PRS = FC` (normalized first) and `CI = lv("gini/fc/1", R)`. */
export function cpaceGenerator (fc: string, relayId: Uint8Array, sid: Uint8Array): Uint8Array {
  const prs = utf8(normalizeFlashCode(fc))
  const g = cpaceGeneratorGeneric(prs, cpaceChannelId(relayId), sid)
  sodium.memzero(prs)
  return g
}

/**
 * The draft's ISK for initiator/responder ordering:
 * `SHA512(lv(DSI ‖ "_ISK", sid, K) ‖ lv(Ya, ADa) ‖ lv(Yb, ADb))`. `dsi` is the bare DSI
 * ("CPaceRistretto255"); "_ISK" is appended here.
 */
export function cpaceIskGeneric (dsi: Uint8Array, sid: Uint8Array, K: Uint8Array, yaShare: Uint8Array, ada: Uint8Array, ybShare: Uint8Array, adb: Uint8Array): Uint8Array {
  const prefix = lv(concat(dsi, utf8('_ISK')), sid, K)
  const isk = sha512(concat(prefix, lv(yaShare, ada), lv(ybShare, adb)))
  sodium.memzero(prefix) // holds K
  return isk
}

/** §6.7: `ISK = SHA512(lv("CPaceRistretto255_ISK", sid, K) ‖ lv(TPK_A, "A") ‖ lv(TPK_B, "B"))`. */
export function cpaceIsk (sid: Uint8Array, K: Uint8Array, tpkA: Uint8Array, tpkB: Uint8Array): Uint8Array {
  return cpaceIskGeneric(CPACE_DSI, sid, K, tpkA, utf8('A'), tpkB, utf8('B'))
}

/** `ct_eq` of an MFC (§6.8). */
export function verifyMfc (expected: Uint8Array, received: Uint8Array): boolean {
  return ctEqual(expected, received)
}

/** Wipes every key of a pairing (§6.8: on failure "wipe all keys"; the code is burnt on both sides). */
export function wipePairingKeys (keys: PairingKeys): void {
  for (const k of [keys.isk, keys.ownMfc, keys.expectedPeerMfc, keys.kOffer, keys.kAnswer, keys.kContact]) sodium.memzero(k)
}

export interface CpacePartyOptions {
  /** The flash code, typed or normalized (normalized here). */
  fc: string
  /** R: the relay's peer id multihash bytes. */
  relayId: Uint8Array
  /** The 3-byte lookup of §5, part of T. */
  lookup: Uint8Array
  sidA: Uint8Array
  sidB: Uint8Array
  role: PairingRole
  /** Test only: a fixed scalar y instead of `scalar_random`. Copied, never wiped in place. */
  scalar?: Uint8Array
}

/** One side of the CPace step (§6.7): computes TPK_X now, the keys once the peer's share arrives. */
export function createCpaceParty (opts: CpacePartyOptions): CpaceParty {
  const sid = concat(opts.sidA, opts.sidB)
  if (opts.scalar != null && opts.scalar.length !== SCALAR_BYTES) throw new RangeError('a CPace scalar has 32 bytes')
  let y: Uint8Array | undefined = opts.scalar != null ? Uint8Array.from(opts.scalar) : sodium.crypto_core_ristretto255_scalar_random()
  const g = cpaceGenerator(opts.fc, opts.relayId, sid)
  const share = sodium.crypto_scalarmult_ristretto255(y, g)
  sodium.memzero(g)

  return {
    share,
    finish (peerShare: Uint8Array): PairingKeys {
      if (y == null) throw new Error('CPace party already finished or disposed')
      const scalar = y
      y = undefined
      let K: Uint8Array
      try {
        // libsodium rejects non-canonical encodings and an identity result (the draft's scalar_mult_vfy).
        if (peerShare.length !== POINT_BYTES) throw new RangeError('a CPace share has 32 bytes')
        K = sodium.crypto_scalarmult_ristretto255(scalar, peerShare)
      } catch (err) {
        throw new IncorrectMfcError(undefined, { cause: err })
      } finally {
        sodium.memzero(scalar)
      }
      const [tpkA, tpkB] = opts.role === 'A' ? [share, peerShare] : [peerShare, share]
      const isk = cpaceIsk(sid, K, tpkA, tpkB)
      sodium.memzero(K)
      const transcript = pairingTranscript(opts.relayId, opts.lookup, sid, tpkA, tpkB)
      const peerRole: PairingRole = opts.role === 'A' ? 'B' : 'A'
      return {
        isk,
        transcript,
        ownMfc: pairingMfc(isk, opts.role, transcript),
        expectedPeerMfc: pairingMfc(isk, peerRole, transcript),
        kOffer: pairingOfferKey(isk, transcript),
        kAnswer: pairingAnswerKey(isk, transcript),
        kContact: pairingContactKey(isk, transcript)
      }
    },
    dispose (): void {
      if (y != null) sodium.memzero(y)
      y = undefined
    }
  }
}
