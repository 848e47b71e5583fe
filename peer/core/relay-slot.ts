// A node's slot at a relay: its connection and circuit reservation, i.e. the `/p2p-circuit`
// addresses others dial it at. Used by the daemon's long-term identity and by every restore run
// identity (docs/protocol.md §9.4: each run's fresh identity "connects to the relay, holds a reservation").
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { RelayUnreachableError } from '../../protocols/common/index.js'
import { withTimeout } from './signals.js'

/** Dialing a relay (TCP/WS + Noise + Yamux) on a healthy network takes well under a second. */
export const RELAY_DIAL_TIMEOUT_MS = 10_000
/** A circuit reservation normally lands within tens of ms of the relay connection. */
export const RESERVATION_TIMEOUT_MS = 10_000
const RESERVATION_POLL_MS = 5
/** At most this many of our circuit addresses per relay go into a PeerInfo (WebRTC first). */
export const MAX_OFFERED_ADDRS = 4

export interface RelaySlot {
  relayConnection: Connection
  relayPeer: PeerId
  /** The relay's address including `/p2p/<relay id>`. */
  relayAddr: Multiaddr
  /** Our addresses through this relay once reserved, `/p2p-circuit/webrtc` first. */
  circuitAddrs: Multiaddr[]
}

/** Dials the relay and waits for the reservation. Throws RelayUnreachableError on either failure. */
export async function connectRelay (node: Libp2p, relay: Multiaddr, signal?: AbortSignal): Promise<RelaySlot> {
  const relayConnection = await dialRelay(node, relay, signal)
  const relayPeer = relayConnection.remotePeer
  const relayAddr = relay.toString().includes('/p2p/') ? relay : relay.encapsulate(`/p2p/${relayPeer.toString()}`)
  const circuitAddrs = await waitForCircuitAddrs(node, relayPeer, signal)
  return { relayConnection, relayPeer, relayAddr, circuitAddrs }
}

/** Only the connection (the circuit transport reserves at a connected relay by itself). */
export async function dialRelay (node: Libp2p, relay: Multiaddr, signal?: AbortSignal): Promise<Connection> {
  try {
    return await node.dial(relay, { signal: withTimeout(signal, RELAY_DIAL_TIMEOUT_MS) })
  } catch (err) {
    if (signal?.aborted === true) throw err
    throw new RelayUnreachableError(undefined, { cause: err })
  }
}

/** Our circuit addresses through this relay, WebRTC first, at most MAX_OFFERED_ADDRS. */
export function circuitAddrsVia (node: Libp2p, relay: PeerId): Multiaddr[] {
  const addrs = node.getMultiaddrs().filter(ma => {
    const s = ma.toString()
    return s.includes('/p2p-circuit') && s.includes(relay.toString())
  })
  const webrtc = addrs.filter(ma => ma.toString().includes('/webrtc'))
  const plain = addrs.filter(ma => !ma.toString().includes('/webrtc'))
  return [...webrtc.slice(0, MAX_OFFERED_ADDRS / 2), ...plain.slice(0, MAX_OFFERED_ADDRS / 2)]
}

/** Every circuit address of the node (all relays), the long-term addresses a daemon announces. */
export function ownCircuitAddrs (node: Libp2p): Multiaddr[] {
  const self = node.peerId.toString()
  return node.getMultiaddrs().filter(ma => {
    const s = ma.toString()
    return s.includes('/p2p-circuit') && s.endsWith(`/p2p/${self}`)
  })
}

/**
 * Our circuit addresses through `relay` (any relay if omitted) once reserved. Polled: libp2p
 * debounces `self:peer:update` by about a second, while the reservation itself takes tens of ms
 * after the relay dial.
 */
export async function waitForCircuitAddrs (node: Libp2p, relay?: PeerId, signal?: AbortSignal): Promise<Multiaddr[]> {
  const deadline = Date.now() + RESERVATION_TIMEOUT_MS
  while (true) {
    const addrs = relay != null ? circuitAddrsVia(node, relay) : ownCircuitAddrs(node)
    if (addrs.some(ma => !ma.toString().includes('/webrtc'))) return addrs
    if (signal?.aborted === true) throw signal.reason
    if (Date.now() > deadline) throw new RelayUnreachableError('The relay did not grant a connection slot (circuit reservation).')
    await new Promise(resolve => setTimeout(resolve, RESERVATION_POLL_MS))
  }
}
