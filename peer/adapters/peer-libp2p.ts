// The libp2p node a Node.js peer runs (for one pairing, or for the daemon's long-term identity):
// the shared configuration (peer-libp2p-options.ts) plus TCP, and node-datachannel for WebRTC.
// The browser build has its own twin (peer-libp2p.browser.ts).
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { installDialerDtlsClientRole } from './webrtc-dtls-role.js'
import { installLightMessageEvent } from './webrtc-message-event.js'
import { nodeRtcConfiguration } from './webrtc-config.js'
import { peerLibp2pOptions } from './peer-libp2p-options.js'
import type { PeerNodeOptions } from '../core/peer-node.js'
import { IceServerSource, connectedRelayIceFetch } from '../core/ice-servers.js'

export async function createPeerNode (opts: PeerNodeOptions = {}): Promise<Libp2p> {
  installDialerDtlsClientRole()
  installLightMessageEvent()
  // Without an explicit provider (daemon, restore runs): the configured servers plus those of the
  // relay this node is connected to, asked on /gini/ice/1 when a WebRTC connection needs them.
  // eslint-disable-next-line prefer-const -- `fallback` reads it, and may run before createLibp2p returns
  let node: Libp2p | undefined
  const fromRelay = new IceServerSource({ configured: opts.iceServers })
  const fallback = async (): Promise<NonNullable<PeerNodeOptions['iceServers']>> => {
    if (node != null && !fromRelay.hasRelay) fromRelay.useRelay(connectedRelayIceFetch(node), { eager: false })
    return await fromRelay.servers()
  }
  node = await createLibp2p(peerLibp2pOptions(opts, {
    transports: [tcp()],
    rtcConfiguration: nodeRtcConfiguration(opts, fallback)
  }))
  return node
}

/** Frees node-datachannel's native threads; call once after every node in the process stopped. */
export async function releaseWebRtc (): Promise<void> {
  const ndc = await import('node-datachannel')
  ndc.default.cleanup()
}
