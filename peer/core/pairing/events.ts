// The status events a pairing reports (one plain stream, never a secret except the
// creator's own code, which is shown to its user). The CLI's words, its --json lines and the web UI
// are all made from these. Those of the relay part (flash-code to waiting for the connection) are
// FcPeer's state transitions (protocols/fc/peer.ts) as pairing.ts maps them.
/**
 * How the peers reached each other: `direct` WebRTC peer to peer, `turn` WebRTC through a TURN
 * server (still end-to-end encrypted; `direct` stays true), `relayed` over the relay's circuit.
 */
export type ConnectionPath = 'direct' | 'turn' | 'relayed'

// `relay` (flash-code, matched): the address, ending in /p2p/<peer id>, of the relay the pairing
// is at: the code's top relay of the list (docs/protocol.md §22.2), or the configured one.
export type PairingEvent =
  | { event: 'flash-code', code: string, expiresAt: number, relay: string }
  | { event: 'waiting', for: 'peer' | 'match' | 'connection' }
  | { event: 'matched', relay: string }
  | { event: 'verified' }
  | { event: 'connected', direct: boolean, path: ConnectionPath, remoteAddr: string, candidates?: { local: string, remote: string } }
  | { event: 'syncing' }
  // `sameNameAs`: another contact (a different peer id) already has this name (docs/protocol.md §18.1).
  | { event: 'contact-added', id: string, name: string, sameNameAs?: string }
  // §18.1: a known peer id came with a new permanent key; kept pending until the user accepts or rejects it.
  | { event: 'key-change', id: string, name: string, oldSafetyNumber?: string, newSafetyNumber: string }
