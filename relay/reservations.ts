// Circuit-relay reservations end with the peer's connection. @libp2p/circuit-relay-v2's server
// keeps a reservation until its TTL even after the peer is gone; every pairing and restore run uses
// a fresh identity (docs/protocol.md §11), so without this the reservation table would fill with the dead
// (maxReservations) and new pairings would get no /p2p-circuit address. go-libp2p's relay drops a
// reservation on disconnect too.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Libp2p, PeerId } from '@libp2p/interface'

/** Drops a peer's reservation once its last connection closes; returns the unsubscribe. */
export function dropReservationsOnDisconnect (node: Libp2p, server: CircuitRelayService): () => void {
  const onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const reservation = server.reservations.get(evt.detail)
    if (reservation == null) return
    reservation.signal.clear() // its expiry timer would otherwise delete a later reservation of the same peer
    server.reservations.delete(evt.detail)
  }
  node.addEventListener('peer:disconnect', onDisconnect)
  return () => { node.removeEventListener('peer:disconnect', onDisconnect) }
}
