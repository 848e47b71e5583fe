// What GiniNode's core needs from the platform to start a libp2p node (Node.js or browser adapter).
import type { Libp2p } from 'libp2p'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface PeerNodeOptions {
  /** The node's identity (a daemon's presence key, docs/protocol.md §21.1); omitted for a fresh one-shot identity (§11). */
  privateKey?: unknown
  iceServers?: IceServer[]
  /**
   * Asked before each RTCPeerConnection; replaces `iceServers` when set. Pairing passes the relay's
   * servers here (docs/protocol.md §14), so TURN credentials are fresh for every connection.
   */
  iceServersProvider?: () => Promise<IceServer[]>
  /** 'relay' allows only TURN candidates (and, without TURN servers, no direct path at all). */
  iceTransportPolicy?: 'all' | 'relay'
  /**
   * Listen on TCP for direct links to contacts (docs/protocol.md §17.6); a daemon's presence nodes
   * only (§21). identify never lists these addresses; who may stay on an inbound TCP connection is
   * the daemon's check (a contact's session on it, peer/core/daemon/tcp-links.ts). Platforms
   * without TCP (browsers) ignore it.
   */
  directTcp?: boolean
  /**
   * Run identify over relayed (limited) connections too (default true). A pairing identity turns
   * it off: its connection to the other peer carries only the pairing's own protocols, and through
   * the relay's circuit identify's two exchanges only delay the WebRTC upgrade's signaling
   * (BENCHMARKS.md "gini accept"). Its relay connection is not limited: identify runs there.
   */
  identifyOnLimitedConnections?: boolean
}

export interface IceServer { urls: string | string[], username?: string, credential?: string }

export type CreatePeerNode = (opts?: PeerNodeOptions) => Promise<Libp2p>

/** Per-address dial limit; covers a WebRTC upgrade through NAT/TURN (≤ 1.2 s measured) with room. */
export const ADDRESS_DIAL_TIMEOUT_MS = 15_000
/** Whole-dial limit. */
export const DIAL_TIMEOUT_MS = 20_000

const directTcpSources = new WeakMap<Libp2p, () => Multiaddr[]>()

/** The platform adapter says where `node` listens on TCP for contacts (docs/protocol.md §17.6). */
export function registerDirectTcpAddrs (node: Libp2p, addrs: () => Multiaddr[]): void {
  directTcpSources.set(node, addrs)
}

/** `node`'s own TCP addresses for contacts, each ending in `/p2p/<its id>`; none where the platform has no TCP. */
export function directTcpAddrsOf (node: Libp2p): Multiaddr[] {
  return directTcpSources.get(node)?.() ?? []
}

/** A plain TCP address of a peer (no relay circuit, no WebRTC, no WebSocket): a §17.6 direct address. */
export function isDirectTcpAddr (ma: Multiaddr | string): boolean {
  return /^\/(ip4|ip6)\/[^/]+\/tcp\/\d+(\/p2p\/[^/]+)?$/.test(ma.toString())
}
