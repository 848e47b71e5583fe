// Presence identities (docs/protocol.md §21): the libp2p identity a peer is online under, one per
// relay and UTC day, derived from the long-term key so a restart on the same day keeps it. The
// long-term key itself never goes into a libp2p handshake.
import { privateKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { presenceDay, presenceSeed, sodium } from '../../protocols/crypto/index.js'
import type { Identity } from './identity.js'

export const DAY_MS = 86_400_000
export { presenceDay }
export { PRESENCE_GRACE_MS } from './contact-book.js'

/** The presence key of `identity` for `relay` on UTC day `day` (§21.1). */
export function presenceKey (identity: Pick<Identity, 'privateKey'>, relay: PeerId, day: number): PrivateKey {
  // libsodium's 64-byte Ed25519 secret key is seed ‖ public key: the seed is its first half.
  const permanentSeed = identity.privateKey.raw.subarray(0, 32)
  const seed = presenceSeed(permanentSeed, relay.toMultihash().bytes, day)
  const pair = sodium.crypto_sign_seed_keypair(seed)
  sodium.memzero(seed)
  return privateKeyFromRaw(pair.privateKey)
}

export function presencePeerId (identity: Pick<Identity, 'privateKey'>, relay: PeerId, day: number): PeerId {
  return peerIdFromPrivateKey(presenceKey(identity, relay, day))
}

/** Wall-clock ms at which the UTC day after the one holding `nowMs` begins. */
export function nextDayStartMs (nowMs: number): number {
  return (presenceDay(nowMs) + 1) * DAY_MS
}

/** Wall-clock ms at which the UTC day holding `nowMs` began. */
export function dayStartMs (nowMs: number): number {
  return presenceDay(nowMs) * DAY_MS
}

/** The relay's peer id from the `/p2p/` part of its address, if it has one. */
export function relayPeerIdOf (addr: Multiaddr): PeerId | undefined {
  const id = addr.getComponents().findLast(c => c.name === 'p2p')?.value
  return id != null ? peerIdFromString(id) : undefined
}
