// `PeerInfo` (common.proto): a peer id and its addresses, the plaintext of the pairing offer and
// answer (docs/protocol.md §6.9) and of the CRP offer, answer and parked offer (§9.1). One codec
// for both, so what one side seals the other opens the same way.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerId } from '@libp2p/interface'
import { PeerInfo } from './pb/common.js'
import { wire } from './wire-bytes.js'

/** A PeerInfo with its peer id and addresses parsed. */
export interface DecodedPeerInfo {
  peerId: PeerId
  multiaddrs: Multiaddr[]
  /** The sender's clock when the addresses were current. */
  atMs: number
}

export function encodePeerInfo (info: DecodedPeerInfo): Uint8Array {
  return PeerInfo.encode({
    peerId: wire(info.peerId.toMultihash().bytes),
    multiaddrs: info.multiaddrs.map(ma => wire(ma.bytes)),
    atMs: BigInt(Math.max(0, Math.floor(info.atMs)))
  })
}

/** A PeerInfo whose peer id and addresses parse and that names at least one address; else undefined. */
export function decodePeerInfo (bytes: Uint8Array): DecodedPeerInfo | undefined {
  try {
    const info = PeerInfo.decode(bytes)
    const peerId = peerIdFromMultihash(Digest.decode(info.peerId))
    const multiaddrs = info.multiaddrs.map(b => multiaddr(b))
    if (multiaddrs.length === 0 || info.atMs > BigInt(Number.MAX_SAFE_INTEGER)) return undefined
    return { peerId, multiaddrs, atMs: Number(info.atMs) }
  } catch {
    return undefined
  }
}
