// What the Node and the browser libp2p node share (peer-libp2p.ts, peer-libp2p.browser.ts):
// WebSockets to reach relays, circuit relay for a reservation slot, WebRTC for the direct
// connection, Noise and Yamux, identify and ping. Each platform adds its own transports and says
// how a WebRTC connection gets its ICE servers.
import type { Libp2pOptions } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { webRTC } from '@libp2p/webrtc'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import type { PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { ADDRESS_DIAL_TIMEOUT_MS, DIAL_TIMEOUT_MS, type PeerNodeOptions } from '../core/peer-node.js'

/** How long the relay may take to grant a reservation slot. */
const RESERVATION_COMPLETION_TIMEOUT_MS = 10_000

export interface PlatformParts {
  /** Asked once per RTCPeerConnection: Node and browsers take ICE servers differently (webrtc-config.ts). */
  rtcConfiguration: RTCConfiguration | (() => Promise<RTCConfiguration>)
  /** Transports only this platform has, tried before the shared ones (TCP in Node). */
  transports?: NonNullable<Libp2pOptions['transports']>
  /** Addresses only this platform listens on (TCP for contacts in Node, docs/protocol.md §17.6). */
  listen?: string[]
  /** What identify may tell the other side of any connection, a relay included, about our addresses. */
  announceFilter?: (addrs: Multiaddr[]) => Multiaddr[]
  /** Noise's crypto, where the platform has a faster one with the same bytes on the wire (Node: noise-node-crypto.ts). */
  noiseCrypto?: ICryptoInterface
}

export function peerLibp2pOptions (opts: PeerNodeOptions, platform: PlatformParts): Libp2pOptions {
  return {
    ...(opts.privateKey != null ? { privateKey: opts.privateKey as PrivateKey } : {}),
    addresses: {
      listen: ['/p2p-circuit', '/webrtc', ...(platform.listen ?? [])],
      ...(platform.announceFilter != null ? { announceFilter: platform.announceFilter } : {})
    },
    transports: [
      ...(platform.transports ?? []),
      webSockets(),
      // No public STUN defaults: only the ICE servers given (none on loopback), asked per connection
      // when a provider is set (relay-provided TURN credentials, docs/protocol.md §14).
      webRTC({ rtcConfiguration: platform.rtcConfiguration }),
      circuitRelayTransport({ reservationCompletionTimeout: RESERVATION_COMPLETION_TIMEOUT_MS })
    ],
    connectionEncrypters: [noise(platform.noiseCrypto != null ? { crypto: platform.noiseCrypto } : {})],
    streamMuxers: [yamux()],
    // Relays on loopback/LAN addresses are legitimate here (tests, the `npm start` demo, private
    // networks). The browser build's default gater would deny plain /ws and private or loopback
    // addresses (libp2p/dist/src/config/connection-gater.browser.js); an https page still needs
    // /tls/ws there: the browser itself refuses mixed content.
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: {
      // libp2p's 6 s default would cut a WebRTC upgrade off whatever signal we pass (webrtc-nat.md).
      addressDialTimeout: ADDRESS_DIAL_TIMEOUT_MS,
      dialTimeout: DIAL_TIMEOUT_MS
    },
    services: {
      identify: identify(opts.identifyOnLimitedConnections === false ? { runOnLimitedConnection: false } : {}),
      ping: ping()
    }
  }
}
