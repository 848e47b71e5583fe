// Safety numbers of stored contacts (docs/protocol.md §18): each side's keys are its Ed25519 public
// key (the one behind its long-term peer id), its X25519 PPK and its peer id's multihash bytes, so
// both contacts feed the same bytes for each side and get the same 60 digits.
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { fromHex, safetyNumber, safetyNumbersMatch, type SafetyKeys } from '../../protocols/crypto/index.js'
import type { ContactRecord } from './storage.js'

/** The §18 keys of a peer whose long-term id is Ed25519 (the key is inlined in the id). */
export function safetyKeysOf (peerId: PeerId, ppk: Uint8Array): SafetyKeys {
  if (peerId.type !== 'Ed25519') throw new Error(`${peerId.toString()} is not an Ed25519 peer id: it has no safety number`)
  if (ppk.length !== 32) throw new Error(`the permanent key of ${peerId.toString()} is not 32 bytes`)
  return { ed25519Pub: peerId.publicKey.raw, ppk, peerIdBytes: peerId.toMultihash().bytes }
}

/** The 60-digit safety number between us and a stored contact (call after crypto `ready()`). */
export function contactSafetyNumber (self: { peerId: PeerId, ppk: Uint8Array }, contact: Pick<ContactRecord, 'id' | 'ppk'>): string {
  return safetyNumber(safetyKeysOf(self.peerId, self.ppk), safetyKeysOf(peerIdFromString(contact.id), fromHex(contact.ppk)))
}

/** The number the user compared is not the one our keys give (§18): nothing is stored. */
export class SafetyNumberMismatchError extends Error {
  constructor (message = 'The safety numbers do not match: the contact was not marked verified. Do not trust this contact\'s keys until you have found out why (pair again in person if in doubt).') {
    super(message)
    this.name = 'SafetyNumberMismatchError'
  }
}

/** Throws SafetyNumberMismatchError unless `given` is `expected` (compared in constant time). */
export function assertSafetyNumber (expected: string, given: string): void {
  if (!safetyNumbersMatch(expected, given)) throw new SafetyNumberMismatchError()
}
