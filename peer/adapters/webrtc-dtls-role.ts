// Makes the WebRTC dialer the DTLS client. libdatachannel (0.24.x) races when the
// listener is DTLS client: its ClientHello reaches the dialer before the dialer's DTLS transport
// starts, and is then left unprocessed until OpenSSL retransmits 1 s later. Offering
// `a=setup:active` (instead of `actpass`) makes the side that becomes ICE-connected last the DTLS
// client, which removes the 1 s stall (measured: slow upgrades 36–70% → ≤ 2%). The few remaining
// failures are covered by the short upgrade deadline and one retry in the pairing dialer.
import { RTCPeerConnection } from 'node-datachannel/polyfill'

let installed = false

/** Idempotent; patches the same module instance @libp2p/webrtc uses in Node. */
export function installDialerDtlsClientRole (): void {
  if (installed) return
  installed = true
  const proto = RTCPeerConnection.prototype as any
  const createOffer = proto.createOffer as (...args: unknown[]) => Promise<RTCSessionDescriptionInit>
  proto.createOffer = async function (this: unknown, ...args: unknown[]) {
    const offer = await createOffer.apply(this, args)
    if (offer?.sdp == null) return offer
    return { type: offer.type, sdp: offer.sdp.replace(/a=setup:actpass/g, 'a=setup:active') }
  }
}
