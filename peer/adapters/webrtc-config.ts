// RTCConfiguration for @libp2p/webrtc in Node (node-datachannel). The polyfill turns a TURN entry
// into the URL `turn:<username>:<credential>@host…`, and libdatachannel splits that URL at ':' and
// '@' before percent-decoding each part. coturn's REST usernames contain a ':' (`<expiry>:<random>`)
// and base64 credentials may contain '/' and '+', so both are percent-encoded here (verified against
// coturn 4.6.1: raw → 401 "Cannot find credentials of user <expiry>", encoded → allocation).
// Browsers take the fields as they are: this conversion is Node-only.
import type { IceServer, PeerNodeOptions } from '../core/peer-node.js'

export type NodeRtcConfiguration = RTCConfiguration | (() => Promise<RTCConfiguration>)

export function forNodeDatachannel (servers: IceServer[]): RTCIceServer[] {
  return servers.map(s => ({
    urls: Array.isArray(s.urls) ? [...s.urls] : [s.urls],
    ...(s.username != null ? { username: encodeURIComponent(s.username) } : {}),
    ...(s.credential != null ? { credential: encodeURIComponent(s.credential) } : {})
  }))
}

/**
 * A fresh configuration object per RTCPeerConnection (the polyfill mutates the one it is given),
 * asked each time: relay credentials are refreshed before they expire. With no provider given, the
 * configured servers plus those of the relay the node is connected to (`fallback`); never public
 * STUN defaults.
 */
export function nodeRtcConfiguration (opts: PeerNodeOptions, fallback: () => Promise<IceServer[]>): NodeRtcConfiguration {
  const policy = opts.iceTransportPolicy ?? 'all'
  const provider = opts.iceServersProvider ?? fallback
  return async () => ({ iceServers: forNodeDatachannel(await provider()), iceTransportPolicy: policy })
}
