// The libp2p node a browser peer runs (the twin of peer-libp2p.ts): WebSockets to reach the relay,
// circuit relay for a reservation slot, WebRTC for the direct connection. No TCP (browsers have
// none); the browser's own RTCPeerConnection, with one race fixed (webrtc-init-channel.browser.ts).
import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { webRTC } from '@libp2p/webrtc'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import type { PrivateKey } from '@libp2p/interface'
import { ADDRESS_DIAL_TIMEOUT_MS, DIAL_TIMEOUT_MS, type IceServer, type PeerNodeOptions } from '../core/peer-node.js'
import { installInitChannelRaceFix } from './webrtc-init-channel.browser.js'

/** Browsers take ICE server fields as they are (unlike node-datachannel, see webrtc-config.ts). */
function browserRtcConfiguration (opts: PeerNodeOptions): () => Promise<RTCConfiguration> {
  const policy = opts.iceTransportPolicy ?? 'all'
  const servers = async (): Promise<IceServer[]> => opts.iceServersProvider != null ? await opts.iceServersProvider() : opts.iceServers ?? []
  return async () => ({ iceServers: (await servers()).map(s => ({ ...s })), iceTransportPolicy: policy })
}

export async function createPeerNode (opts: PeerNodeOptions = {}): Promise<Libp2p> {
  installInitChannelRaceFix()
  return await createLibp2p({
    ...(opts.privateKey != null ? { privateKey: opts.privateKey as PrivateKey } : {}),
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      webSockets(),
      // No public STUN defaults: only the ICE servers given (none on loopback), asked per connection
      // when a provider is set (relay-provided TURN credentials, docs/protocol.md §14).
      webRTC({ rtcConfiguration: browserRtcConfiguration(opts) }),
      circuitRelayTransport({ reservationCompletionTimeout: 10_000 })
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // The browser build's default gater denies plain /ws and private/loopback addresses
    // (libp2p/dist/src/config/connection-gater.browser.js); a local relay on ws://127.0.0.1 is
    // legitimate here (the `npm start` demo, tests, private networks). An https page still needs
    // /tls/ws: the browser itself refuses mixed content.
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: {
      // libp2p's 6 s default per address would cut a WebRTC upgrade off whatever signal we pass.
      addressDialTimeout: ADDRESS_DIAL_TIMEOUT_MS,
      dialTimeout: DIAL_TIMEOUT_MS
    },
    services: { identify: identify(), ping: ping() }
  })
}
