// The joiner's dial to the verified creator (docs/protocol.md §6.10): each /p2p-circuit/webrtc
// address up to twice, then the plain /p2p-circuit one. The WebRTC attempts have short deadlines
// (measured with the dialer as DTLS client, adapters/webrtc-dtls-role.ts: p90 ≈ 40 ms; the rare
// DTLS race hangs until a deadline, and one retry then succeeds), and a failed upgrade never tears
// the relayed path down.
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { logger } from '@libp2p/logger'
import { withTimeout } from './signals.js'
import { isDirectTcpAddr } from './peer-node.js'

const log = logger('gini:dial')

/** Deadline per WebRTC attempt: a quick one for the loopback/LAN race, then room for NAT/TURN. */
export const WEBRTC_ATTEMPT_TIMEOUTS_MS = [500, 5_000]
/** A relayed connection goes through one relay hop: a few round trips. */
export const RELAYED_DIAL_TIMEOUT_MS = 10_000

export interface VerifiedPeerConnection {
  connection: Connection
  direct: boolean
}

/**
 * True for a connection without relay limits that goes peer to peer: WebRTC (a dialer's WebRTC
 * remoteAddr still holds /p2p-circuit) or a plain TCP connection between contacts (docs/protocol.md §17.6).
 */
export function isDirectConnection (connection: Connection): boolean {
  return connection.limits == null && (connection.remoteAddr.toString().includes('/webrtc') || isTcpConnection(connection))
}

/** A plain TCP connection (Noise, Yamux) to the peer itself, no relay hop (docs/protocol.md §17.6). */
export function isTcpConnection (connection: Connection): boolean {
  return connection.limits == null && isDirectTcpAddr(connection.remoteAddr)
}

/** What a link between contacts runs on, best first (docs/protocol.md §17.6 item 5). */
export type LinkKind = 'tcp' | 'webrtc' | 'relayed'
export const LINK_RANK: Record<LinkKind, number> = { tcp: 0, webrtc: 1, relayed: 2 }

export function linkKindOf (connection: Connection): LinkKind {
  if (isTcpConnection(connection)) return 'tcp'
  return isDirectConnection(connection) ? 'webrtc' : 'relayed'
}

export async function connectToVerifiedPeer (
  node: Libp2p,
  peer: { peerId: PeerId, multiaddrs: Multiaddr[] },
  opts: { signal?: AbortSignal, attemptTimeoutsMs: number[], onWebRtcAttemptFailed?: () => void, force?: boolean }
): Promise<VerifiedPeerConnection | undefined> {
  // Only addresses that name the verified peer: libp2p then checks the remote key for us too.
  const own = peer.multiaddrs.filter(ma => ma.toString().endsWith(`/p2p/${peer.peerId.toString()}`))
  const webrtc = own.filter(ma => ma.toString().includes('/p2p-circuit/webrtc'))
  const relayed = own.filter(ma => ma.toString().includes('/p2p-circuit') && !ma.toString().includes('/webrtc'))

  for (const ma of webrtc) {
    for (const [attempt, ms] of opts.attemptTimeoutsMs.entries()) {
      const connection = await tryDial(node, ma, peer.peerId, ms, opts.signal, opts.force)
      if (connection != null && isDirectConnection(connection)) return { connection, direct: true }
      log('webrtc attempt %d failed', attempt + 1)
      opts.onWebRtcAttemptFailed?.()
    }
  }
  for (const ma of relayed) {
    const connection = await tryDial(node, ma, peer.peerId, RELAYED_DIAL_TIMEOUT_MS, opts.signal)
    if (connection != null) return { connection, direct: isDirectConnection(connection) }
  }
  return undefined
}

/** `force`: a new connection even though one to the peer exists (libp2p would hand back the relayed one). */
async function tryDial (node: Libp2p, ma: Multiaddr, expected: PeerId, ms: number, signal?: AbortSignal, force = false): Promise<Connection | undefined> {
  try {
    const connection = await node.dial(ma, { signal: withTimeout(signal, ms), force })
    if (!connection.remotePeer.equals(expected)) {
      // §6.10: a connection to anyone but the verified peer is dropped.
      await connection.close().catch(() => {})
      return undefined
    }
    return connection
  } catch (err) {
    if (signal?.aborted === true) throw err
    return undefined
  }
}
