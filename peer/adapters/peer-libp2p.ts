// The libp2p node a Node.js peer runs (for one pairing, or for the daemon's long-term identity).
// Transports: TCP and WebSockets to reach relays, circuit relay for a reservation slot, WebRTC for
// the direct connection. The browser build has its own twin (peer-libp2p.browser.ts).
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { webRTC } from '@libp2p/webrtc'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import type { PrivateKey } from '@libp2p/interface'
import { installDialerDtlsClientRole } from './webrtc-dtls-role.js'
import { nodeRtcConfiguration } from './webrtc-config.js'
import { ADDRESS_DIAL_TIMEOUT_MS, DIAL_TIMEOUT_MS, type PeerNodeOptions } from '../core/peer-node.js'
import { IceServerSource, connectedRelayIceFetch } from '../core/ice-servers.js'

export async function createPeerNode (opts: PeerNodeOptions = {}): Promise<Libp2p> {
  installDialerDtlsClientRole()
  // Without an explicit provider (daemon, restore runs): the configured servers plus those of the
  // relay this node is connected to, asked on /gini/ice/1 when a WebRTC connection needs them.
  let node: Libp2p | undefined
  const fromRelay = new IceServerSource({ configured: opts.iceServers })
  const fallback = async (): Promise<NonNullable<PeerNodeOptions['iceServers']>> => {
    if (node != null && !fromRelay.hasRelay) fromRelay.useRelay(connectedRelayIceFetch(node), { eager: false })
    return await fromRelay.servers()
  }
  node = await createLibp2p({
    ...(opts.privateKey != null ? { privateKey: opts.privateKey as PrivateKey } : {}),
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      tcp(),
      webSockets(),
      // No public STUN defaults: peers use only the ICE servers they are given (none on loopback),
      // asked per connection when a provider is set (relay-provided TURN credentials,
      // docs/protocol.md §14).
      webRTC({ rtcConfiguration: nodeRtcConfiguration(opts, fallback) }),
      circuitRelayTransport({ reservationCompletionTimeout: 10_000 })
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Relays on loopback/LAN addresses are legitimate here (tests, local demo, private networks).
    connectionGater: { denyDialMultiaddr: () => false },
    connectionManager: {
      // libp2p's 6 s default per address would cut a WebRTC upgrade off whatever signal we pass.
      addressDialTimeout: ADDRESS_DIAL_TIMEOUT_MS,
      dialTimeout: DIAL_TIMEOUT_MS
    },
    services: { identify: identify(), ping: ping() }
  })
  return node
}

/** Frees node-datachannel's native threads; call once after every node in the process stopped. */
export async function releaseWebRtc (): Promise<void> {
  const ndc = await import('node-datachannel')
  ndc.default.cleanup()
}
