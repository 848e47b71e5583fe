// The libp2p node a browser peer runs (the twin of peer-libp2p.ts): the shared configuration
// (peer-libp2p-options.ts) without TCP (browsers have none), on the browser's own
// RTCPeerConnection, with one race fixed (webrtc-init-channel.browser.ts).
import { createLibp2p, type Libp2p } from 'libp2p'
import type { IceServer, PeerNodeOptions } from '../core/peer-node.js'
import { peerLibp2pOptions } from './peer-libp2p-options.js'
import { installInitChannelRaceFix } from './webrtc-init-channel.browser.js'

/** Browsers take ICE server fields as they are (unlike node-datachannel, see webrtc-config.ts). */
function browserRtcConfiguration (opts: PeerNodeOptions): () => Promise<RTCConfiguration> {
  const policy = opts.iceTransportPolicy ?? 'all'
  const servers = async (): Promise<IceServer[]> => opts.iceServersProvider != null ? await opts.iceServersProvider() : opts.iceServers ?? []
  return async () => ({ iceServers: (await servers()).map(s => ({ ...s })), iceTransportPolicy: policy })
}

export async function createPeerNode (opts: PeerNodeOptions = {}): Promise<Libp2p> {
  installInitChannelRaceFix()
  return await createLibp2p(peerLibp2pOptions(opts, { rtcConfiguration: browserRtcConfiguration(opts) }))
}
