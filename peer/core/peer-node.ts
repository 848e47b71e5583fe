// What GiniNode's core needs from the platform to start a libp2p node (Node.js or browser adapter).
import type { Libp2p } from 'libp2p'

export interface PeerNodeOptions {
  /** A long-term identity; omitted for a fresh pairing identity (docs/protocol.md §11). */
  privateKey?: unknown
  iceServers?: IceServer[]
  /**
   * Asked before each RTCPeerConnection; replaces `iceServers` when set. Pairing passes the relay's
   * servers here (docs/protocol.md §14), so TURN credentials are fresh for every connection.
   */
  iceServersProvider?: () => Promise<IceServer[]>
  /** 'relay' allows only TURN candidates (and, without TURN servers, no direct path at all). */
  iceTransportPolicy?: 'all' | 'relay'
}

export interface IceServer { urls: string | string[], username?: string, credential?: string }

export type CreatePeerNode = (opts?: PeerNodeOptions) => Promise<Libp2p>

/** Per-address dial limit; covers a WebRTC upgrade through NAT/TURN (≤ 1.2 s measured) with room. */
export const ADDRESS_DIAL_TIMEOUT_MS = 15_000
/** Whole-dial limit. */
export const DIAL_TIMEOUT_MS = 20_000
